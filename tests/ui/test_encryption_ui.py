"""数据库加密 on the 系统 page, and the passphrase asked before login."""
from __future__ import annotations

from mediator.app import ask_database_key
from mediator.services.cases.read import CaseFilter, count_cases
from mediator.ui.dialogs.encryption import DatabaseKeyDialog
from mediator.ui.pages.system import SystemPage

KEY = "tiaojie-mima-2026"


def test_the_system_page_encrypts_the_database_with_the_passphrase_twice(qtbot, env):
    page = SystemPage(env)
    qtbot.addWidget(page)
    panel = page.encryption_panel
    assert panel.status.text() == "未加密" and panel.enable_button.isEnabled()
    cases = count_cases(env.ctx, CaseFilter())
    panel.enable_button.click()
    dialog = panel.dialog
    assert dialog.isVisible()
    dialog.passphrase.setText(KEY)
    dialog.repeat.setText(KEY + "x")
    dialog.encrypt()
    assert "不一致" in dialog.error.text() and env.ctx.db.key is None
    dialog.passphrase.setText("short1")
    dialog.repeat.setText("short1")
    dialog.encrypt()
    assert "至少10位" in dialog.error.text()
    dialog.passphrase.setText(KEY)
    dialog.repeat.setText(KEY)
    dialog.encrypt()
    assert not dialog.isVisible() and env.ctx.db.key == KEY
    assert panel.status.text() == "已加密（SQLCipher）" and not panel.enable_button.isEnabled()
    assert "数据库已加密" in panel.message.text()
    assert count_cases(env.ctx, CaseFilter()) == cases  # the page goes on with the encrypted file

    url = env.ctx.db.url
    key_dialog = DatabaseKeyDialog(url)
    qtbot.addWidget(key_dialog)
    key_dialog.open()
    key_dialog.passphrase.setText("wrong-key-2026")
    key_dialog._on_buttons_accepted()
    assert key_dialog.isVisible() and "数据库密码不正确" in key_dialog.error.text()
    key_dialog.passphrase.setText(KEY)
    key_dialog._on_buttons_accepted()
    assert not key_dialog.isVisible() and key_dialog.key == KEY


def test_a_plain_database_asks_no_passphrase(env):
    assert ask_database_key(env.ctx.db.url) == (True, None)
