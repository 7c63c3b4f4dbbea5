"""Through the real widgets: the mediator drafts the agreement, sends it, the advisor answers
修改后同意 in 待我审查, the mediator revises and signs; the gate refuses, the confirmation asks,
archiving asks before it withdraws a pending review."""
from __future__ import annotations

import dataclasses
from datetime import date

import pytest
from PySide6.QtCore import Qt

from mediator.domain.enums import ReviewResult
from mediator.domain.permissions import Role
from mediator.services.advisors import registry as adv
from mediator.services.advisors import reviews
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.drafts import DraftInput, draft_agreement, save_draft_agreement
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.safety.auth import create_user
from mediator.services.settings import set_setting
from mediator.ui import errors as ui_errors
from mediator.ui.pages.review_queue import ReviewQueuePage
from mediator.ui.workspace.case_workspace import CaseWorkspace
from tests.helpers import DONGGUAN, case_input

TERM = "吕小红于2026年12月20日前支付疏通费用人民币捌仟元整。"


def _click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def _confirm(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        _click(qtbot, dialog.ok_button)


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    return widget


def _history(workspace) -> list[str]:
    table = workspace.history_tab.timeline_table
    return [table.item(r, 1).text() for r in range(table.rowCount())]


@pytest.fixture
def case_id(env) -> int:
    """SF-2026-002 (东关村, advisor 陈立新), brought to 调解中."""
    case_id = find_case_id(env.ctx, "SF-2026-002")
    uc.start_mediation(env.ctx, case_id, date(2026, 11, 20))
    return case_id


@pytest.fixture
def workspace(env, qtbot, case_id) -> CaseWorkspace:
    ws = _show(qtbot, CaseWorkspace(env, case_id))
    ws.tabs.setCurrentWidget(ws.agreement_tab)
    return ws


@pytest.fixture
def no_question(monkeypatch) -> list[str]:
    asked: list[str] = []
    monkeypatch.setattr(ui_errors, "ask", lambda _p, _t, question: asked.append(question) or True)
    return asked


def _draft_by_service(env, case_id: int) -> None:
    save_draft_agreement(env.ctx, case_id, DraftInput(items=[TERM], performance="现金", amount_yuan="8000"),
                         case_detail(env.ctx, case_id).version)


def test_draft_review_amend_revise_and_sign(env, qtbot, workspace, case_id, no_question):
    tab = workspace.agreement_tab
    assert tab.draft_button.text() == "拟定协议…"
    _click(qtbot, tab.draft_button)
    dialog = workspace.current_dialog
    assert dialog.windowTitle().startswith("拟定协议")
    assert not dialog.editor.form_combo.isVisible() and not dialog.editor.signed_edit.isVisible()
    dialog.editor.term_rows[0].set_text(TERM)
    qtbot.keyClicks(dialog.editor.amount.edit, "8000")
    dialog.editor.performance_edit.setText("现金")
    _confirm(qtbot, dialog)
    assert tab.draft_button.text() == "修改协议草稿…"
    assert "协议草稿（第1稿）" in tab.view.toPlainText() and TERM in tab.view.toPlainText()
    assert _history(workspace)[-1] == "拟定协议"

    # 送法律顾问审查: the draft goes with it.
    request = workspace.review_panel.request_review()
    with qtbot.waitSignal(env.signals.cases_changed):
        _click(qtbot, request.ok_button)
    assert workspace.review_panel.table.item(0, 3).text() == "待审查（第1稿）"

    # The advisor logs in and answers 修改后同意 in 待我审查.
    user = create_user(env.ctx, username="chen", display_name="陈立新", password="lvshi2026",
                       role=Role.ADVISOR, organization_id=None)
    chen = next(a.id for a in adv.advisor_registry(env.ctx) if a.name == "陈立新")
    adv.link_user_to_advisor(env.ctx, user.id, chen)
    env.ctx.user = user
    try:
        queue = _show(qtbot, ReviewQueuePage(dataclasses.replace(env, user=user)))
        text = queue.case_view.toPlainText()
        assert "协议草稿（第1稿）" in text and TERM in text and "人民币捌仟元整" in text
        assert "协议尚未签订" not in text and "吕小红" in text
        queue.case_view.grab().save("/tmp/review_queue_draft.png")
        queue.amend.setChecked(True)
        _click(qtbot, queue.submit_button)
        assert queue.opinion_error.text() == "修改后同意须写明需要修改的内容"
        queue.opinion.setPlainText("履行方式写明付款账户。")
        with qtbot.waitSignal(env.signals.cases_changed):
            _click(qtbot, queue.submit_button)
        assert queue.message.text().endswith("修改后同意")
    finally:
        env.ctx.user = None
    workspace.refresh()
    assert workspace.review_panel.table.item(0, 3).text() == "修改后同意（第1稿）"

    # The mediator revises the draft as asked…
    _click(qtbot, tab.draft_button)
    dialog = workspace.current_dialog
    assert dialog.editor.terms() == [TERM] and dialog.editor.amount.text() == "8000.00"
    dialog.editor.performance_edit.setText("转账至吕小红尾号1234的账户")
    _confirm(qtbot, dialog)
    assert _history(workspace)[-1] == "修改协议草稿"
    last = case_detail(env.ctx, case_id).timeline[-1]
    assert last.note == "修改协议草稿（第2稿）：履行方式 现金 → 转账至吕小红尾号1234的账户"

    # …and signs: the dialog starts from the draft; approved, so nothing is asked.
    set_setting(env.ctx, "advisors.require_review_approval", True)
    _click(qtbot, workspace.action_bar.buttons["agree"])
    dialog = workspace.current_dialog
    assert dialog.editor.terms() == [TERM]
    assert dialog.editor.performance_edit.text() == "转账至吕小红尾号1234的账户"
    assert "协议草稿第2稿" in dialog.draft_hint.text()
    _confirm(qtbot, dialog)
    assert no_question == []
    assert workspace.header.status_label.text() == "调解成功"
    assert case_detail(env.ctx, case_id).agreement.performance == "转账至吕小红尾号1234的账户"
    assert draft_agreement(env.ctx, case_id).signed
    assert not tab.draft_button.isVisible()


def test_with_the_setting_signing_unreviewed_is_refused_with_the_reason(env, qtbot, workspace, case_id,
                                                                        no_question):
    set_setting(env.ctx, "advisors.require_review_approval", True)
    _draft_by_service(env, case_id)
    workspace.refresh()
    _click(qtbot, workspace.action_bar.buttons["agree"])
    dialog = workspace.current_dialog
    _click(qtbot, dialog.ok_button)
    message = dialog.general_error.text()
    assert "须经法律顾问审查同意后方可签订（未经法律顾问审查）" in message
    assert "请将协议草稿送法律顾问审查" in message
    assert dialog.isVisible() and no_question == []
    assert case_detail(env.ctx, case_id).status == "mediating"


def test_without_the_setting_signing_unreviewed_asks_first(env, qtbot, workspace, case_id, monkeypatch):
    _draft_by_service(env, case_id)
    review_id = reviews.request_review(env.ctx, case_id).id
    reviews.decide_review(env.ctx, review_id, ReviewResult.APPROVED, "")
    workspace.refresh()
    _click(qtbot, workspace.action_bar.buttons["agree"])
    dialog = workspace.current_dialog
    dialog.editor.amount.setText("9000")  # changed after the approval
    asked: list[str] = []
    monkeypatch.setattr(ui_errors, "ask", lambda _p, title, question: asked.append(title + "|" + question) or False)
    _click(qtbot, dialog.ok_button)
    assert asked == ["达成协议|本协议尚未经法律顾问审查同意（协议草稿第2稿未经法律顾问审查（法律顾问同意的是第1稿，"
                     "签订时又作了修改）），确定签订吗？"]
    assert dialog.isVisible() and case_detail(env.ctx, case_id).status == "mediating"
    monkeypatch.setattr(ui_errors, "ask", lambda *_a: True)
    _confirm(qtbot, dialog)
    detail = case_detail(env.ctx, case_id)
    assert detail.status == "agreed" and detail.agreement.amount_yuan == "9000.00"
    assert [e.action for e in detail.timeline[-2:]] == ["draft_edit", "agree"]
    assert "警示：协议草稿第2稿未经法律顾问审查" in detail.timeline[-1].note


def test_archiving_with_a_review_pending_asks_before_withdrawing_it(env, qtbot, monkeypatch):
    case_id = find_case_id(env.ctx, "SF-2026-001")  # 南街社区, performed
    chen = next(a.id for a in adv.advisor_registry(env.ctx) if a.name == "陈立新")
    reviews.request_review(env.ctx, case_id, advisor_id=chen)
    workspace = _show(qtbot, CaseWorkspace(env, case_id))
    _click(qtbot, workspace.action_bar.buttons["archive"])
    dialog = workspace.current_dialog
    dialog.reason_edit.setPlainText("身份证明为纸质存档")
    asked: list[str] = []
    monkeypatch.setattr(ui_errors, "ask", lambda _p, _t, question: asked.append(question) or False)
    _click(qtbot, dialog.ok_button)
    assert asked and "送法律顾问陈立新的审查尚未办结。归档将撤回该审查" in asked[0]
    assert dialog.isVisible() and case_detail(env.ctx, case_id).status == "performed"
    monkeypatch.setattr(ui_errors, "ask", lambda *_a: True)
    _confirm(qtbot, dialog)
    assert case_detail(env.ctx, case_id).status == "archived"
    assert _history(workspace)[-2:] == ["撤回法律顾问审查", "归档"]
    assert workspace.review_panel.table.item(0, 3).text() == "已撤回"



@pytest.mark.parametrize(("action", "title", "status", "why"), [
    ("fail", "调解不成", "failed", "终止调解"),
    ("withdraw", "撤回", "withdrawn", "撤回调解"),
])
def test_ending_mediation_with_a_review_pending_asks_before_withdrawing_it(env, qtbot, monkeypatch, case_id,
                                                                           action, title, status, why):
    reviews.request_review(env.ctx, case_id, on=date(2026, 11, 25))
    workspace = _show(qtbot, CaseWorkspace(env, case_id))
    _click(qtbot, workspace.action_bar.buttons[action])
    dialog = workspace.current_dialog
    qtbot.waitUntil(lambda: dialog.review_check.pending is not None, timeout=2000)
    dialog.text_edit.setText("双方意见分歧")
    asked: list[str] = []
    monkeypatch.setattr(ui_errors, "ask", lambda _p, t, question: asked.append(t + "|" + question) or False)
    _click(qtbot, dialog.ok_button)
    assert asked and asked[0].startswith(title + "|")
    assert "送法律顾问陈立新的审查尚未办结" in asked[0] and "将撤回该审查（流转记录中注明）" in asked[0]
    assert dialog.isVisible() and case_detail(env.ctx, case_id).status == "mediating"
    monkeypatch.setattr(ui_errors, "ask", lambda *_a: True)
    _confirm(qtbot, dialog)
    detail = case_detail(env.ctx, case_id)
    assert detail.status == status
    assert detail.timeline[-2].note.endswith(f"：因{why}")
    assert _history(workspace)[-2] == "撤回法律顾问审查"
    assert workspace.review_panel.table.item(0, 3).text() == "已撤回"


def test_rejecting_with_a_review_pending_asks_after_the_reason_is_given(env, qtbot, monkeypatch):
    case_id = uc.register_case(env.ctx, case_input(village_code=DONGGUAN, grid="一网格")).id  # 待受理
    reviews.request_review(env.ctx, case_id, on=date(2026, 11, 25))
    workspace = _show(qtbot, CaseWorkspace(env, case_id))
    _click(qtbot, workspace.action_bar.buttons["reject"])
    dialog = workspace.current_dialog
    qtbot.waitUntil(lambda: dialog.review_check.pending is not None, timeout=2000)
    asked: list[str] = []
    monkeypatch.setattr(ui_errors, "ask", lambda _p, _t, question: asked.append(question) or True)
    _click(qtbot, dialog.ok_button)  # no reason yet: told so, not asked
    assert asked == [] and dialog.isVisible()
    dialog.text_edit.setText("一方明确拒绝调解")
    _confirm(qtbot, dialog)
    assert len(asked) == 1 and "不予受理将撤回该审查" in asked[0]
    detail = case_detail(env.ctx, case_id)
    assert detail.status == "rejected" and [e.action for e in detail.timeline[-2:]] == ["review_void", "reject"]


def test_ending_mediation_without_a_pending_review_asks_nothing(env, qtbot, case_id, no_question):
    workspace = _show(qtbot, CaseWorkspace(env, case_id))
    _click(qtbot, workspace.action_bar.buttons["withdraw"])
    dialog = workspace.current_dialog
    _confirm(qtbot, dialog)
    assert no_question == [] and case_detail(env.ctx, case_id).status == "withdrawn"
