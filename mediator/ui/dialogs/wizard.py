"""The first-run wizard: the office and its place, the first administrator, the demo offer."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWizard,
    QWizardPage,
)

from mediator.domain.enums import OrganizationKind
from mediator.domain.errors import ValidationErrors
from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.safety.auth import OfficeSetup, password_problems, setup_office


def _error_label() -> QLabel:
    label = QLabel()
    label.setStyleSheet("color: #c62828;")
    label.setWordWrap(True)
    return label


class OfficePage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("本单位信息")
        self.setSubTitle("填写使用本软件的单位及其调解组织；案号中的简称将用于编号，如（2026）城关人调字第1号。")
        self.office_name = QLineEdit()
        self.office_name.setPlaceholderText("例如：城关镇司法所")
        self.org_name = QLineEdit()
        self.org_name.setPlaceholderText("例如：城关镇人民调解委员会")
        self.org_kind = QComboBox()
        for kind in OrganizationKind:
            self.org_kind.addItem(kind.label, kind.value)
        self.org_kind.setCurrentIndex(list(OrganizationKind).index(OrganizationKind.TOWNSHIP_COMMITTEE))
        self.org_short = QLineEdit()
        self.org_short.setPlaceholderText("例如：城关")
        self.county_code = QLineEdit()
        self.county_code.setPlaceholderText("12位统计用区划代码，如 419901000000")
        self.county_name = QLineEdit()
        self.township_code = QLineEdit()
        self.township_code.setPlaceholderText("如 419901100000（县级单位可不填）")
        self.township_name = QLineEdit()
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow("单位名称", self.office_name)
        form.addRow("调解组织名称", self.org_name)
        form.addRow("组织类型", self.org_kind)
        form.addRow("案号简称", self.org_short)
        form.addRow("所在县（市、区）代码", self.county_code)
        form.addRow("县（市、区）名称", self.county_name)
        form.addRow("所在乡镇（街道）代码", self.township_code)
        form.addRow("乡镇（街道）名称", self.township_name)
        form.addRow(self.error)

    def validatePage(self) -> bool:
        missing = [label for label, field in (("单位名称", self.office_name), ("调解组织名称", self.org_name),
                                              ("案号简称", self.org_short), ("县代码", self.county_code),
                                              ("县名称", self.county_name)) if not field.text().strip()]
        if missing:
            self.error.setText("请填写：" + "、".join(missing))
            return False
        if self.township_code.text().strip() and not self.township_name.text().strip():
            self.error.setText("请填写乡镇（街道）名称")
            return False
        self.error.clear()
        return True


class AdminPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("管理员账号")
        self.setSubTitle("第一个账号为管理员，可在“系统”中添加其他人员。密码至少8位，须含字母和数字。")
        self.username = QLineEdit()
        self.username.setPlaceholderText("字母或数字，如 admin")
        self.display_name = QLineEdit()
        self.password = QLineEdit()
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        self.confirm = QLineEdit()
        self.confirm.setEchoMode(QLineEdit.EchoMode.Password)
        self.error = _error_label()
        form = QFormLayout(self)
        form.addRow("用户名", self.username)
        form.addRow("姓名", self.display_name)
        form.addRow("密码", self.password)
        form.addRow("确认密码", self.confirm)
        form.addRow(self.error)

    def validatePage(self) -> bool:
        problems = []
        if not self.username.text().strip() or not self.username.text().isascii():
            problems.append("用户名须为字母或数字")
        if not self.display_name.text().strip():
            problems.append("请填写姓名")
        problems += password_problems(self.password.text())
        if self.password.text() != self.confirm.text():
            problems.append("两次输入的密码不一致")
        self.error.setText("；".join(problems))
        return not problems


class DemoPage(QWizardPage):
    def __init__(self) -> None:
        super().__init__()
        self.setTitle("示范数据")
        self.setSubTitle("可载入一个虚构的示范县（河湾县），包含乡镇、村（社区）、网格、调解组织、调解员和示例案件，便于熟悉软件。")
        self.load_demo = QCheckBox("载入示范县及示例案件")
        self.cases = QSpinBox()
        self.cases.setRange(10, 100_000)
        self.cases.setValue(500)
        self.cases.setSuffix(" 件")
        layout = QVBoxLayout(self)
        layout.addWidget(self.load_demo)
        row = QFormLayout()
        row.addRow("示例案件数", self.cases)
        layout.addLayout(row)
        note = QLabel("示范数据中的人名、身份证号和电话均为虚构。正式使用前可在新数据库中重新开始。")
        note.setWordWrap(True)
        note.setStyleSheet("color: #666;")
        layout.addWidget(note)
        layout.addStretch(1)


class FirstRunWizard(QWizard):
    """Creates the office and its administrator; ``user`` and ``demo_cases`` hold the answers."""

    def __init__(self, ctx: ServiceContext, parent=None) -> None:
        super().__init__(parent)
        self.ctx = ctx
        self.user: CurrentUser | None = None
        self.demo_cases = 0
        self.setWindowTitle("首次使用设置 — 调解通")
        self.setWizardStyle(QWizard.WizardStyle.ClassicStyle)
        self.setButtonText(QWizard.WizardButton.NextButton, "下一步")
        self.setButtonText(QWizard.WizardButton.BackButton, "上一步")
        self.setButtonText(QWizard.WizardButton.FinishButton, "完成")
        self.setButtonText(QWizard.WizardButton.CancelButton, "取消")
        self.office = OfficePage()
        self.admin = AdminPage()
        self.demo = DemoPage()
        for page in (self.office, self.admin, self.demo):
            self.addPage(page)
        self.resize(640, 520)

    def accept(self) -> None:
        o, a = self.office, self.admin
        data = OfficeSetup(
            office_name=o.office_name.text(), organization_name=o.org_name.text().strip(),
            organization_kind=OrganizationKind(o.org_kind.currentData()),
            organization_short=o.org_short.text().strip(), county_code=o.county_code.text().strip(),
            county_name=o.county_name.text().strip(), township_code=o.township_code.text().strip(),
            township_name=o.township_name.text().strip(), admin_username=a.username.text().strip(),
            admin_display_name=a.display_name.text().strip(), admin_password=a.password.text())
        try:
            self.user = setup_office(self.ctx, data)
        except ValidationErrors as e:
            admin_fields = {"admin_username", "admin_display_name", "admin_password"}
            page = self.admin if any(err.path in admin_fields for err in e.errors) else self.office
            page.error.setText("；".join(err.message for err in e.errors))
            while self.currentPage() is not page:
                self.back()
            return
        self.demo_cases = self.demo.cases.value() if self.demo.load_demo.isChecked() else 0
        super().accept()
