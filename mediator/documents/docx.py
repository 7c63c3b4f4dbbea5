"""DOCX renderer (python-docx): the same composed form as the PDF, editable in Word and WPS.

Word and WPS prefer theme fonts and a Latin font unless told otherwise, so every run and every
style names its East-Asian font (``w:eastAsia``) and the styles lose their theme font attributes.
The page is A4 with the GB/T 9704 margins on every section. Body content is written as WordprocessingML
directly (python-docx's cell-merging API is quadratic and made a one-page agreement cost 100 ms).
"""
from __future__ import annotations

import io
import threading
from xml.sax.saxutils import escape, quoteattr

from docx import Document
from docx.document import Document as DocxDocument
from docx.enum.section import WD_ORIENT
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt

from mediator.documents.compose import Closing, Composed, Grid, PageBreak, QrMark, Spacer, qr_matrix

BODY_FONT = "仿宋"  # GB/T 9704 body face; Word/WPS on Chinese Windows have it
TITLE_FONT = "宋体"
PAGE_NUMBER_SIZE = 14.0  # 四号
TEXT_WIDTH_PT = 156 / 25.4 * 72
_JC = {"left": "left", "center": "center", "right": "right"}
_THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")
_SCRIPTS = ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs")


def _twips(points: float) -> int:
    return round(points * 20)


# --- styles, page, footer ---------------------------------------------------------------------


def _set_fonts(rpr, name: str) -> None:
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attribute in _THEME_ATTRIBUTES:
        fonts.attrib.pop(qn(attribute), None)
    for attribute in _SCRIPTS:
        fonts.set(qn(attribute), name)


def _prepare_styles(doc: DocxDocument, body_size: float) -> None:
    """Theme fonts out of every style and the defaults; explicit CJK fonts in their place."""
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        for attribute in _THEME_ATTRIBUTES:
            fonts.attrib.pop(qn(attribute), None)
    rpr = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}")
    if rpr is not None:
        _set_fonts(rpr, BODY_FONT)
    for style in doc.styles:
        element = style.element
        if element.find(qn("w:rPr")) is not None or style.name in ("Normal", "Table Grid"):
            heading = (style.name or "").startswith(("Heading", "Title"))
            _set_fonts(element.get_or_add_rPr(), TITLE_FONT if heading else BODY_FONT)
    doc.styles["Normal"].font.size = Pt(body_size)


def _page(doc: DocxDocument) -> None:
    """A4 with the GB/T 9704 margins on every section."""
    for section in doc.sections:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.top_margin, section.bottom_margin = Mm(37), Mm(35)
        section.left_margin, section.right_margin = Mm(28), Mm(26)
        section.footer_distance = Mm(21)


def _page_numbers(doc: DocxDocument) -> None:
    """“— 1 —” in the footer: odd pages right, even pages left, one character in (GB/T 9704)."""
    doc.settings.odd_and_even_pages_header_footer = True
    size = PAGE_NUMBER_SIZE
    number = (f'<w:fldSimple w:instr="PAGE">{_run_xml("1", TITLE_FONT, size)}</w:fldSimple>')
    runs = _run_xml("— ", TITLE_FONT, size) + number + _run_xml(" —", TITLE_FONT, size)
    for section in doc.sections:
        for footer, align in ((section.footer, "right"), (section.even_page_footer, "left")):
            footer.is_linked_to_previous = False
            story = footer._element
            for p in list(story):
                story.remove(p)
            inset = {"right_indent": size} if align == "right" else {"left_indent": size}
            story.append(parse_xml(_paragraph_xml(runs, leading=size * 1.2, align=align, **inset)))


# --- WordprocessingML ---------------------------------------------------------------------------


def _run_xml(text: str, font: str, size: float, bold: bool = False) -> str:
    """``w:r`` elements for ``text`` (a line break per newline), the font named for every script."""
    name = quoteattr(font)
    half_points = round(size * 2)
    props = (f"<w:rPr><w:rFonts w:ascii={name} w:hAnsi={name} w:eastAsia={name} w:cs={name}/>"
             + ("<w:b/><w:bCs/>" if bold else "")
             + f'<w:sz w:val="{half_points}"/><w:szCs w:val="{half_points}"/></w:rPr>')
    runs = []
    for i, line in enumerate(text.split("\n")):
        content = ("<w:br/>" if i else "") + (
            f'<w:t xml:space="preserve">{escape(line)}</w:t>' if line else "")
        runs.append(f"<w:r>{props}{content}</w:r>")
    return "".join(runs)


