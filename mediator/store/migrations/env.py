"""Alembic environment: targets SQLModel.metadata on the connection handed in by migrate.py."""
from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import mediator.store.models  # noqa: F401  (registers the tables)

config = context.config
target_metadata = SQLModel.metadata


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
