"""Background jobs inside the app (APScheduler 3): reminder scans, exact due times, a daily job.

Jobs call services only and never touch Qt; the UI listens through ``ui.scheduler_bridge``.
"""
