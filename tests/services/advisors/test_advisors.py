"""Legal advisors on SQLite and PostgreSQL: appointments, coverage, routing, reviews, scoping, ledger."""
from __future__ import annotations

import io
from dataclasses import replace
from datetime import date

import pytest
from openpyxl import Workbook, load_workbook
from sqlmodel import select

from mediator.domain.enums import AdvisorKind, LedgerKind, ReviewResult, SessionKind
from mediator.domain.errors import PermissionDenied, ValidationError, ValidationErrors
from mediator.domain.permissions import Role
from mediator.services.advisors import ledger, reviews
from mediator.services.advisors import registry as adv
from mediator.services.advisors.deadlines import VillageDeadline
from mediator.services.advisors.deadlines import advisor_deadlines as village_deadlines
from mediator.services.advisors.sheets import (
    export_advisors_xlsx,
    export_yearly_summary_xlsx,
    import_advisors_xlsx,
)
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.list_page import case_page
from mediator.services.cases.open_deadlines import open_deadlines
from mediator.services.cases.read import (
    CaseFilter,
    case_detail,
    count_cases,
    list_cases,
)
from mediator.services.context import CurrentUser
from mediator.services.documents import review_opinion
from mediator.services.documents.rendering import render_document
from mediator.services.safety.auth import create_user
from mediator.services.settings import set_setting
from mediator.store.models import Advisor, LedgerEntry
from tests.helpers import DONGGUAN, agreement_input, case_input, seed_county

D = date
NANJIE = "419901100001"  # 南街社区: no advisor in the sample county
PARK = "419901100401"  # 城关产业园


@pytest.fixture
def county(ctx):
    seed_county(ctx)  # 陈立新 serves 东关村 in 2026
    return ctx


def _chen(ctx) -> int:
    with ctx.read() as session:
        return session.exec(select(Advisor.id).where(Advisor.name == "陈立新")).one()


def _new_advisor(ctx, name="王律", license_no="14199201210044444", phone="13903710002") -> int:
    return adv.add_advisor(ctx, adv.AdvisorInput(name, AdvisorKind.LAWYER, "示范县正义律师事务所",
                                                 license_no, phone, "婚姻家庭、土地")).id


def _mediating(ctx, village=DONGGUAN, **overrides) -> int:
    grid = "一网格" if village == DONGGUAN else None
    case_id = uc.register_case(ctx, case_input(village_code=village, grid=grid, **overrides)).id
    uc.accept_case(ctx, case_id, D(2026, 10, 15))
    uc.start_mediation(ctx, case_id, D(2026, 10, 16))
    return case_id


# --- registry and appointments -----------------------------------------------------------------

def test_an_advisor_needs_a_name_a_valid_phone_and_an_unused_licence(county):
    with pytest.raises(ValidationErrors) as e:
        adv.add_advisor(county, adv.AdvisorInput(" ", AdvisorKind.LAWYER, phone="12345",
                                                 license_no="14199201210033333"))
    paths = {x.path: x.message for x in e.value.errors}
    assert paths["name"] == "请填写法律顾问姓名"
    assert "phone" in paths
    assert paths["license_no"] == "执业证号14199201210033333已登记为陈立新"
    advisor_id = _new_advisor(county)
    info = next(a for a in adv.advisor_registry(county) if a.id == advisor_id)
    assert (info.kind_label, info.specialties, info.active) == ("律师", "婚姻家庭、土地", True)
    changes = adv.update_advisor(county, advisor_id, replace(info.to_input(), active=False),
                                 expected_version=info.version)
    assert changes.reference and changes.reminders
    assert next(a for a in adv.advisor_registry(county) if a.id == advisor_id).version == info.version + 1


