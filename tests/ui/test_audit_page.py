"""审计日志 page (filters, 校验完整性) and the 备份与恢复 section of the 系统 page."""
from __future__ import annotations

import dataclasses

import pytest
import sqlalchemy as sa
from PySide6.QtCore import Qt

from mediator.domain.permissions import Permission, Role
from mediator.services import audit
from mediator.services.settings import set_setting
from mediator.ui.main_window import MainWindow, PageEntry, default_pages
from mediator.ui.pages.audit_log import AuditLogPage
from mediator.ui.pages.system import SystemPage
from tests.audit_tamper import tamper


def _show(qtbot, widget):
    qtbot.addWidget(widget)
    widget.resize(1148, 760)
    widget.show()
    return widget


def _column(table, column: int) -> list[str]:
    return [table.item(r, column).text() for r in range(table.rowCount())]


def _choose(box, data: str) -> None:
    index = box.findData(data)
    assert index >= 0, data
    box.setCurrentIndex(index)


def test_the_page_lists_entries_newest_first_in_chinese(env, qtbot):
    audit.log(env.ctx, "export", "台账 3件", {"kind": "ledger"})
    page = _show(qtbot, AuditLogPage(env))
    assert page.table.rowCount() >= 3
    assert _column(page.table, 2)[0] == "导出"
    assert _column(page.table, 3)[0] == "台账 3件"
    assert _column(page.table, 4)[0] == "类别：案件台账"
    assert "登录" in _column(page.table, 2)  # the fixture's login
    assert page.count_label.text() == f"共{page.table.rowCount()}条"


def test_filtering_by_user_and_action(env, qtbot):
    from mediator.services.context import ServiceContext

    other = ServiceContext(env.ctx.db, actor="李会计", clock=env.ctx.clock)
    audit.log(other, "export", "统计表")
    audit.log(env.ctx, "print", "文书")
    page = _show(qtbot, AuditLogPage(env))
    page.refresh()  # the choices now hold 李会计
    _choose(page.user_box, "李会计")
    qtbot.mouseClick(page.query_button, Qt.MouseButton.LeftButton)
    assert _column(page.table, 1) == ["李会计"]
    _choose(page.user_box, "")
    _choose(page.action_box, "print")
    qtbot.mouseClick(page.query_button, Qt.MouseButton.LeftButton)
    assert set(_column(page.table, 2)) == {"出具文书"} and _column(page.table, 3) == ["文书"]
    _choose(page.action_box, "")
    page.keyword.setText("统计")
    page.keyword.returnPressed.emit()
    assert _column(page.table, 3) == ["统计表"]


def test_the_verify_button_says_intact_or_where_the_chain_breaks(env, qtbot):
    page = _show(qtbot, AuditLogPage(env))
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    count = len(audit.entries(env.ctx, limit=100000))
    assert page.check_label.text() == f"审计日志完整，共{count}条"
    victim = audit.entries(env.ctx, limit=2)[1]
    with env.ctx.db.engine.begin() as conn:
        tamper(conn, "UPDATE audit_entry SET target = 'x' WHERE id = :i", {"i": victim.id})
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    text = page.check_label.text()
    assert text.startswith("审计日志校验未通过") and f"第{victim.id}条" in text
    assert page.verify_button.isEnabled()


def test_the_verify_button_checks_an_anchor_written_down_earlier(env, qtbot):
    page = _show(qtbot, AuditLogPage(env))
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    written_down = str(audit.head(env.ctx))
    assert page.head_label.text() == f"当前锚点：{written_down}（可抄录保存，日后核对）"
    audit.log(env.ctx, "export", "台账 3件", {"kind": "ledger"})
    page.anchor.setText(written_down)
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    count = written_down.split(":")[0]
    assert page.check_label.text().endswith(f"，并延续锚点（第{count}条）")
    with env.ctx.db.engine.begin() as conn:  # wiped, head and all, by someone who knows how
        tamper(conn, "DELETE FROM audit_entry")
        conn.execute(sa.text("DELETE FROM setting WHERE key = 'audit.head'"))
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    text = page.check_label.text()
    assert "审计日志完整" not in text and "日志条数少于锚点：被清空或截断" in text
    page.grab().save("/tmp/audit-anchor-page.png")
    page.anchor.setText("12:abc")
    qtbot.mouseClick(page.verify_button, Qt.MouseButton.LeftButton)
    assert "审计日志锚点格式" in page.check_label.text() and page.verify_button.isEnabled()


