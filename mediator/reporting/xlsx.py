"""The official statistics table as an Excel file, printable on A4 landscape (openpyxl; the 台账 is
in ledger_xlsx)."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from mediator.domain.enums import Category, Level, Source, Track
from mediator.reporting.present import anchor_line
from mediator.reporting.stats import PREVENTION_LABELS, SCREENING_LABELS, Figures, StatsReport

BODY = "宋体"
TITLE = "黑体"
_THIN = Side(style="thin", color="000000")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)
LEFT = Alignment(horizontal="left", vertical="center", wrap_text=True)
HEADER_FILL = PatternFill("solid", fgColor="F2F2F2")
HEADER_ROWS = (4, 5, 6)  # the three header rows of the statistics sheets
FIRST_DATA_ROW = 7

# (group, subgroup or None, column label, how to read the figure). A group spans its columns in
# the first header row, a subgroup in the second; a lone column spans the header rows it has free.
Column = tuple[str, str | None, str, Any]


def _main_columns() -> list[Column]:
    cols: list[Column] = [("受理纠纷数", None, "合计", lambda f: f.received),
                          ("受理纠纷数", None, "涉及人数", lambda f: f.people_involved)]
    cols += [("受理纠纷数", "按来源", s.label, lambda f, c=s.value: f.by_source.get(c, 0)) for s in Source]
    cols += [("调解情况", None, "调解成功", lambda f: f.succeeded),
             ("调解情况", None, "调解终止", lambda f: f.failed),
             ("调解情况", None, "撤回", lambda f: f.withdrawn),
             ("调解情况", None, "调解成功率（%）", _rate_percent),
             ("调解协议", None, "书面协议", lambda f: f.agreements_written),
             ("调解协议", None, "口头协议", lambda f: f.agreements_oral),
             ("调解协议", None, "涉及金额（元）", lambda f: f.agreement_amount_yuan),
             ("履行与回访", None, "全部履行", lambda f: f.performed),
             ("履行与回访", None, "回访", lambda f: f.follow_ups),
             ("司法确认", None, "申请", lambda f: f.judicial_confirmation_applied),
             ("司法确认", None, "确认有效", lambda f: f.judicial_confirmed)]
    for kind, label in PREVENTION_LABELS:
        cols.append(("预防成效", label, "件", lambda f, k=kind: getattr(f, f"prevented_{k}")))
        cols.append(("预防成效", label, "人", lambda f, k=kind: getattr(f, f"prevented_{k}_people")))
    cols += [("排查情况", None, label, lambda f, k=key: getattr(f, k)) for key, label, _unit in SCREENING_LABELS]
    return cols


def _category_columns() -> list[Column]:
    cols: list[Column] = [("受理纠纷数", None, "合计", lambda f: f.received)]
    cols += [("按纠纷类型", None, c.label, lambda f, k=c.value: f.by_category.get(k, 0)) for c in Category]
    cols += [("按调解类型", None, t.label, lambda f, k=t.value: f.by_track.get(k, 0)) for t in Track]
    cols += [("按处理层级", None, lv.label, lambda f, k=lv.value: f.by_level.get(k, 0)) for lv in Level]
    return cols


def _rate_percent(f: Figures) -> Any:
    rate = f.success_rate
    return None if rate is None else float((rate * 100).quantize(Decimal("0.01")))


def write_report(report: StatsReport, target: str | Path | IO[bytes], *, office: str,
                 filled_on: date) -> None:
    """The statistics table (two sheets: outcomes, and categories) as an .xlsx file."""
    wb = Workbook()
    main = wb.active
    main.title = "统计表"
    _stats_sheet(main, report, office, filled_on, _main_columns(),
                 f"{report.scope}矛盾纠纷排查调处情况统计表")
    _stats_sheet(wb.create_sheet("纠纷类型"), report, office, filled_on, _category_columns(),
                 f"{report.scope}矛盾纠纷受理情况分类统计表")
    wb.save(target)


def _stats_sheet(ws: Worksheet, report: StatsReport, office: str, filled_on: date,
                 columns: Sequence[Column], title: str) -> None:
    last = 2 + len(columns)
    end = get_column_letter(last)
    ws.merge_cells(f"A1:{end}1")
    ws["A1"] = title
    ws["A1"].font = Font(name=TITLE, size=16, bold=True)
    ws["A1"].alignment = CENTER
    ws.row_dimensions[1].height = 30
    ws.merge_cells(f"A2:{end}2")
    ws["A2"] = f"（{report.period.label}{report.period.report_name}）"
    ws["A2"].font = Font(name=BODY, size=11)
    ws["A2"].alignment = CENTER
    third = max(3, last // 3)
    ws.merge_cells(start_row=3, start_column=1, end_row=3, end_column=third)
    ws.cell(3, 1, f"填报单位：{office}")
    ws.merge_cells(start_row=3, start_column=third + 1, end_row=3, end_column=2 * third)
    ws.cell(3, third + 1, f"统计期间：{report.period.date_from.isoformat()}至{report.period.date_to.isoformat()}")
    ws.merge_cells(start_row=3, start_column=2 * third + 1, end_row=3, end_column=last)
    ws.cell(3, 2 * third + 1, "计量单位：件、人、次、元")
    for col, align in ((1, "left"), (third + 1, "center"), (2 * third + 1, "right")):
        ws.cell(3, col).font = Font(name=BODY, size=10)
        ws.cell(3, col).alignment = Alignment(horizontal=align, vertical="center")

    top, mid, low = HEADER_ROWS
    for col, label in ((1, "序号"), (2, "调解组织")):
        ws.merge_cells(start_row=top, start_column=col, end_row=low, end_column=col)
        ws.cell(top, col, label)
    _group_headers(ws, columns)

    rows = [(u.unit.name, u.figures) for u in report.units]
    r = FIRST_DATA_ROW
    for i, (name, figures) in enumerate(rows, start=1):
        ws.cell(r, 1, i)
        ws.cell(r, 2, name)
        for c, col in enumerate(columns, start=3):
            ws.cell(r, c, col[3](figures))
        r += 1
    ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=2)
    ws.cell(r, 1, "合计")
    for c, col in enumerate(columns, start=3):
        ws.cell(r, c, col[3](report.total))
    total_row = r

    for row in ws.iter_rows(min_row=top, max_row=total_row, min_col=1, max_col=last):
        for cell in row:
            cell.border = BORDER
            header = cell.row <= low
            cell.alignment = CENTER if header or cell.column != 2 else LEFT
            cell.font = Font(name=BODY, size=9 if header else 10, bold=header or cell.row == total_row)
            if header:
                cell.fill = HEADER_FILL
    for c, col in enumerate(columns, start=3):
        if "金额" in col[2] or "率" in col[2]:
            for rr in range(FIRST_DATA_ROW, total_row + 1):
                ws.cell(rr, c).number_format = "#,##0.00"
    if report.is_zero:
        ws.cell(total_row + 1, 1, "本期无新发生矛盾纠纷（零上报）。").font = Font(name=BODY, size=10)
    footer = total_row + 3
    ws.cell(footer, 1, f"填表人：　　　　　　审核人：　　　　　　填报日期：{filled_on.year}年"
                       f"{filled_on.month}月{filled_on.day}日").font = Font(name=BODY, size=10)
    ws.cell(footer + 1, 1, "说明：受理数按收案日期统计；调解结果、协议、履行、司法确认、回访按该事项发生日期统计；"
                           "调解成功率＝调解成功÷（调解成功＋调解终止＋撤回）；预防成效为达成协议的相应风险案件。"
            ).font = Font(name=BODY, size=9)
    # The audit head as the table was made: who keeps the printout can later check that the
    # log still extends it (mediator-cli audit verify --anchor).
    anchor = anchor_line(report.audit_anchor)
    if anchor:
        ws.cell(footer + 2, 1, anchor).font = Font(name=BODY, size=8)
        ws.oddFooter.left.text = anchor
        ws.oddFooter.left.size = 7

    ws.column_dimensions["A"].width = 5
    ws.column_dimensions["B"].width = 22
    for c, col in enumerate(columns, start=3):
        ws.column_dimensions[get_column_letter(c)].width = 14 if "金额" in col[2] else max(5.5, len(col[2]) * 1.6 + 1)
    for row_no, height in ((top, 20), (mid, 20), (low, 42)):
        ws.row_dimensions[row_no].height = height
    ws.freeze_panes = ws.cell(FIRST_DATA_ROW, 3)
    _a4_landscape(ws, f"{top}:{low}")


def _group_headers(ws: Worksheet, columns: Sequence[Column]) -> None:
    """Merge the three header rows: groups across their columns, subgroups under them."""
    top, mid, low = HEADER_ROWS
    c = 3
    while c < 3 + len(columns):
        group = columns[c - 3][0]
        span = 1
        while c - 3 + span < len(columns) and columns[c - 3 + span][0] == group:
            span += 1
        if span > 1 or columns[c - 3][1] is not None:
            ws.merge_cells(start_row=top, start_column=c, end_row=top, end_column=c + span - 1)
            ws.cell(top, c, group)
            _sub_headers(ws, columns, c, c + span)
        else:  # a lone column: its label fills all three rows
            ws.merge_cells(start_row=top, start_column=c, end_row=low, end_column=c)
            ws.cell(top, c, columns[c - 3][2] if columns[c - 3][2] != "合计" else group)
        c += span


def _sub_headers(ws: Worksheet, columns: Sequence[Column], start: int, stop: int) -> None:
    _top, mid, low = HEADER_ROWS
    c = start
    while c < stop:
        sub = columns[c - 3][1]
        if sub is None:
            ws.merge_cells(start_row=mid, start_column=c, end_row=low, end_column=c)
            ws.cell(mid, c, columns[c - 3][2])
            c += 1
            continue
        span = 1
        while c + span < stop and columns[c - 3 + span][1] == sub:
            span += 1
        if span > 1:
            ws.merge_cells(start_row=mid, start_column=c, end_row=mid, end_column=c + span - 1)
        ws.cell(mid, c, sub)
        for k in range(span):
            ws.cell(low, c + k, columns[c - 3 + k][2])
        c += span


def _a4_landscape(ws: Worksheet, title_rows: str) -> None:
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.5
    ws.print_title_rows = title_rows
    ws.oddFooter.center.text = "第 &P 页，共 &N 页"
