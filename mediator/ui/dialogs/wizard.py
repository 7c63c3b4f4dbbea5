"""The first-run wizard: the office and its place, the first administrator, the demo offer."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
    QWizard,
    QWizardPage,
)

from mediator.domain import region_codes
from mediator.domain.enums import OrganizationKind
from mediator.domain.errors import ValidationError, ValidationErrors
from mediator.services.context import CurrentUser, ServiceContext
from mediator.services.safety.auth import OfficeSetup, password_problems, setup_office
from mediator.ui.widgets.field_error import FieldError, FieldErrors, FieldWithError


class CheckedPage(QWizardPage):
    """A page whose fields each carry their own red message; 下一步 checks them first."""

    def __init__(self) -> None:
        super().__init__()
        self.form = QFormLayout(self)
        # Labels beside their fields, not centred on a field and its (reserved) message line.
        self.form.setLabelAlignment(Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignTop)
        self.error = FieldError()  # what belongs to no field (e.g. a refusal of the service)
        self.errors = FieldErrors(self.error)
        self.fields: dict[str, FieldWithError] = {}

    def add_field(self, label: str, path: str, widget: QWidget) -> QWidget:
        box = FieldWithError(widget)
        self.fields[path] = box
        self.errors.add(path, box)
        self.form.addRow(label, box)
        return widget

    def problems(self) -> list[ValidationError]:
        """What is wrong on the page (subclasses)."""
        return []

    def show_errors(self, errors: list[ValidationError]) -> bool:
        """Show ``errors`` beside their fields and focus the first; True when there are none."""
        self.errors.show(errors)
        bad = self.errors.first_invalid()
        if bad is not None:
            bad.setFocus()
        return not errors

    def validatePage(self) -> bool:
        return self.show_errors(self.problems())


def _required(fields: list[tuple[str, str, QLineEdit]]) -> list[ValidationError]:
    return [ValidationError(path, f"请填写{label}") for label, path, edit in fields
            if not edit.text().strip()]


class OfficePage(CheckedPage):
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
        self.county_code.setPlaceholderText("6位县级区划代码，如 419901（也可填12位）")
        self.county_name = QLineEdit()
        self.county_name.setPlaceholderText("例如：示范县")
        self.township_code = QLineEdit()
        self.township_code.setPlaceholderText("9位代码，如 419901100（县级单位可不填）")
        self.township_name = QLineEdit()
        self.township_name.setPlaceholderText("例如：城关镇")
        self.add_field("单位名称", "office_name", self.office_name)
        self.add_field("调解组织名称", "organization_name", self.org_name)
        self.form.addRow("组织类型", self.org_kind)
        self.add_field("案号简称", "organization_short", self.org_short)
        self.add_field("所在县（市、区）代码", "county_code", self.county_code)
        self.add_field("县（市、区）名称", "county_name", self.county_name)
        self.add_field("所在乡镇（街道）代码", "township_code", self.township_code)
        self.add_field("乡镇（街道）名称", "township_name", self.township_name)
        self.form.addRow(self.error)
        # The service's own paths for what it refuses while saving the places and organisation.
        for path, field in (("county", "county_code"), ("township", "township_code"),
                            ("organization", "organization_name")):
            self.errors.add(path, self.fields[field])

    def problems(self) -> list[ValidationError]:
        found = _required([("单位名称", "office_name", self.office_name),
                           ("调解组织名称", "organization_name", self.org_name),
                           ("案号简称", "organization_short", self.org_short)])
        county = None
        try:
            county = region_codes.county_code(self.county_code.text())
        except ValidationError as e:
            found.append(ValidationError(e.path, "请填写所在县（市、区）代码") if not self.county_code.text().strip()
                         else e)
        found += _required([("县（市、区）名称", "county_name", self.county_name)])
        if self.township_code.text().strip() and county is not None:
            try:
                region_codes.township_code(self.township_code.text(), county)
            except ValidationError as e:
                found.append(e)
        if self.township_code.text().strip() and not self.township_name.text().strip():
            found.append(ValidationError("township_name", "请填写乡镇（街道）名称"))
        if self.township_name.text().strip() and not self.township_code.text().strip():
            found.append(ValidationError("township_code", "请填写乡镇（街道）代码，或清空乡镇名称"))
        return found


class AdminPage(CheckedPage):
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
        self.add_field("用户名", "admin_username", self.username)
        self.add_field("姓名", "admin_display_name", self.display_name)
        self.add_field("密码", "admin_password", self.password)
        self.add_field("确认密码", "confirm", self.confirm)
        self.form.addRow(self.error)

    def problems(self) -> list[ValidationError]:
        found = []
        if not self.username.text().strip() or not self.username.text().isascii():
            found.append(ValidationError("admin_username", "用户名须为字母或数字"))
        if not self.display_name.text().strip():
            found.append(ValidationError("admin_display_name", "请填写姓名"))
        found += [ValidationError("admin_password", p) for p in password_problems(self.password.text())]
        if self.password.text() != self.confirm.text():
            found.append(ValidationError("confirm", "两次输入的密码不一致"))
        return found


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
            while self.currentPage() is not page:
                self.back()
            page.show_errors(list(e.errors))
            return
        self.demo_cases = self.demo.cases.value() if self.demo.load_demo.isChecked() else 0
        super().accept()
