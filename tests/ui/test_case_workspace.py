"""The case workspace on the sample case SF-2026-002, driven through its real buttons and dialogs."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QFileDialog

from mediator.domain.errors import ConflictError, ValidationErrors
from mediator.domain.lifecycle import Action
from mediator.services.cases.attachments import list_attachments
from mediator.services.cases.corrections import update_case_info
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.context import ServiceContext
from mediator.ui import errors as ui_errors
from mediator.ui.workspace.case_workspace import CaseWorkspace

SHOTS = "/tmp"


@pytest.fixture
def case_id(env) -> int:
    return find_case_id(env.ctx, "SF-2026-002")


@pytest.fixture
def workspace(env, qtbot, case_id) -> CaseWorkspace:
    ws = CaseWorkspace(env, case_id)
    qtbot.addWidget(ws)
    ws.resize(1148, 760)
    ws.show()
    return ws


@pytest.fixture
def shown_errors(monkeypatch) -> list[tuple[BaseException, object]]:
    """Every call of show_error, instead of a modal message box."""
    calls: list[tuple[BaseException, object]] = []
    monkeypatch.setattr(ui_errors, "show_error",
                        lambda parent, exc, on_reload=None: calls.append((exc, on_reload)))
    return calls


def shot(qtbot, widget, name: str) -> None:
    """Save a screenshot once pending layout work is done."""
    qtbot.wait(20)
    widget.grab().save(f"{SHOTS}/{name}.png")


def click(qtbot, widget) -> None:
    assert widget.isEnabled(), widget.objectName()
    qtbot.mouseClick(widget, Qt.MouseButton.LeftButton)


def open_action(qtbot, ws: CaseWorkspace, code: str):
    click(qtbot, ws.action_bar.buttons[code])
    dialog = ws.current_dialog
    assert dialog is not None and dialog.isVisible()
    return dialog


def confirm(qtbot, dialog) -> None:
    with qtbot.waitSignal(dialog.accepted, timeout=2000):
        click(qtbot, dialog.ok_button)


def status(env, case_id: int) -> str:
    return case_detail(env.ctx, case_id).status


def test_action_buttons_follow_allowed_actions(workspace, env, case_id):
    detail = case_detail(env.ctx, case_id)
    allowed = set(detail.allowed_actions)
    assert detail.status == "accepted"
    # The clock is not paused, and a grid-level case has no lower level to hand down to.
    not_now = {Action.RESUME.value, Action.HAND_DOWN.value}
    assert len(workspace.action_bar.buttons) == 17
    for code, button in workspace.action_bar.buttons.items():
        assert button.isVisible(), code
        assert button.isEnabled() == (code in allowed and code not in not_now), code
    assert workspace.action_bar.buttons["start"].isEnabled()
    assert not workspace.action_bar.buttons["agree"].isEnabled()
    assert "已受理" in workspace.action_bar.buttons["agree"].toolTip()
    assert "网格层级" in workspace.action_bar.buttons["hand_down"].toolTip()


def test_header_shows_the_case_and_its_nearest_deadline(workspace):
    header = workspace.header
    assert header.number_label.text() == "（2026）东关人调字第1号"
    assert header.status_label.text() == "已受理"
    assert header.values["track"].text() == "人民调解"
    assert header.values["level"].text() == "网格"
    assert header.values["risk"].text() == "低"
    assert header.values["organization"].text() == "东关村人民调解委员会"
    assert header.values["place"].text() == "东关村 / 三网格"
    # Clock fixed at 2026-11-29: the grid-level escalation prompt fell due on 11-23.
    assert header.deadline_label.text() == "升级督办 已逾期6天（2026-11-23）"
    assert "#c62828" in header.deadline_label.styleSheet()
    assert "调解期限 还剩22天（2026-12-21）" in header.deadline_label.toolTip()
    assert workspace.tabs.tabText(1) == "当事人（2）"


def test_escalating_to_the_county_shows_the_moved_handling_deadline(workspace, qtbot, env, case_id):
    dialog = open_action(qtbot, workspace, "escalate")
    levels = [dialog.level_combo.itemText(i) for i in range(dialog.level_combo.count())]
    assert levels == ["村（社区）", "乡镇（街道）", "县（市、区）"]
    dialog.level_combo.setCurrentIndex(2)
    dialog.reason_edit.setText("涉及多户，需县级协调")
    confirm(qtbot, dialog)

    assert case_detail(env.ctx, case_id).level == "county"
    header = workspace.header
    assert header.values["level"].text() == "县（市、区）"
    assert header.deadline_label.text() == "调解期限 还剩22天（2026-12-21）"
    assert header.moved_label.isVisible()
    assert "星期日" in header.moved_label.text() and "2026年12月21日" in header.moved_label.text()
    assert not workspace.action_bar.buttons["escalate"].isEnabled()
    assert workspace.action_bar.buttons["hand_down"].isEnabled()


def test_case_runs_its_course_through_the_dialogs(workspace, qtbot, env, case_id, monkeypatch):
    changed: list[list[int]] = []
    env.signals.cases_changed.connect(changed.append)

    # 开始调解 on the day before.
    dialog = open_action(qtbot, workspace, "start")
    assert dialog.date_edit.date() == QDate(2026, 11, 29)
    dialog.date_edit.setDate(QDate(2026, 11, 28))
    confirm(qtbot, dialog)
    assert workspace.header.status_label.text() == "调解中"
    assert status(env, case_id) == "mediating"
    assert case_detail(env.ctx, case_id).timeline[-1].on == date(2026, 11, 28)
    assert changed == [[case_id]]
    assert workspace.action_bar.buttons["agree"].isEnabled()
    assert not workspace.action_bar.buttons["start"].isEnabled()

    # A session record, from the tab's own button; an empty record is refused beside the field.
    workspace.tabs.setCurrentWidget(workspace.sessions_tab)
    click(qtbot, workspace.sessions_tab.record_button)
    dialog = workspace.current_dialog
    click(qtbot, dialog.ok_button)
    assert dialog.isVisible()
    assert dialog.errors.labels["record"].text() == "请填写调查或调解经过"
    dialog.place_edit.setText("东关村调解室")
    dialog.participants_edit.setText("何长林、吕小红、张满仓")
    dialog.record_edit.setPlainText("双方同意共同出资疏通排水沟。")
    confirm(qtbot, dialog)
    assert workspace.sessions_tab.table.rowCount() == 1
    assert workspace.sessions_tab.table.item(0, 2).text() == "东关村调解室"
    assert case_detail(env.ctx, case_id).sessions[0].record == "双方同意共同出资疏通排水沟。"
    assert "双方同意共同出资疏通排水沟。" in workspace.sessions_tab.record_view.toPlainText()
    assert workspace.tabs.tabText(2) == "调查与调解记录（1）"
    shot(qtbot, workspace, "workspace_sessions")

    # 达成协议 through the editor.
    dialog = open_action(qtbot, workspace, "agree")
    editor = dialog.editor
    assert editor.copies_spin.value() == 3
    click(qtbot, editor.add_term_button)
    click(qtbot, editor.add_term_button)
    editor.term_rows[0].set_text("吕小红承担疏通费用的一半。")
    editor.term_rows[1].set_text("双方于2026年12月5日前共同疏通排水沟。")
    click(qtbot, editor.term_rows[1].up_button)
    assert [r.number.text() for r in editor.term_rows] == ["1.", "2."]
    assert editor.terms() == ["双方于2026年12月5日前共同疏通排水沟。", "吕小红承担疏通费用的一半。"]
    qtbot.keyClicks(editor.amount.edit, "8000")
    assert editor.amount.upper.text() == "人民币捌仟元整"
    editor.performance_edit.setText("现金支付")
    click(qtbot, editor.deadline_check)
    editor.deadline_edit.setDate(QDate(2026, 12, 5))
    dialog.resize(780, 720)
    shot(qtbot, dialog, "agreement_dialog")
    questions: list[str] = []  # not reviewed by the advisor, and the office does not require it: asked
    monkeypatch.setattr(ui_errors, "ask", lambda parent, title, q: questions.append(q) or True)
    confirm(qtbot, dialog)
    assert questions == ["本协议尚未经法律顾问审查同意（未经法律顾问审查），确定签订吗？"]
    assert workspace.header.status_label.text() == "调解成功"
    agreement = case_detail(env.ctx, case_id).agreement
    assert list(agreement.items) == ["双方于2026年12月5日前共同疏通排水沟。", "吕小红承担疏通费用的一半。"]
    assert (agreement.amount_yuan, agreement.copies, agreement.deadline) == ("8000.00", 3, date(2026, 12, 5))
    workspace.tabs.setCurrentWidget(workspace.agreement_tab)
    shown = workspace.agreement_tab.view.toPlainText()
    assert "1. 双方于2026年12月5日前共同疏通排水沟。" in shown and "人民币捌仟元整" in shown
    assert not workspace.agreement_tab.conclude_button.isVisible()
    shot(qtbot, workspace, "workspace_agreement")

    # 记录履行: full performance.
    dialog = open_action(qtbot, workspace, "perform")
    assert dialog.result_buttons[next(iter(dialog.result_buttons))].isChecked()
    dialog.note_edit.setText("已共同疏通")
    confirm(qtbot, dialog)
    assert workspace.header.status_label.text() == "已履行"
    assert case_detail(env.ctx, case_id).performance[0].result == "full"
    workspace.tabs.setCurrentWidget(workspace.performance_tab)
    assert workspace.performance_tab.performance_table.item(0, 1).text() == "全部履行"

    # 归档: nothing is left to do.
    dialog = open_action(qtbot, workspace, "archive")
    assert "缺少必备材料" in dialog.completeness.text()  # no identity papers, no rights notice
    dialog.reason_edit.setPlainText("当事人身份证明及权利义务告知书为纸质存档。")
    confirm(qtbot, dialog)
    assert workspace.header.status_label.text() == "已归档"
    assert status(env, case_id) == "archived"
    assert not any(b.isEnabled() for b in workspace.action_bar.buttons.values())
    workspace.tabs.setCurrentWidget(workspace.history_tab)
    labels = [workspace.history_tab.timeline_table.item(r, 1).text()
              for r in range(workspace.history_tab.timeline_table.rowCount())]
    assert labels == ["登记", "受理", "开始调解", "记录调查/调解", "达成协议", "记录履行", "归档"]
    assert workspace.history_tab.timeline_table.item(2, 2).text() == "已受理 → 调解中"
    assert workspace.history_tab.timeline_table.item(0, 5).text() == "导入"
    assert workspace.history_tab.timeline_table.item(2, 5).text() == ""
    shot(qtbot, workspace, "workspace_history")
    assert len(changed) == 5


def test_editing_basic_info_saves_only_the_changes(workspace, qtbot, env, case_id):
    info = workspace.info_tab
    assert not info.save_button.isEnabled()
    info.summary_edit.setPlainText("两户因共用排水沟堵塞互相指责，已发生推搡。")
    info.amount.setText("")
    qtbot.keyClicks(info.amount.edit, "1200.5")
    assert info.amount.upper.text() == "人民币壹仟贰佰元伍角"
    info.flag_checks[next(iter(info.flag_checks))].setChecked(True)
    assert info.is_dirty() and workspace.tabs.tabText(0) == "基本信息 *"
    shot(qtbot, workspace, "workspace_info")
    click(qtbot, info.save_button)

    detail = case_detail(env.ctx, case_id)
    assert detail.summary == "两户因共用排水沟堵塞互相指责，已发生推搡。"
    assert detail.amount_yuan == "1200.50"
    assert list(detail.risk.flags) == ["criminal"]
    note = detail.timeline[-1].note  # what was there before stays readable
    assert note.startswith("修改案件信息：纠纷简要情况 ")
    assert "→ 1200.50元" in note and "风险标记 （无） → 民转刑风险" in note
    assert not info.is_dirty() and workspace.tabs.tabText(0) == "基本信息"


def test_bad_amount_is_shown_beside_the_field(workspace, qtbot):
    info = workspace.info_tab
    info.amount.setText("")
    qtbot.keyClicks(info.amount.edit, "12.345")
    assert info.amount.upper.text() == "涉及金额最多两位小数"
    workspace.save()
    assert info.errors.labels["amount_yuan"].text() == "涉及金额最多两位小数"
    assert info.is_dirty()


def test_stale_version_offers_reload_with_the_other_users_text(workspace, qtbot, env, case_id, shown_errors):
    workspace.info_tab.summary_edit.setPlainText("我的修改")
    other = ServiceContext(env.ctx.db, actor="李干事", clock=env.ctx.clock)
    version = case_detail(other, case_id).version
    update_case_info(other, case_id, version, summary="李干事修改的纠纷简要情况")

    click(qtbot, workspace.info_tab.save_button)
    assert len(shown_errors) == 1
    exc, on_reload = shown_errors[0]
    assert isinstance(exc, ConflictError)
    assert case_detail(env.ctx, case_id).summary == "李干事修改的纠纷简要情况"
    assert workspace.info_tab.summary_edit.toPlainText() == "我的修改"

    on_reload()  # the user chose 重新载入
    assert workspace.info_tab.summary_edit.toPlainText() == "李干事修改的纠纷简要情况"
    assert not workspace.info_tab.is_dirty()


def test_stale_version_in_an_action_dialog_closes_it_and_reloads(workspace, qtbot, env, case_id, shown_errors):
    dialog = open_action(qtbot, workspace, "start")
    other = ServiceContext(env.ctx.db, actor="李干事", clock=env.ctx.clock)
    update_case_info(other, case_id, case_detail(other, case_id).version, requests="李干事改的申请事项")
    click(qtbot, dialog.ok_button)
    exc, on_reload = shown_errors[0]
    assert isinstance(exc, ConflictError)
    assert status(env, case_id) == "accepted"
    on_reload()
    assert not dialog.isVisible()
    assert workspace.info_tab.requests_edit.toPlainText() == "李干事改的申请事项"


def test_another_windows_change_is_picked_up_without_losing_edits(workspace, env, case_id):
    other = ServiceContext(env.ctx.db, actor="李干事", clock=env.ctx.clock)
    from mediator.services.cases.lifecycle import start_mediation

    start_mediation(other, case_id, date(2026, 11, 29))
    env.signals.cases_changed.emit([case_id])
    assert workspace.header.status_label.text() == "调解中"


def test_attachments_add_open_and_remove(workspace, qtbot, env, case_id, tmp_path, monkeypatch, shown_errors):
    photo = tmp_path / "现场照片.txt"
    photo.write_text("排水沟堵塞现场", encoding="utf-8")
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", lambda *a, **k: ([str(photo)], ""))
    tab = workspace.attachments_tab
    workspace.tabs.setCurrentWidget(tab)
    assert not tab.open_button.isEnabled() and not tab.remove_button.isEnabled()

    click(qtbot, tab.add_button)
    assert tab.table.rowCount() == 1
    assert tab.table.item(0, 0).text() == "现场照片.txt"
    assert tab.table.item(0, 3).text() == "王所长"
    files = list_attachments(env.ctx, case_id)
    assert [f.filename for f in files] == ["现场照片.txt"]
    assert tab.table.item(0, 2).text() == files[0].sha256[:12] + "…"
    assert workspace.tabs.tabText(6) == "附件（1）"
    assert case_detail(env.ctx, case_id).timeline[-1].label == "添加附件"
    shot(qtbot, workspace, "workspace_attachments")

    click(qtbot, tab.add_button)  # the same file again is refused
    assert isinstance(shown_errors[-1][0], ValidationErrors)
    assert "添加过" in shown_errors[-1][0].errors[0].message

    opened: list[str] = []
    monkeypatch.setattr(QDesktopServices, "openUrl", lambda url: opened.append(url.toLocalFile()) or True)
    tab.table.selectRow(0)
    click(qtbot, tab.open_button)
    assert len(opened) == 1 and opened[0].endswith("现场照片.txt")
    with open(opened[0], encoding="utf-8") as f:
        assert f.read() == "排水沟堵塞现场"

    questions: list[str] = []
    monkeypatch.setattr(ui_errors, "ask", lambda parent, title, q: questions.append(q) or False)
    click(qtbot, tab.remove_button)
    assert len(list_attachments(env.ctx, case_id)) == 1  # the user said no
    monkeypatch.setattr(ui_errors, "ask", lambda parent, title, q: questions.append(q) or True)
    click(qtbot, tab.remove_button)
    assert "现场照片.txt" in questions[-1]
    assert list_attachments(env.ctx, case_id) == []
    assert tab.table.rowCount() == 0
    assert case_detail(env.ctx, case_id).timeline[-1].label == "删除附件"


def test_print_opens_the_print_preview_of_the_cases_form_and_issues_it_when_printed(workspace, env, case_id):
    from mediator.services.documents.issuing import issued_documents

    workspace.print_()  # Ctrl+P; more in tests/ui/test_workspace_documents.py
    tab = workspace.documents_tab
    assert workspace.tabs.currentWidget() is tab
    assert tab.print_dialog is not None and tab.print_dialog.isVisible()
    assert issued_documents(env.ctx, case_id) == []
    tab.print_dialog.accept()  # printed
    assert [d.form_id for d in issued_documents(env.ctx, case_id)] == ["registration"]


def test_tabs_screenshots(workspace, qtbot):
    for i in range(workspace.tabs.count()):
        workspace.tabs.setCurrentIndex(i)
        shot(qtbot, workspace, f"workspace_tab{i}")


def test_a_performed_case_shows_its_agreement_and_follow_ups(env, qtbot):
    ws = CaseWorkspace(env, find_case_id(env.ctx, "SF-2026-001"))
    qtbot.addWidget(ws)
    ws.resize(1148, 760)
    ws.show()
    assert ws.header.status_label.text() == "已履行"
    assert ws.header.deadline_label.text() == "无进行中的期限"
    enabled = {code for code, b in ws.action_bar.buttons.items() if b.isEnabled()}
    assert enabled == {"follow_up", "judicial_confirmation", "archive"}
    text = ws.agreement_tab.view.toPlainText()
    assert "人民调解协议书" in text and "本协议一式3份" in text and "人民币叁仟陆佰元整" in text
    assert "1. 杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。" in text
    tab = ws.performance_tab
    assert tab.follow_up_table.item(0, 1).text() == "电话回访"
    assert tab.follow_up_table.item(0, 3).text() == "满意"
    assert "裁定确认有效" in tab.confirmation_label.text()
    deadlines = ws.history_tab.deadline_table
    moved = [deadlines.item(r, 4).text() for r in range(deadlines.rowCount())]
    assert any("星期日" in m for m in moved)
    for name, tab_widget in (("agreement", ws.agreement_tab), ("performance", ws.performance_tab),
                             ("deadlines", ws.history_tab)):
        ws.tabs.setCurrentWidget(tab_widget)
        shot(qtbot, ws, f"performed_{name}")
