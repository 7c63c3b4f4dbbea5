"""The draft agreement (拟定协议) on SQLite and PostgreSQL: drafting and revising with history, the
advisor's review of a draft, the signing gate, and archiving with a review pending."""
from __future__ import annotations

from datetime import date

import pytest

from mediator.domain.enums import ReviewResult
from mediator.domain.errors import ConflictError, ValidationError, ValidationErrors
from mediator.services.advisors import reviews
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.drafts import DraftInput, draft_agreement, save_draft_agreement
from mediator.services.cases.read import case_detail
from mediator.services.documents.context import document_context
from mediator.services.documents.rendering import get_form, render
from mediator.services.settings import set_setting
from tests.documents.test_new_forms import in_order, pdf_text
from tests.helpers import DONGGUAN, agreement_input, case_input, seed_county

D = date
TERMS = ["被申请人于2026年12月15日前支付申请人修缮费人民币捌仟元整。", "申请人不再就此事主张其他权利。"]


@pytest.fixture
def county(ctx):
    seed_county(ctx)  # 陈立新 serves 东关村 in 2026
    return ctx


@pytest.fixture
def mediating(county) -> int:
    case_id = uc.register_case(county, case_input(village_code=DONGGUAN, grid="一网格")).id
    uc.accept_case(county, case_id, D(2026, 10, 15))
    uc.start_mediation(county, case_id, D(2026, 10, 16))
    return case_id


def _version(ctx, case_id) -> int:
    return case_detail(ctx, case_id).version


def _draft(**overrides) -> DraftInput:
    values = dict(items=list(TERMS), facts="楼上漏水致楼下房屋受损。", performance="一次性银行转账",
                  deadline=D(2026, 12, 15), amount_yuan="8000", copies=3)
    values.update(overrides)
    return DraftInput(**values)


def _signing(**overrides):
    values = dict(items=list(TERMS), facts="楼上漏水致楼下房屋受损。", performance="一次性银行转账",
                  deadline=D(2026, 12, 15), amount_yuan="8000", copies=3)
    values.update(overrides)
    return agreement_input(D(2026, 11, 29), **values)


def test_a_draft_is_saved_then_revised_with_each_change_kept(county, mediating):
    assert draft_agreement(county, mediating) is None
    save_draft_agreement(county, mediating, _draft(), _version(county, mediating))
    draft = draft_agreement(county, mediating)
    assert (draft.revision, draft.text.items, draft.text.amount_yuan, draft.updated_by) == (
        1, tuple(TERMS), "8000.00", "测试员")
    event = case_detail(county, mediating).timeline[-1]
    assert (event.action, event.label, event.note) == ("draft_agreement", "拟定协议",
                                                                "拟定协议（第1稿）：协议条款2条")

    changed = _draft(items=[TERMS[0].replace("捌仟", "柒仟"), TERMS[1], "本协议自双方签字之日起生效。"],
                     amount_yuan="7000", deadline=None)
    save_draft_agreement(county, mediating, changed, draft.case_version)
    draft = draft_agreement(county, mediating)
    assert draft.revision == 2 and draft.text.deadline is None
    event = case_detail(county, mediating).timeline[-1]
    assert (event.action, event.label, event.actor) == ("draft_edit", "修改协议草稿", "测试员")
    shown = [(c["label"], c["from"], c["to"]) for c in event.data["changes"]]
    assert shown == [
        ("协议条款第1条", TERMS[0], TERMS[0].replace("捌仟", "柒仟")),
        ("协议条款第3条", "（无）", "本协议自双方签字之日起生效。"),
        ("履行期限", "2026-12-15", "未约定"), ("协议金额", "8000.00元", "7000.00元")]
    assert event.note.startswith("修改协议草稿（第2稿）：协议条款第1条 ")
    # Saving the same text again writes nothing; a term taken out reads as removed.
    assert save_draft_agreement(county, mediating, changed, draft.case_version).empty
    save_draft_agreement(county, mediating, _draft(items=[TERMS[1]], amount_yuan="7000", deadline=None),
                         draft.case_version)
    changes = case_detail(county, mediating).timeline[-1].data["changes"]
    assert [(c["label"], c["to"]) for c in changes][-1] == ("协议条款第3条", "（无）")


