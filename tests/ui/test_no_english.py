"""No English and no internal codes on any page: every text a user reads is Chinese."""
from __future__ import annotations

import re

from PySide6.QtWidgets import QAbstractButton, QComboBox, QLabel, QLineEdit, QTableWidget, QTabWidget, QWidget

from mediator.ui.main_window import MainWindow

# Words that are Chinese office usage: formats and product names a user sees as such.
ALLOWED = {"PDF", "DOCX", "Word", "WPS", "Excel", "JSON", "SQLite", "PostgreSQL", "SQLCipher", "Ctrl",
           "Shift", "Alt", "F5", "QR", "Qt", "xlsx", "pdf", "docx", "json", "db", "toml", "mediator",
           "cli", "restore", "pg_dump", "backups", "sqlite", "KB", "MB", "GB", "GB/T", "WAL"}
WORD = re.compile(r"[A-Za-z][A-Za-z_]{2,}")
AUDIT_ANCHOR = re.compile(r"\d+:[0-9a-f]{8,}")


def _english(text: str) -> list[str]:
    return [w for w in WORD.findall(text or "") if w not in ALLOWED and not w.startswith(("mediator", "sqlite"))]


def _texts(widget: QWidget) -> list[tuple[str, str]]:
    out = []
    for w in [widget, *widget.findChildren(QWidget)]:
        name = type(w).__name__
        if isinstance(w, (QLabel, QAbstractButton)):
            out.append((name, w.text()))
        if isinstance(w, QLineEdit):
            out += [(name, w.placeholderText())]
        if isinstance(w, QComboBox):
            out += [(name, w.itemText(i)) for i in range(w.count())]
        if isinstance(w, QTableWidget):
            out += [(name, w.horizontalHeaderItem(c).text()) for c in range(w.columnCount())
                    if w.horizontalHeaderItem(c) is not None]
        if isinstance(w, QTabWidget):
            out += [(name, w.tabText(i)) for i in range(w.count())]
        out.append((name, w.toolTip()))
        if w.isWindow():
            out.append((name, w.windowTitle()))
    return out


def _problems(where: str, widget: QWidget, username: str) -> list[tuple]:
    found = []
    for kind, text in _texts(widget):
        # Paths and URLs shown as data (the database file, the backup folder) are not words;
        # the user's own login name is data too, and a command to type is named as it is typed.
        if "/" in text or "\\" in text or "://" in text:
            continue
        text = re.sub(r"mediator-cli[ a-z_-]*", "", text.replace(username, ""))
        text = AUDIT_ANCHOR.sub("", text)  # an audit anchor (COUNT:HASH) is data, hex as it is
        bad = _english(text)
        if bad:
            found.append((where, kind, text[:80], bad))
    return found


def test_every_page_the_case_workspace_and_the_new_case_dialog_speak_chinese(env, qtbot):
    from mediator.services.cases.read import find_case_id
    from mediator.ui.dialogs.new_case import NewCaseDialog

    window = MainWindow(env)
    qtbot.addWidget(window)
    window.show()
    found = []
    for key in list(window.pages):
        window.show_page(key)
        found += _problems(key, window.pages[key], env.user.username)
    window.open_case(find_case_id(env.ctx, "SF-2026-001"))
    found += _problems("workspace", window, env.user.username)
    dialog = NewCaseDialog(env, window)
    qtbot.addWidget(dialog)
    dialog.show()
    found += _problems("new case", dialog, env.user.username)
    assert found == [], "\n".join(map(str, found))


