"""Statistics, the 台账 and their Excel files, built from plain rows (no database, no Qt)."""
