"""The whole life of a case in the real window, as a new user walks it: intake → a correction →
draft → the advisor's review (logged in as the advisor) → revision and signing → performance →
follow-up → archive, then a backup and a restore from the 系统 page. Every screen on the way is
checked for English text, and nothing ends in an error dialog."""
from __future__ import annotations

import dataclasses

from PySide6.QtCore import QDate

from mediator.domain.permissions import Role
from mediator.services.advisors import registry as adv
from mediator.services.cases.read import CaseFilter, case_detail, count_cases
from mediator.services.safety.auth import create_user
from mediator.services.settings import set_setting
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs import restore_reason
from mediator.ui.dialogs.new_case import NewCaseDialog
from mediator.ui.main_window import MainWindow
from mediator.ui.pages.review_queue import ReviewQueuePage
from tests.e2e.test_intake_to_agreement import _action, _click, _confirm, intake
from tests.ui.test_no_english import _problems
from tests.ui.test_workspace_corrections import opened, save, select_party

TERMS = ["钱秀芳于2026年12月10日前拆除越界围墙。", "赵大成补偿钱秀芳砌墙费用人民币伍仟元整。"]


def _register(qtbot, monkeypatch, window: MainWindow):
    monkeypatch.setattr(NewCaseDialog, "exec", intake(qtbot, monkeypatch, QDate(2026, 11, 20)))
    window.new_case_action.trigger()
    return window.pages["cases"].tabs.currentWidget()


def _advisor_answers(env, qtbot) -> None:
    """陈立新 logs in and answers 修改后同意 in 待我审查, after reading the whole draft."""
    user = create_user(env.ctx, username="chen", display_name="陈立新", password="lvshi2026",
                       role=Role.ADVISOR, organization_id=None)
    chen = next(a.id for a in adv.advisor_registry(env.ctx) if a.name == "陈立新")
    adv.link_user_to_advisor(env.ctx, user.id, chen)
    env.ctx.user, actor = user, env.ctx.actor
    env.ctx.actor = user.display_name
    try:
        queue = ReviewQueuePage(dataclasses.replace(env, user=user))
        qtbot.addWidget(queue)
        queue.resize(1148, 760)
        queue.show()
        text = queue.case_view.toPlainText()
        assert all(term in text for term in TERMS) and "协议草稿（第1稿）" in text
        assert _problems("待我审查", queue, user.username) == []
        queue.amend.setChecked(True)
        queue.opinion.setPlainText("第二条写明补偿款的支付期限。")
        with qtbot.waitSignal(env.signals.cases_changed):
            _click(qtbot, queue.submit_button)
        assert queue.message.text().endswith("修改后同意")
    finally:
        env.ctx.user, env.ctx.actor = None, actor


