"""Import and export of `mediator-case/1`: statutes on import, all-or-nothing, faithful round trip."""
from __future__ import annotations

import copy
import json
from datetime import date

import pytest
from sqlmodel import func, select

from mediator.domain.enums import CaseStatus
from mediator.domain.errors import ValidationErrors
from mediator.domain.lifecycle import Action, forbidden_message
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.drafts import DraftInput, draft_agreement, save_draft_agreement
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.exchange.export import export_document
from mediator.services.exchange.importer import import_document, import_file
from mediator.store.models import Case, Organization, Region, TimelineEvent
from tests.helpers import (
    SAMPLE_DRAFTS,
    SAMPLE_SUPPLEMENTS,
    agreement_input,
    case_input,
    drafted_document,
    sample_document,
    supplemented_document,
)
from tests.templates import migrated_sqlite


def _detail(ctx, ref):
    return case_detail(ctx, find_case_id(ctx, ref))


def _deadlines(detail):
    return {(d.kind, d.start.isoformat()): (d.due.isoformat(), d.state) for d in detail.deadlines}


def _errors(ctx, doc) -> dict[str, str]:
    with pytest.raises(ValidationErrors) as info:
        import_document(ctx, doc)
    return {e.path: e.message for e in info.value.errors}


def _count(ctx, model) -> int:
    with ctx.read() as s:
        return s.exec(select(func.count()).select_from(model)).one()


def test_sample_file_imports_with_statuses_the_statutes_give(ctx):
    result = import_document(ctx, sample_document())
    assert result.cases == 3 and result.regions == 5 and result.organizations == 3

    first = _detail(ctx, "SF-2026-001")
    assert first.status == "performed"
    assert first.number == "（2026）城关人调字第1号"
    assert all(e.imported for e in first.timeline[1:])
    assert _deadlines(first) == {
        # one month from acceptance on 2026-06-01 ends 2026-07-01 (Wednesday); agreed 06-10
        ("handling", "2026-06-01"): ("2026-07-01", "met"),
        # 30 days after the written agreement of 06-10 end on Friday 07-10; applied 06-20
        ("judicial_confirmation", "2026-06-10"): ("2026-07-10", "met"),
        # the parties' own date stays as written, even a Sunday
        ("performance", "2026-06-10"): ("2026-07-05", "met"),
        # 7 days after 07-05 end on Sunday 07-12, moved to Monday 07-13; visited 07-12
        ("follow_up", "2026-07-05"): ("2026-07-13", "met"),
        # township level: 30 days from 06-01 end on Friday 07-01; concluded 06-10
        ("escalation", "2026-06-01"): ("2026-07-01", "met"),
    }

    second = _detail(ctx, "SF-2026-002")
    assert second.status == "accepted" and second.level == "grid"
    assert _deadlines(second) == {
        # one month from 2026-11-20 ends Sunday 12-20, moved to Monday 12-21
        ("handling", "2026-11-20"): ("2026-12-21", "open"),
        # grid level: 3 days from 11-20 end Monday 11-23; overdue on 11-29
        ("escalation", "2026-11-20"): ("2026-11-23", "overdue"),
    }

    third = _detail(ctx, "SF-2026-003")
    assert third.status == "registered"
    assert third.track == "administrative" and third.organization == "城关镇自然资源所"
    assert [e.action for e in third.timeline] == [
        "register", "accept", "start", "record_session", "fail", "transfer"]
    assert set(third.risk.flags) == {"group", "criminal"}


def _drafted_by_hand(ctx) -> None:
    """Two cases drafted through the use cases: one revised and still 调解中, one signed from it."""
    drafts = []
    for day in (14, 15):
        case_id = uc.register_case(ctx, case_input(received_on=date(2026, 10, day))).id
        uc.accept_case(ctx, case_id, date(2026, 10, day))
        uc.start_mediation(ctx, case_id, date(2026, 10, day + 1))
        draft = DraftInput(["被申请人于2026年12月15日前支付修缮费人民币捌仟元整。"], "楼上漏水。", "银行转账",
                           date(2026, 12, 15), "8000", None)
        save_draft_agreement(ctx, case_id, draft, case_detail(ctx, case_id).version)
        drafts.append((case_id, draft))
    case_id, draft = drafts[0]
    save_draft_agreement(ctx, case_id, DraftInput([*draft.items, "申请人不再主张其他权利。"], draft.facts,
                                                  draft.performance, None, "7500.5", 4),
                         case_detail(ctx, case_id).version)
    case_id, draft = drafts[1]
    uc.conclude_agreement(ctx, case_id, agreement_input(date(2026, 11, 29), items=list(draft.items),
                                                        facts=draft.facts, performance=draft.performance,
                                                        deadline=date(2026, 12, 20), amount_yuan="8000"))


