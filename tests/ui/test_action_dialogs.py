"""The case action dialogs, built directly for a case and accepted through their OK button."""
from __future__ import annotations

from datetime import date

import pytest
from PySide6.QtCore import QDate, QPoint, Qt
from PySide6.QtWidgets import QLabel, QWidget

from mediator.domain.case_detail import CaseDetail, ConfirmationDetail
from mediator.domain.enums import (
    ConfirmationResult,
    FollowUpMethod,
    PerformanceResult,
    Satisfaction,
    TrackDetail,
)
from mediator.domain.errors import ConflictError
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.corrections import update_case_info
from mediator.services.cases.lifecycle import record_performance, start_mediation
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.context import ServiceContext
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs.action_forms import LevelDialog, TransferDialog
from mediator.ui.dialogs.action_records import FollowUpDialog, JudicialConfirmationDialog
from mediator.ui.dialogs.actions import SimpleActionDialog, dialog_for_action
from mediator.ui.workspace.case_workspace import CaseWorkspace
from tests.helpers import add_mediator, agreement_input, case_input


@pytest.fixture
def shown_errors(monkeypatch) -> list[tuple[BaseException, object]]:
    calls: list[tuple[BaseException, object]] = []
    monkeypatch.setattr(ui_errors, "show_error",
                        lambda parent, exc, on_reload=None: calls.append((exc, on_reload)))
    return calls


def case_of(env, ref: str) -> CaseDetail:
    return case_detail(env.ctx, find_case_id(env.ctx, ref))


def build(qtbot, env, code: str, ref: str, on_reload=None):
    dialog = dialog_for_action(code, env, case_of(env, ref), on_reload=on_reload)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def press_ok(qtbot, dialog) -> None:
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)


def combo_texts(combo) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def test_each_action_has_its_dialog(env, qtbot):
    detail = case_of(env, "SF-2026-002")
    for code in ["accept", "reject", "start", "record_session", "agree", "fail", "withdraw", "transfer",
                 "escalate", "hand_down", "extend", "pause", "resume", "perform", "follow_up",
                 "judicial_confirmation", "archive"]:
        dialog = dialog_for_action(code, env, detail)
        qtbot.addWidget(dialog)
        assert detail.number in dialog.windowTitle()
        assert dialog.ok_button.isDefault()


def test_reject_needs_a_reason_shown_beside_the_field(env, qtbot):
    dialog = build(qtbot, env, "reject", "SF-2026-003")
    assert isinstance(dialog, SimpleActionDialog)
    press_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert dialog.errors.labels["reason"].text() == "请填写不予受理的理由"
    assert dialog.errors.labels["reason"].isVisible()
    assert case_of(env, "SF-2026-003").status == "registered"

    dialog.text_edit.setText("一方当事人明确拒绝调解")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    detail = case_of(env, "SF-2026-003")
    assert detail.status == "rejected"
    assert detail.timeline[-1].note == "一方当事人明确拒绝调解"


def test_service_date_error_is_shown_beside_the_date(env, qtbot):
    dialog = build(qtbot, env, "accept", "SF-2026-003")
    dialog.date_edit.setDate(QDate(2026, 8, 20))  # before the transfer of 2026-08-21
    press_ok(qtbot, dialog)
    assert dialog.isVisible()
    assert "2026-08-21" in dialog.errors.labels["on"].text()
    dialog.date_edit.setDate(QDate(2026, 11, 29))
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    assert case_of(env, "SF-2026-003").accepted_on == date(2026, 11, 29)


def test_event_dates_default_to_today_and_cannot_be_later(env, qtbot):
    dialog = build(qtbot, env, "start", "SF-2026-002")
    assert dialog.date_edit.date() == QDate(2026, 11, 29)
    assert dialog.date_edit.maximumDate() == QDate(2026, 11, 29)