def test_the_whole_walk_meets_no_english_no_error_and_no_dead_end(env, qtbot, monkeypatch, tmp_path):
    errors: list[BaseException] = []
    monkeypatch.setattr(ui_errors, "show_error", lambda _parent, exc, *a, **k: errors.append(exc))
    window = MainWindow(env)
    qtbot.addWidget(window)
    window.resize(1366, 860)
    window.show()
    workspace = _register(qtbot, monkeypatch, window)
    case_id = workspace.case_id
    for code, day in (("accept", QDate(2026, 11, 21)), ("start", QDate(2026, 11, 23))):
        dialog = _action(qtbot, workspace, code)
        dialog.date_edit.setDate(day)
        _confirm(qtbot, dialog)
    dialog = _action(qtbot, workspace, "record_session")
    dialog.date_edit.setDate(QDate(2026, 11, 24))
    dialog.place_edit.setText("东关村调解室")
    dialog.record_edit.setPlainText("现场丈量后双方认可老界址，同意拆除越界部分并补偿。")
    _confirm(qtbot, dialog)

    # A correction on the way: 钱秀芳 moved; the timeline keeps the old address.
    select_party(workspace, "钱秀芳")
    _click(qtbot, workspace.parties_tab.edit_button)
    dialog = opened(workspace)
    dialog.address_edit.clear()
    dialog.address_edit.insert("城关镇东关村七组")
    save(qtbot, dialog)
    assert "城关镇东关村五组 → 城关镇东关村七组" in case_detail(env.ctx, case_id).timeline[-1].note

    # The draft, sent to the village's advisor.
    workspace.tabs.setCurrentWidget(workspace.agreement_tab)
    _click(qtbot, workspace.agreement_tab.draft_button)
    dialog = workspace.current_dialog
    dialog.editor.term_rows[0].set_text(TERMS[0])
    _click(qtbot, dialog.editor.add_term_button)
    dialog.editor.term_rows[1].set_text(TERMS[1])
    dialog.editor.amount.edit.setText("5000")
    dialog.editor.performance_edit.setText("拆墙后当面付清")
    _confirm(qtbot, dialog)
    request = workspace.review_panel.request_review()
    assert _problems("送法律顾问审查", request, env.user.username) == []
    with qtbot.waitSignal(env.signals.cases_changed):
        _click(qtbot, request.ok_button)

    _advisor_answers(env, qtbot)
    workspace.refresh()
    assert workspace.review_panel.table.item(0, 3).text() == "修改后同意（第1稿）"

    # The mediator revises as asked and signs; the office requires the review, which approved.
    set_setting(env.ctx, "advisors.require_review_approval", True)
    _click(qtbot, workspace.agreement_tab.draft_button)
    dialog = workspace.current_dialog
    dialog.editor.term_rows[1].set_text("赵大成于2026年12月10日前补偿钱秀芳砌墙费用人民币伍仟元整。")
    _confirm(qtbot, dialog)
    dialog = _action(qtbot, workspace, "agree")
    assert _problems("达成协议", dialog, env.user.username) == []
    dialog.editor.signed_edit.setDate(QDate(2026, 11, 26))
    _confirm(qtbot, dialog)
    assert workspace.header.status_label.text() == "调解成功"

    dialog = _action(qtbot, workspace, "perform")
    dialog.note_edit.setText("围墙已拆除，补偿款已付清")
    _confirm(qtbot, dialog)
    dialog = _action(qtbot, workspace, "follow_up")
    dialog.visitor_edit.setText("李建国")
    dialog.note_edit.setPlainText("电话回访钱秀芳，双方已按协议履行，无新的矛盾。")
    _confirm(qtbot, dialog)
    dialog = _action(qtbot, workspace, "archive")
    if getattr(dialog, "reason_edit", None) is not None:  # papers filed on paper only: say so
        dialog.reason_edit.setPlainText("当事人身份证明及权利义务告知书为纸质存档。")
    _confirm(qtbot, dialog)
    final = case_detail(env.ctx, case_id)
    assert final.status == "archived"
    assert [e.action for e in final.timeline] == [
        "register", "accept", "start", "record_session", "edit", "draft_agreement", "review_request",
        "review", "draft_edit", "agree", "perform", "follow_up", "archive"]
    assert _problems("workspace", window, env.user.username) == []

    # A backup and a restore from the window: the case is there after the restart.
    set_setting(env.ctx, "backup.folder", str(tmp_path / "备份"))
    restarts, asked, told = [], [], []
    env.restart = lambda: restarts.append(True)
    page = window.show_page("system")
    panel = page.backup_panel
    panel.refresh()
    _click(qtbot, panel.backup_button)
    assert panel.backups.rowCount() == 1
    cases = count_cases(env.ctx, CaseFilter())
    panel.backups.selectRow(0)
    monkeypatch.setattr(restore_reason, "ask_restore_reason",
                        lambda _p, summary: asked.append(summary) or "演练：从备份恢复")
    monkeypatch.setattr(ui_errors, "inform", lambda _p, _title, text: told.append(text))
    _click(qtbot, panel.restore_button)
    assert asked[0].cases == cases and asked[0].anchor is not None
    assert told[0].startswith("数据库已恢复，程序将重新启动。") and restarts == [True]
    assert case_detail(env.ctx, case_id).status == "archived"
    assert errors == []
