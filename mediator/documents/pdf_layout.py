"""PDF layout (ReportLab): a composed form as flowables — CJK text with per-character font
fallback, ruled tables, titles, the closing kept on one page — on the GB/T 9704 page."""
from __future__ import annotations

import logging
from xml.sax.saxutils import escape

from reportlab.lib import textsplit as textsplit_module
from reportlab.lib.enums import TA_CENTER, TA_LEFT, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import (
    Flowable,
    KeepTogether,
    PageBreak,
    Paragraph,
    Spacer,
    Table,
    TableStyle,
)
from reportlab.platypus import paragraph as paragraph_module

from mediator.documents.compose import Closing, Composed, Grid, Text
from mediator.documents.compose import PageBreak as BreakElement
from mediator.documents.compose import Spacer as SpaceElement
from mediator.documents.fonts import MISSING_MARK, Face, FontSet

log = logging.getLogger("mediator.documents.pdf")  # warnings about glyphs keep their old logger

# ReportLab's CJK line breaking keeps a character of this set off the start of a line, but the
# set lacks most Chinese full-width punctuation (，：；！？》 …): add them, so no line of a form
# starts with a comma or a colon (标点禁则).
_NO_LINE_START = "，：；！？）》」』】〕〉…—·％"
for _module in (textsplit_module, paragraph_module):  # wordSplit and cjkFragSplit each read theirs
    _module.ALL_CANNOT_START = _module.ALL_CANNOT_START + "".join(
        ch for ch in _NO_LINE_START if ch not in _module.ALL_CANNOT_START)

# GB/T 9704-2012 page: A4, 版心 156 × 225 mm, top margin 37 mm, binding (left) margin 28 mm.
TOP = 37 * mm
LEFT = 28 * mm
TEXT_WIDTH = 156 * mm
TEXT_HEIGHT = 225 * mm
RIGHT = A4[0] - LEFT - TEXT_WIDTH
BOTTOM = A4[1] - TOP - TEXT_HEIGHT
PAGE_NUMBER_SIZE = 14.0  # 四号
STAMP_SIZE = 12.0  # the dossier's 页号, top right of each numbered page
QR_SIZE = 20 * mm
_ALIGN = {"left": TA_LEFT, "center": TA_CENTER, "right": TA_RIGHT}


class Markup:
    """Text → Paragraph markup, switching font per character where the main face lacks one."""

    def __init__(self, fonts: FontSet) -> None:
        self.fonts = fonts
        self.warnings: list[str] = []
        self._missing: set[str] = set()

    def __call__(self, text: str, main: Face) -> str:
        out: list[str] = []
        run: list[str] = []
        run_face: Face = main

        def flush() -> None:
            if run:
                chunk = escape("".join(run))
                out.append(chunk if run_face is main else f'<font name="{run_face.name}">{chunk}</font>')
                run.clear()

        for ch in text:
            if ch == "\n":
                flush()
                out.append("<br/>")
                continue
            if ch == "\t":
                ch = " "
            face = self.fonts.face_for(ch, main)
            if face is None:
                self._warn_missing(ch)
                ch, face = MISSING_MARK, main if main.has(MISSING_MARK) else self.fonts.body
            if face is not run_face:
                flush()
                run_face = face
            run.append(ch)
        flush()
        return "".join(out)

    def _warn_missing(self, ch: str) -> None:
        if ch in self._missing:
            return
        self._missing.add(ch)
        checked = "、".join(self.fonts.faces_checked())
        message = (f"字符“{ch}”（U+{ord(ch):04X}）本机字体（{checked}）均无字形，已印作“{MISSING_MARK}”；"
                   f"请安装含该字的字体（如 SimSun-ExtB、霞鹜文楷）或在打印件上手写补正")
        self.warnings.append(message)
        log.warning(message)


