"""An office's edited forms (文书模板) kept in the database, so every PC of the office prints the
same: each save is a row (who, when), the newest row per form is the one in use, 恢复默认 is a
``reset`` row. The files in the data directory are a copy of the database (``sync_forms``
writes them at login), which the renderer reads.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlmodel import Session, select

from mediator import config
from mediator.documents.spec import parse_form
from mediator.domain.errors import ValidationError
from mediator.services import audit
from mediator.services.context import ServiceContext
from mediator.services.documents.rendering import BUILTIN_FORMS
from mediator.services.office_scope import user_office
from mediator.services.permissions import Permission, requires
from mediator.store.models import OfficeForm

ACTIONS = {"copy": "复制并编辑", "save": "保存修改", "import": "导入", "reset": "恢复默认"}


def forms_dir() -> Path:
    """The data directory's copy of the office's forms (what the renderer reads first)."""
    return config.data_dir() / "forms"


def _office_condition(office: int | None):
    return OfficeForm.organization_id.is_(None) if office is None else OfficeForm.organization_id == office


def current_forms(session: Session, office: int | None) -> dict[str, str]:
    """Form id → text of the forms the office uses instead of the shipped ones."""
    newest: dict[str, OfficeForm] = {}
    for row in session.exec(select(OfficeForm).where(_office_condition(office)).order_by(OfficeForm.id)):
        newest[row.form_id] = row
    return {form_id: row.text for form_id, row in newest.items() if row.action != "reset"}


def store_form(ctx: ServiceContext, session: Session, form_id: str, text: str, action: str) -> None:
    """One version of the user's office's form (inside the caller's transaction)."""
    session.add(OfficeForm(organization_id=user_office(ctx), form_id=form_id, action=action,
                           text="" if action == "reset" else text, saved_by=ctx.actor[:50],
                           saved_at=ctx.now()))


def sync_forms(ctx: ServiceContext, directory: Path | None = None) -> int:
    """Write the user's office's forms from the database into ``directory``; returns how many.

    Files there that the database does not hold are removed, except on the first sync of an
    office with no forms in the database yet: then the files (edited before the forms moved to
    the database) are taken into it.
    """
    directory = directory or forms_dir()
    office = user_office(ctx)
    with ctx.transaction() as session:
        stored = session.exec(select(OfficeForm.id).where(_office_condition(office))).first()
        if stored is None and directory.is_dir():
            for path in sorted(directory.glob("*.toml")):
                store_form(ctx, session, path.stem, path.read_text(encoding="utf-8"), "import")
            session.flush()
        texts = current_forms(session, office)
    directory.mkdir(parents=True, exist_ok=True)
    for path in directory.glob("*.toml"):
        if path.stem not in texts:
            path.unlink()
    for form_id, text in texts.items():
        target = directory / f"{form_id}.toml"
        if not target.is_file() or target.read_text(encoding="utf-8") != text:
            part = target.with_name(target.name + ".part")
            part.write_text(text, encoding="utf-8")
            part.replace(target)
    return len(texts)


def _check_shipped(form_id: str) -> Path:
    """The shipped file of ``form_id``; ValidationError for a form the app does not know."""
    shipped = BUILTIN_FORMS / f"{form_id}.toml"
    if not shipped.is_file():
        raise ValidationError("form", f"没有这种文书：{form_id}")
    return shipped


@dataclass(frozen=True)
class FormVersion:
    action: str  # as a person reads it
    saved_by: str
    saved_at: datetime
    size: int


@requires(Permission.DOCUMENT_PRINT)
def form_history(ctx: ServiceContext, form_id: str) -> list[FormVersion]:
    """Every saved version of one of the office's forms, newest first."""
    with ctx.read() as session:
        rows = session.exec(select(OfficeForm).where(_office_condition(user_office(ctx)),
                                                     OfficeForm.form_id == form_id)
                            .order_by(OfficeForm.id.desc()))
        return [FormVersion(ACTIONS.get(r.action, r.action), r.saved_by, r.saved_at, len(r.text)) for r in rows]


@requires(Permission.DOCUMENT_PRINT)
def export_form(ctx: ServiceContext, form_id: str, path: Path) -> Path:
    """The form the office uses (its own, else the shipped one) written to a file."""
    with ctx.read() as session:
        text = current_forms(session, user_office(ctx)).get(form_id)
    if text is None:
        text = _check_shipped(form_id).read_text(encoding="utf-8")
    path.write_text(text, encoding="utf-8")
    audit.log(ctx, "form.export", form_id, {"path": str(path)})
    return path


@requires(Permission.DOCUMENT_PRINT)
def import_form(ctx: ServiceContext, form_id: str, path: Path, directory: Path | None = None) -> None:
    """A form file taken in as the office's form (checked first; a faulty file changes nothing)."""
    _check_shipped(form_id)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        raise ValidationError("file", f"无法读取文件：{path}") from None
    parse_form(text, path.with_name(f"{form_id}.toml"))  # FormError names the line (the id is the name)
    with ctx.transaction() as session:
        store_form(ctx, session, form_id, text, "import")
        audit.record(ctx, session, "form.import", form_id, {"path": str(path), "size": len(text)})
    sync_forms(ctx, directory)
