"""Reminders: what is due and from where, complete/snooze/dismiss, and notices told once."""