def test_overlapping_primary_appointments_of_a_village_are_refused(county):
    other = _new_advisor(county)
    with pytest.raises(ValidationError) as e:
        adv.add_appointment(county, adv.AppointmentInput(other, DONGGUAN, D(2026, 12, 1), D(2027, 11, 30)))
    assert e.value.path == "start"
    assert "东关村在2026-01-01至2026-12-31已有法律顾问陈立新" in e.value.message
    # The next term may start the day after the current one ends; one advisor may serve several villages.
    adv.add_appointment(county, adv.AppointmentInput(other, DONGGUAN, D(2027, 1, 1), D(2027, 12, 31)))
    adv.add_appointment(county, adv.AppointmentInput(other, NANJIE, D(2026, 1, 1), D(2026, 12, 31), True))
    # A second, non-primary appointment of another advisor may overlap; the same advisor's may not.
    adv.add_appointment(county, adv.AppointmentInput(_chen(county), NANJIE, D(2026, 6, 1), D(2026, 12, 31),
                                                     is_primary=False))
    with pytest.raises(ValidationError, match="聘期不能重叠"):
        adv.add_appointment(county, adv.AppointmentInput(other, NANJIE, D(2026, 3, 1), D(2026, 4, 1),
                                                         is_primary=False))
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        adv.add_appointment(county, adv.AppointmentInput(other, PARK, D(2026, 3, 1), D(2026, 2, 1)))
    # Extending a term into the next one is refused too; ending it early is fine.
    current = next(p for a in adv.advisor_registry(county) if a.name == "陈立新" for p in a.appointments
                   if p.village_code == DONGGUAN)
    with pytest.raises(ValidationError, match="已有法律顾问王律"):
        adv.update_appointment(county, current.id, end=D(2027, 3, 31))
    adv.end_appointment(county, current.id, D(2026, 11, 30), expected_version=current.version)


def test_coverage_names_villages_without_an_advisor_and_terms_ending_soon(county):
    report = adv.coverage(county, D(2026, 11, 29))
    assert [v.village for v in report.uncovered] == ["南街社区", "城关产业园"]
    dongguan = next(v for v in report.villages if v.village_code == DONGGUAN)
    assert (dongguan.advisor, dongguan.end) == ("陈立新", D(2026, 12, 31))
    assert report.ending == []  # 32 days left
    report = adv.coverage(county, D(2026, 12, 5))
    assert [(e.village, e.advisor, e.days_left, e.renewed_by) for e in report.ending] == [
        ("东关村", "陈立新", 26, None)]
    other = _new_advisor(county)
    adv.add_appointment(county, adv.AppointmentInput(other, DONGGUAN, D(2027, 1, 1), D(2027, 12, 31)))
    assert adv.coverage(county, D(2026, 12, 5)).ending[0].renewed_by == "王律"
    assert adv.coverage(county, D(2026, 12, 5)).to_json()["ending_within_30_days"][0]["renewed_by"] == "王律"
    # An advisor who is no longer active covers nothing.
    chen = next(a for a in adv.advisor_registry(county) if a.name == "陈立新")
    adv.update_advisor(county, chen.id, replace(chen.to_input(), active=False))
    assert "东关村" in [v.village for v in adv.coverage(county, D(2026, 11, 29)).uncovered]


# --- routing and the review workflow -------------------------------------------------------------

def test_a_case_goes_to_its_villages_current_advisor(county):
    case_id = _mediating(county)
    assert adv.advisor_for_case(county, case_id).name == "陈立新"
    review_id = reviews.request_review(county, case_id, note="协议草稿：赔偿8000元").id
    row = reviews.review_row(county, review_id)
    assert (row.advisor, row.requested_on, row.due, row.result) == ("陈立新", D(2026, 11, 29),
                                                                   D(2026, 12, 2), "pending")
    detail = case_detail(county, case_id)
    event = detail.timeline[-1]
    assert (event.action, event.label) == ("review_request", "送法律顾问审查")
    assert "送法律顾问陈立新审查（按聘任自动分派）" in event.note
    review_deadline = next(d for d in detail.deadlines if d.kind == "review")
    assert (review_deadline.due.isoformat(), review_deadline.state) == ("2026-12-02", "open")
    assert ("review", "2026-12-02") in {(r["kind"], r["due"]) for r in open_deadlines(county, D(2026, 11, 30))}
    with pytest.raises(ValidationError, match="尚未办结"):
        reviews.request_review(county, case_id)


def test_after_a_new_term_starts_the_new_advisor_is_chosen_and_the_office_may_pick_another(county):
    other = _new_advisor(county)
    chen = next(a for a in adv.advisor_registry(county) if a.name == "陈立新")
    adv.end_appointment(county, chen.appointments[0].id, D(2026, 10, 31))
    adv.add_appointment(county, adv.AppointmentInput(other, DONGGUAN, D(2026, 11, 1), D(2027, 10, 31)))
    case_id = _mediating(county)
    assert adv.advisor_for_case(county, case_id).name == "王律"
    assert adv.advisor_for_case(county, case_id, D(2026, 10, 20)).name == "陈立新"
    review_id = reviews.request_review(county, case_id, advisor_id=chen.id).id
    assert reviews.review_row(county, review_id).advisor == "陈立新"
    assert "司法所指定" in case_detail(county, case_id).timeline[-1].note


