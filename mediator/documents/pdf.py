"""PDF renderer (ReportLab): A4 laid out after GB/T 9704, CJK fonts embedded, never a silent box.

`pdf_layout` turns a composed form into flowables; this module builds the pages around them:
page numbers, the verification QR code, a dossier's 页号, several forms in one build.
"""
from __future__ import annotations

import io
import logging
from dataclasses import dataclass, field

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageBreak, PageTemplate

from mediator.documents.compose import Composed, QrMark, qr_matrix
from mediator.documents.fonts import FontSet
from mediator.documents.pdf_layout import (
    BOTTOM,
    LEFT,
    PAGE_NUMBER_SIZE,
    QR_SIZE,
    RIGHT,
    STAMP_SIZE,
    TEXT_HEIGHT,
    TEXT_WIDTH,
    TOP,
    Markup,
    story,
)

log = logging.getLogger(__name__)


@dataclass
class PdfResult:
    data: bytes
    warnings: list[str] = field(default_factory=list)


def _draw_qr(canvas, qr: QrMark, fonts: FontSet) -> None:
    """The QR code in the top margin of the page, right-aligned with the text block."""
    modules = qr_matrix(qr.payload)
    count = len(modules)
    box = QR_SIZE / count
    right = LEFT + TEXT_WIDTH
    top = A4[1] - 8 * mm
    canvas.saveState()
    canvas.setFillColorRGB(0, 0, 0)
    path = canvas.beginPath()
    for r, row in enumerate(modules):
        c = 0
        while c < count:
            if row[c]:
                start = c
                while c < count and row[c]:
                    c += 1
                path.rect(right - QR_SIZE + start * box, top - (r + 1) * box, (c - start) * box, box)
            else:
                c += 1
    canvas.drawPath(path, stroke=0, fill=1)
    canvas.setFont(fonts.body.name, 7)
    canvas.drawRightString(right, top - QR_SIZE - 9, qr.caption)
    canvas.restoreState()


def _page_number(fonts: FontSet):
    def draw(canvas, n: int) -> None:
        text = f"— {n} —"
        canvas.saveState()
        canvas.setFont(fonts.body.name, PAGE_NUMBER_SIZE)
        # 一字线 7 mm below the text block; odd pages right, even pages left, one character in.
        y = BOTTOM - 7 * mm - PAGE_NUMBER_SIZE * 0.8
        if n % 2:
            canvas.drawRightString(LEFT + TEXT_WIDTH - PAGE_NUMBER_SIZE, y, text)
        else:
            canvas.drawString(LEFT + PAGE_NUMBER_SIZE, y, text)
        canvas.restoreState()
    return draw


@dataclass
class BundleEntry:
    """One document of a bundle (the forms of a dossier are laid out in one build).

    Attributes:
        composed: the filled form.
        page_numbers: print “— n —” under the text, counted within this document (GB/T 9704).
        stamped: print the bundle's 页号 at the top right of its pages.
        skip_before: 页号 taken by files placed before this document that are not in this
            build (a dossier's attachments).
    """

    composed: Composed
    page_numbers: bool = True
    stamped: bool = False
    skip_before: int = 0


@dataclass
class BundleResult:
    """The PDF, warnings, and where each entry went: first page (1-based), pages, first 页号."""

    data: bytes
    warnings: list[str] = field(default_factory=list)
    first_pages: list[int] = field(default_factory=list)
    page_counts: list[int] = field(default_factory=list)
    first_stamps: list[int] = field(default_factory=list)


class _Start(Flowable):
    """Marks where an entry begins; the page decorations read which entry a page belongs to."""

    def __init__(self, state: _BundleState, index: int) -> None:
        super().__init__()
        self.state, self.index = state, index
        self.width = self.height = 0

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        return 0, 0

    def draw(self) -> None:
        self.state.begin(self.index, self.canv.getPageNumber())


