"""Issued documents: every printed or saved document is registered with its SHA-256 and a
verification code (printed in its QR code), so a file can later be checked as genuine and unchanged.
"""
from __future__ import annotations

import hashlib
import io
import re
import secrets
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlmodel import select

from mediator.documents.compose import QR_SCHEME
from mediator.domain.errors import DomainError, NotFoundError, ValidationError
from mediator.services import audit
from mediator.services.access import check_case_visible
from mediator.services.changes import OpChanges
from mediator.services.context import SHANGHAI, ServiceContext
from mediator.services.documents.rendering import RenderedDocument, get_form, render
from mediator.services.permissions import Permission, requires
from mediator.store.models import Case, IssuedDocument

# Crockford-like: no 0/O, 1/I/L, so a code read off paper is typed right.
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
CODE_PATTERN = re.compile(rb"MEDIATOR-DOC/1 ([2-9A-Z]{5}-[2-9A-Z]{5})")


def new_verify_code() -> str:
    """Ten random characters in two groups of five: ``7KQ2M-9XDPA`` (about 50 bits)."""
    chars = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{chars[:5]}-{chars[5:]}"


def normalize_code(code: str) -> str:
    """What a person typed (lower case, spaces, O for 0…) as a stored code."""
    cleaned = re.sub(r"[^0-9A-Z]", "", code.upper())
    return f"{cleaned[:5]}-{cleaned[5:]}" if len(cleaned) == 10 else cleaned


@dataclass(frozen=True)
class IssuedInfo:
    """One entry of the register of issued documents (without the file itself)."""

    id: int
    case_id: int
    number: str  # the case number
    form_id: str
    title: str  # the form's title
    fmt: str
    filename: str
    sha256: str
    verify_code: str
    issued_at: datetime  # Asia/Shanghai
    issued_by: str


@dataclass(frozen=True, kw_only=True)
class IssuedFile(OpChanges):
    """A document just issued: its register entry, the file and any font warnings.

    As ``OpChanges`` it names no list: the issued register is the case's own documents tab.
    """

    info: IssuedInfo
    data: bytes
    warnings: tuple[str, ...] = ()


def _title(form_id: str) -> str:
    try:
        return get_form(form_id).title
    except (DomainError, OSError):  # a broken or removed form still has its register entry
        return form_id


def _info(row: IssuedDocument, number: str) -> IssuedInfo:
    issued_at = row.issued_at.astimezone(SHANGHAI) if row.issued_at.tzinfo else row.issued_at
    return IssuedInfo(id=row.id, case_id=row.case_id, number=number, form_id=row.form_id,
                      title=_title(row.form_id), fmt=row.fmt, filename=row.filename,
                      sha256=row.sha256, verify_code=row.verify_code, issued_at=issued_at,
                      issued_by=row.issued_by)


def _free_code(ctx: ServiceContext) -> str:
    with ctx.read() as session:
        for _ in range(20):
            code = new_verify_code()
            taken = session.exec(select(IssuedDocument.id)
                                 .where(IssuedDocument.verify_code == code)).first()
            if taken is None:
                return code
    raise RuntimeError("could not draw a free verification code")  # 2^50 codes: never in practice


@requires(Permission.DOCUMENT_PRINT)
def register_issued(ctx: ServiceContext, case_id: int, document: RenderedDocument,
                    verify_code: str) -> IssuedInfo:
    """Record a rendered document as issued (its file kept in the register)."""
    with ctx.transaction() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        row = IssuedDocument(case_id=case_id, form_id=document.form_id, fmt=document.fmt,
                             filename=document.filename, sha256=document.sha256,
                             verify_code=verify_code, issued_at=ctx.now(), issued_by=ctx.actor,
                             content=document.data)
        session.add(row)
        session.flush()
        audit.record(ctx, session, "print", f"{case.number} {document.title}",
                     {"form": document.form_id, "fmt": document.fmt, "sha256": document.sha256,
                      "verify_code": verify_code})
        return _info(row, case.number)


@dataclass(frozen=True)
class PreparedDocument:
    """A document rendered with a fresh verification code but not registered yet: what the print
    preview shows. It becomes an issued paper only when it is printed (``register_prepared``)."""

    case_id: int
    document: RenderedDocument
    verify_code: str


@requires(Permission.DOCUMENT_PRINT)
def prepare_document(ctx: ServiceContext, case_id: int, form_id: str, fmt: str = "pdf", *,
                     on: date | None = None, directories: list[Path] | None = None) -> PreparedDocument:
    """Render form ``form_id`` of a case with a new, free verification code; registers nothing.

    Raises:
        FormError / FormRenderError / NotFoundError: as ``documents.render``.
    """
    code = _free_code(ctx)
    document = render(ctx, case_id, form_id, fmt, on=on, directories=directories, verify_code=code)
    return PreparedDocument(case_id, document, code)


@requires(Permission.DOCUMENT_PRINT)
def register_prepared(ctx: ServiceContext, prepared: PreparedDocument) -> IssuedFile:
    """The prepared document printed or saved: it is issued now (register, audit)."""
    document = prepared.document
    info = register_issued(ctx, prepared.case_id, document, prepared.verify_code)
    return IssuedFile(info=info, data=document.data, warnings=tuple(document.warnings))


@requires(Permission.DOCUMENT_PRINT)
def issue_document(ctx: ServiceContext, case_id: int, form_id: str, fmt: str = "pdf", *,
                   on: date | None = None, directories: list[Path] | None = None) -> IssuedFile:
    """Render form ``form_id`` of a case with a new verification code and register it."""
    return register_prepared(ctx, prepare_document(ctx, case_id, form_id, fmt, on=on,
                                                   directories=directories))


