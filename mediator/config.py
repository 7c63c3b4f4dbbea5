"""Where data lives: the database URL (flag, environment or the user data dir) and log dir."""
from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "mediator"
APP_AUTHOR = "mediator"
ENV_DATABASE_URL = "MEDIATOR_DATABASE_URL"


def data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def log_dir() -> Path:
    return Path(platformdirs.user_log_dir(APP_NAME, APP_AUTHOR))


def default_database_url() -> str:
    from mediator.store.db import sqlite_url

    return sqlite_url(data_dir() / "mediator.db")


def database_url(flag: str | None = None) -> str:
    """The database to use: ``--db`` first, then MEDIATOR_DATABASE_URL, then the data dir."""
    return flag or os.environ.get(ENV_DATABASE_URL) or default_database_url()
