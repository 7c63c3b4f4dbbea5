"""文书 → 编辑: an office's form as editable blocks (the model in ``documents.spec.editable``),
loaded from the form in use and saved through the office's forms (database, history, audit)."""
from __future__ import annotations

import tomllib
from pathlib import Path

from mediator.documents.spec import FormError
from mediator.documents.spec.editable import (
    CONDITION_NOTE,
    READ_ONLY,
    TYPE_NOTES,
    EditableBlock,
    EditableForm,
    EditError,
    Part,
    block_errors,
    editable_toml,
    load_editable,
)
from mediator.documents.spec.fields import FIELD_NAMES
from mediator.services.context import ServiceContext
from mediator.services.documents.forms import form_text, save_form
from mediator.services.documents.rendering import BUILTIN_FORMS
from mediator.services.permissions import Permission, requires

FIELD_LIST: tuple[str, ...] = tuple(FIELD_NAMES.values())  # 插入字段, in the table's order


def editable_form(form_id: str, user_dir: Path | None = None) -> tuple[EditableForm, bool]:
    """The form in use as blocks, and whether it had to fall back to the shipped one (a broken copy)."""
    try:
        return load_editable(form_text(form_id, user_dir)), False
    except tomllib.TOMLDecodeError:
        return load_editable((BUILTIN_FORMS / f"{form_id}.toml").read_text(encoding="utf-8")), True


@requires(Permission.DOCUMENT_PRINT)
def save_editable(ctx: ServiceContext, form_id: str, form: EditableForm, user_dir: Path | None = None) -> Path:
    """保存: the edited blocks written as the office's form (checked; history and audit in save_form).

    Raises:
        EditError: a block is faulty (its index and a Chinese message).
        FormError: the written form does not load (should not happen).
    """
    return save_form(ctx, form_id, editable_toml(form), user_dir)


__all__ = ["CONDITION_NOTE", "FIELD_LIST", "READ_ONLY", "TYPE_NOTES", "EditError", "EditableBlock",
           "EditableForm", "FormError", "Part", "block_errors", "editable_form", "editable_toml",
           "save_editable"]