def test_a_village_without_an_advisor_asks_the_office_to_pick_one(county):
    case_id = _mediating(county, NANJIE)
    assert adv.advisor_for_case(county, case_id) is None
    with pytest.raises(ValidationError) as e:
        reviews.request_review(county, case_id)
    assert e.value.path == "advisor_id" and "南街社区目前没有在聘的法律顾问" in e.value.message
    assert reviews.request_review(county, case_id, advisor_id=_chen(county)).id


def test_the_advisor_approves_and_the_opinion_reaches_timeline_deadline_ledger_and_print(county):
    case_id = _mediating(county)
    review_id = reviews.request_review(county, case_id, on=D(2026, 11, 27)).id  # a Friday
    assert reviews.review_row(county, review_id).due == D(2026, 12, 2)  # Mon, Tue, Wed
    with pytest.raises(ValidationError, match="修改后同意须写明需要修改的内容"):
        reviews.decide_review(county, review_id, ReviewResult.AMENDED, " ")
    with pytest.raises(ValidationError, match="不同意须写明理由"):
        reviews.decide_review(county, review_id, ReviewResult.DISAPPROVED, "")
    with pytest.raises(ValidationError, match="请选择审查结论"):  # what earlier versions answered
        reviews.decide_review(county, review_id, ReviewResult.RETURNED, "再看看")
    reviews.decide_review(county, review_id, ReviewResult.APPROVED, "协议内容合法，同意签订。",
                          on=D(2026, 11, 28))
    with pytest.raises(ValidationError, match="不能重复提交"):
        reviews.decide_review(county, review_id, ReviewResult.DISAPPROVED, "再看看")
    detail = case_detail(county, case_id)
    assert detail.timeline[-1].note == "法律顾问陈立新审查意见：同意。协议内容合法，同意签订。"
    deadline = next(d for d in detail.deadlines if d.kind == "review")
    assert (deadline.state, deadline.closed_on) == ("met", date(2026, 11, 28))
    assert [r.turnaround_days for r in reviews.reviews_for_case(county, case_id)] == [1]
    rows = ledger.ledger_rows(county)
    assert [(r.source, r.kind_label, r.case_id, r.village) for r in rows] == [
        ("review", "法律咨询（出具法律意见）", case_id, "东关村")]
    values = review_opinion.review_form_values(county, review_id)
    assert (values["advisor"], values["result"], values["reviewed_on"]) == ("陈立新", "同意", "2026年11月28日")
    pdf = review_opinion.render_review_opinion(county, review_id)
    assert pdf.data.startswith(b"%PDF") and pdf.title == "法律顾问审查意见书" and pdf.warnings == []
    assert render_document(county, case_id, "advisor_review", "docx")[:2] == b"PK"  # a blank form


def test_without_an_approved_review_a_written_agreement_is_warned_or_refused_by_setting(county):
    warned = _mediating(county)
    uc.conclude_agreement(county, warned, agreement_input(D(2026, 11, 20), deadline=D(2026, 12, 15)))
    note = case_detail(county, warned).timeline[-1].note
    assert note == "书面协议；警示：未经法律顾问审查即签订书面协议"

    set_setting(county, "advisors.require_review_approval", 1)
    refused = _mediating(county)
    with pytest.raises(ValidationError) as e:
        uc.conclude_agreement(county, refused, agreement_input(D(2026, 11, 20), deadline=D(2026, 12, 15)))
    assert e.value.path == "review" and "须经法律顾问审查同意" in e.value.message
    review_id = reviews.request_review(county, refused, on=D(2026, 11, 20)).id
    with pytest.raises(ValidationError, match="审查尚未办结"):
        uc.conclude_agreement(county, refused, agreement_input(D(2026, 11, 21), deadline=D(2026, 12, 15)))
    reviews.decide_review(county, review_id, ReviewResult.APPROVED, "同意。", on=D(2026, 11, 21))
    uc.conclude_agreement(county, refused, agreement_input(D(2026, 11, 21), deadline=D(2026, 12, 15)))
    assert case_detail(county, refused).timeline[-1].note == "书面协议"