@dataclass
class _BundleState:
    entries: list[BundleEntry]
    next_stamp: int
    current: int = 0
    first_pages: dict[int, int] = field(default_factory=dict)
    first_stamps: dict[int, int] = field(default_factory=dict)
    last_page: dict[int, int] = field(default_factory=dict)

    def begin(self, index: int, page: int) -> None:
        self.current = index
        self.first_pages[index] = page
        self.next_stamp += self.entries[index].skip_before
        self.first_stamps[index] = self.next_stamp


def _on_page_end(state: _BundleState, fonts: FontSet):
    numbers = _page_number(fonts)

    def draw(canvas, doc) -> None:
        page = canvas.getPageNumber()
        index = state.current
        entry = state.entries[index]
        n = page - state.first_pages.get(index, page) + 1
        state.last_page[index] = page
        if entry.page_numbers:
            numbers(canvas, n)
        if entry.composed.qr is not None and n == 1:
            _draw_qr(canvas, entry.composed.qr, fonts)
        if entry.stamped:  # 页号 of a dossier page, top right
            canvas.saveState()
            canvas.setFont(fonts.body.name, STAMP_SIZE)
            canvas.drawRightString(A4[0] - 12 * mm, A4[1] - 14 * mm, str(state.next_stamp))
            canvas.restoreState()
            state.next_stamp += 1
    return draw


def render_bundle(entries: list[BundleEntry], fonts: FontSet, *, title: str = "", author: str = "",
                  subject: str = "", keywords: str = "", first_stamp: int = 1) -> BundleResult:
    """Several composed forms as one A4 PDF, each starting on a new page.

    One build shares the embedded font subsets and costs a fraction of separate files merged.
    ``first_stamp`` is the 页号 of the first stamped page.
    """
    markup = Markup(fonts)
    state = _BundleState(entries, first_stamp)
    flowables: list[Flowable] = []
    for index, entry in enumerate(entries):
        if index:
            flowables.append(PageBreak())
        flowables.append(_Start(state, index))
        flowables.extend(story(entry.composed, fonts, markup))
    buffer = io.BytesIO()
    body_size = entries[0].composed.style.body_size if entries else 16.0
    doc = BaseDocTemplate(buffer, pagesize=A4, topMargin=TOP, bottomMargin=BOTTOM,
                          leftMargin=LEFT, rightMargin=RIGHT, title=title, author=author,
                          subject=subject, keywords=keywords, creator="调解通", invariant=True,
                          initialFontName=fonts.body.name, initialFontSize=body_size)
    # The frame is the 版心 itself: no padding, so a line holds 28 characters of 三号.
    frame = Frame(LEFT, BOTTOM, TEXT_WIDTH, TEXT_HEIGHT, id="text", leftPadding=0, rightPadding=0,
                  topPadding=0, bottomPadding=0)
    doc.addPageTemplates([PageTemplate(id="page", frames=[frame],
                                       onPageEnd=_on_page_end(state, fonts))])
    doc.build(flowables)
    count = len(entries)
    firsts = [state.first_pages.get(i, 0) for i in range(count)]
    return BundleResult(buffer.getvalue(), list(fonts.notes) + markup.warnings, firsts,
                        [state.last_page.get(i, firsts[i]) - firsts[i] + 1 for i in range(count)],
                        [state.first_stamps.get(i, 0) for i in range(count)])


def render_pdf(composed: Composed, fonts: FontSet, *, author: str = "", subject: str = "",
               keywords: str = "", page_numbers: bool = True,
               stamp_from: int | None = None) -> PdfResult:
    """The composed form as an A4 PDF; ``warnings`` lists font notes and characters no font has.

    Args:
        keywords: the PDF's keywords (an issued document's verification code goes there).
        page_numbers: print “— n —” under the text (GB/T 9704); off for a dossier's cover.
        stamp_from: number the pages from this 页号 at the top right (pages of a dossier).
    """
    entry = BundleEntry(composed, page_numbers=page_numbers, stamped=stamp_from is not None)
    result = render_bundle([entry], fonts, title=composed.title, author=author, subject=subject,
                           keywords=keywords, first_stamp=stamp_from or 1)
    return PdfResult(result.data, result.warnings)
