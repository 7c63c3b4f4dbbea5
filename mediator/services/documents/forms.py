"""The forms an office uses: the shipped ones, its edited copies (kept in the database for every
PC of the office, ``office_forms``; the data directory holds their copy the renderer reads),
checking an edit before it is saved, restoring a shipped form, and previews on a fictitious
sample case.
"""
from __future__ import annotations

import shutil
import tempfile
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from mediator import config
from mediator.documents.compose import MISSING_MESSAGES
from mediator.documents.spec import FormError, parse_form
from mediator.documents.spec.loading import forget_form
from mediator.domain.errors import DomainError, ValidationError
from mediator.services import audit
from mediator.services.context import ServiceContext
from mediator.services.documents.office_forms import store_form
from mediator.services.documents.rendering import (
    BUILTIN_FORMS,
    RenderedDocument,
    build_context,
    document_day,
    document_detail,
    document_settings,
    font_path_setting,
    get_form,
    render_context,
)
from mediator.services.documents.samples import sample_detail
from mediator.services.permissions import Permission, requires

# DOMAIN's table, in the order a case meets them.
OFFICIAL_ORDER = ("application", "registration", "rights_notice", "investigation", "session",
                  "agreement", "oral_agreement", "supplementary_agreement", "follow_up", "judicial_confirmation",
                  "termination", "rejection", "advisor_review", "dossier")


def user_forms_dir() -> Path:
    """Where an office's edited forms live (they win over the shipped ones)."""
    return config.data_dir() / "forms"


def _directories(user_dir: Path | None) -> list[Path]:
    return [user_dir or user_forms_dir(), BUILTIN_FORMS]


@dataclass(frozen=True)
class FormEntry:
    """A form as the 文书 page lists it."""

    id: str
    title: str
    customised: bool  # an edited copy in the data directory is in use
    path: Path  # the file in use
    shipped: bool  # the app ships this form (so it can be restored)
    error: str = ""  # why the file in use does not load


def _check_id(form_id: str) -> None:
    if form_id not in OFFICIAL_ORDER and not (BUILTIN_FORMS / f"{form_id}.toml").is_file():
        raise ValidationError("form", f"没有这种文书：{form_id}")


def form_entry(form_id: str, user_dir: Path | None = None) -> FormEntry:
    user = (user_dir or user_forms_dir()) / f"{form_id}.toml"
    shipped = BUILTIN_FORMS / f"{form_id}.toml"
    path = user if user.is_file() else shipped
    try:
        title, error = get_form(form_id, _directories(user_dir)).title, ""
    except DomainError as exc:
        title, error = form_id, exc.message
    return FormEntry(form_id, title, user.is_file(), path, shipped.is_file(), error)


def list_forms(user_dir: Path | None = None) -> list[FormEntry]:
    """The official forms in DOMAIN's order, then any other shipped or user form."""
    found = {p.stem for d in _directories(user_dir) if d.is_dir() for p in d.glob("*.toml")}
    extra = sorted(found - set(OFFICIAL_ORDER))
    return [form_entry(i, user_dir) for i in (*OFFICIAL_ORDER, *extra)]


def form_text(form_id: str, user_dir: Path | None = None) -> str:
    """The TOML text of the form in use."""
    _check_id(form_id)
    return form_entry(form_id, user_dir).path.read_text(encoding="utf-8")


@requires(Permission.DOCUMENT_PRINT)
def copy_form(ctx: ServiceContext, form_id: str, user_dir: Path | None = None) -> Path:
    """复制并编辑: a copy of the shipped form in the data directory (kept if one exists)."""
    _check_id(form_id)
    target = (user_dir or user_forms_dir()) / f"{form_id}.toml"
    if not target.is_file():
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(BUILTIN_FORMS / f"{form_id}.toml", target)
        with ctx.transaction() as session:
            store_form(ctx, session, form_id, target.read_text(encoding="utf-8"), "copy")
            audit.record(ctx, session, "form.copy", form_id, {"path": str(target)})
    return target


@requires(Permission.DOCUMENT_PRINT)
def save_form(ctx: ServiceContext, form_id: str, text: str, user_dir: Path | None = None) -> Path:
    """Save an edited form after checking it; a faulty text is not written.

    Raises:
        FormError: the text names an unknown field or block (file, line and name given).
    """
    _check_id(form_id)
    target = (user_dir or user_forms_dir()) / f"{form_id}.toml"
    parse_form(text, target)  # raises FormError with the line and the name
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(text, encoding="utf-8")
    with ctx.transaction() as session:
        store_form(ctx, session, form_id, text, "save")
        audit.record(ctx, session, "form.save", form_id, {"path": str(target), "size": len(text)})
    tmp.replace(target)
    return target


@requires(Permission.DOCUMENT_PRINT)
def reset_form(ctx: ServiceContext, form_id: str, user_dir: Path | None = None) -> bool:
    """恢复默认: remove the office's copy; True when there was one."""
    _check_id(form_id)
    target = (user_dir or user_forms_dir()) / f"{form_id}.toml"
    if target.is_file():
        with ctx.transaction() as session:
            store_form(ctx, session, form_id, "", "reset")
            audit.record(ctx, session, "form.reset", form_id, {"path": str(target)})
        target.unlink()
        return True
    return False