# --- scoping -----------------------------------------------------------------------------------

def _advisor_login(ctx, advisor_id: int) -> CurrentUser:
    user = create_user(ctx, username="chenlx", display_name="陈立新", password="lvshi2026",
                       role=Role.ADVISOR, organization_id=None)
    adv.link_user_to_advisor(ctx, user.id, advisor_id)
    return replace(user, role=Role.ADVISOR)


def test_an_advisor_cannot_read_a_case_outside_their_villages_through_any_read_service(county):
    inside = _mediating(county)
    outside = _mediating(county, NANJIE)
    assigned = _mediating(county, PARK)
    reviews.request_review(county, inside, on=D(2026, 11, 20))
    reviews.request_review(county, assigned, advisor_id=_chen(county))  # the office's pick
    other = _new_advisor(county)
    adv.add_appointment(county, adv.AppointmentInput(other, NANJIE, D(2026, 1, 1), D(2026, 12, 31)))
    other_review = reviews.request_review(county, outside).id
    ledger.add_ledger_entry(county, ledger.LedgerInput(other, D(2026, 11, 2), LedgerKind.OTHER, "咨询",
                                                       NANJIE))
    county.user = _advisor_login(county, _chen(county))

    assert {r.id for r in list_cases(county, CaseFilter())} == {inside, assigned}
    assert count_cases(county, CaseFilter()) == 2
    assert {r.id for r in case_page(county, CaseFilter(), with_total=True).rows} == {inside, assigned}
    assert list_cases(county, CaseFilter(village_code=NANJIE)) == []
    assert {r["case_id"] for r in open_deadlines(county, D(2026, 11, 29))} <= {inside, assigned}
    assert case_detail(county, inside).id == inside
    for read in (lambda: case_detail(county, outside),
                 lambda: reviews.reviews_for_case(county, outside),
                 lambda: reviews.review_detail(county, other_review),
                 lambda: reviews.review_row(county, other_review),
                 lambda: render_document(county, outside, "advisor_review"),
                 lambda: reviews.decide_review(county, other_review, ReviewResult.APPROVED, "同意")):
        with pytest.raises(PermissionDenied):
            read()
    assert [r.case_id for r in reviews.review_queue(county, advisor_id=other)] == [inside, assigned]
    assert reviews.review_detail(county, reviews.review_queue(county)[1].id).case.id == assigned
    assert ledger.ledger_rows(county, advisor_id=other) == []
    assert {d.advisor for d in village_deadlines(county, D(2026, 11, 29))} == {"陈立新"}
    with pytest.raises(PermissionDenied):
        reviews.request_review(county, inside)
    with pytest.raises(PermissionDenied):
        ledger.add_ledger_entry(county, ledger.LedgerInput(other, D(2026, 11, 2), LedgerKind.OTHER, "x"))
    # An office account sees everything again.
    county.user = None
    assert count_cases(county, CaseFilter()) == 3


def test_an_advisor_account_without_an_advisor_record_sees_nothing(county):
    _mediating(county)
    user = create_user(county, username="nobody", display_name="某顾问", password="lvshi2026",
                       role=Role.ADVISOR, organization_id=None)
    county.user = user
    assert list_cases(county, CaseFilter()) == [] and reviews.review_queue(county) == []


# --- the ledger, the summary and the village deadlines ----------------------------------------------

