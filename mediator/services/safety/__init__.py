"""Safety: accounts and login, the idle lock, backups, encryption, the audit log's reading side, retention."""