def _paragraph_xml(runs: str, *, leading: float, align: str = "left", first_indent: float = 0,
                   before: float = 0, after: float = 0, keep: bool = False,
                   right_indent: float = 0, left_indent: float = 0) -> str:
    """A ``w:p`` on an exact line pitch (its properties in schema order)."""
    props = "<w:keepNext/><w:keepLines/>" if keep else ""
    props += (f'<w:spacing w:before="{_twips(before)}" w:after="{_twips(after)}" '
              f'w:line="{_twips(leading)}" w:lineRule="exact"/>')
    if first_indent or right_indent or left_indent:
        props += (f'<w:ind w:left="{_twips(left_indent)}" w:right="{_twips(right_indent)}" '
                  f'w:firstLine="{_twips(first_indent)}"/>')
    props += f'<w:jc w:val="{_JC[align]}"/>'
    return f"<w:p {nsdecls('w')}><w:pPr>{props}</w:pPr>{runs}</w:p>"


def _grid_xml(grid: Grid) -> str:
    """A ruled Word table; spans become ``gridSpan`` and ``vMerge``."""
    widths = [w * TEXT_WIDTH_PT for w in grid.widths]
    leading = grid.size * 1.45
    border = "".join(f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
                     for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
    out = [f"<w:tbl {nsdecls('w')}><w:tblPr><w:tblStyle w:val=\"TableGrid\"/>"
           f'<w:tblW w:w="{_twips(sum(widths))}" w:type="dxa"/><w:jc w:val="center"/>'
           f"<w:tblBorders>{border}</w:tblBorders><w:tblLayout w:type=\"fixed\"/>"
           '<w:tblCellMar><w:left w:w="80" w:type="dxa"/><w:right w:w="80" w:type="dxa"/>'
           "</w:tblCellMar></w:tblPr><w:tblGrid>"]
    out += [f'<w:gridCol w:w="{_twips(w)}"/>' for w in widths]
    out.append("</w:tblGrid>")
    # A vertically merged cell continues in the rows below: remember (column → span) per row.
    continued: dict[tuple[int, int], int] = {}
    for r, row in enumerate(grid.rows):
        height = (f'<w:trHeight w:val="{_twips(row.min_height)}" w:hRule="atLeast"/>'
                  if row.min_height else "")
        header = "<w:tblHeader/>" if r < grid.header_rows else ""
        out.append(f"<w:tr><w:trPr><w:cantSplit/>{height}{header}</w:trPr>" if height or header
                   else "<w:tr>")
        for c, item in enumerate(row.cells):
            if item is None:
                if (r, c) in continued:
                    span = continued[(r, c)]
                    out.append(_cell_xml(widths[c:c + span], span, "continue", ""))
                continue
            if item.rowspan > 1:
                for below in range(r + 1, r + item.rowspan):
                    continued[(below, c)] = item.colspan
            runs = _run_xml(item.text, BODY_FONT, grid.size)
            align = item.align or ("center" if item.label else "left")
            paragraph = _paragraph_xml(runs, leading=leading, align=align)
            merge = "restart" if item.rowspan > 1 else None
            top = row.min_height > 3 * grid.size and not item.label  # a writing box: text at its top
            out.append(_cell_xml(widths[c:c + item.colspan], item.colspan, merge, paragraph, top))
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def _cell_xml(widths: list[float], span: int, merge: str | None, paragraph: str,
              top: bool = False) -> str:
    props = f'<w:tcW w:w="{_twips(sum(widths))}" w:type="dxa"/>'
    if span > 1:
        props += f'<w:gridSpan w:val="{span}"/>'
    if merge:
        props += f'<w:vMerge w:val="{merge}"/>'
    props += f'<w:vAlign w:val="{"top" if top else "center"}"/>'
    # Every cell must hold a paragraph; strip the namespace declaration of nested ones.
    body = paragraph.replace(f" {nsdecls('w')}", "") if paragraph else "<w:p/>"
    return f"<w:tc><w:tcPr>{props}</w:tcPr>{body}</w:tc>"


class _Body:
    """Appends paragraphs and tables before the body's final section properties."""

    def __init__(self, doc: DocxDocument) -> None:
        self.body = doc.element.body
        for child in list(self.body):  # the template's empty paragraph
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        self.sect = self.body.find(qn("w:sectPr"))

    def keep_last_with_next(self) -> None:
        """Keep the last paragraph with what follows (a page never starts with signatures)."""
        last = self.sect.getprevious() if self.sect is not None else self.body[-1]
        if last is not None and last.tag == qn("w:p"):
            ppr = last.find(qn("w:pPr"))
            if ppr is not None and ppr.find(qn("w:keepNext")) is None:
                ppr.insert(0, OxmlElement("w:keepNext"))

    def add(self, xml: str) -> None:
        element = parse_xml(xml)
        if self.sect is not None:
            self.sect.addprevious(element)
        else:
            self.body.append(element)


def _closing(body: _Body, closing: Closing, size: float, leading: float, before: float) -> None:
    """Signatures, seal and date, kept on one page (keep-with-next on every paragraph)."""
    items = [i for i in closing.items]
    tail = [i for i in items if i.kind in ("seal", "date")]
    widest = max((len(i.text) for i in tail), default=0)
    pending = before
    real = [i for i in items if i.kind != "spacer"]
    for item in items:
        if item.kind == "spacer":
            pending += item.size or 0
            continue
        keep = item is not real[-1]
        runs = _run_xml(item.text, BODY_FONT, size)
        if item.kind == "signature":
            body.add(_paragraph_xml(runs, leading=leading, keep=keep, before=leading * 0.6 + pending))
        else:
            # Seal and date centred on each other, two characters in from the right.
            inset = (2 + (widest - len(item.text)) / 2) * size
            has_seal = any(i.kind == "seal" for i in tail)
            space = pending + ((leading * 1.2 if has_seal else leading * 0.5) if item is tail[0] else 0)
            body.add(_paragraph_xml(runs, leading=leading, align="right", keep=keep,
                                    right_indent=inset, before=space))
        pending = 0.0


# Prepared starting documents (styles, page, footers) per body size: preparing costs ~30 ms.
_TEMPLATES: dict[float, bytes] = {}
_TEMPLATES_LOCK = threading.Lock()


def _new_document(body_size: float) -> DocxDocument:
    with _TEMPLATES_LOCK:
        template = _TEMPLATES.get(body_size)
        if template is None:
            doc = Document()
            _prepare_styles(doc, body_size)
            _page(doc)
            _page_numbers(doc)
            buffer = io.BytesIO()
            doc.save(buffer)
            template = _TEMPLATES[body_size] = buffer.getvalue()
    return Document(io.BytesIO(template))


def qr_png(payload: str, scale: int = 8) -> bytes:
    """The payload's QR code as a PNG (with the quiet zone of four modules the standard asks)."""
    from PIL import Image

    modules = qr_matrix(payload)
    size = (len(modules) + 8) * scale
    image = Image.new("1", (size, size), 1)
    pixels = image.load()
    for r, row in enumerate(modules):
        for c, dark in enumerate(row):
            if dark:
                for y in range((r + 4) * scale, (r + 5) * scale):
                    for x in range((c + 4) * scale, (c + 5) * scale):
                        pixels[x, y] = 0
    buffer = io.BytesIO()
    image.save(buffer, "PNG")
    return buffer.getvalue()


def _qr_at_top(doc: DocxDocument, qr: QrMark) -> None:
    """The verification QR code and its caption, right-aligned above the title (as in the PDF)."""
    picture = doc.add_paragraph()
    picture.alignment = 2  # right
    run = picture.add_run()
    run.add_picture(io.BytesIO(qr_png(qr.payload)), width=Mm(20))  # pdf_layout.QR_SIZE
    fonts = OxmlElement("w:rFonts")
    for attribute in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(attribute), BODY_FONT)
    run._r.get_or_add_rPr().insert(0, fonts)
    caption = parse_xml(_paragraph_xml(_run_xml(qr.caption, BODY_FONT, 7), leading=9, align="right",
                                       after=6))
    body = doc.element.body
    body.insert(0, caption)
    body.insert(0, picture._p)


