"""Start-up: --help, the first-run wizard, the login dialog, a database upgraded on open."""
from __future__ import annotations

import subprocess
import sys

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWizard

from mediator.app import open_database
from mediator.services.context import Clock, ServiceContext
from mediator.services.safety.auth import authenticate, is_first_run
from mediator.services.settings import get_setting
from mediator.ui.dialogs.login import LoginDialog
from mediator.ui.dialogs.wizard import FirstRunWizard
from tests.conftest import FIXED_NOW, ROOT
from tests.ui.conftest import ADMIN_PASSWORD


def test_main_py_help_lists_the_options_and_exits():
    result = subprocess.run([sys.executable, "main.py", "--help"], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert result.returncode == 0
    assert "--db URL" in result.stdout


def _fill_office(wizard: FirstRunWizard) -> None:
    page = wizard.office
    page.office_name.setText("城关镇司法所")
    page.org_name.setText("城关镇人民调解委员会")
    page.org_short.setText("城关")
    page.county_code.setText("419901000000")
    page.county_name.setText("示范县")
    page.township_code.setText("419901100000")
    page.township_name.setText("城关镇")


def test_first_run_wizard_creates_the_office_and_an_argon2_administrator(qtbot, ui_db):
    ctx = ServiceContext(ui_db, clock=Clock(fixed=FIXED_NOW))
    assert is_first_run(ctx)
    wizard = FirstRunWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.office  # nothing filled in: stays, says what is missing
    assert wizard.office.fields["office_name"].error_message() == "请填写单位名称"
    _fill_office(wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.admin
    qtbot.keyClicks(wizard.admin.username, "admin")
    wizard.admin.display_name.setText("王所长")
    qtbot.keyClicks(wizard.admin.password, "short")
    qtbot.keyClicks(wizard.admin.confirm, "short")
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert "密码至少8位" in wizard.admin.fields["admin_password"].error_message()
    wizard.admin.password.setText(ADMIN_PASSWORD)
    wizard.admin.confirm.setText(ADMIN_PASSWORD)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)
    assert wizard.currentPage() is wizard.demo
    wizard.demo.load_demo.setChecked(True)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QDialog.DialogCode.Accepted
    assert wizard.user.display_name == "王所长" and wizard.demo_cases == 500
    assert not is_first_run(ctx)
    assert get_setting(ctx, "office.name") == "城关镇司法所"
    assert authenticate(ctx, "admin", ADMIN_PASSWORD).role.value == "admin"


def _next(qtbot, wizard) -> None:
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.NextButton), Qt.MouseButton.LeftButton)


def test_the_wizard_names_a_bad_county_code_before_going_on(qtbot, ui_db):
    ctx = ServiceContext(ui_db, clock=Clock(fixed=FIXED_NOW))
    wizard = FirstRunWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    qtbot.waitExposed(wizard)
    _fill_office(wizard)
    page = wizard.office
    size = wizard.size()
    county = page.fields["county_code"]
    for bad, words in (("4199", "6位数字"), ("410000", "不是县级区划代码"), ("419901001000", "后6位应为0")):
        page.county_code.setText(bad)
        _next(qtbot, wizard)
        assert wizard.currentPage() is page, bad
        assert words in county.error_message(), (bad, county.error_message())
        assert county.error.isVisible() and wizard.focusWidget() is page.county_code
        assert wizard.size() == size  # the message's line was kept free: nothing jumps
    wizard.grab().save("/tmp/wizard_bad_county.png")
    page.county_code.clear()
    qtbot.keyClicks(page.county_code, "419901")  # fixed: the message goes at once
    assert county.error_message() == "" and county.error.isHidden()
    page.township_code.setText("419902100")  # of another county
    _next(qtbot, wizard)
    assert "前6位应与所在县代码419901一致" in page.fields["township_code"].error_message()
    assert wizard.focusWidget() is page.township_code
    page.township_code.setText("419901100")
    _next(qtbot, wizard)
    assert wizard.currentPage() is wizard.admin
    admin = wizard.admin
    qtbot.keyClicks(admin.username, "admin")
    admin.display_name.setText("王所长")
    admin.password.setText(ADMIN_PASSWORD)
    admin.confirm.setText(ADMIN_PASSWORD + "x")
    _next(qtbot, wizard)
    assert admin.fields["confirm"].error_message() == "两次输入的密码不一致"
    assert wizard.focusWidget() is admin.confirm
    admin.confirm.setText(ADMIN_PASSWORD)
    _next(qtbot, wizard)
    qtbot.mouseClick(wizard.button(QWizard.WizardButton.FinishButton), Qt.MouseButton.LeftButton)
    assert wizard.result() == QDialog.DialogCode.Accepted
    from mediator.services.places.admin import region_tree

    ctx.user = wizard.user
    assert {r.code for r in region_tree(ctx)} == {"419901000000", "419901100000"}  # kept as 12 digits


def test_login_shows_the_failure_in_place_and_accepts_the_right_password(qtbot, ui_ctx):
    dialog = LoginDialog(ui_ctx, "城关镇司法所")
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.keyClicks(dialog.username, "admin")
    qtbot.keyClicks(dialog.password, "wrong-password1")
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.error.isVisibleTo(dialog) and "用户名或密码错误" in dialog.error.text()
    assert dialog.user is None
    dialog.password.setText(ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert dialog.user.username == "admin"


def test_five_wrong_passwords_lock_the_account(qtbot, ui_ctx):
    dialog = LoginDialog(ui_ctx)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText("admin")
    for _ in range(5):
        dialog.password.setText("wrong-password1")
        qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    dialog.password.setText(ADMIN_PASSWORD)
    qtbot.keyClick(dialog.password, Qt.Key.Key_Return)
    assert dialog.user is None and "锁定" in dialog.error.text()


def test_open_database_migrates_a_fresh_file(tmp_path):
    db = open_database(f"sqlite:///{tmp_path / 'fresh.db'}")
    ctx = ServiceContext(db)
    assert is_first_run(ctx)
    db.dispose()