def test_about_shows_the_version_and_the_regions_page_has_its_title(env, qtbot):
    from PySide6.QtWidgets import QLabel

    from mediator.ui.pages.regions import RegionsPage
    from mediator.version import version

    window = MainWindow(env)
    qtbot.addWidget(window)
    about = next(a for a in window.menuBar().actions() if a.text() == "帮助(&H)").menu().actions()[0]
    assert about.text() == "关于调解通"
    about.trigger()
    dialog = window.about_dialog
    assert dialog.isVisible() and dialog.windowTitle() == "关于调解通"
    assert dialog.title.text() == f"调解通 {version()}" and f"版本：{version()}" in dialog.body.text()
    assert _problems("about", dialog, env.user.username) == []
    dialog.accept()
    page = RegionsPage(env)
    qtbot.addWidget(page)
    assert "区划网格" in [label.text() for label in page.findChildren(QLabel)]


def _an_alert(env):
    """A 风险预警 to acknowledge: the sample's high-risk case without a step for weeks."""
    from mediator.services.risk.alerts import risk_alerts
    from mediator.services.risk.evaluate import scan_risks

    scan_risks(env.ctx)
    return risk_alerts(env.ctx)[0]


def _card_reading():
    """What 读取身份证照片 shows for confirmation, with each kind of warning."""
    from datetime import date

    from mediator.domain.enums import Gender
    from mediator.domain.idcard_text import BIRTH_MISMATCH, CHECK_FAILED, CardReading

    return CardReading(name="张三", gender=Gender.MALE, ethnicity="汉族", birth_date=date(1990, 1, 2),
                       address="示范县城关镇一组", id_number="11010519900102001X", scores={"name": 0.98},
                       warnings={"id_number": (CHECK_FAILED,), "birth_date": (BIRTH_MISMATCH,)})


def test_every_dialog_speaks_chinese(env, qtbot):
    """Each dialog a user can open, shown on a real case: no English, no internal codes."""
    from datetime import date, datetime
    from pathlib import Path

    from mediator.domain.lifecycle import Action
    from mediator.services.cases.read import case_detail, find_case_id
    from mediator.services.risk.rules import office_rules
    from mediator.services.safety.accounts import account_choices, account_rows
    from mediator.services.safety.backup import BackupSummary
    from mediator.ui.dialogs.about import AboutDialog
    from mediator.ui.dialogs.accounts import AccountDialog, ResetPasswordDialog
    from mediator.ui.dialogs.actions import dialog_for_action
    from mediator.ui.dialogs.case_party_dialog import CasePartyDialog, RemovePartyDialog
    from mediator.ui.dialogs.correction_dialogs import CorrectSessionDialog, SupplementDialog
    from mediator.ui.dialogs.draft_agreement import DraftAgreementDialog
    from mediator.ui.dialogs.form_editor import FormEditorDialog
    from mediator.ui.dialogs.holidays import HolidaysDialog
    from mediator.ui.dialogs.idcard_confirm import IdCardConfirmDialog
    from mediator.ui.dialogs.join_office import JoinOfficeWizard
    from mediator.ui.dialogs.old_ledger import OldLedgerDialog
    from mediator.ui.dialogs.party_dialog import PartyDialog
    from mediator.ui.dialogs.reassign import ReassignDialog, RecusalDialog
    from mediator.ui.dialogs.reminder_dialogs import DismissDialog, SnoozeDialog
    from mediator.ui.dialogs.restore_reason import RestoreReasonDialog
    from mediator.ui.dialogs.risk_dialogs import AcknowledgeDialog, RulesDialog
    from mediator.ui.widgets.office_requests import OfficeRequestsPanel

    performed = case_detail(env.ctx, find_case_id(env.ctx, "SF-2026-001"))
    accepted = case_detail(env.ctx, find_case_id(env.ctx, "SF-2026-002"))
    dialogs = [(action.value, dialog_for_action(action, env, performed if action in (
        Action.PERFORM, Action.FOLLOW_UP, Action.JUDICIAL_CONFIRMATION, Action.ARCHIVE) else accepted))
        for action in Action if action is not Action.REGISTER]
    dialogs += [
        ("party", PartyDialog(env)),
        ("idcard confirm", IdCardConfirmDialog(_card_reading(), {"name": "张三"}, offer_attach=True)),
        ("case party", CasePartyDialog(env, accepted, None, None)),
        ("remove party", RemovePartyDialog(env, accepted, accepted.parties[0])),
        ("correct session", CorrectSessionDialog(env, performed, performed.sessions[0])),
        ("supplement", SupplementDialog(env, performed)),
        ("draft", DraftAgreementDialog(env, accepted, None)),
        ("holidays", HolidaysDialog(env)),
        ("old ledger", OldLedgerDialog(env)),
        ("reassign", ReassignDialog(env, accepted)),
        ("recusal", RecusalDialog(env, accepted)),
        ("form editor", FormEditorDialog(env, "agreement")),
        ("snooze", SnoozeDialog(None, "调解期限", date(2026, 11, 29), date(2026, 12, 1))),
        ("dismiss", DismissDialog(None, "调解期限")),
        ("restore reason", RestoreReasonDialog(None, BackupSummary(Path("/备份/mediator-backup-20261201.db"),
                                                                   datetime(2026, 12, 1, 22, 0), 12, "0016"))),
        ("new account", AccountDialog(env, account_choices(env.ctx))),
        ("edit account", AccountDialog(env, account_choices(env.ctx), account_rows(env.ctx)[0])),
        ("reset password", ResetPasswordDialog(env, account_rows(env.ctx)[0])),
        ("about", AboutDialog()),
        ("join office", JoinOfficeWizard(env.ctx)),
        ("office requests", OfficeRequestsPanel(env)),
        ("risk rules", RulesDialog(env, office_rules(env.ctx))),
        ("risk acknowledge", AcknowledgeDialog(env, _an_alert(env))),
    ]
    found = []
    for where, dialog in dialogs:
        qtbot.addWidget(dialog)
        dialog.show()
        found += _problems(where, dialog, env.user.username)
        dialog.close()
    assert found == [], "\n".join(map(str, found))