def test_a_stale_draft_save_is_a_conflict_and_a_bad_draft_is_refused(county, mediating):
    version = _version(county, mediating)
    save_draft_agreement(county, mediating, _draft(), version)
    with pytest.raises(ConflictError, match="已被他人修改"):
        save_draft_agreement(county, mediating, _draft(amount_yuan="1"), version)  # a second user's old view
    with pytest.raises(ValidationErrors) as e:
        save_draft_agreement(county, mediating, _draft(items=[" "], amount_yuan="abc", deadline=D(2026, 1, 1)),
                             _version(county, mediating))
    messages = {x.path: x.message for x in e.value.errors}
    assert messages["agreement.items"] == "协议草稿至少需要一条协议内容"
    assert messages["agreement.deadline"] == "履行期限不能早于今天"
    assert "agreement.amount_yuan" in messages


def test_only_a_case_in_mediation_is_drafted_and_signing_freezes_the_draft(county, mediating):
    registered = uc.register_case(county, case_input(village_code=DONGGUAN, grid="一网格")).id
    with pytest.raises(ValidationError, match="不能拟定协议"):
        save_draft_agreement(county, registered, _draft(), _version(county, registered))
    save_draft_agreement(county, mediating, _draft(), _version(county, mediating))
    # Signed with one term changed: the change is the draft's last revision, then it is frozen.
    uc.conclude_agreement(county, mediating, _signing(copies=4))
    draft = draft_agreement(county, mediating)
    assert (draft.revision, draft.signed, draft.text.copies) == (2, True, 4)
    timeline = case_detail(county, mediating).timeline
    assert [e.action for e in timeline[-2:]] == ["draft_edit", "agree"]
    assert "签订时修改协议草稿（第2稿）：协议份数 3份 → 4份" == timeline[-2].note
    with pytest.raises(ValidationError, match="协议已签订"):
        save_draft_agreement(county, mediating, _draft(), _version(county, mediating))


def test_the_advisor_reads_the_draft_as_sent_and_answers_with_reasons(county, mediating):
    save_draft_agreement(county, mediating, _draft(), _version(county, mediating))
    review_id = reviews.request_review(county, mediating).id
    assert "审查协议草稿（第1稿）" in case_detail(county, mediating).timeline[-1].note
    # The mediator revises meanwhile: the advisor still reads what was sent, and is told.
    save_draft_agreement(county, mediating, _draft(performance="现金"), _version(county, mediating))
    detail = reviews.review_detail(county, review_id)
    assert (detail.draft.revision, detail.draft.performance, detail.current_revision) == (1, "一次性银行转账", 2)
    assert detail.review.draft_revision == 1
    for result, message in ((ReviewResult.AMENDED, "修改后同意须写明需要修改的内容"),
                            (ReviewResult.DISAPPROVED, "不同意须写明理由")):
        with pytest.raises(ValidationError, match=message):
            reviews.decide_review(county, review_id, result, "  ")
    reviews.decide_review(county, review_id, ReviewResult.AMENDED, "第一条写明转账账户。")
    row = reviews.review_row(county, review_id)
    assert (row.result_label, row.opinion) == ("修改后同意", "第一条写明转账账户。")
    # 同意 needs no reasons.
    second = reviews.request_review(county, mediating).id
    reviews.decide_review(county, second, ReviewResult.APPROVED, "")
    assert reviews.review_row(county, second).opinion == "同意。"


