"""风险预警 page: a warning acknowledged through 确认并记录跟进 leaves the open list for 已处理;
the rules dialog; the case header's badge; the tray message of new warnings."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QObject, Signal

from mediator.domain.enums import RiskLevel
from mediator.domain.risk_rules import RuleKind
from mediator.scheduling.jobs import risk_scan
from mediator.services.cases import lifecycle as uc
from mediator.services.risk.alerts import risk_alerts
from mediator.services.risk.rules import office_rules
from mediator.ui.main_window import MainWindow, default_pages
from mediator.ui.pages.risk import RiskPage
from mediator.ui.scheduler_bridge import SchedulerBridge
from mediator.ui.workspace.case_workspace import CaseWorkspace
from tests.helpers import applicant, case_input, respondent


@pytest.fixture
def alert_env(env):
    """A group dispute of 12 people registered in the sample county: one open 群体性纠纷 warning."""
    people = [applicant(name="赵一", id_number=None, phone="13900000001"),
              respondent(name="钱二", id_number=None, phone="13900000002")]
    env.case_id = uc.register_case(env.ctx, case_input(people_involved=12, parties=people,
                                                       risk_level=RiskLevel.MEDIUM)).id
    return env


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1148, 700)
    widget.show()
    return widget


def test_the_page_follows_the_reminders_in_the_navigation():
    keys = [p.key for p in default_pages()]
    assert keys.index("risk") == keys.index("reminders") + 1


def test_a_warning_is_acknowledged_through_the_dialog_and_moves_to_handled(alert_env, qtbot):
    page = _show(qtbot, RiskPage(alert_env))
    rows = [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
    assert "群体性纠纷" in rows
    row = rows.index("群体性纠纷")
    assert page.table.item(row, 2).text() == "高" and "涉及12人" in page.table.item(row, 4).text()
    assert not page.ack_button.isEnabled()
    page.table.selectRow(row)
    assert page.ack_button.isEnabled()
    page.ack_button.click()
    dialog = page.dialog
    assert dialog is not None and dialog.isVisible() and dialog.who.text() == "王所长"
    dialog.grab().save("/tmp/risk-ack.png")
    dialog.ok_button.click()  # no 跟进情况: refused under the field
    assert "跟进情况不能为空" in dialog.field_error("follow_up") and dialog.isVisible()
    dialog.note.setPlainText("已约谈双方并联系村委会稳控")
    dialog.ok_button.click()
    assert not dialog.isVisible()
    assert "群体性纠纷" not in [page.table.item(r, 1).text() for r in range(page.table.rowCount())]
    assert "跟进情况已记录" in page.message.text()
    page.filter.setCurrentIndex(page.filter.findData(True))
    assert page.table.columnCount() == 9
    handled = [[page.table.item(r, c).text() for c in (1, 5, 6, 7)] for r in range(page.table.rowCount())]
    assert ["群体性纠纷", "王所长", "已约谈双方并联系村委会稳控", "王所长"] in handled
    page.grab().save("/tmp/risk-page.png")


def test_the_rules_dialog_saves_and_names_a_bad_field(alert_env, qtbot):
    page = _show(qtbot, RiskPage(alert_env))
    page.rules_button.click()
    dialog = page.dialog
    assert dialog.isVisible()
    dialog.grab().save("/tmp/risk-rules.png")
    dialog.rows[RuleKind.WORDS].words.setPlainText("  ")
    dialog.ok_button.click()
    assert "至少填写一个词语" in dialog.field_error("words.words")
    dialog.rows[RuleKind.WORDS].words.setPlainText("打架、 报复")
    dialog.rows[RuleKind.GROUP].number.setValue(20)
    dialog.rows[RuleKind.FAILED].enabled.setChecked(False)
    dialog.ok_button.click()
    assert not dialog.isVisible()
    rules = {r.kind: r for r in office_rules(alert_env.ctx)}
    assert rules[RuleKind.WORDS].words == ("打架", "报复")
    assert rules[RuleKind.GROUP].number == 20 and not rules[RuleKind.FAILED].enabled


def test_the_case_header_shows_an_open_warning_as_a_badge(alert_env, qtbot):
    workspace = _show(qtbot, CaseWorkspace(alert_env, alert_env.case_id))
    badge = workspace.header.alert_label
    assert badge.isVisible() and "群体性纠纷" in badge.text()
    workspace.header.grab().save("/tmp/risk-header.png")
    [alert] = risk_alerts(alert_env.ctx, case_id=alert_env.case_id)
    from mediator.services.risk.alerts import acknowledge_alert
    acknowledge_alert(alert_env.ctx, alert.id, "王所长", "已处理")
    workspace.reload()
    assert not badge.isVisible()


class FakeTray(QObject):
    messageClicked = Signal()

    def __init__(self) -> None:
        super().__init__()
        self.messages: list[tuple[str, str]] = []

    def showMessage(self, title, body, *_args) -> None:
        self.messages.append((title, body))


class FakeScheduler:
    def scan_soon(self) -> None:
        pass


def test_new_warnings_reach_the_heads_tray_once_and_a_click_shows_the_page(alert_env, qtbot):
    from mediator.services.reminders.due import DueCounts
    from mediator.services.reminders.notices import ReminderNotice

    new = risk_scan(alert_env.ctx, "admin", alert_env.ctx.today())
    assert sorted(a.rule for a in new) == ["group", "stalled"]  # the sample's high-risk case is stalled
    assert risk_scan(alert_env.ctx, "admin", alert_env.ctx.today()) == []  # told once
    tray = FakeTray()
    bridge = SchedulerBridge(alert_env, scheduler=FakeScheduler(), tray=tray)
    window = MainWindow(alert_env, scheduler_bridge=bridge)
    qtbot.addWidget(window)
    notice = ReminderNotice(fired=[], counts=DueCounts(0, 0, 0), no_next_step=0, next_fire=None, risk_alerts=new)
    bridge._on_notice(notice)
    title, body = tray.messages[-1]
    assert title == "2条新的风险预警" and "群体性纠纷（高）" in body
    tray.messageClicked.emit()  # several cases: the page
    assert window.current_page() is window.pages["risk"]
    bridge._on_notice(ReminderNotice(fired=[], counts=DueCounts(0, 0, 0), no_next_step=0, next_fire=None,
                                     risk_alerts=new[:1]))
    opened = []
    alert_env.signals.open_case_requested.connect(opened.append)
    tray.messageClicked.emit()  # one case: that case
    assert opened == [new[0].case_id]