def test_the_grid_pages_speak_chinese(env, qtbot):
    """网格上报 (shown only to 网格员) and 待分流, each with a report in its list."""
    from mediator.domain.grid import Urgency
    from mediator.services.grid.intake import GridReportInput, report_event
    from mediator.ui.pages.grid_queue import GridQueuePage
    from mediator.ui.pages.grid_reports import GridReportsPage

    report_event(env.ctx, GridReportInput(parties="张大山", place="一组", summary="琐事争吵",
                                          urgency=Urgency.URGENT, village_code="419901100201", grid="一网格"))
    found = []
    for where, page in (("grid reports", GridReportsPage(env)), ("grid queue", GridQueuePage(env))):
        qtbot.addWidget(page)
        page.show()
        found += _problems(where, page, env.user.username)
    assert found == [], "\n".join(map(str, found))


def test_the_screening_page_and_dialogs_speak_chinese(env, qtbot):
    """矛盾纠纷排查 with a planned round, and its four dialogs."""
    from mediator.services.screening.planning import PlanInput, plan_round
    from mediator.services.screening.rows import list_rounds
    from mediator.ui.dialogs.screening_dialogs import (
        CaseFindingDialog,
        PlanRoundDialog,
        PreventionDialog,
        RecordRoundDialog,
    )
    from mediator.ui.pages.screening import ScreeningPage

    plan_round(env.ctx, PlanInput(village_code="419901100201", organization="城关镇人民调解委员会"))
    (row,) = list_rounds(env.ctx)
    found = []
    for where, widget in (("screening", ScreeningPage(env)), ("plan round", PlanRoundDialog(env)),
                          ("record round", RecordRoundDialog(env, row)),
                          ("case finding", CaseFindingDialog(env, row.organization_id)),
                          ("prevention", PreventionDialog())):
        qtbot.addWidget(widget)
        widget.show()
        found += _problems(where, widget, env.user.username)
        widget.close()
    assert found == [], "\n".join(map(str, found))
