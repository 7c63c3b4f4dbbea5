"""Child processes started by the crash-safety and concurrency tests (and their parent side)."""
