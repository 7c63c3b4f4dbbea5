"""Official documents of a case: forms looked up (a user's copy first) and rendered to PDF/DOCX.

The context comes from `document_context` (re-exported here); `render_document` /
`write_document` read the case and do the rest.
"""
from __future__ import annotations

import hashlib
import logging
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from mediator import config
from mediator.documents.compose import QR_SCHEME, compose
from mediator.documents.context import DocumentContext
from mediator.documents.spec import FormSpec, form_path, load_form
from mediator.domain.errors import DomainError, ValidationError
from mediator.services.context import ServiceContext
from mediator.services.documents.context import (
    DEFAULT_RETENTION,
    MEDIATOR_TITLES,
    RETENTION_SETTING,
    SEAL_SETTING,
    build_context,
    document_context,
    document_day,
    document_detail,
    document_settings,
    follow_up_info,
    review_info,
)
from mediator.services.permissions import Permission, requires
from mediator.services.settings import SETTINGS, all_settings

log = logging.getLogger(__name__)

BUILTIN_FORMS = Path(__file__).resolve().parents[3] / "forms"
FONT_SETTING = "documents.font_path"  # honoured once declared in services/settings.py
FONT_ENV = "MEDIATOR_DOCUMENT_FONT"
FORMATS = ("pdf", "docx")
MEDIA_TYPES = {"pdf": "application/pdf",
               "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"}


def form_directories() -> list[Path]:
    """Where forms are looked up: the user's edited copies first, then the built-in forms."""
    return [config.data_dir() / "forms", BUILTIN_FORMS]


def get_form(form_id: str, directories: list[Path] | None = None) -> FormSpec:
    """The loaded form (cached per file version). Raises FormError for a faulty file."""
    try:
        path = form_path(form_id, directories or form_directories())
    except FileNotFoundError as exc:
        raise DomainError(str(exc)) from None
    return load_form(path)


# --- rendering --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RenderedDocument:
    """One rendered document: its bytes, a file name, its hash and any font warnings."""

    form_id: str
    fmt: str
    title: str
    filename: str
    data: bytes
    warnings: list[str] = field(default_factory=list)

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()

    @property
    def media_type(self) -> str:
        return MEDIA_TYPES[self.fmt]


def font_path_setting(ctx: ServiceContext) -> str | None:
    """An office's font file for documents (setting, else MEDIATOR_DOCUMENT_FONT)."""
    if FONT_SETTING in SETTINGS:
        value = all_settings(ctx).get(FONT_SETTING)
        if value:
            return str(value)
    return os.environ.get(FONT_ENV) or None


def verification_keywords(verify_code: str) -> str:
    """The file's keywords: ASCII, so ``verify`` finds the code even in a damaged file."""
    return f"{QR_SCHEME} {verify_code}" if verify_code else ""


def _filename(number: str, title: str, fmt: str) -> str:
    stem = f"{number}-{title}" if number else title  # 「案号-文书名」
    return re.sub(r'[\\/:*?"<>|\s]+', "_", stem) + f".{fmt}"


def render_context(form: FormSpec, context: DocumentContext, fmt: str, *,
                   font_path: str | None = None, page_numbers: bool = True,
                   stamp_from: int | None = None) -> RenderedDocument:
    """Render a form for a ready context (no database): the pure half of ``render``.

    ``stamp_from`` numbers the PDF's pages as pages of a dossier (页号 from that number).
    """
    if fmt not in FORMATS:
        raise ValidationError("fmt", f"不支持的文书格式：{fmt}（可用：pdf、docx）")
    composed = compose(form, context)
    keywords = verification_keywords(context.verify_code)
    if fmt == "pdf":
        from mediator.documents.fonts import find_fonts
        from mediator.documents.pdf import render_pdf

        result = render_pdf(composed, find_fonts(font_path), author=context.organization,
                            subject=context.number, keywords=keywords, page_numbers=page_numbers,
                            stamp_from=stamp_from)
        data, warnings = result.data, result.warnings
    else:
        from mediator.documents.docx import render_docx

        data = render_docx(composed, author=context.organization, keywords=keywords)
        warnings = []
    return RenderedDocument(form.id, fmt, composed.title, _filename(context.number, composed.title, fmt),
                            data, warnings)


@requires(Permission.DOCUMENT_PRINT)
def render(ctx: ServiceContext, case_id: int, form_id: str, fmt: str = "pdf", *,
           on: date | None = None, directories: list[Path] | None = None,
           verify_code: str = "") -> RenderedDocument:
    """Render form ``form_id`` of a case as ``pdf`` or ``docx``, with warnings.

    Raises:
        FormError: the form file is faulty (names file, line and name).
        FormRenderError: the case lacks what the form needs (e.g. no agreement yet).
        NotFoundError: no such case.
    """
    form = get_form(form_id, directories)
    context = document_context(ctx, case_id, form, on, verify_code=verify_code)
    return render_context(form, context, fmt, font_path=font_path_setting(ctx))


@requires(Permission.DOCUMENT_PRINT)
def render_document(ctx: ServiceContext, case_id: int, form_id: str, fmt: str = "pdf", *,
                    on: date | None = None, directories: list[Path] | None = None) -> bytes:
    """The bytes of form ``form_id`` for a case (warnings are logged; use ``render`` to get them)."""
    return render(ctx, case_id, form_id, fmt, on=on, directories=directories).data


@requires(Permission.DOCUMENT_PRINT)
def write_document(ctx: ServiceContext, case_id: int, form_id: str, fmt: str = "pdf",
                   target: Path | None = None, *, on: date | None = None,
                   directories: list[Path] | None = None) -> Path:
    """Render and save; ``target`` is a file path, or a directory (default: data dir/documents)."""
    document = render(ctx, case_id, form_id, fmt, on=on, directories=directories)
    target = Path(target) if target is not None else config.data_dir() / "documents"
    path = target if target.suffix.lower() == f".{fmt}" else target / document.filename
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part")
    tmp.write_bytes(document.data)
    tmp.replace(path)
    record_draft(ctx, case_id, document, path)
    return path


@requires(Permission.DOCUMENT_PRINT)
def record_draft(ctx: ServiceContext, case_id: int, document: RenderedDocument,
                 path: Path | None = None) -> None:
    """Audit an unregistered draft written to a file (a registered one is audited as issued)."""
    from mediator.services import audit
    from mediator.store.models import Case

    with ctx.transaction() as session:
        case = session.get(Case, case_id)
        audit.record(ctx, session, "print.draft", f"{case.number if case else case_id} {document.title}",
                     {"form": document.form_id, "fmt": document.fmt, "draft": True,
                      "path": str(path or "")})


__all__ = ["BUILTIN_FORMS", "DEFAULT_RETENTION", "FORMATS", "MEDIATOR_TITLES", "RETENTION_SETTING",
           "SEAL_SETTING", "RenderedDocument", "build_context", "document_context", "document_day",
           "document_detail", "document_settings", "follow_up_info", "font_path_setting",
           "form_directories", "get_form", "render", "render_context", "render_document",
           "record_draft", "review_info", "verification_keywords", "write_document"]