def test_export_then_import_into_an_empty_database_then_export_is_identical(ctx, database, tmp_path):
    import_document(ctx, drafted_document())
    _drafted_by_hand(ctx)
    first = export_document(ctx)
    assert first["cases"][0]["supplements"] == SAMPLE_SUPPLEMENTS
    assert [c["supplements"] for c in first["cases"][1:]] == [[]] * 4
    by_ref = {c["summary"] if c["ref"] is None else c["ref"]: c["draft"] for c in first["cases"]}
    assert [by_ref["SF-2026-001"], by_ref["SF-2026-002"], by_ref["SF-2026-003"]] == [*SAMPLE_DRAFTS, None]
    by_hand = [c["draft"] for c in first["cases"] if c["received_on"] in ("2026-10-14", "2026-10-15")]
    assert [(d["revision"], d["signed"], d["amount_yuan"], d["copies"], d["deadline"], len(d["items"]))
            for d in by_hand] == [(2, False, "7500.50", 4, None, 2), (2, True, "8000.00", None, "2026-12-20", 1)]
    from mediator.services.context import ServiceContext

    other_db = migrated_sqlite(tmp_path / 'other.db')
    other = ServiceContext(other_db, actor="另一台电脑", clock=ctx.clock)
    import_document(other, json.loads(json.dumps(first)))
    second = export_document(other)
    first.pop("exported_at"), second.pop("exported_at")
    assert second == first
    other_db.dispose()


def test_imported_supplements_are_read_in_order_with_their_timeline_lines(ctx):
    import_document(ctx, supplemented_document())
    detail = _detail(ctx, "SF-2026-001")
    assert [(x.seq, x.kind, x.signed_on.isoformat(), x.terms, x.reason) for x in detail.supplements] == [
        (1, "change", "2026-07-20", ("赡养费改为每月10日前支付。",), "杨国强工资发放日调整。"),
        (2, "supplement", "2026-07-15", ("刘桂兰的体检费用由子女三人平均分担。", "体检后十日内凭票据支付。"),
         "原协议未约定体检费用的分担。")]
    lines = [e for e in detail.timeline if e.action == "supplement"]
    assert [(e.data["seq"], e.imported, e.from_status == e.to_status) for e in lines] == \
        [(2, True, True), (1, True, True)]  # on the timeline by date
    assert lines[1].note == "签订第1号变更协议（2026-07-20）：赡养费改为每月10日前支付。。原因：杨国强工资发放日调整。"
    assert detail.status == "performed"


def test_imported_drafts_are_read_with_one_timeline_line_each(ctx):
    import_document(ctx, drafted_document())
    signed, open_ = (_detail(ctx, ref) for ref in ("SF-2026-001", "SF-2026-002"))
    draft = draft_agreement(ctx, signed.id)
    assert (draft.revision, draft.signed, draft.text.items, draft.text.deadline, draft.text.amount_yuan) == (
        3, True, tuple(SAMPLE_DRAFTS[0]["items"]), date(2026, 7, 5), "3600.00")
    actions = [e.action for e in signed.timeline]
    assert actions.index("draft_agreement") == actions.index("agree") - 1  # frozen as it was signed
    line = signed.timeline[actions.index("draft_agreement")]
    assert (line.on.isoformat(), line.imported, line.note) == ("2026-06-10", True,
                                                               "拟定协议（第3稿，签订时定稿）：协议条款2条")
    draft = draft_agreement(ctx, open_.id)
    assert (draft.revision, draft.signed, draft.text.copies, open_.status) == (2, False, None, "mediating")
    assert [(e.action, e.on.isoformat(), e.note) for e in open_.timeline[-1:]] == [
        ("draft_agreement", "2026-11-21", "拟定协议（第2稿）：协议条款2条")]
    assert draft_agreement(ctx, _detail(ctx, "SF-2026-003").id) is None


def test_a_draft_left_behind_by_a_failed_mediation_is_not_exported(ctx, tmp_path):
    import_document(ctx, drafted_document())
    case_id = _detail(ctx, "SF-2026-002").id
    uc.fail_mediation(ctx, case_id, "双方分歧过大。", date(2026, 11, 28))
    assert draft_agreement(ctx, case_id).signed is False  # the row stays, unsigned
    doc = export_document(ctx)
    assert {c["ref"]: c["draft"] is not None for c in doc["cases"]} == {
        "SF-2026-001": True, "SF-2026-002": False, "SF-2026-003": False}
    from mediator.services.context import ServiceContext

    other_db = migrated_sqlite(tmp_path / "other.db")
    assert import_document(ServiceContext(other_db, actor="另一台电脑", clock=ctx.clock), doc).cases == 3
    other_db.dispose()


