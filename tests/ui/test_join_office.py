"""A new office joins a county server: the wizard's 「加入已有的县级数据库」, then its approval in
系统 → 司法所加入申请, then its administrator logs in and sees only their office."""
from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QWizard

from mediator.services.cases.read import CaseFilter, list_cases
from mediator.services.safety.auth import LoginError, authenticate
from mediator.services.settings import get_setting
from mediator.ui.dialogs.join_office import JoinOfficeWizard
from mediator.ui.widgets.office_requests import OfficeRequestsPanel


@pytest.fixture
def ui_db(database):
    """The county server as it is meant to be: PostgreSQL, and SQLite as well."""
    return database


def _click(qtbot, wizard, which) -> None:
    qtbot.mouseClick(wizard.button(which), Qt.MouseButton.LeftButton)


def test_a_new_office_asks_to_join_and_is_approved(qtbot, env):
    ctx = env.ctx
    wizard = JoinOfficeWizard(ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    assert "示范县" in wizard.choice.subTitle()
    wizard.choice.join.setChecked(True)
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.office
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)  # nothing filled: stays, names the field
    assert wizard.currentPage() is wizard.office
    assert wizard.office.fields["short"].error_message() == "请填写案号简称"
    page = wizard.office
    page.office_name.setText("河口镇司法所")
    page.short.setText("河口")
    page.seal_text.setText("河口镇人民调解委员会（印）")
    page.township_code.setText("419901101")
    page.township_name.setText("河口镇")
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    assert wizard.currentPage() is wizard.admin
    wizard.admin.username.setText("admin")  # taken: the service names the field
    wizard.admin.display_name.setText("赵所长")
    wizard.admin.password.setText("hekou2026a")
    wizard.admin.confirm.setText("hekou2026a")
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.admin.fields["admin_username"].error_message() == "用户名“admin”已被使用"
    wizard.admin.username.setText("hekou")
    _click(qtbot, wizard, QWizard.WizardButton.FinishButton)
    assert wizard.result() == QDialog.DialogCode.Accepted and wizard.requested == "河口镇司法所"
    with pytest.raises(LoginError):
        authenticate(ctx, "hekou", "hekou2026a")

    panel = OfficeRequestsPanel(env)
    qtbot.addWidget(panel)
    panel.show()
    assert panel.table.rowCount() == 1 and panel.table.item(0, 0).text() == "河口镇司法所"
    qtbot.mouseClick(panel.approve_button, Qt.MouseButton.LeftButton)
    assert "已批准“河口镇司法所”加入" in panel.message.text()
    assert panel.table.rowCount() == 0

    hekou = authenticate(ctx, "hekou", "hekou2026a")
    from dataclasses import replace

    theirs = replace(ctx, user=hekou, _local=type(ctx._local)())
    assert get_setting(theirs, "office.seal_text") == "河口镇人民调解委员会（印）"
    assert get_setting(theirs, "office.name") == "河口镇司法所"
    assert list_cases(theirs, CaseFilter()) == []  # the sample county's cases are 城关's
    assert len(list_cases(ctx, CaseFilter())) == 3


def test_an_office_already_here_goes_on_to_log_in(qtbot, env):
    wizard = JoinOfficeWizard(env.ctx)
    qtbot.addWidget(wizard)
    wizard.show()
    _click(qtbot, wizard, QWizard.WizardButton.NextButton)
    qtbot.waitUntil(lambda: not wizard.isVisible())
    assert wizard.result() == QDialog.DialogCode.Accepted and wizard.wants_login