def test_transfer_to_land_administration(env, qtbot):
    add_mediator(env.ctx, "孙立平", "城关镇自然资源所")  # the sample's land office has none
    dialog = build(qtbot, env, "transfer", "SF-2026-002")
    assert isinstance(dialog, TransferDialog)
    assert combo_texts(dialog.organization_combo) == [
        "城关镇人民调解委员会", "东关村人民调解委员会", "城关镇自然资源所"]
    assert dialog.organization_combo.currentText() == "城关镇人民调解委员会"  # not the current one
    assert not dialog.detail_combo.isEnabled()  # people's mediation has no detail

    dialog.track_combo.set_current("administrative")
    assert dialog.detail_combo.isEnabled()
    assert "土地林权调解" in combo_texts(dialog.detail_combo)
    assert "诉前调解" not in combo_texts(dialog.detail_combo)
    dialog.detail_combo.set_current(TrackDetail.LAND)
    assert not dialog.procedure_combo.isEnabled()
    dialog.organization_combo.setCurrentText("城关镇自然资源所")
    dialog.mediator_picker.item(0).setCheckState(Qt.CheckState.Checked)

    press_ok(qtbot, dialog)
    assert dialog.errors.labels["reason"].text() == "请填写移送理由"
    dialog.reason_edit.setText("涉及宅基地界址，移交自然资源所")
    qtbot.wait(10)
    dialog.resize(600, 480)
    dialog.grab().save("/tmp/transfer_dialog.png")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    detail = case_of(env, "SF-2026-002")
    assert (detail.organization, detail.track, detail.track_detail, detail.status) == (
        "城关镇自然资源所", "administrative", "land", "registered")
    assert detail.number.startswith("（2026）城关资行调字")


def test_transfer_to_the_court_asks_for_the_procedure(env, qtbot):
    dialog = build(qtbot, env, "transfer", "SF-2026-002")
    dialog.track_combo.set_current("judicial")
    assert "诉前调解" in combo_texts(dialog.detail_combo)
    dialog.detail_combo.set_current(TrackDetail.ENTRUSTED)
    assert dialog.procedure_combo.isEnabled()
    dialog.detail_combo.set_current(TrackDetail.PRE_LITIGATION)
    assert not dialog.procedure_combo.isEnabled()


def test_level_dialog_offers_only_higher_or_lower_levels(env, qtbot):
    up = build(qtbot, env, "escalate", "SF-2026-003")  # at village level
    assert isinstance(up, LevelDialog)
    assert combo_texts(up.level_combo) == ["乡镇（街道）", "县（市、区）"]
    down = build(qtbot, env, "hand_down", "SF-2026-003")
    assert combo_texts(down.level_combo) == ["网格"]
    down.reason_edit.setText("情节简单，交网格员就地化解")
    with qtbot.waitSignal(down.accepted, timeout=1000):
        press_ok(qtbot, down)
    assert case_of(env, "SF-2026-003").level == "grid"
    # A grid-level case cannot go lower: nothing to choose, OK disabled.
    nothing = build(qtbot, env, "hand_down", "SF-2026-002")
    assert nothing.level_combo.count() == 0 and not nothing.ok_button.isEnabled()