def test_the_page_follows_system_and_only_auditors_see_it(env, qtbot):
    keys = [entry.key for entry in default_pages()]
    assert keys[keys.index("system") + 1] == "audit"
    entry = next(e for e in default_pages() if e.key == "audit")
    assert (entry.title, entry.permission) == ("审计日志", Permission.AUDIT_READ)
    window = MainWindow(env, pages=[PageEntry("system", "系统", SystemPage), entry])
    qtbot.addWidget(window)
    assert "audit" in window.pages
    mediator = dataclasses.replace(env, user=dataclasses.replace(env.user, role=Role.MEDIATOR))
    window = MainWindow(mediator, pages=[PageEntry("system", "系统", SystemPage), entry])
    qtbot.addWidget(window)
    assert "audit" not in window.pages
    assert window.pages["system"].backup_panel is None  # no 备份与恢复 without the permission


def test_backing_up_now_from_the_system_page(env, qtbot, tmp_path):
    folder = tmp_path / "备份"
    set_setting(env.ctx, "backup.folder", str(folder))
    set_setting(env.ctx, "backup.keep", 3)
    page = _show(qtbot, SystemPage(env))
    panel = page.backup_panel
    assert panel.folder.text() == str(folder)
    assert panel.daily.text() == "每天 22:00" and panel.keep.text() == "最近3份"
    assert panel.backups.rowCount() == 0 and panel.backup_button.isEnabled()
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    files = list(folder.glob("mediator-backup-*.db"))
    assert len(files) == 1
    assert _column(panel.backups, 1) == [files[0].name]
    anchor = files[0].with_name(files[0].name + ".anchor").read_text(encoding="ascii").strip()
    assert panel.message.text() == f"已备份到 {files[0]}；审计日志锚点：{anchor}（已另存于同名 .anchor 文件）"
    assert audit.entries(env.ctx, limit=1)[0].action == "backup"
    assert audit.entries(env.ctx, limit=1)[0].detail["anchor"] == anchor
    panel.grab().save("/tmp/audit-backup-panel.png")


def test_restoring_a_backup_from_the_window_shows_what_it_holds_and_restarts(env, qtbot, tmp_path,
                                                                             monkeypatch):
    from mediator.services.cases import lifecycle as uc
    from mediator.services.cases.read import CaseFilter, count_cases
    from mediator.ui import errors as ui_errors
    from mediator.ui.dialogs import restore_reason
    from tests.helpers import case_input

    set_setting(env.ctx, "backup.folder", str(tmp_path / "备份"))
    restarts, asked, told = [], [], []
    env.restart = lambda: restarts.append(True)
    page = _show(qtbot, SystemPage(env))
    panel = page.backup_panel
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    cases_then = count_cases(env.ctx, CaseFilter())
    uc.register_case(env.ctx, case_input(ref="AFTER-BACKUP"))  # written after the backup
    assert count_cases(env.ctx, CaseFilter()) == cases_then + 1
    panel.backups.selectRow(0)
    monkeypatch.setattr(restore_reason, "ask_restore_reason",
                        lambda _p, summary: asked.append(summary) or "误删案件，恢复到备份")
    monkeypatch.setattr(ui_errors, "inform", lambda _p, title, text: told.append(text))
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert asked[0].cases == cases_then
    assert told[0].startswith("数据库已恢复，程序将重新启动。\n原数据库已完整另存为：") and restarts == [True]
    assert "审计记录" in told[0] and "已转入恢复后的审计日志" in told[0]
    assert count_cases(env.ctx, CaseFilter()) == cases_then  # the case written after it is gone
    assert audit.entries(env.ctx, limit=1)[0].action == "restore"


def test_a_restore_declined_changes_nothing(env, qtbot, tmp_path, monkeypatch):
    from mediator.ui.dialogs import restore_reason

    set_setting(env.ctx, "backup.folder", str(tmp_path / "备份"))
    env.restart = lambda: pytest.fail("restarted although the restore was declined")
    page = _show(qtbot, SystemPage(env))
    panel = page.backup_panel
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    panel.backups.selectRow(0)
    monkeypatch.setattr(restore_reason, "ask_restore_reason", lambda *_a: None)
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert audit.entries(env.ctx, limit=1)[0].action == "backup"


