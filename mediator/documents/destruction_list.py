"""销毁清册: the list of dossiers destroyed in one go, signed by 销毁人, 监销人 and 批准人.

A landscape A4 table (one row per dossier) with the approval above it and the signature lines
below; the same fonts and per-character fallback as the official forms.
"""
from __future__ import annotations

import io
from dataclasses import dataclass

from reportlab.lib.enums import TA_CENTER
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import LongTable, Paragraph, SimpleDocTemplate, Spacer, TableStyle

from mediator.documents.fonts import FontSet
from mediator.documents.pdf import PdfResult
from mediator.documents.pdf_layout import Markup

HEADERS = ("序号", "案号", "纠纷类型", "纠纷简要情况", "归档日期", "保管期限", "期限届满", "销毁方式")
WIDTHS_MM = (12, 48, 22, 86, 24, 24, 24, 25)  # 265 mm of the 297 mm landscape width
MARGIN = 16 * mm


@dataclass(frozen=True)
class ListRow:
    number: str
    category: str
    summary: str
    archived_on: str
    retention: str
    due_on: str
    method: str


@dataclass(frozen=True)
class DestructionList:
    office: str
    destroyed_on: str
    destroyed_by: str
    supervisor: str
    approved_by: str
    note: str
    rows: tuple[ListRow, ...]


def render_destruction_list(doc: DestructionList, fonts: FontSet) -> PdfResult:
    """The 销毁清册 as a PDF; ``warnings`` names characters no font could print."""
    markup = Markup(fonts)
    body, title_face = fonts.body, fonts.title
    title = ParagraphStyle("title", fontName=title_face.name, fontSize=20, leading=30, alignment=TA_CENTER)
    text = ParagraphStyle("text", fontName=body.name, fontSize=11, leading=18, wordWrap="CJK")
    cell = ParagraphStyle("cell", fontName=body.name, fontSize=9.5, leading=13.5, wordWrap="CJK")
    head = ParagraphStyle("head", parent=cell, alignment=TA_CENTER)

    def p(value: str, style: ParagraphStyle, face=body) -> Paragraph:
        return Paragraph(markup(value, face), style)

    table_rows = [[p(h, head) for h in HEADERS]]
    for i, row in enumerate(doc.rows, 1):
        table_rows.append([p(str(i), head), p(row.number, cell), p(row.category, cell),
                           p(row.summary, cell), p(row.archived_on, head), p(row.retention, head),
                           p(row.due_on, head), p(row.method, head)])
    table = LongTable(table_rows, colWidths=[w * mm for w in WIDTHS_MM], repeatRows=1)
    table.setStyle(TableStyle([
        ("GRID", (0, 0), (-1, -1), 0.6, "#000000"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
        ("BACKGROUND", (0, 0), (-1, 0), "#eeeeee"),
    ]))
    heading = f"{doc.office}　" if doc.office else ""
    story = [
        p("卷宗销毁清册", title, title_face),
        Spacer(0, 4 * mm),
        p(f"{heading}销毁日期：{doc.destroyed_on}　共{len(doc.rows)}件　批准人/批准文号：{doc.approved_by}",
          text),
        Spacer(0, 3 * mm),
        table,
        Spacer(0, 5 * mm),
    ]
    if doc.note:
        story.append(p(f"备注：{doc.note}", text))
    story += [
        Spacer(0, 8 * mm),
        p(f"销毁人：{doc.destroyed_by}　　签名：__________　　　　"
          f"监销人：{doc.supervisor}　　签名：__________　　　　批准人签名：__________", text),
    ]
    out = io.BytesIO()

    def page_number(canvas, template) -> None:
        canvas.saveState()
        canvas.setFont(body.name, 9)
        canvas.drawCentredString(landscape(A4)[0] / 2, 9 * mm, f"第{template.page}页")
        canvas.restoreState()

    pdf = SimpleDocTemplate(out, pagesize=landscape(A4), leftMargin=MARGIN, rightMargin=MARGIN,
                            topMargin=MARGIN, bottomMargin=MARGIN, title="卷宗销毁清册",
                            author=doc.destroyed_by)
    pdf.build(story, onFirstPage=page_number, onLaterPages=page_number)
    return PdfResult(out.getvalue(), list(fonts.notes) + markup.warnings)


__all__ = ["DestructionList", "ListRow", "render_destruction_list"]