def test_faulty_drafts_are_named_at_their_place_and_nothing_is_imported(ctx):
    doc = drafted_document()
    doc["cases"][0]["draft"]["signed"] = False  # the case is 已履行 now
    doc["cases"][1]["draft"]["items"] = [" "]
    doc["cases"][2]["draft"] = {"revision": 0, "items": ["x"], "signed": "yes", "colour": "red"}
    errors = _errors(ctx, doc)
    assert errors == {
        "cases[0].draft": "案件“SF-2026-001”为已履行，不在调解中，未签订的协议草稿（draft）不能导入",
        "cases[1].draft.items": "协议草稿至少需要一条协议内容",
        "cases[2].draft.colour": "未知字段“colour”",
        "cases[2].draft.revision": errors["cases[2].draft.revision"],
        "cases[2].draft.signed": "是否已签订应为true或false",
    }
    assert "1" in errors["cases[2].draft.revision"]
    assert _count(ctx, Case) == 0 and _count(ctx, TimelineEvent) == 0
    doc = drafted_document()
    doc["cases"][1]["events"].pop()  # 已受理, never in mediation
    doc["cases"][2]["draft"] = dict(SAMPLE_DRAFTS[0])  # signed, but never agreed
    assert _errors(ctx, doc) == {
        "cases[1].draft": "案件“SF-2026-002”为已受理，不在调解中，未签订的协议草稿（draft）不能导入",
        "cases[2].draft.signed": "协议草稿已签订，但办理事件中没有“达成协议”（agree）"}
    assert _count(ctx, Case) == 0


def test_faulty_supplements_are_named_at_their_place(ctx):
    doc = supplemented_document()
    doc["cases"][0]["supplements"][1]["terms"] = ["  "]
    doc["cases"][1]["supplements"] = [{"kind": "swap", "signed_on": "2026-11-21", "terms": ["x"],
                                       "reason": "y", "colour": "red"}]
    doc["cases"][2]["supplements"] = [{"kind": "change", "signed_on": "2026-11-21", "terms": ["x"],
                                       "reason": "y"}]
    errors = _errors(ctx, doc)
    assert errors["cases[0].supplements[1].terms"] == "请至少填写一条协议内容"
    assert "swap" in errors["cases[1].supplements[0].kind"]
    assert errors["cases[1].supplements[0].colour"] == "未知字段“colour”"
    assert errors["cases[2].supplements[0].kind"] == "尚未达成协议，不能签订变更（补充）协议"
    assert _count(ctx, Case) == 0
    doc = supplemented_document()
    doc["cases"][0]["supplements"][0]["signed_on"] = "2026-06-01"  # before the agreement
    assert _errors(ctx, doc) == {"cases[0].supplements[0].kind": "尚未达成协议，不能签订变更（补充）协议"}


def test_a_broken_file_imports_nothing_and_names_every_fault(ctx):
    doc = sample_document()
    case = doc["cases"][0]
    case["parties"][0]["id_number"] = "419901194803152120"  # wrong check digit
    case["parties"][1]["gender"] = "female"  # the number says male
    case["amount_yuan"] = "-10.00"
    doc["cases"][1]["village_code"] = "419901100299"  # no such village
    doc["cases"][1]["events"] = [{"on": "2026-11-21", "action": "start"},
                                 {"on": "2026-11-20", "action": "accept"}]
    doc["cases"][2]["agreement"] = None
    errors = _errors(ctx, doc)
    assert errors["cases[0].parties[0].id_number"] == "身份证号校验位错误"
    assert errors["cases[0].parties[1].gender"] == "性别与身份证号不符"
    assert errors["cases[0].amount_yuan"] == "涉及金额不能为负数"
    assert "419901100299" in errors["cases[1].village_code"]
    assert errors["cases[1].events[0].action"].startswith("第1个事件：案件状态为“待受理”")
    assert _count(ctx, Case) == 0 and _count(ctx, Region) == 0 and _count(ctx, Organization) == 0


def test_an_illegal_event_order_is_reported_at_the_event(ctx):
    doc = sample_document()
    doc["cases"][1]["events"] = [{"on": "2026-11-20", "action": "start"}]
    errors = _errors(ctx, doc)
    assert "待受理" in errors["cases[1].events[0].action"]
    assert _count(ctx, Case) == 0 and _count(ctx, TimelineEvent) == 0