@requires(Permission.CASE_READ)
def issued_documents(ctx: ServiceContext, case_id: int) -> list[IssuedInfo]:
    """The register of one case, newest first."""
    with ctx.read() as session:
        case = session.get(Case, case_id)
        if case is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        rows = session.exec(select(IssuedDocument).where(IssuedDocument.case_id == case_id)
                            .order_by(IssuedDocument.issued_at.desc(), IssuedDocument.id.desc()))
        return [_info(r, case.number) for r in rows]


@requires(Permission.CASE_READ)
def issued_form_ids(ctx: ServiceContext, case_id: int) -> set[str]:
    """The forms ever issued for a case (the dossier's completeness check reads it)."""
    with ctx.read() as session:
        return set(session.exec(select(IssuedDocument.form_id)
                                .where(IssuedDocument.case_id == case_id)).all())


@requires(Permission.DOCUMENT_PRINT)
def issued_file(ctx: ServiceContext, issued_id: int) -> tuple[IssuedInfo, bytes]:
    """A registered document and its file, as issued (a copy taken out: audited)."""
    with ctx.transaction() as session:
        row = session.get(IssuedDocument, issued_id)
        if row is None:
            raise NotFoundError(f"出具记录（编号{issued_id}）不存在")
        check_case_visible(ctx, None, row.case_id)
        case = session.get(Case, row.case_id)
        info = _info(row, case.number if case else "")
        audit.record(ctx, session, "print.copy", f"{info.number} {info.filename}",
                     {"verify_code": row.verify_code, "sha256": row.sha256})
        return info, bytes(row.content or b"")


# --- verification ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Verification:
    """What ``verify`` found: ``genuine`` only for a registered file that is byte for byte unchanged."""

    genuine: bool
    message: str
    sha256: str
    verify_code: str = ""  # the code found in the file (or given)
    issued: IssuedInfo | None = None


def embedded_code(data: bytes) -> str:
    """The verification code written into a PDF's or DOCX's keywords ("" when none is found)."""
    if data.startswith(b"PK"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                data = archive.read("docProps/core.xml")
        except (zipfile.BadZipFile, KeyError):
            return ""
    found = CODE_PATTERN.search(data)
    if found:
        return found[1].decode("ascii")
    if data.startswith(b"%PDF"):  # rewritten by another program: the keywords may be encoded
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError

        try:
            keywords = str((PdfReader(io.BytesIO(data)).metadata or {}).get("/Keywords") or "")
        except (PdfReadError, ValueError, KeyError, TypeError):
            return ""
        found = CODE_PATTERN.search(keywords.encode("utf-8", "ignore"))
        return found[1].decode("ascii") if found else ""
    return ""


def _describe(info: IssuedInfo) -> str:
    when = info.issued_at.strftime("%Y-%m-%d %H:%M")
    return (f"案号{info.number}，{info.title}（{info.fmt.upper()}），{when}由{info.issued_by}出具，"
            f"验证码{info.verify_code}")


@requires(Permission.CASE_READ)
def verify_bytes(ctx: ServiceContext, data: bytes) -> Verification:
    """Whether these bytes are a document the office issued, unchanged."""
    digest = hashlib.sha256(data).hexdigest()
    code = embedded_code(data)
    with ctx.read() as session:
        row = session.exec(select(IssuedDocument).where(IssuedDocument.sha256 == digest)
                           .order_by(IssuedDocument.id)).first()
        if row is not None:
            case = session.get(Case, row.case_id)
            info = _info(row, case.number if case else "")
            return Verification(True, f"真实有效：该文件是本单位出具的文书，内容未被改动（{_describe(info)}）。",
                                digest, row.verify_code, info)
        if code:
            row = session.exec(select(IssuedDocument).where(IssuedDocument.verify_code == code)).first()
            if row is not None:
                case = session.get(Case, row.case_id)
                info = _info(row, case.number if case else "")
                return Verification(False, f"文件已被改动：验证码{code}对应的文书已登记（{_describe(info)}），"
                                           "但本文件的内容与登记时不一致。", digest, code, info)
            return Verification(False, f"未登记：文件中的验证码{code}不是本单位登记的验证码。", digest, code)
    return Verification(False, "未登记：该文件不是本单位出具的文书，或已被改动（未找到验证码）。", digest)


@requires(Permission.CASE_READ)
def verify_file(ctx: ServiceContext, path: str | Path) -> Verification:
    source = Path(path)
    if not source.is_file():
        raise ValidationError("file", f"找不到文件：{source}")
    return verify_bytes(ctx, source.read_bytes())


@requires(Permission.CASE_READ)
def find_by_code(ctx: ServiceContext, code: str) -> Verification:
    """The registered document of a verification code read off paper or from the QR code."""
    wanted = normalize_code(code)
    with ctx.read() as session:
        row = session.exec(select(IssuedDocument).where(IssuedDocument.verify_code == wanted)).first()
        if row is None:
            return Verification(False, f"未登记：验证码{wanted}不是本单位登记的验证码。", "", wanted)
        case = session.get(Case, row.case_id)
        info = _info(row, case.number if case else "")
    return Verification(True, f"已登记：{_describe(info)}；文件SHA-256：{info.sha256}。",
                        info.sha256, wanted, info)


__all__ = ["QR_SCHEME", "IssuedFile", "IssuedInfo", "Verification", "embedded_code",
           "find_by_code", "issue_document", "issued_documents", "issued_file", "issued_form_ids",
           "new_verify_code", "normalize_code", "register_issued", "verify_bytes", "verify_file"]