def test_with_the_setting_signing_waits_for_an_approval_of_the_current_draft(county, mediating):
    set_setting(county, "advisors.require_review_approval", True)
    save_draft_agreement(county, mediating, _draft(), _version(county, mediating))
    with pytest.raises(ValidationError) as e:
        uc.conclude_agreement(county, mediating, _signing())
    assert e.value.path == "review" and "未经法律顾问审查" in e.value.message
    assert "请将协议草稿送法律顾问审查" in e.value.message
    review_id = reviews.request_review(county, mediating).id
    reviews.decide_review(county, review_id, ReviewResult.DISAPPROVED, "第二条违反法律规定。")
    with pytest.raises(ValidationError, match="法律顾问审查意见为不同意"):
        uc.conclude_agreement(county, mediating, _signing())
    review_id = reviews.request_review(county, mediating).id
    reviews.decide_review(county, review_id, ReviewResult.APPROVED, "同意。")
    # Changed after the approval: the approval was of an earlier draft.
    with pytest.raises(ValidationError, match="协议草稿第2稿未经法律顾问审查（法律顾问同意的是第1稿"):
        uc.conclude_agreement(county, mediating, _signing(amount_yuan="9000"))
    assert draft_agreement(county, mediating).revision == 1  # the refused signing changed nothing
    uc.conclude_agreement(county, mediating, _signing())
    assert case_detail(county, mediating).timeline[-1].note == "书面协议"


def test_after_amended_approval_the_revised_draft_is_signed(county, mediating):
    set_setting(county, "advisors.require_review_approval", True)
    save_draft_agreement(county, mediating, _draft(), _version(county, mediating))
    review_id = reviews.request_review(county, mediating).id
    reviews.decide_review(county, review_id, ReviewResult.AMENDED, "履行方式写明转账账户。")
    save_draft_agreement(county, mediating, _draft(performance="转账至申请人尾号1234的账户"),
                         _version(county, mediating))
    uc.conclude_agreement(county, mediating, _signing(performance="转账至申请人尾号1234的账户"))
    assert case_detail(county, mediating).status == "agreed"


def test_without_the_setting_an_unreviewed_signing_is_noted_and_prints_the_same(county, mediating):
    other = uc.register_case(county, case_input(village_code=DONGGUAN, grid="一网格")).id
    uc.accept_case(county, other, D(2026, 10, 15))
    uc.start_mediation(county, other, D(2026, 10, 16))
    for case_id in (mediating, other):
        save_draft_agreement(county, case_id, _draft(), _version(county, case_id))
    review_id = reviews.request_review(county, other).id
    reviews.decide_review(county, review_id, ReviewResult.APPROVED, "同意。")
    uc.conclude_agreement(county, mediating, _signing())
    uc.conclude_agreement(county, other, _signing())
    assert case_detail(county, mediating).timeline[-1].note == "书面协议；警示：未经法律顾问审查即签订书面协议"
    form = get_form("agreement")
    unreviewed, reviewed = (document_context(county, c, form) for c in (mediating, other))
    assert unreviewed.agreement == reviewed.agreement  # what the agreement prints


def test_archiving_with_a_review_pending_asks_and_then_withdraws_it(county, mediating):
    uc.fail_mediation(county, mediating, "双方分歧较大", D(2026, 11, 20))
    review_id = reviews.request_review(county, mediating, on=D(2026, 11, 25)).id
    reason = "身份证明为纸质存档"
    with pytest.raises(ValidationError) as e:
        uc.archive_case(county, mediating, D(2026, 11, 29), reason=reason)
    assert e.value.path == "review" and "尚未办结" in e.value.message and "撤回" in e.value.message
    uc.archive_case(county, mediating, D(2026, 11, 29), reason=reason, withdraw_review=True)
    row = reviews.review_row(county, review_id)
    assert (row.result, row.result_label, row.reviewed_on, row.pending) == ("voided", "已撤回", D(2026, 11, 29), False)
    detail = case_detail(county, mediating)
    void, archived = detail.timeline[-2:]
    assert (void.action, void.label, archived.action) == ("review_void", "撤回法律顾问审查", "archive")
    assert void.note == "撤回送法律顾问陈立新的审查（2026-11-25送审，尚未办结）：因归档"
    deadline = next(d for d in detail.deadlines if d.kind == "review")
    assert (deadline.state, deadline.closed_on) == ("void", D(2026, 11, 29))
    assert reviews.review_queue(county) == []