def test_an_illegal_move_is_reported_with_the_cases_other_faults(ctx):
    """受理 → 归档 is named at the move, not only through the agreement left without 达成协议."""
    doc = sample_document()
    case = doc["cases"][0]
    case["events"] = [{"on": "2026-06-01", "action": "accept"}, {"on": "2026-06-20", "action": "archive"}]
    case["parties"][0]["phone"] = "12"
    case["follow_ups"] = []
    errors = _errors(ctx, doc)
    assert errors["cases[0].events[1].action"] == "第2个事件：" + forbidden_message(CaseStatus.ACCEPTED,
                                                                                 Action.ARCHIVE)
    assert "达成协议" in errors["cases[0].agreement"]
    assert "cases[0].parties[0].phone" in errors
    assert _count(ctx, Case) == 0


def test_events_out_of_date_order_are_refused(ctx):
    doc = sample_document()
    doc["cases"][0]["events"][1]["on"] = "2026-05-31"
    errors = _errors(ctx, doc)
    assert "cases[0].events[1].on" in errors


def test_agree_without_agreement_and_unknown_keys_are_errors(ctx):
    doc = sample_document()
    doc["cases"][0]["agreement"] = None
    doc["cases"][1]["colour"] = "red"
    doc["cases"][2]["parties"][0]["nickname"] = "山哥"
    errors = _errors(ctx, doc)
    assert "须提供协议内容" in errors["cases[0].agreement"]
    assert errors["cases[1].colour"] == "未知字段“colour”"
    assert errors["cases[2].parties[0].nickname"] == "未知字段“nickname”"


def test_money_with_three_decimals_and_a_float_are_refused(ctx):
    doc = sample_document()
    doc["cases"][0]["agreement"]["amount_yuan"] = "3600.001"
    doc["cases"][1]["amount_yuan"] = 12.5
    errors = _errors(ctx, doc)
    assert errors["cases[0].agreement.amount_yuan"] == "协议金额最多两位小数"
    assert "字符串" in errors["cases[1].amount_yuan"]


def test_a_region_whose_code_does_not_start_with_its_parent_is_refused(ctx):
    doc = sample_document()
    doc["regions"][2]["code"] = "419902100201"
    errors = _errors(ctx, doc)
    assert "regions[2].code" in errors


def test_importing_the_same_ref_twice_is_refused(ctx):
    import_document(ctx, sample_document())
    doc = sample_document()
    doc["cases"] = doc["cases"][:1]
    errors = _errors(ctx, doc)
    assert "不能重复导入" in errors["cases[0].ref"]
    assert _count(ctx, Case) == 3


def test_duplicate_refs_inside_one_file_are_refused(ctx):
    doc = sample_document()
    doc["cases"].append(copy.deepcopy(doc["cases"][1]))
    errors = _errors(ctx, doc)
    assert "cases[3].ref" in errors


def test_a_file_that_is_not_json_is_reported_with_its_line(ctx, tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"format": "mediator-case/1",\n "cases": [}', encoding="utf-8")
    with pytest.raises(ValidationErrors) as info:
        import_file(ctx, path)
    assert "第2行" in info.value.errors[0].message


def test_a_wrong_format_marker_is_refused(ctx):
    errors = _errors(ctx, {"format": "something-else/2", "cases": []})
    assert "format" in errors


def test_existing_reference_rows_must_agree(ctx):
    import_document(ctx, sample_document())
    doc = sample_document()
    doc["cases"] = []
    doc["organizations"][0]["kind"] = "village_committee"
    errors = _errors(ctx, doc)
    assert "类型与文件不符" in errors["organizations[0].kind"]


def test_rare_characters_survive_the_round_trip(ctx):
    doc = sample_document()
    doc["cases"] = doc["cases"][1:2]
    doc["cases"][0]["parties"][0]["name"] = "𠮷㙟堃"
    import_document(ctx, doc)
    exported = export_document(ctx)
    assert exported["cases"][0]["parties"][0]["name"] == "𠮷㙟堃"


def test_a_cancelled_import_writes_nothing(ctx):
    from mediator.services.exchange.importer import ImportCancelled

    with pytest.raises(ImportCancelled):
        import_document(ctx, sample_document(), cancel=lambda: True)
    assert _count(ctx, Case) == 0 and _count(ctx, Region) == 0


def test_overlapping_advisor_appointments_in_a_file_are_refused(ctx):
    doc = sample_document()
    doc["cases"] = []
    second = dict(doc["advisors"][0], name="王律", license_no="14199201210044444", phone="13903710002")
    second["villages"] = [{"code": "419901100201", "from": "2026-06-01", "to": "2026-12-31"}]
    doc["advisors"].append(second)
    errors = _errors(ctx, doc)
    assert "只能有一名在聘法律顾问" in errors["advisors[1].villages[0].from"]


def test_reimporting_the_same_appointments_is_fine(ctx):
    doc = sample_document()
    doc["cases"] = []
    import_document(ctx, doc)
    import_document(ctx, sample_document() | {"cases": []})
