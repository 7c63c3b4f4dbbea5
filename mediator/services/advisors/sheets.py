"""Advisors and their appointments to and from an .xlsx sheet; the yearly summary as .xlsx.

The sheet has the columns of the exchange format's ``advisors`` section, one row per
appointment (an advisor with no appointment has one row with the appointment cells empty).
openpyxl is imported where it is first needed (it slows the start-up).
"""
from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

from sqlmodel import select

from mediator.domain.enums import AdvisorKind, LedgerKind
from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.services import audit
from mediator.services.advisors.appointments import AppointmentInput, add_appointment
from mediator.services.advisors.ledger import ledger_rows, yearly_summary
from mediator.services.advisors.overview import advisor_registry
from mediator.services.advisors.roster import ADVISORS, AdvisorInput, add_advisor, update_advisor
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import Permission, requires
from mediator.services.places.reference import region_by_code
from mediator.store.models import Advisor, AdvisorAppointment

# (key, header) in sheet order; the keys are those of the exchange format where it has them.
COLUMNS = [("name", "姓名"), ("kind", "类别"), ("firm", "执业机构"), ("license_no", "执业证号"),
           ("phone", "联系电话"), ("specialties", "专长"), ("active", "在职"),
           ("code", "村（社区）区划代码"), ("village", "村（社区）"), ("from", "聘期开始"),
           ("to", "聘期结束"), ("legal_deputy", "法治副主任")]
HEADER = {key: header for key, header in COLUMNS}
_YES, _NO = {"是", "yes", "true", "1", "y", "√"}, {"否", "no", "false", "0", "n", ""}


def _style_header(sheet: Any, widths: list[int]) -> None:
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDE6F0")
    for i, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = width
    sheet.freeze_panes = "A2"


def _save(workbook: Any, target: Path | None) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    if target is not None:
        target = Path(target)
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = target.with_name(target.name + ".part")
        tmp.write_bytes(data)
        tmp.replace(target)
    return data