def test_on_postgresql_the_section_says_pg_dump_and_offers_no_backup(env, qtbot, monkeypatch, tmp_path):
    from mediator.services.safety.backup_schedule import PG_NOTE, BackupPlan
    from mediator.ui.widgets import backup_panel

    plan = BackupPlan(tmp_path, backup_panel.backup_plan(env.ctx).daily_time, 10, False, PG_NOTE)
    monkeypatch.setattr(backup_panel, "backup_plan", lambda _ctx: plan)
    monkeypatch.setattr(backup_panel, "list_backups", lambda _ctx: [])
    page = _show(qtbot, SystemPage(env))
    panel = page.backup_panel
    assert panel.unsupported.isVisible() and "pg_dump" in panel.unsupported.text()
    assert not panel.backup_button.isEnabled() and panel.daily.text() == "不适用"
    assert not panel.restore_button.isEnabled()


def _summary(tmp_path):
    from datetime import datetime

    from mediator.services.safety.backup import BackupSummary

    return BackupSummary(tmp_path / "mediator-backup-20261201-220000.db", datetime(2026, 12, 1, 22, 0), 12, "0016")


def test_the_restore_dialog_asks_for_the_reason(qtbot, tmp_path):
    from mediator.ui.dialogs.restore_reason import RestoreReasonDialog

    dialog = _show(qtbot, RestoreReasonDialog(None, _summary(tmp_path)))
    dialog.resize(560, dialog.sizeHint().height())
    assert dialog.windowTitle() == "从备份恢复" and dialog.ok_button.text() == "恢复"
    assert not dialog.ok_button.isEnabled()  # no reason, no restore
    dialog.reason.setText("   ")
    assert not dialog.ok_button.isEnabled()
    dialog.reason.setText("误删了一批案件，恢复到昨晚的备份")
    assert dialog.ok_button.isEnabled()
    dialog.grab().save("/tmp/restore-reason.png")
    qtbot.mouseClick(dialog.ok_button, Qt.MouseButton.LeftButton)
    assert dialog.result() == dialog.DialogCode.Accepted and dialog.value() == "误删了一批案件，恢复到昨晚的备份"


def test_a_refused_restore_names_who_has_the_database_open(env, qtbot, tmp_path, monkeypatch):
    import json
    import os
    from pathlib import Path

    from mediator.store import presence
    from mediator.ui import errors as ui_errors
    from mediator.ui.dialogs import restore_reason

    set_setting(env.ctx, "backup.folder", str(tmp_path / "备份"))
    env.restart = lambda: pytest.fail("restarted although the restore was refused")
    page = _show(qtbot, SystemPage(env))
    panel = page.backup_panel
    qtbot.mouseClick(panel.backup_button, Qt.MouseButton.LeftButton)
    # Another PC's program has the file open: its presence file, locked by its process.
    folder = presence.folder_of(Path(env.ctx.db.engine.url.database))
    other = folder / "PC-2-1234.lock"
    fd = os.open(other, os.O_RDWR | os.O_CREAT)
    os.write(fd, json.dumps({"user": "张三", "host": "PC-2", "pid": 1234, "since": ""}).encode())
    assert presence._try_lock(fd)  # as its process would (flock, or msvcrt on Windows)
    errors = []
    monkeypatch.setattr(ui_errors, "show_error", lambda _p, exc, on_reload=None: errors.append(str(exc)))
    monkeypatch.setattr(restore_reason, "ask_restore_reason", lambda *_a: "误删案件")
    try:
        panel.backups.selectRow(0)
        qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    finally:
        os.close(fd)
    assert errors == ["数据库正被 张三（电脑 PC-2，进程 1234）使用，请其退出后再恢复"]
    panel.grab().save("/tmp/restore-panel.png")
    assert audit.entries(env.ctx, limit=1)[0].action == "backup"  # nothing was replaced


def test_only_an_administrator_sees_the_restore_button(env, qtbot):
    head = dataclasses.replace(env, user=dataclasses.replace(env.user, role=Role.HEAD))
    page = _show(qtbot, SystemPage(head))
    assert page.backup_panel.backup_button.isVisible() and not page.backup_panel.restore_button.isVisible()