def test_ledger_entries_are_checked_and_mediations_joined_are_added(county):
    chen = _chen(county)
    with pytest.raises(ValidationErrors) as e:
        ledger.add_ledger_entry(county, ledger.LedgerInput(chen, D(2026, 11, 2), LedgerKind.LECTURE, "",
                                                           NANJIE, people_served=-1, hours="25"))
    assert {x.path for x in e.value.errors} == {"content", "people_served", "hours", "village_code"}
    entry = ledger.add_ledger_entry(county, ledger.LedgerInput(
        chen, D(2026, 11, 2), LedgerKind.LECTURE, "《民法典》婚姻家庭编讲座", DONGGUAN, 40, "2.5", True)).id
    ledger.update_ledger_entry(county, entry, ledger.LedgerInput(
        chen, D(2026, 11, 2), LedgerKind.LECTURE, "《民法典》婚姻家庭编讲座", DONGGUAN, 45, "2", True))
    case_id = _mediating(county)
    uc.record_session(county, case_id, uc.SessionInput(D(2026, 11, 5), SessionKind.MEDIATION, "东关村委会",
                                                       "双方当事人、法律顾问陈立新", "释法说理。"))
    rows = ledger.ledger_rows(county, advisor_id=chen)
    assert [(r.on, r.kind, r.source, r.minutes, r.people_served) for r in rows] == [
        (D(2026, 11, 5), "mediation", "mediation", 0, 0), (D(2026, 11, 2), "lecture", "manual", 120, 45)]
    assert rows[1].hours == 2 and rows[0].content.startswith("参与调解案件")
    review_id = reviews.request_review(county, case_id, on=D(2026, 11, 6)).id
    reviews.decide_review(county, review_id, ReviewResult.DISAPPROVED, "第二条履行期限不明确。",
                          on=D(2026, 11, 6))
    with county.read() as session:
        automatic = session.exec(select(LedgerEntry.id).where(LedgerEntry.source == "review")).one()
    with pytest.raises(ValidationError, match="自动生成"):
        ledger.delete_ledger_entry(county, automatic)
    ledger.delete_ledger_entry(county, entry)
    assert [r.source for r in ledger.ledger_rows(county)] == ["review", "mediation"]


def test_the_yearly_summary_counts_services_reviews_and_turnaround(county):
    chen = _chen(county)
    ledger.add_ledger_entry(county, ledger.LedgerInput(chen, D(2026, 11, 2), LedgerKind.ON_SITE, "坐班",
                                                       DONGGUAN, 6, "4", True))
    for requested, decided in ((D(2026, 11, 20), D(2026, 11, 23)), (D(2026, 11, 24), D(2026, 11, 25))):
        case_id = _mediating(county)
        review_id = reviews.request_review(county, case_id, on=requested).id
        reviews.decide_review(county, review_id, ReviewResult.APPROVED, "同意。", on=decided)
    summary = next(s for s in ledger.yearly_summary(county, 2026) if s.name == "陈立新")
    assert summary.villages == ["东关村"]
    assert (summary.services, summary.by_kind["on_site"], summary.by_kind["consultation"]) == (3, 1, 2)
    assert (summary.reviews, summary.approved, summary.average_turnaround_days) == (2, 2, 2)
    assert (summary.hours, summary.on_site_hours, summary.people_served) == (4, 4, 6)
    assert (summary.visit_months_met, summary.visit_months) == (1, 11)
    book = load_workbook(io.BytesIO(export_yearly_summary_xlsx(county, 2026)))
    assert book.sheetnames == ["年度汇总", "服务台账"]
    header = [c.value for c in book["年度汇总"][1]]
    row = dict(zip(header, [c.value for c in book["年度汇总"][2]], strict=True))
    assert (row["姓名"], row["审查件数"], row["平均办理天数"], row["法治讲座"]) == ("陈立新", 2, 2.0, 0)
    assert book["服务台账"].max_row == 4


def test_village_deadlines_for_visits_lectures_and_ending_terms(county):
    chen = _chen(county)
    found = {d.key: d for d in village_deadlines(county, D(2026, 11, 29))}
    visit = found["advisor_visit:419901100201:2026-11"]
    assert isinstance(visit, VillageDeadline) and visit.village_code == DONGGUAN
    assert (visit.kind, visit.due, visit.advisor) == ("advisor_visit", D(2026, 11, 30), "陈立新")
    assert visit.target == "东关村：本月到村服务0次/0.0小时，应至少1次、4小时"
    assert found["advisor_visit:419901100201:2026Q4:lecture"].due == D(2026, 12, 31)
    assert not any(d.kind == "appointment_end" for d in found.values())  # 32 days left
    ledger.add_ledger_entry(county, ledger.LedgerInput(chen, D(2026, 11, 10), LedgerKind.ON_SITE, "坐班",
                                                       DONGGUAN, 3, 3, True))
    assert "advisor_visit:419901100201:2026-11" in {d.key for d in village_deadlines(
        county, D(2026, 11, 29))}  # 3 of 4 hours
    ledger.add_ledger_entry(county, ledger.LedgerInput(chen, D(2026, 11, 12), LedgerKind.LECTURE, "讲座",
                                                       DONGGUAN, 30, 1, True))
    assert village_deadlines(county, D(2026, 11, 29)) == []

    term = next(p for a in adv.advisor_registry(county) if a.id == chen for p in a.appointments)
    adv.end_appointment(county, term.id, D(2026, 12, 20))
    ending = village_deadlines(county, D(2026, 11, 29))
    assert [(d.kind, d.due, d.key, d.village_code) for d in ending] == [
        ("appointment_end", D(2026, 12, 20), f"appointment_end:{term.id}", DONGGUAN)]
    # A term that ran out with nobody after it stays on the list (overdue) for a month.
    adv.end_appointment(county, term.id, D(2026, 11, 25))
    assert [d.due for d in village_deadlines(county, D(2026, 11, 29))] == [D(2026, 11, 25)]
    adv.add_appointment(county, adv.AppointmentInput(_new_advisor(county), DONGGUAN, D(2026, 11, 26),
                                                     D(2027, 11, 25)))
    assert not any(d.kind == "appointment_end" for d in village_deadlines(county, D(2026, 11, 29)))