def render_docx(composed: Composed, *, author: str = "", keywords: str = "") -> bytes:
    """The composed form as a DOCX file (``keywords``: e.g. the verification code)."""
    style = composed.style
    doc = _new_document(style.body_size)
    body = _Body(doc)
    pending = 0.0
    for element in composed.elements:
        if isinstance(element, Spacer):
            pending += element.height
            continue
        if isinstance(element, PageBreak):
            body.add(_paragraph_xml('<w:r><w:br w:type="page"/></w:r>', leading=2))
            pending = 0.0
            continue
        if isinstance(element, Grid):
            if pending:
                body.add(_paragraph_xml("", leading=pending))
            body.add(_grid_xml(element))
        elif isinstance(element, Closing):
            body.keep_last_with_next()
            _closing(body, element, style.body_size, style.leading, pending)
        elif element.kind == "title":
            size = element.size or style.title_size
            body.add(_paragraph_xml(_run_xml(element.text, TITLE_FONT, size, bold=True),
                                    leading=size * 1.5, align="center", before=pending,
                                    after=style.leading * 0.5))
        else:
            size = element.size or style.body_size
            runs = _run_xml(element.hanging + element.text, BODY_FONT, size)
            body.add(_paragraph_xml(runs, leading=max(style.leading, size * 1.5) if element.size
                                    else style.leading, align=element.align, before=pending,
                                    first_indent=2 * style.body_size if element.indent else 0,
                                    keep=element.keep))
        pending = 0.0
    if composed.qr is not None:
        _qr_at_top(doc, composed.qr)
    props = doc.core_properties
    props.title = composed.title
    props.author = author
    props.comments = "调解通"
    props.keywords = keywords
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