def test_the_printed_review_opinion_carries_the_draft_as_sent(county, mediating):
    save_draft_agreement(county, mediating, _draft(), _version(county, mediating))
    review_id = reviews.request_review(county, mediating, on=D(2026, 11, 20)).id
    # revised after sending: the opinion prints the revision the advisor read
    save_draft_agreement(county, mediating, _draft(items=["另行约定的条款。"]), _version(county, mediating))
    reviews.decide_review(county, review_id, ReviewResult.APPROVED, "条款合法，同意签订。")
    text = pdf_text(render(county, mediating, "advisor_review", "pdf").data)
    in_order(text, ["法律顾问审查意见书", "审查意见", "条款合法，同意签订。", "法律顾问（签名）：",
                    "附：送审的协议草稿（第1稿）", "纠纷主要事实、争议事项：楼上漏水致楼下房屋受损。",
                    "拟定协议条款：", "一、", TERMS[0], "二、", TERMS[1], "履行方式：一次性银行转账。",
                    "履行期限：2026年12月15日前。", "涉及金额：人民币捌仟元整（¥8,000.00）。"])
    assert "另行约定的条款" not in text


def test_a_review_sent_without_a_draft_prints_no_draft(county, mediating):
    review_id = reviews.request_review(county, mediating, on=D(2026, 11, 20)).id
    reviews.decide_review(county, review_id, ReviewResult.APPROVED, "同意。")
    text = pdf_text(render(county, mediating, "advisor_review", "pdf").data)
    assert "同意。" in text and "送审的协议草稿" not in text and "拟定协议条款" not in text


@pytest.mark.parametrize(("move", "why", "status"), [
    (lambda ctx, i, **kw: uc.fail_mediation(ctx, i, "双方分歧较大", D(2026, 11, 28), **kw), "终止调解", "failed"),
    (lambda ctx, i, **kw: uc.withdraw_case(ctx, i, "申请人撤回", D(2026, 11, 28), **kw), "撤回调解", "withdrawn"),
])
def test_ending_mediation_with_a_review_pending_asks_and_then_withdraws_it(county, mediating, move, why, status):
    review_id = reviews.request_review(county, mediating, on=D(2026, 11, 25)).id
    with pytest.raises(ValidationError) as e:
        move(county, mediating)
    assert e.value.path == "review" and "尚未办结" in e.value.message and why in e.value.message
    assert case_detail(county, mediating).status == "mediating"  # nothing written
    assert reviews.review_row(county, review_id).pending
    move(county, mediating, withdraw_review=True)
    row = reviews.review_row(county, review_id)
    assert (row.result, row.result_label, row.reviewed_on) == ("voided", "已撤回", D(2026, 11, 28))
    detail = case_detail(county, mediating)
    void, ended = detail.timeline[-2:]
    assert (void.action, ended.to_status, detail.status) == ("review_void", status, status)
    assert void.note == f"撤回送法律顾问陈立新的审查（2026-11-25送审，尚未办结）：因{why}"
    deadline = next(d for d in detail.deadlines if d.kind == "review")
    assert (deadline.state, deadline.closed_on) == ("void", D(2026, 11, 28))


def test_rejecting_with_a_review_pending_asks_and_then_withdraws_it(county):
    case_id = uc.register_case(county, case_input(village_code=DONGGUAN, grid="一网格")).id
    review_id = reviews.request_review(county, case_id, on=D(2026, 11, 25)).id
    with pytest.raises(ValidationError, match="尚未办结.*不予受理"):
        uc.reject_case(county, case_id, "一方明确拒绝调解", D(2026, 11, 26))
    uc.reject_case(county, case_id, "一方明确拒绝调解", D(2026, 11, 26), withdraw_review=True)
    assert reviews.review_row(county, review_id).result == "voided"
    detail = case_detail(county, case_id)
    assert [e.action for e in detail.timeline[-2:]] == ["review_void", "reject"]
    assert detail.timeline[-2].note.endswith("：因不予受理")


def test_ending_without_a_pending_review_needs_no_confirmation(county, mediating):
    review_id = reviews.request_review(county, mediating, on=D(2026, 11, 25)).id
    reviews.decide_review(county, review_id, ReviewResult.APPROVED, "同意。", on=D(2026, 11, 26))
    uc.withdraw_case(county, mediating, "申请人撤回", D(2026, 11, 28))
    detail = case_detail(county, mediating)
    assert detail.status == "withdrawn" and "review_void" not in [e.action for e in detail.timeline]
    assert reviews.review_row(county, review_id).result == "approved"
