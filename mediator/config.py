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
    import sqlalchemy as sa

    # Escaped like store.db.sqlite_url (config imports no layer): a data dir with `#` or `?` opens right.
    return sa.URL.create("sqlite", database=str(data_dir() / "mediator.db")).render_as_string(hide_password=False)


def database_url(flag: str | None = None) -> str:
    """The database to use: ``--db`` first, then MEDIATOR_DATABASE_URL, then the data dir."""
    return flag or os.environ.get(ENV_DATABASE_URL) or default_database_url()