class _Styles:
    def __init__(self, composed: Composed, fonts: FontSet) -> None:
        s = composed.style
        body = fonts.body.name
        self.base = ParagraphStyle("body", fontName=body, fontSize=s.body_size, leading=s.leading,
                                   wordWrap="CJK")
        self.indented = ParagraphStyle("indented", parent=self.base, firstLineIndent=2 * s.body_size)
        self.signature = ParagraphStyle("signature", parent=self.base, spaceBefore=s.leading * 0.6)
        self.closing = ParagraphStyle("closing", parent=self.base, alignment=TA_CENTER)
        self.cell = ParagraphStyle("cell", fontName=body, fontSize=s.table_size,
                                   leading=s.table_size * 1.45, wordWrap="CJK")
        self.label = ParagraphStyle("label", parent=self.cell, alignment=TA_CENTER)

    def sized(self, base: ParagraphStyle, size: float | None, align: str) -> ParagraphStyle:
        if size is None and align == "left":
            return base
        size = size or base.fontSize
        return ParagraphStyle(f"{base.name}-{size}-{align}", parent=base, fontSize=size,
                              leading=max(base.leading, size * 1.5), alignment=_ALIGN[align])


class _Title(Flowable):
    """A centred title drawn with a thin outline stroke: Song faces are light, and GB/T 9704
    titles use the heavy 小标宋, which few machines have. Characters switch font like body text."""

    def __init__(self, text: str, size: float, fonts: FontSet, markup: Markup, after: float) -> None:
        super().__init__()
        self.size = size
        self.leading = size * 1.5
        self.after = after
        self.runs_of_lines: list[list[tuple[str, str]]] = []
        self._text = text
        self._fonts = fonts
        self._markup = markup

    def _runs(self, text: str) -> list[tuple[str, str]]:
        """(font name, text) runs, missing characters replaced like in body text."""
        runs: list[tuple[str, str]] = []
        for ch in text:
            face = self._fonts.face_for(ch, self._fonts.title)
            if face is None:
                self._markup._warn_missing(ch)
                ch, face = MISSING_MARK, self._fonts.title
            if runs and runs[-1][0] == face.name:
                runs[-1] = (face.name, runs[-1][1] + ch)
            else:
                runs.append((face.name, ch))
        return runs

    def _width(self, runs: list[tuple[str, str]]) -> float:
        return sum(stringWidth(t, name, self.size) for name, t in runs)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        self.width = avail_width
        lines: list[str] = [""]
        for ch in self._text:
            if self._width(self._runs(lines[-1] + ch)) > avail_width and lines[-1]:
                lines.append(ch)
            else:
                lines[-1] += ch
        self.runs_of_lines = [self._runs(line) for line in lines]
        self.height = len(lines) * self.leading
        return avail_width, self.height

    def getSpaceAfter(self) -> float:
        return self.after

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.setLineWidth(self.size * 0.028)
        for i, runs in enumerate(self.runs_of_lines):
            text = canvas.beginText()
            text.setTextRenderMode(2)  # fill, then stroke the outline
            y = self.height - (i + 1) * self.leading + (self.leading - self.size) / 2 + self.size * 0.12
            text.setTextOrigin((self.width - self._width(runs)) / 2, y)
            for name, chunk in runs:
                text.setFont(name, self.size)
                text.textOut(chunk)
            canvas.drawText(text)
        canvas.restoreState()


def _grid(grid: Grid, styles: _Styles, markup: Markup, fonts: FontSet) -> Table:
    size = grid.size
    cell = ParagraphStyle("cell-sized", parent=styles.cell, fontSize=size, leading=size * 1.45)
    label = ParagraphStyle("label-sized", parent=cell, alignment=TA_CENTER)
    widths = [w * TEXT_WIDTH for w in grid.widths]
    data: list[list[object]] = []
    commands: list[tuple] = [
        ("GRID", (0, 0), (-1, -1), 0.6, "black"),
        ("FONTNAME", (0, 0), (-1, -1), fonts.body.name),  # else empty cells pull in Helvetica
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("LEFTPADDING", (0, 0), (-1, -1), 4), ("RIGHTPADDING", (0, 0), (-1, -1), 4),
        ("TOPPADDING", (0, 0), (-1, -1), 3), ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
    ]
    heights: list[float | None] = []
    for r, row in enumerate(grid.rows):
        line: list[object] = []
        for c, item in enumerate(row.cells):
            if item is None:
                line.append("")
                continue
            style = label if item.label else cell
            if item.align:
                style = ParagraphStyle(f"{style.name}-{item.align}", parent=style,
                                       alignment=_ALIGN[item.align])
            line.append(Paragraph(markup(item.text, fonts.body), style))
            if row.min_height > 3 * size and not item.label:  # a writing box: text starts at its top
                commands.append(("VALIGN", (c, r), (c, r), "TOP"))
            if item.colspan > 1 or item.rowspan > 1:
                commands.append(("SPAN", (c, r), (c + item.colspan - 1, r + item.rowspan - 1)))
        data.append(line)
        heights.append(_row_height(line, row.cells, widths, row.min_height) if row.min_height else None)
    table = Table(data, colWidths=widths, rowHeights=heights, repeatRows=grid.header_rows)
    table.setStyle(TableStyle(commands))
    return table


