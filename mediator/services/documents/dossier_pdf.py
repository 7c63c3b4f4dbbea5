"""The dossier as one PDF: the case's files rendered and numbered (页号), then the contents that
point at them, the cover, the 卷宗情况说明 and the back cover — all from ``forms/dossier.toml``.

One pass suffices: the documents are numbered from 页号 1 and the unnumbered cover and contents
come first, so the contents can be written once every file has been laid out.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Any

from mediator.documents.bundle import (
    IMAGE_SUFFIXES,
    UnreadableFile,
    image_pages,
    merge,
    readable_pages,
    stamp_pdf,
)
from mediator.documents.compose import Composed, PageBreak, compose
from mediator.documents.context import ContentsRow, DocumentContext
from mediator.documents.fonts import FontSet, find_fonts
from mediator.documents.pdf import BundleEntry, render_bundle
from mediator.documents.spec import FormRenderError
from mediator.domain.dossier import DossierPart, DossierSource, dossier_items
from mediator.services.context import ServiceContext
from mediator.services.documents.context import document_settings
from mediator.services.documents.dossier import (
    DOSSIER_FORM,
    dossier_context,
    dossier_source,
    part_context,
)
from mediator.services.documents.issuing import (
    IssuedFile,
    PreparedDocument,
    new_verify_code,
    register_prepared,
)
from mediator.services.documents.rendering import (
    RenderedDocument,
    font_path_setting,
    get_form,
    verification_keywords,
)
from mediator.services.permissions import Permission, requires
from mediator.store.models import Attachment

MISSING_NOTE = "缺（见卷宗情况说明）"
ContentReader = Callable[[int], bytes]


def _pages(first: int, count: int) -> str:
    return str(first) if count == 1 else f"{first}—{first + count - 1}"


def sections(composed: Composed) -> dict[str, Composed]:
    """The dossier form split at its named page breaks: ``cover``, then ``note``, ``back``, …"""
    found: dict[str, list[Any]] = {"cover": []}
    current = "cover"
    for element in composed.elements:
        if isinstance(element, PageBreak) and element.id:
            current = element.id
            found[current] = []
            continue
        found[current].append(element)
    return {name: replace(composed, elements=tuple(elements),
                          qr=composed.qr if name == "cover" else None)
            for name, elements in found.items() if elements}


@dataclass
class _File:
    """A file of the dossier, in order: a form to lay out, or an attachment already read."""

    title: str
    day: str
    entry: BundleEntry | None = None  # a form
    data: bytes = b""  # an attachment, as a PDF (images already made into pages)
    pages: int = 0
    stamp: int = 0  # its first 页号, once known


class _Builder:
    def __init__(self, source: DossierSource, settings: dict[str, Any], *, today: date,
                 content: ContentReader, font_path: str | None,
                 directories: list[Path] | None) -> None:
        self.source = source
        self.settings = settings
        self.today = today
        self.content = content
        self.font_path = font_path
        self.directories = directories
        self.fonts: FontSet = find_fonts(font_path)
        self.rows: list[ContentsRow | _File] = []  # a file's row is written once it is laid out
        self.files: list[_File] = []
        self.warnings: list[str] = []

    def row(self, title: str, day: str, note: str = "") -> None:
        self.rows.append(ContentsRow("", title, day, "", note))

    def add(self, file: _File) -> None:
        self.files.append(file)
        self.rows.append(file)

    def form(self, part: DossierPart) -> None:
        form = get_form(part.form_id, self.directories)
        context = part_context(part, self.source, self.settings, form, self.today)
        try:
            composed = compose(form, context)
        except FormRenderError:
            self.row(part.title, part.date, note="无法生成")
            return
        self.add(_File(composed.title, part.date, BundleEntry(composed, stamped=True)))

    def attachment(self, part: DossierPart) -> None:
        ref = part.attachment
        assert ref is not None
        suffix = Path(ref.filename).suffix.lower()
        if suffix not in (".pdf", *IMAGE_SUFFIXES):
            self.row(part.title, part.date, note=f"电子文件（{suffix.lstrip('.') or '无扩展名'}），未并入")
            return
        try:
            if suffix == ".pdf":
                data = self.content(ref.id)
                pages = readable_pages(data)
            else:
                data, pages = image_pages([(ref.filename, self.content(ref.id))], 0, self.fonts,
                                          stamped=False)
        except UnreadableFile:
            self.row(part.title, part.date, note="文件无法读取，未并入")
            return
        self.add(_File(part.title, part.date, data=data, pages=pages))

    def section(self, context: DocumentContext, name: str) -> Composed | None:
        """A section of the dossier form (None when an edited form lacks it)."""
        return sections(compose(get_form(DOSSIER_FORM, self.directories), context)).get(name)

    def contents(self) -> tuple[ContentsRow, ...]:
        out = []
        for n, row in enumerate(self.rows, start=1):
            if isinstance(row, _File):
                pages = _pages(row.stamp, row.pages) if row.stamp else ""
                row = ContentsRow(str(n), row.title, row.day, pages)
            out.append(replace(row, seq=str(n)))
        return tuple(out)


def build_dossier_pdf(source: DossierSource, settings: dict[str, Any], *, today: date, actor: str,
                      content: ContentReader, font_path: str | None = None, verify_code: str = "",
                      directories: list[Path] | None = None) -> RenderedDocument:
    """The dossier of ``source`` as one PDF.

    The forms (and the 卷宗情况说明) are laid out in one build, numbered from 页号 1 with the
    attachments' pages skipped; then cover and contents, and the back cover, which count them.

    Args:
        content: reads an attachment's bytes by its id (only PDFs and images are read).
        verify_code: printed in the QR code on the cover when the dossier is issued.
    """
    b = _Builder(source, settings, today=today, content=content, font_path=font_path,
                 directories=directories)
    for item in dossier_items(source):
        if item.required and not item.present:
            b.row(item.title, "", note=MISSING_NOTE)
        for part in item.parts:
            if part.form_id:
                b.form(part)
            else:
                b.attachment(part)
    context = dossier_context(source, settings, today=today, actor=actor, verify_code=verify_code)
    info = context.dossier
    assert info is not None
    if info.missing or info.explanation:  # 12 卷宗情况说明
        note = b.section(context, "note")
        if note is not None:
            b.add(_File("卷宗情况说明", info.archived_on, BundleEntry(note, stamped=True)))
    # The forms in one build; an attachment's pages are skipped in their 页号.
    entries: list[BundleEntry] = []
    skipped = 0
    for file in b.files:
        if file.entry is None:
            skipped += file.pages
        else:
            entries.append(replace(file.entry, skip_before=skipped))
            skipped = 0
    body = render_bundle(entries, b.fonts) if entries else None
    if body is not None:
        b.warnings += body.warnings
    stamp, i = 1, 0
    for file in b.files:
        if file.entry is not None:
            file.pages, file.stamp = body.page_counts[i], body.first_stamps[i]
            i += 1
        else:
            file.stamp = stamp
        stamp = file.stamp + file.pages
    back_page = stamp
    b.row("封底（备考表）", info.archived_on)  # 13
    documents = len(b.files)
    rows = b.contents()
    rows = rows[:-1] + (replace(rows[-1], pages=str(back_page)),)
    final = replace(context, dossier=replace(info, contents=rows, documents=documents,
                                             pages=back_page))
    rendered: dict[str, bytes] = {}
    for name, first in (("cover", None), ("back", back_page)):  # neither has “— n —”
        composed = b.section(final, name)
        if composed is not None:
            entry = BundleEntry(composed, page_numbers=False, stamped=first is not None)
            rendered[name] = render_bundle([entry], b.fonts, first_stamp=first or 1).data
    parts: list[tuple[bytes, tuple[int, int] | None]] = []
    if "cover" in rendered:
        parts.append((rendered["cover"], None))
    i = 0
    for file in b.files:
        if file.entry is not None:
            start = body.first_pages[i] - 1
            parts.append((body.data, (start, start + file.pages)))
            i += 1
        else:
            parts.append((stamp_pdf(file.data, file.stamp, b.fonts)[0], None))
    if "back" in rendered:
        parts.append((rendered["back"], None))
    title = get_form(DOSSIER_FORM, directories).layout_for(final.track, final.track_detail).title
    data = merge(parts, title=f"{final.number}{title}", author=final.organization,
                 keywords=verification_keywords(verify_code))
    filename = re.sub(r'[\\/:*?"<>|\s]+', "_", f"{final.number}{title}") + ".pdf"
    return RenderedDocument(DOSSIER_FORM, "pdf", title, filename, data, b.warnings)


# --- a case's dossier ------------------------------------------------------------------------------


@requires(Permission.DOCUMENT_PRINT)
def build_dossier(ctx: ServiceContext, case_id: int, *, verify_code: str = "") -> RenderedDocument:
    """The dossier of a case as one PDF."""
    source = dossier_source(ctx, case_id)

    def content(attachment_id: int) -> bytes:
        with ctx.read() as session:
            row = session.get(Attachment, attachment_id)
            return bytes(row.content) if row is not None else b""

    return build_dossier_pdf(source, document_settings(ctx, case_id), today=ctx.today(), actor=ctx.actor,
                             content=content, font_path=font_path_setting(ctx),
                             verify_code=verify_code)


@requires(Permission.DOCUMENT_PRINT)
def issue_dossier(ctx: ServiceContext, case_id: int) -> IssuedFile:
    """Build the dossier with a verification code on its cover and register it as issued."""
    return register_prepared(ctx, prepare_dossier(ctx, case_id))


@requires(Permission.DOCUMENT_PRINT)
def prepare_dossier(ctx: ServiceContext, case_id: int) -> PreparedDocument:
    """The dossier with a fresh verification code on its cover, not registered yet."""
    code = new_verify_code()
    return PreparedDocument(case_id, build_dossier(ctx, case_id, verify_code=code), code)