# --- the .xlsx sheet ----------------------------------------------------------------------------

def test_advisors_round_trip_through_xlsx_and_a_faulty_sheet_writes_nothing(county, tmp_path):
    _new_advisor(county)
    data = export_advisors_xlsx(county, tmp_path / "advisors.xlsx")
    assert (tmp_path / "advisors.xlsx").read_bytes() == data
    result = import_advisors_xlsx(county, data)
    assert (result.advisors_added, result.advisors_updated, result.appointments_added,
            result.appointments_unchanged) == (0, 2, 0, 1)

    book = Workbook()
    sheet = book.active
    sheet.append(["姓名", "类别", "执业机构", "执业证号", "联系电话", "村（社区）区划代码", "聘期开始", "聘期结束",
                  "法治副主任"])
    sheet.append(["赵法", "基层法律服务工作者", "城关法律服务所", "34199201210055555", "13903710005", NANJIE,
                  D(2026, 1, 1), "2026-12-31", "是"])
    sheet.append(["钱律", "律师", "", "", "13903710006", DONGGUAN, "2026-06-01", "2026-12-31", ""])
    sheet.append(["孙律", "律师助理", "", "", "", "", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(ValidationErrors) as e:
        import_advisors_xlsx(county, buffer.getvalue())
    messages = [x.message for x in e.value.errors]
    assert len(messages) == 2
    assert messages[0].startswith("第3行聘期开始：")
    assert "已有法律顾问陈立新" in messages[0]
    assert messages[1].startswith("第4行类别：")
    assert "赵法" not in {a.name for a in adv.advisor_registry(county)}

    sheet.delete_rows(3, 2)
    buffer = io.BytesIO()
    book.save(buffer)
    result = import_advisors_xlsx(county, buffer.getvalue())
    assert (result.advisors_added, result.appointments_added) == (1, 1)
    zhao = next(a for a in adv.advisor_registry(county) if a.name == "赵法")
    assert zhao.kind == "legal_worker" and zhao.appointments[0].legal_deputy
    assert "南街社区" not in [v.village for v in adv.coverage(county, D(2026, 11, 29)).uncovered]


def test_attachments_exports_headings_and_earlier_cases_are_scoped_for_an_advisor(county, tmp_path):
    from mediator.services.cases.attachments import (
        add_attachment,
        export_attachment,
        list_attachments,
    )
    from mediator.services.cases.list_page import case_heading
    from mediator.services.exchange.export import export_document
    from tests.helpers import applicant

    inside = _mediating(county)
    outside = _mediating(county, NANJIE)
    note = tmp_path / "现场照片.txt"
    note.write_bytes("南街".encode())
    attachment = add_attachment(county, outside, note)
    county.user = _advisor_login(county, _chen(county))

    for read in (lambda: list_attachments(county, outside),
                 lambda: export_attachment(county, attachment.id, tmp_path),
                 lambda: case_heading(county, outside)):
        with pytest.raises(PermissionDenied):
            read()
    assert case_heading(county, inside).id == inside
    with pytest.raises(PermissionDenied):  # the role matrix: advisors read, they do not export
        export_document(county)
    assert [e.id for e in uc.earlier_cases_of(county, [applicant()])] == [inside]
    county.user = None
    assert {e.id for e in uc.earlier_cases_of(county, [applicant()])} == {inside, outside}