def _row_height(line: list[object], cells: tuple, widths: list[float], minimum: float) -> float:
    """At least ``minimum``, and tall enough for the longest cell of the row."""
    needed = minimum
    for c, (flow, item) in enumerate(zip(line, cells, strict=True)):
        if isinstance(flow, Paragraph) and item is not None and item.rowspan == 1:
            width = sum(widths[c:c + item.colspan]) - 8
            needed = max(needed, flow.wrap(width, 10_000)[1] + 6)
    return needed


def _closing(block: Closing, styles: _Styles, markup: Markup, fonts: FontSet,
             lead: list[Flowable]) -> Flowable:
    """Signature lines, then seal and date centred on each other at the right.

    ``lead`` (the last paragraph of the text) goes with them: a page never starts with the
    signatures alone.
    """
    flows: list[Flowable] = list(lead)
    tail: list[Text] = []
    for item in block.items:
        if item.kind == "spacer":
            flows.append(Spacer(1, item.size or 0))
        elif item.kind == "signature":
            flows.append(Paragraph(markup(item.text, fonts.body), styles.signature))
        else:
            tail.append(item)
    if tail:
        size = styles.base.fontSize
        longest = max(len(t.text) for t in tail)
        width = longest * size + 2 * size
        rows = [[Paragraph(markup(t.text, fonts.body), styles.closing)] for t in tail]
        right = Table(rows, colWidths=[width], hAlign="RIGHT")
        right.setStyle(TableStyle([
            ("FONTNAME", (0, 0), (-1, -1), fonts.body.name),
            ("LEFTPADDING", (0, 0), (-1, -1), 0), ("RIGHTPADDING", (0, 0), (-1, -1), 0),
            ("TOPPADDING", (0, 0), (-1, -1), 0), ("BOTTOMPADDING", (0, 0), (-1, -1), 0),
        ]))
        if any(t.kind == "seal" for t in tail):  # room for the seal impression above the date
            flows.append(Spacer(1, styles.base.leading * 1.2))
        else:
            flows.append(Spacer(1, styles.base.leading * 0.5))
        flows.append(right)
    return KeepTogether(flows)


def story(composed: Composed, fonts: FontSet, markup: Markup) -> list[Flowable]:
    styles = _Styles(composed, fonts)
    story: list[Flowable] = []
    for element in composed.elements:
        if isinstance(element, Grid):
            story.append(_grid(element, styles, markup, fonts))
        elif isinstance(element, SpaceElement):
            story.append(Spacer(1, element.height))
        elif isinstance(element, BreakElement):
            story.append(PageBreak())
        elif isinstance(element, Closing):
            lead: list[Flowable] = []
            if story and isinstance(story[-1], Paragraph):
                lead.insert(0, story.pop())
                while story and getattr(story[-1], "keepWithNext", 0):
                    lead.insert(0, story.pop())
            story.append(_closing(element, styles, markup, fonts, lead))
        elif element.kind == "title":
            size = element.size or composed.style.title_size
            story.append(_Title(element.text, size, fonts, markup, composed.style.leading * 0.5))
        else:
            story.append(_text(element, styles, markup, fonts))
    return story


def _text(element: Text, styles: _Styles, markup: Markup, fonts: FontSet) -> Paragraph:
    text = element.hanging + element.text
    base = styles.indented if element.indent else styles.base
    paragraph = Paragraph(markup(text, fonts.body), styles.sized(base, element.size, element.align))
    if element.keep:
        paragraph.keepWithNext = 1
    return paragraph
