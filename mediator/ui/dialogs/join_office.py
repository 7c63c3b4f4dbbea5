"""A new PC on a county server that already has offices: log in as an office already here, or
「加入已有的县级数据库」 as a new office (its name, short name, seal text, first administrator),
which waits for an administrator of the server to approve it."""
from __future__ import annotations

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QDialog, QLabel, QLineEdit, QRadioButton, QVBoxLayout, QWizard, QWizardPage

from mediator.domain.errors import DomainError, ValidationError, ValidationErrors
from mediator.services.context import ServiceContext
from mediator.services.offices import JoinRequest, county_of_server, request_join
from mediator.ui.dialogs.wizard import AdminPage, CheckedPage, _required
from mediator.ui.errors import show_error

CHOICE, OFFICE, ADMIN = range(3)


class ChoicePage(QWizardPage):
    def __init__(self, county: str) -> None:
        super().__init__()
        self.setTitle("连接县级数据库")
        self.setSubTitle(f"此数据库（{county}）中已有司法所在使用。")
        self.login = QRadioButton("本所已在使用此数据库：直接登录")
        self.join = QRadioButton("加入已有的县级数据库：本所是新的司法所，申请加入")
        self.login.setChecked(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.login)
        layout.addWidget(self.join)
        note = QLabel("申请提交后，须由本服务器的管理员在“系统 → 司法所加入申请”中批准，本所管理员方可登录。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout.addWidget(note)
        layout.addStretch(1)

    def validatePage(self) -> bool:
        if self.login.isChecked():  # 下一步 on 直接登录: done here, the login dialog follows
            QTimer.singleShot(0, self.wizard().accept)  # not from inside the wizard's own 下一步
            return False
        return True


class JoinOfficePage(CheckedPage):
    def __init__(self, county: tuple[str, str]) -> None:
        super().__init__()
        self.setTitle("本所信息")
        self.setSubTitle(f"本所将加入{county[1]}的数据库；案号中的简称用于本所编号，如（2026）河口人调字第1号。")
        self.office_name = QLineEdit()
        self.office_name.setPlaceholderText("例如：河口镇司法所")
        self.org_name = QLineEdit()
        self.org_name.setPlaceholderText("例如：河口镇人民调解委员会（可不填，同单位名称）")
        self.short = QLineEdit()
        self.short.setPlaceholderText("例如：河口")
        self.seal_text = QLineEdit()
        self.seal_text.setPlaceholderText("可不填：按调解类型印“（人民调解委员会印）”")
        self.township_code = QLineEdit()
        self.township_code.setPlaceholderText(f"9位代码，前6位为{county[0][:6]}")
        self.township_name = QLineEdit()
        self.township_name.setPlaceholderText("例如：河口镇")
        self.add_field("单位名称", "office_name", self.office_name)
        self.add_field("调解组织名称", "organization_name", self.org_name)
        self.add_field("案号简称", "short", self.short)
        self.add_field("印章文字", "seal_text", self.seal_text)
        self.add_field("所在乡镇（街道）代码", "township_code", self.township_code)
        self.add_field("乡镇（街道）名称", "township_name", self.township_name)
        self.form.addRow(self.error)

    def problems(self) -> list[ValidationError]:
        return _required([("单位名称", "office_name", self.office_name), ("案号简称", "short", self.short),
                          ("乡镇（街道）代码", "township_code", self.township_code),
                          ("乡镇（街道）名称", "township_name", self.township_name)])


class JoinOfficeWizard(QWizard):
    """``wants_login`` when the office is already here; else ``requested`` names the request."""

    def __init__(self, ctx: ServiceContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.requested = ""
        county = county_of_server(ctx) or ("", "")
        self.setWindowTitle("连接县级数据库 — 调解通")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.choice = ChoicePage(county[1])
        self.office = JoinOfficePage(county)
        self.admin = AdminPage()
        self.admin.setSubTitle("本所的第一个账号为本所管理员。密码至少8位，须含字母和数字。")
        self.admin.setFinalPage(True)
        self.setPage(CHOICE, self.choice)
        self.setPage(OFFICE, self.office)
        self.setPage(ADMIN, self.admin)
        self.resize(640, 520)

    @property
    def wants_login(self) -> bool:
        return self.choice.login.isChecked()

    def accept(self) -> None:
        if self.wants_login:  # QWizard's own done() would ask the choice page again
            QDialog.done(self, QDialog.DialogCode.Accepted)
            return
        o, a = self.office, self.admin
        data = JoinRequest(office_name=o.office_name.text(), organization_name=o.org_name.text(),
                           short=o.short.text(), seal_text=o.seal_text.text(),
                           township_code=o.township_code.text(), township_name=o.township_name.text(),
                           admin_username=a.username.text(), admin_display_name=a.display_name.text(),
                           admin_password=a.password.text())
        try:
            self.requested = request_join(self.ctx, data)
        except ValidationErrors as e:
            admin_fields = {"admin_username", "admin_display_name", "admin_password"}
            page = self.admin if any(err.path in admin_fields for err in e.errors) else self.office
            while self.currentPage() is not page:
                self.back()
            page.show_errors(list(e.errors))
            return
        except DomainError as e:
            show_error(self, e)
            return
        super().accept()