@requires(Permission.DATA_EXPORT)
def export_advisors_xlsx(ctx: ServiceContext, target: Path | None = None) -> bytes:
    """Every advisor and appointment as a sheet (written to ``target`` when given)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "法律顾问"
    sheet.append([header for _, header in COLUMNS])
    for a in advisor_registry(ctx):
        head = [a.name, a.kind_label, a.firm, a.license_no or "", a.phone or "", a.specialties,
                "是" if a.active else "否"]
        terms = sorted(a.appointments, key=lambda p: (p.village_code or "", p.start))
        if not terms:
            sheet.append(head + ["", "", None, None, ""])
        for p in terms:
            sheet.append(head + [p.village_code or "", p.village, p.start, p.end,
                                 "是" if p.legal_deputy else "否"])
    for row in sheet.iter_rows(min_row=2, min_col=10, max_col=11):
        for cell in row:
            cell.number_format = "yyyy-mm-dd"
    _style_header(sheet, [10, 20, 28, 20, 14, 20, 6, 18, 14, 12, 12, 10])
    data = _save(workbook, target)
    audit.log(ctx, "export", str(target or "法律顾问名册"), {"kind": "advisors"})
    return data


@dataclass
class AdvisorImportResult:
    advisors_added: int = 0
    advisors_updated: int = 0
    appointments_added: int = 0
    appointments_unchanged: int = 0

    @property
    def changes(self) -> OpChanges:
        """What the import wrote: advisors and terms (reference data, advisor deadlines)."""
        return ADVISORS

    def summary(self) -> str:
        return (f"新增法律顾问{self.advisors_added}名、更新{self.advisors_updated}名，"
                f"新增聘任{self.appointments_added}项（已有{self.appointments_unchanged}项未变）")


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def _day(value: Any, path: str, label: str) -> date | None:
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(_text(value).replace("/", "-"))
    except ValueError:
        raise ValidationError(path, f"{label}“{value}”不是有效日期（应为YYYY-MM-DD）") from None


def _kind(value: Any, path: str) -> AdvisorKind:
    text = _text(value)
    for kind in AdvisorKind:
        if text in (kind.value, kind.label):
            return kind
    raise ValidationError(path, f"类别“{text}”应为 律师 或 基层法律服务工作者")


def _flag(value: Any, path: str, label: str, default: bool) -> bool:
    text = _text(value).lower()
    if value is None or text == "":
        return default
    if text in _YES:
        return True
    if text in _NO:
        return False
    raise ValidationError(path, f"{label}应填“是”或“否”")


def _read_rows(source: Path | bytes) -> list[tuple[int, dict[str, Any]]]:
    from openpyxl import load_workbook

    try:
        # Read the bytes first: openpyxl leaves its file open when a broken workbook fails.
        data = source if isinstance(source, bytes) else Path(source).read_bytes()
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except OSError as exc:
        raise DomainError(f"无法读取Excel文件：{exc.strerror or exc.__class__.__name__}") from None
    except Exception as exc:
        raise DomainError(f"无法读取Excel文件：{exc.__class__.__name__}") from None
    sheet = workbook.worksheets[0]
    rows = sheet.iter_rows(values_only=True)
    headers = [_text(h) for h in next(rows, ())]
    by_header = {header: key for key, header in COLUMNS} | {key: key for key, _ in COLUMNS}
    index = {by_header[h]: i for i, h in enumerate(headers) if h in by_header}
    missing = [HEADER[k] for k in ("name", "kind") if k not in index]
    if missing:
        workbook.close()
        raise ValidationError("header", f"第1行缺少列：{'、'.join(missing)}")
    out = []
    for number, values in enumerate(rows, start=2):
        row = {key: values[i] if i < len(values) else None for key, i in index.items()}
        if any(_text(v) for v in row.values()):
            out.append((number, row))
    workbook.close()
    return out


@requires(Permission.ADVISOR_MANAGE)
def import_advisors_xlsx(ctx: ServiceContext, source: Path | bytes) -> AdvisorImportResult:
    """Read advisors and appointments from a sheet, in one transaction: all rows or none.

    An advisor is matched by 执业证号, else by name and phone; a matched advisor's details are
    updated from the sheet. An appointment already on file (same advisor, village and start)
    is left as it is; a new one follows the overlap rule. Every faulty row is reported.
    """
    rows = _read_rows(source)
    result = AdvisorImportResult()
    errors: list[ValidationError] = []
    seen: set[int] = set()
    with ctx.transaction() as session:
        for number, row in rows:
            where = f"第{number}行"
            try:
                data = AdvisorInput(
                    name=_text(row.get("name")), kind=_kind(row.get("kind"), f"row{number}.kind"),
                    firm=_text(row.get("firm")), license_no=_text(row.get("license_no")) or None,
                    phone=_text(row.get("phone")) or None, specialties=_text(row.get("specialties")),
                    active=_flag(row.get("active"), f"row{number}.active", "在职", True))
                existing = None
                if data.license_no:
                    existing = session.exec(select(Advisor).where(Advisor.license_no == data.license_no)).first()
                if existing is None:
                    existing = session.exec(select(Advisor).where(Advisor.name == data.name,
                                                                  Advisor.phone == data.phone)).first()
                if existing is None:
                    advisor_id = add_advisor(ctx, data).id
                    result.advisors_added += 1
                else:
                    advisor_id = existing.id
                    update_advisor(ctx, advisor_id, data)
                    result.advisors_updated += advisor_id not in seen
                seen.add(advisor_id)
                _import_term(ctx, session, advisor_id, row, number, result)
            except ValidationErrors as e:
                errors.extend(_at_row(x, number, where) for x in e.errors)
            except ValidationError as e:
                errors.append(_at_row(e, number, where))
        if errors:
            raise ValidationErrors(errors)
    return result


def _at_row(error: ValidationError, number: int, where: str) -> ValidationError:
    key = error.path.split(".")[-1]
    label = HEADER.get({"village_code": "code", "start": "from", "end": "to"}.get(key, key), "")
    path = error.path if error.path.startswith("row") else f"row{number}.{error.path}"
    return ValidationError(path, f"{where}{label and label + '：'}{error.message}")


def _import_term(ctx: ServiceContext, session: Any, advisor_id: int, row: dict[str, Any], number: int,
                 result: AdvisorImportResult) -> None:
    code = _text(row.get("code"))
    start = _day(row.get("from"), f"row{number}.from", "聘期开始")
    end = _day(row.get("to"), f"row{number}.to", "聘期结束")
    if not code and start is None and end is None:
        return
    if not code:
        raise ValidationError(f"row{number}.code", "请填写村（社区）区划代码")
    if start is None or end is None:
        raise ValidationError(f"row{number}.{'from' if start is None else 'to'}", "请填写聘期开始和结束日期")
    village = region_by_code(session, code)
    if village is not None:
        same = session.exec(select(AdvisorAppointment).where(
            AdvisorAppointment.advisor_id == advisor_id, AdvisorAppointment.village_id == village.id,
            AdvisorAppointment.start == start)).first()
        if same is not None:
            result.appointments_unchanged += 1
            return
    add_appointment(ctx, AppointmentInput(
        advisor_id, code, start, end,
        legal_deputy=_flag(row.get("legal_deputy"), f"row{number}.legal_deputy", "法治副主任", False)))
    result.appointments_added += 1


# --- the yearly summary -------------------------------------------------------------------------


SUMMARY_HEADERS = (["姓名", "类别", "执业机构", "服务村（社区）", "服务总次数"]
                   + [k.label for k in LedgerKind]
                   + ["服务时长（小时）", "到村服务时长（小时）", "服务人次", "审查件数", "同意（含修改后同意）",
                      "不同意", "未办结", "平均办理天数", "到村服务达标（村·月）"])


@requires(Permission.ADVISOR_LEDGER)
def export_yearly_summary_xlsx(ctx: ServiceContext, year: int, target: Path | None = None, *,
                               advisor_id: int | None = None) -> bytes:
    """The yearly summary per advisor (sheet 年度汇总) and the year's ledger (sheet 服务台账)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "年度汇总"
    sheet.append(SUMMARY_HEADERS)
    for s in yearly_summary(ctx, year, advisor_id=advisor_id):
        sheet.append([s.name, s.kind_label, s.firm, "、".join(s.villages), s.services]
                     + [s.by_kind.get(k.value, 0) for k in LedgerKind]
                     + [float(s.hours), float(s.on_site_hours), s.people_served, s.reviews, s.approved,
                        s.disapproved, s.pending,
                        float(s.average_turnaround_days) if s.average_turnaround_days is not None else None,
                        f"{s.visit_months_met}/{s.visit_months}"])
    _style_header(sheet, [10, 18, 26, 30, 10] + [12] * len(LedgerKind) + [12, 14, 10, 10, 8, 10, 8, 12, 16])
    ledger = workbook.create_sheet("服务台账")
    ledger.append(["日期", "法律顾问", "村（社区）", "服务类别", "服务内容", "服务人次", "时长（小时）",
                   "到村服务", "关联案件", "来源"])
    rows = ledger_rows(ctx, advisor_id=advisor_id, date_from=date(year, 1, 1), date_to=date(year, 12, 31))
    for r in sorted(rows, key=lambda r: (r.on, r.advisor, r.id or 0)):
        ledger.append([r.on, r.advisor, r.village, r.kind_label, r.content, r.people_served, float(r.hours),
                       "是" if r.on_site else "否", r.case_number, r.source_label])
        ledger.cell(ledger.max_row, 1).number_format = "yyyy-mm-dd"
    _style_header(ledger, [12, 10, 14, 22, 50, 10, 12, 10, 26, 10])
    data = _save(workbook, target)
    audit.log(ctx, "export", str(target or f"法律顾问{year}年度汇总"),
              {"kind": "advisor_summary", "year": year, "advisor_id": advisor_id})
    return data


__all__ = ["COLUMNS", "AdvisorImportResult", "export_advisors_xlsx", "export_yearly_summary_xlsx",
           "import_advisors_xlsx"]
