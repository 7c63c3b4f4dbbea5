"""Alembic environment: targets SQLModel.metadata on the connection handed in by migrate.py."""
from __future__ import annotations

from alembic import context
from sqlmodel import SQLModel

import mediator.store.models

config = context.config
target_metadata = SQLModel.metadata


def render_item(type_, obj, autogen_context):
    """Migrations name plain SQLAlchemy types, never our TypeDecorators."""
    if type_ == "type" and isinstance(obj, mediator.store.models.AwareDateTime):
        return "sa.DateTime(timezone=True)"
    return False


def include_name(name, type_, parent_names) -> bool:
    """The search index (FTS5 tables and their shadow tables, trigram indexes) is not a model."""
    if type_ == "table":
        return not (name or "").startswith("search_")
    if type_ == "index":
        return not (name or "").startswith("ix_search_")
    return True


def run_migrations_online() -> None:
    connection = config.attributes["connection"]
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        compare_type=True,
        render_as_batch=connection.dialect.name == "sqlite",
        render_item=render_item,
        include_name=include_name,
    )
    with context.begin_transaction():
        context.run_migrations()


run_migrations_online()