@requires(Permission.DOCUMENT_PRINT)
def preview_form(ctx: ServiceContext, form_id: str, fmt: str = "pdf", *,
                 user_dir: Path | None = None, text: str | None = None) -> RenderedDocument:
    """The form (or an unsaved ``text`` of it) filled for the fictitious sample case.

    The office's settings (date style, office details) apply as on a real case.

    Raises:
        FormError: the form (or ``text``) is faulty.
    """
    _check_id(form_id)
    directories = _directories(user_dir)
    form = (parse_form(text, directories[0] / f"{form_id}.toml") if text is not None
            else get_form(form_id, directories))
    settings = document_settings(ctx)
    if form_id == "dossier":
        return _preview_dossier(ctx, settings, directories, text)
    detail = sample_detail(form_id)
    day = document_day(detail, form.dated, date(2026, 7, 20))
    context = build_context(detail, settings, on=day)
    return render_context(form, context, fmt, font_path=font_path_setting(ctx))


def _preview_dossier(ctx: ServiceContext, settings: dict, directories: list[Path],
                     text: str | None) -> RenderedDocument:
    from mediator.domain.dossier import DossierSource
    from mediator.services.documents.dossier_pdf import build_dossier_pdf

    detail = sample_detail()
    source = DossierSource(detail, {}, (), frozenset({"rights_notice"}))
    with tempfile.TemporaryDirectory() as unsaved:
        if text is not None:  # an unsaved edit of the dossier form: checked, then read from a scratch folder
            parse_form(text, directories[0] / "dossier.toml")
            (Path(unsaved) / "dossier.toml").write_text(text, encoding="utf-8")
            directories = [Path(unsaved), *directories]
        try:
            return build_dossier_pdf(source, settings, today=date(2026, 7, 20), actor=ctx.actor,
                                     content=lambda _id: b"", font_path=font_path_setting(ctx),
                                     directories=directories)
        finally:
            forget_form(Path(unsaved) / "dossier.toml")


@dataclass(frozen=True)
class CaseForm:
    """A form as the case workspace offers it: whether this case can fill it, and why not."""

    id: str
    title: str  # the title on this case's track
    available: bool
    reason: str = ""  # why not (in Chinese)
    copies: int = 1  # copies to print: the agreement's copies, else one


@requires(Permission.CASE_READ)
def forms_for_case(ctx: ServiceContext, case_id: int) -> list[CaseForm]:
    """Every form of DOMAIN's table for one case, in order, marked available or not."""
    detail, organization = document_detail(ctx, case_id)
    context = build_context(detail, document_settings(ctx, case_id), on=ctx.today(),
                            organization=organization)
    oral = bool(context.agreement and context.agreement.form == "oral")
    out: list[CaseForm] = []
    for form_id in OFFICIAL_ORDER:
        try:
            form = get_form(form_id)
        except DomainError as exc:
            out.append(CaseForm(form_id, form_id, False, exc.message))
            continue
        title = form.layout_for(context.track, context.track_detail).title
        missing = [n for n in form.requires if n != "dossier" and getattr(context, n) is None]
        reason = MISSING_MESSAGES.get(missing[0], "") if missing else ""
        if not reason and form_id == "agreement" and oral:
            reason = "本案为口头协议，请用口头协议登记表"
        if not reason and form_id == "oral_agreement" and context.agreement and not oral:
            reason = "本案为书面协议"
        copies = context.agreement.copies if form_id in ("agreement", "oral_agreement") \
            and context.agreement else 1
        out.append(CaseForm(form_id, title, not reason, reason, max(copies, 1)))
    return out


__all__ = ["OFFICIAL_ORDER", "CaseForm", "FormEntry", "FormError", "copy_form", "form_entry",
           "form_text", "forms_for_case", "list_forms", "preview_form", "reset_form", "save_form",
           "user_forms_dir"]


# The official forms of DOMAIN.md (《人民调解文书格式》), in the order of the dossier.
OFFICIAL_FORMS: list[tuple[str, str]] = [
    ("application", "人民调解申请书"),
    ("registration", "人民调解受理登记表"),
    ("rights_notice", "人民调解当事人权利义务告知书"),
    ("investigation", "人民调解调查记录"),
    ("session", "人民调解记录"),
    ("agreement", "人民调解协议书"),
    ("oral_agreement", "人民调解口头协议登记表"),
    ("supplementary_agreement", "变更（补充）协议书"),
    ("follow_up", "人民调解回访记录"),
    ("judicial_confirmation", "司法确认申请书"),
    ("termination", "终止调解告知书"),
    ("rejection", "不予受理告知书"),
    ("advisor_review", "法律顾问审查意见书"),
    ("dossier", "卷宗"),
]


def official_forms() -> list[tuple[str, str]]:
    return list(OFFICIAL_FORMS)