def test_extension_needs_the_parties_consent(env, qtbot):
    dialog = build(qtbot, env, "extend", "SF-2026-002")
    assert dialog.until_edit.date() == QDate(2027, 1, 5)  # the handling deadline 2026-12-21 + 15
    dialog.reason_edit.setText("需等待排水沟疏通费用评估")
    press_ok(qtbot, dialog)
    assert dialog.errors.labels["consent"].text() == "延期须经当事人同意"
    assert dialog.errors.labels["consent"].isVisible()
    box = dialog.consent_check
    qtbot.mouseClick(box, Qt.MouseButton.LeftButton, pos=QPoint(8, box.height() // 2))
    assert dialog.consent_check.isChecked()
    dialog.until_edit.setDate(QDate(2026, 12, 31))
    qtbot.wait(10)
    dialog.grab().save("/tmp/extend_dialog.png")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    handling = [d for d in case_of(env, "SF-2026-002").deadlines if d.kind == "handling"]
    assert handling[-1].due == date(2026, 12, 31)


def test_pause_and_resume_the_clock_from_the_workspace(env, qtbot):
    case_id = find_case_id(env.ctx, "SF-2026-002")
    ws = CaseWorkspace(env, case_id)
    qtbot.addWidget(ws)
    buttons = ws.action_bar.buttons
    assert buttons["pause"].isEnabled() and not buttons["resume"].isEnabled()
    qtbot.mouseClick(buttons["pause"], Qt.MouseButton.LeftButton)
    dialog = ws.current_dialog
    press_ok(qtbot, dialog)
    assert dialog.errors.labels["reason"].text() == "请填写中止计时的理由"
    dialog.text_edit.setText("等待损失鉴定")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    assert not ws.header.paused_label.isHidden()
    assert not buttons["pause"].isEnabled() and buttons["resume"].isEnabled()
    qtbot.mouseClick(buttons["resume"], Qt.MouseButton.LeftButton)
    with qtbot.waitSignal(ws.current_dialog.accepted, timeout=1000):
        press_ok(qtbot, ws.current_dialog)
    assert ws.header.paused_label.isHidden()
    assert buttons["pause"].isEnabled() and not buttons["resume"].isEnabled()
    actions = [e.action for e in case_detail(env.ctx, case_id).timeline]
    assert actions[-2:] == ["pause", "resume"]


def test_fail_dialog_tells_of_the_other_routes(env, qtbot):
    start_mediation(env.ctx, find_case_id(env.ctx, "SF-2026-002"), date(2026, 11, 29))
    dialog = build(qtbot, env, "fail", "SF-2026-002")
    hints = [w.text() for w in dialog.findChildren(QLabel)]
    assert any("仲裁、行政、司法" in h for h in hints)
    dialog.text_edit.setText("双方分歧较大")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    assert case_of(env, "SF-2026-002").status == "failed"


def test_follow_up_after_performance(env, qtbot):
    dialog = build(qtbot, env, "follow_up", "SF-2026-001")
    assert isinstance(dialog, FollowUpDialog)
    assert dialog.visitor_edit.text() == "王所长"
    dialog.method_combo.set_current(FollowUpMethod.VISIT)
    dialog.performance_combo.set_current("full")
    dialog.satisfaction_combo.set_current(Satisfaction.BASICALLY)
    dialog.note_edit.setPlainText("赡养费按月到账，刘桂兰基本满意。")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    last = case_of(env, "SF-2026-001").follow_ups[-1]
    assert (last.method, last.performance, last.satisfaction, last.visitor) == (
        "visit", "full", "basically", "王所长")


def test_judicial_confirmation_is_prefilled_and_needs_a_court(env, qtbot):
    dialog = build(qtbot, env, "judicial_confirmation", "SF-2026-001")
    assert isinstance(dialog, JudicialConfirmationDialog)
    assert dialog.court_edit.text() == "示范县人民法院"
    assert dialog.applied_edit.date() == QDate(2026, 6, 20)
    assert dialog.result_combo.current() is ConfirmationResult.CONFIRMED
    dialog.court_edit.setText("")
    press_ok(qtbot, dialog)
    assert dialog.errors.labels["court"].text() == "请填写受理司法确认的人民法院"
    dialog.result_combo.set_current(ConfirmationResult.PENDING)
    assert not dialog.ruled_edit.isEnabled()
    dialog.court_edit.setText("示范县人民法院城关法庭")
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    confirmation = case_of(env, "SF-2026-001").judicial_confirmation
    assert confirmation == ConfirmationDetail(date(2026, 6, 20), "示范县人民法院城关法庭", "pending", None)


def test_stale_case_conflict_closes_the_dialog_and_reloads(env, qtbot, shown_errors):
    reloads: list[bool] = []
    dialog = build(qtbot, env, "start", "SF-2026-002", on_reload=lambda: reloads.append(True))
    case_id = dialog.case_id
    other = ServiceContext(env.ctx.db, actor="李干事", clock=env.ctx.clock)
    update_case_info(other, case_id, case_detail(other, case_id).version, people_involved=3)
    press_ok(qtbot, dialog)
    exc, on_reload = shown_errors[0]
    assert isinstance(exc, ConflictError) and "已被他人修改" in exc.message
    assert dialog.isVisible() and dialog.ok_button.isEnabled()
    on_reload()
    assert reloads == [True] and not dialog.isVisible()
    assert case_of(env, "SF-2026-002").status == "accepted"


def _agreed_case(env) -> int:
    case_id = uc.register_case(env.ctx, case_input()).id
    uc.accept_case(env.ctx, case_id, date(2026, 10, 15))
    uc.start_mediation(env.ctx, case_id, date(2026, 10, 15))
    uc.conclude_agreement(env.ctx, case_id, agreement_input(date(2026, 10, 15)))
    return case_id


def _follow_up_dialog(qtbot, env, case_id: int) -> FollowUpDialog:
    dialog = dialog_for_action("follow_up", env, case_detail(env.ctx, case_id))
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def test_follow_up_performance_defaults_from_the_latest_performance_record(env, qtbot):
    case_id = _agreed_case(env)
    dialog = _follow_up_dialog(qtbot, env, case_id)
    assert dialog.performance_combo.current() is None  # nothing recorded yet: 未了解
    assert dialog.performance_combo.currentText() == "（未了解）"
    dialog.close()
    record_performance(env.ctx, case_id, PerformanceResult.NONE, "尚未支付", date(2026, 11, 1))
    record_performance(env.ctx, case_id, PerformanceResult.PARTIAL, "已付一半", date(2026, 11, 20))
    dialog = _follow_up_dialog(qtbot, env, case_id)
    assert dialog.performance_combo.current() is PerformanceResult.PARTIAL
    assert dialog.performance_combo.currentText() == "部分履行"
    assert "2026-11-20" in dialog.performance_hint.text() and dialog.performance_hint.isVisible()
    dialog.method_combo.set_current(FollowUpMethod.PHONE)
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)
    assert case_detail(env.ctx, case_id).follow_ups[-1].performance == "partial"


def _active(qtbot, dialog):
    with qtbot.waitActive(dialog):
        dialog.activateWindow()
    return dialog


def test_a_local_check_puts_the_focus_on_the_bad_field_and_editing_clears_it(env, qtbot):
    dialog = _active(qtbot, build(qtbot, env, "reject", "SF-2026-003"))
    size, ok_at = dialog.size(), dialog.ok_button.geometry()
    label = dialog.errors.labels["reason"]
    assert label.sizePolicy().retainSizeWhenHidden()  # its line is kept while hidden
    press_ok(qtbot, dialog)
    assert label.isVisible() and label.text() == "请填写不予受理的理由"
    assert dialog.focusWidget() is dialog.text_edit  # not OK, not 取消
    assert dialog.text_edit.property("invalid") is True
    qtbot.wait(10)
    assert dialog.size() == size and dialog.ok_button.geometry() == ok_at  # nothing jumped
    dialog.text_edit.setText("拒")  # the first edit clears the stale message
    assert not label.isVisible() and label.text() == ""
    assert dialog.text_edit.property("invalid") is False


def test_a_service_refusal_puts_the_focus_on_its_field_not_on_cancel(env, qtbot):
    dialog = _active(qtbot, build(qtbot, env, "accept", "SF-2026-003"))
    size = dialog.size()
    dialog.date_edit.setDate(QDate(2026, 8, 20))  # before the transfer of 2026-08-21
    press_ok(qtbot, dialog)  # OK is greyed while the service runs: the focus left it
    label = dialog.errors.labels["on"]
    assert "2026-08-21" in label.text() and label.isVisible()
    assert dialog.ok_button.isEnabled()
    cancel = dialog.buttons.button(dialog.buttons.StandardButton.Cancel)
    assert dialog.focusWidget() is not cancel
    assert dialog.focusWidget() in (dialog.date_edit, *dialog.date_edit.findChildren(QWidget))
    qtbot.wait(10)
    assert dialog.size() == size
    dialog.date_edit.setDate(QDate(2026, 11, 29))
    assert not label.isVisible()
    with qtbot.waitSignal(dialog.accepted, timeout=1000):
        press_ok(qtbot, dialog)


def test_a_conflict_leaves_the_focus_where_it_was(env, qtbot, shown_errors):
    dialog = _active(qtbot, build(qtbot, env, "start", "SF-2026-002"))
    case_id = dialog.case_id
    other = ServiceContext(env.ctx.db, actor="李干事", clock=env.ctx.clock)
    update_case_info(other, case_id, case_detail(other, case_id).version, people_involved=3)
    press_ok(qtbot, dialog)
    assert isinstance(shown_errors[0][0], ConflictError)
    assert dialog.focusWidget() is dialog.ok_button and dialog.ok_button.isEnabled()
