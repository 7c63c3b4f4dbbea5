"""One party of a case (当事人): a person or an organisation, checked live while typing."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, Qt, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import Gender, PartyKind, PartyRole
from mediator.domain.errors import ValidationError
from mediator.domain.ethnic_groups import ETHNIC_GROUPS
from mediator.domain.idcard_text import CardReading
from mediator.domain.validators import normalize_id_number, validate_id_number
from mediator.services.cases.attachments import add_attachment
from mediator.services.cases.inputs import AgentInput, PartyInput, check_party
from mediator.services.idcard.reader import read_card
from mediator.ui import errors as ui_errors
from mediator.ui.dialogs.idcard_confirm import IdCardConfirmDialog
from mediator.ui.env import UiEnv
from mediator.ui.idcard_warm_up import warm_up_once
from mediator.ui.ops import run_op, run_query
from mediator.ui.widgets.field_error import FieldError, FieldErrors, FieldWithError

_PATH = "party"
_MARK_COLOR = "#ffebee"
_NO_DATE = QDate(1899, 12, 31)  # the minimum of the date field, shown as "未填写"
# Fields whose message shows as soon as the value is complete, even before the field is left.
_COMPLETE_AT = {"id_number": 18, "credit_code": 18}
CARD_IMAGES = "图片 (*.jpg *.jpeg *.png *.bmp *.tif *.tiff *.webp)"


def _combo(choices: list[tuple[object, str]]) -> QComboBox:
    combo = QComboBox()
    for value, label in choices:
        combo.addItem(label, value)
    return combo


def _member(combo: QComboBox, enum_cls):
    """The enum member chosen in a combo (Qt hands string enums back as plain str), or None."""
    value = combo.currentData()
    return None if value is None else enum_cls(value)


def _set_combo(combo: QComboBox, value: object) -> None:
    index = combo.findData(value)
    combo.setCurrentIndex(max(index, 0))


class PartyDialog(QDialog):
    """Add or edit one party. After ``accept()`` the result is in ``self.party``.

    Args:
        env: the UI environment (only its clock is used: birth dates may not be in the future).
        party: the party to edit, or None for a new one.
        role: the role a new party starts with (default 申请人).
    """

    case_id: int | None = None  # set when the party belongs to a registered case: a card photo may join it

    def __init__(self, env: UiEnv, party: PartyInput | None = None, parent: QWidget | None = None,
                 *, role: PartyRole | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self.party: PartyInput | None = None
        self._touched: set[str] = set()
        self._filling = False
        self.setWindowTitle("编辑当事人" if party else "添加当事人")
        self.setMinimumWidth(520)
        self._build()
        if party is not None:
            self._load(party)
        else:
            _set_combo(self.role_combo, role or PartyRole.APPLICANT)
        self._on_kind_combo_current_index_changed()
        self._revalidate()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        today = self.env.ctx.today()
        self.role_combo = _combo([(r, r.label) for r in PartyRole])
        self.kind_combo = _combo([(k, k.label) for k in PartyKind])
        self.name_edit = QLineEdit()
        self.gender_combo = _combo([(None, "未填写"), (Gender.MALE, "男"), (Gender.FEMALE, "女")])
        self.ethnicity_combo = QComboBox()
        self.ethnicity_combo.setEditable(True)
        self.ethnicity_combo.addItems(list(ETHNIC_GROUPS))
        self.birth_edit = QDateEdit()
        self.birth_edit.setDisplayFormat("yyyy-MM-dd")
        self.birth_edit.setCalendarPopup(True)
        self.birth_edit.setMinimumDate(_NO_DATE)
        self.birth_edit.setMaximumDate(QDate(today.year, today.month, today.day))
        self.birth_edit.setSpecialValueText("未填写")
        self.birth_edit.setDate(_NO_DATE)
        self.id_edit = QLineEdit()
        self.id_edit.setPlaceholderText("18位，输入后自动填写出生日期和性别")
        self.occupation_edit = QLineEdit()
        self.address_edit = QLineEdit()
        self.phone_edit = QLineEdit()
        self.phone_edit.setPlaceholderText("手机号或带区号的座机")
        self.credit_edit = QLineEdit()
        self.credit_edit.setPlaceholderText("18位")
        self.representative_edit = QLineEdit()
        for edit in (self.id_edit, self.phone_edit, self.credit_edit):
            edit.setMaxLength(30)

        self.fields = {
            "name": FieldWithError(self.name_edit),
            "gender": FieldWithError(self.gender_combo),
            "birth_date": FieldWithError(self.birth_edit),
            "id_number": FieldWithError(self.id_edit),
            "phone": FieldWithError(self.phone_edit),
            "credit_code": FieldWithError(self.credit_edit),
            "ethnicity": FieldWithError(self.ethnicity_combo),
            "occupation": FieldWithError(self.occupation_edit),
            "representative": FieldWithError(self.representative_edit),
            "address": FieldWithError(self.address_edit),
        }
        form = self.form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        form.addRow("身份：", self.role_combo)
        form.addRow("类型：", self.kind_combo)
        form.addRow("姓名：", self.fields["name"])
        form.addRow("身份证号：", self.fields["id_number"])
        form.addRow("统一社会信用代码：", self.fields["credit_code"])
        form.addRow("性别：", self.fields["gender"])
        form.addRow("出生日期：", self.fields["birth_date"])
        form.addRow("民族：", self.fields["ethnicity"])
        form.addRow("职业：", self.fields["occupation"])
        form.addRow("法定代表人：", self.fields["representative"])
        form.addRow("住址：", self.fields["address"])
        form.addRow("联系电话：", self.fields["phone"])

        self.agent_group = QGroupBox("委托代理人")
        self.agent_group.setCheckable(True)
        self.agent_group.setChecked(False)
        self.agent_name_edit = QLineEdit()
        self.agent_phone_edit = QLineEdit()
        self.agent_relation_edit = QLineEdit()
        self.agent_relation_edit.setPlaceholderText("如：儿子、律师")
        self.fields["agent.name"] = FieldWithError(self.agent_name_edit)
        self.fields["agent.phone"] = FieldWithError(self.agent_phone_edit)
        self.fields["agent.relation"] = FieldWithError(self.agent_relation_edit)
        agent_form = QFormLayout(self.agent_group)
        agent_form.addRow("姓名：", self.fields["agent.name"])
        agent_form.addRow("联系电话：", self.fields["agent.phone"])
        agent_form.addRow("与当事人关系：", self.fields["agent.relation"])

        self.errors = FieldErrors()
        for key, field in self.fields.items():
            self.errors.add(key, field)

        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok
                                        | QDialogButtonBox.StandardButton.Cancel)
        self.ok_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.ok_button.setText("确定")
        self.ok_button.setDefault(True)
        self.buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)

        # 读取身份证照片: fill the person's fields from a photo or scan of the card.
        self.idcard_button = QPushButton("读取身份证照片…")
        self.idcard_button.setObjectName("read_idcard")
        self.idcard_button.setAutoDefault(False)
        self.idcard_button.setToolTip("从身份证正面（可加反面）的照片或扫描件识别姓名、性别、民族、出生日期、住址和身份证号，"
                                      "逐项核对后填入；离线识别，照片不保存")
        self.idcard_button.clicked.connect(self._on_idcard_button_clicked)
        top = QHBoxLayout()
        top.addStretch(1)
        top.addWidget(self.idcard_button)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(form)
        layout.addWidget(self.agent_group)
        layout.addStretch(1)
        layout.addWidget(self.buttons)

        self.kind_combo.currentIndexChanged.connect(self._on_kind_combo_current_index_changed)
        self.id_edit.textChanged.connect(self._on_id_edit_text_changed)
        self.gender_combo.currentIndexChanged.connect(self._revalidate)
        self.birth_edit.dateChanged.connect(self._revalidate)
        self.agent_group.toggled.connect(self._revalidate)
        live = {"name": self.name_edit, "phone": self.phone_edit, "credit_code": self.credit_edit,
                "agent.name": self.agent_name_edit, "agent.phone": self.agent_phone_edit,
                "id_number": self.id_edit, "occupation": self.occupation_edit,
                "address": self.address_edit, "representative": self.representative_edit,
                "agent.relation": self.agent_relation_edit,
                "ethnicity": self.ethnicity_combo.lineEdit()}
        for key, edit in live.items():
            if key != "id_number":
                edit.textChanged.connect(self._revalidate)
            edit.editingFinished.connect(lambda k=key: self._touch(k))

    def _set_row_visible(self, widget: QWidget, visible: bool) -> None:
        self.form.setRowVisible(widget, visible)

    # --- loading and collecting -----------------------------------------------------------
    def _load(self, party: PartyInput) -> None:
        self._filling = True
        _set_combo(self.role_combo, party.role)
        _set_combo(self.kind_combo, party.kind)
        self.name_edit.setText(party.name or "")
        _set_combo(self.gender_combo, party.gender)
        self.ethnicity_combo.setCurrentText(party.ethnicity or "")
        if party.birth_date:
            self.birth_edit.setDate(QDate(party.birth_date.year, party.birth_date.month,
                                          party.birth_date.day))
        self.id_edit.setText(party.id_number or "")
        self.occupation_edit.setText(party.occupation or "")
        self.address_edit.setText(party.address or "")
        self.phone_edit.setText(party.phone or "")
        self.credit_edit.setText(party.credit_code or "")
        self.representative_edit.setText(party.representative or "")
        if party.agent is not None:
            self.agent_group.setChecked(True)
            self.agent_name_edit.setText(party.agent.name or "")
            self.agent_phone_edit.setText(party.agent.phone or "")
            self.agent_relation_edit.setText(party.agent.relation or "")
        self._filling = False
        # An edited party shows all its problems at once.
        self._touched.update(self.fields)

    def kind(self) -> PartyKind:
        return _member(self.kind_combo, PartyKind)

    def birth_date(self) -> date | None:
        value = self.birth_edit.date()
        return None if value == _NO_DATE else date(value.year(), value.month(), value.day())

    def collect(self) -> PartyInput:
        """The party as currently entered (not checked)."""
        def text(edit: QLineEdit) -> str | None:
            return edit.text().strip() or None

        person = self.kind() is PartyKind.PERSON
        agent = None
        if self.agent_group.isChecked():
            agent = AgentInput(name=self.agent_name_edit.text().strip(),
                               phone=text(self.agent_phone_edit),
                               relation=text(self.agent_relation_edit))
        id_number = text(self.id_edit)
        return PartyInput(
            role=_member(self.role_combo, PartyRole), kind=self.kind(),
            name=self.name_edit.text().strip(),
            gender=_member(self.gender_combo, Gender) if person else None,
            ethnicity=(self.ethnicity_combo.currentText().strip() or None) if person else None,
            birth_date=self.birth_date() if person else None,
            id_number=normalize_id_number(id_number) if person and id_number else None,
            phone=text(self.phone_edit), address=text(self.address_edit),
            occupation=text(self.occupation_edit) if person else None,
            credit_code=text(self.credit_edit) if not person else None,
            representative=text(self.representative_edit) if not person else None,
            agent=agent,
        )

    def problems(self) -> list[ValidationError]:
        """Every problem of the current entry, with paths relative to the party (``phone``)."""
        errors = check_party(self.collect(), _PATH, self.env.ctx.today())
        return [ValidationError(e.path.removeprefix(_PATH + "."), e.message) for e in errors]

    # --- live checks ------------------------------------------------------------------------
    def _visible(self, error: ValidationError) -> bool:
        """Whether to show a problem now: left fields, complete numbers, and consequences."""
        if error.path in self._touched or error.path in ("gender", "birth_date"):
            return True
        widget = {"id_number": self.id_edit, "credit_code": self.credit_edit}.get(error.path)
        if widget is None:
            return False
        return len(normalize_id_number(widget.text())) >= _COMPLETE_AT[error.path]

    def _revalidate(self, *_args: object) -> list[ValidationError]:
        if self._filling:
            return []
        problems = self.problems()
        self.errors.show([e for e in problems if self._visible(e)])
        return problems

    def _touch(self, key: str) -> None:
        self._touched.add(key)
        self._revalidate()

    def _on_id_edit_text_changed(self, text: str) -> None:
        number = normalize_id_number(text)
        if len(number) == 18 and self.kind() is PartyKind.PERSON and not self._filling:
            try:
                info = validate_id_number(number, today=self.env.ctx.today())
            except ValidationError:
                pass
            else:
                # The number is the authority: birth date and gender follow it.
                self._filling = True
                b = info.birth_date
                self.birth_edit.setDate(QDate(b.year, b.month, b.day))
                _set_combo(self.gender_combo, info.gender)
                self._filling = False
        self._revalidate()

    def _on_kind_combo_current_index_changed(self, *_args: object) -> None:
        person = self.kind() is PartyKind.PERSON
        for widget in (self.fields["gender"], self.fields["birth_date"], self.fields["ethnicity"],
                       self.fields["id_number"], self.fields["occupation"]):
            self._set_row_visible(widget, person)
        for widget in (self.fields["credit_code"], self.fields["representative"]):
            self._set_row_visible(widget, not person)
        self.idcard_button.setVisible(person)
        if person:
            warm_up_once()  # the engine loads while the person's fields are typed or the photo chosen
        self.form.labelForField(self.fields["name"]).setText("姓名：" if person else "名称：")
        self.form.labelForField(self.fields["address"]).setText("住址：" if person else "住所：")
        self.adjustSize()
        self._revalidate()

    # --- 读取身份证照片 --------------------------------------------------------------------------
    def choose_card_images(self) -> list[str]:
        """The photo(s) of the card the user picks: the front, and the back if wanted (at most two)."""
        paths, _filter = QFileDialog.getOpenFileNames(self, "选择身份证照片（正面，可同时选反面）", "", CARD_IMAGES)
        if len(paths) > 2:
            ui_errors.inform(self, "读取身份证照片", "请最多选择两张照片（正面和反面）；只识别前两张。")
        return paths[:2]

    def _on_idcard_button_clicked(self) -> None:
        paths = self.choose_card_images()
        if not paths:
            return
        today = self.env.ctx.today()
        self.idcard_button.setEnabled(False)
        run_query(self.env, self, lambda: read_card(*paths, today=today),
                  lambda reading: self._on_card_read(reading, paths), on_failure=self._on_card_failed,
                  label="正在识别身份证照片…")

    def _on_card_failed(self, exc: BaseException) -> None:
        self.idcard_button.setEnabled(True)
        ui_errors.show_error(self, exc, action="读取身份证照片")

    def _on_card_read(self, reading: CardReading, paths: list[str]) -> None:
        self.idcard_button.setEnabled(True)
        # Window-modal and not blocking (open, not exec): 采用 comes back through ``accepted``.
        self.card_dialog = dialog = IdCardConfirmDialog(reading, self._current_values(),
                                                        offer_attach=self.case_id is not None, parent=self)
        dialog.accepted.connect(lambda: self._on_card_confirmed(dialog, paths))
        dialog.finished.connect(dialog.deleteLater)
        dialog.open()

    def _on_card_confirmed(self, dialog: IdCardConfirmDialog, paths: list[str]) -> None:
        self.apply_card(dialog.reading, dialog.chosen())
        if dialog.attach():
            self._attach_photos(paths)

    def _current_values(self) -> dict[str, str | None]:
        birth = self.birth_date()
        return {"name": self.name_edit.text().strip(), "gender": self.gender_combo.currentText()
                if self.gender_combo.currentData() is not None else None,
                "ethnicity": self.ethnicity_combo.currentText().strip(),
                "birth_date": birth.isoformat() if birth else None, "address": self.address_edit.text().strip(),
                "id_number": normalize_id_number(self.id_edit.text())}

    def apply_card(self, reading: CardReading, fields: list[str]) -> None:
        """Fill the ticked fields from a card reading (the number first: it fills birth date and gender)."""
        if "id_number" in fields:
            self.id_edit.setText(reading.id_number)
        if "name" in fields:
            self.name_edit.setText(reading.name)
        if "gender" in fields:
            _set_combo(self.gender_combo, reading.gender)
        if "birth_date" in fields:
            b = reading.birth_date
            self.birth_edit.setDate(QDate(b.year, b.month, b.day))
        if "ethnicity" in fields:
            self.ethnicity_combo.setCurrentText(reading.ethnicity)
        if "address" in fields:
            self.address_edit.setText(reading.address)
        self._touched.update(fields)
        self._revalidate()

    def _attach_photos(self, paths: list[str]) -> None:
        ctx, case_id = self.env.ctx, self.case_id

        def call():
            changes = None
            for path in paths:
                changes = add_attachment(ctx, case_id, path)
            return changes

        run_op(self.env, self, call)

    # --- closing ------------------------------------------------------------------------------
    def accept(self) -> None:
        """Refuse while any problem remains (all of them are shown then)."""
        self._touched.update(self.fields)
        if self._revalidate():
            focus = self.errors.first_invalid()
            if focus is not None:
                focus.setFocus(Qt.FocusReason.OtherFocusReason)
            return
        self.party = self.collect()
        self.submit(self.party)

    def submit(self, party: PartyInput) -> None:
        """What OK does with a party that passed every check: close (a subclass may save first)."""
        super().accept()


class PartiesEditor(QWidget):
    """The parties of a case in a table; each one is added or edited in a ``PartyDialog``.

    Signals:
        parties_changed(): a party was added, edited or removed.
    """

    parties_changed = Signal()
    COLUMNS = ("身份", "姓名/名称", "性别", "身份证号/统一社会信用代码", "电话")

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self._parties: list[PartyInput] = []
        self._marks: dict[int, list[str]] = {}
        self._general = ""

        self.table = QTableWidget(0, len(self.COLUMNS))
        self.table.setObjectName("parties")
        self.table.setHorizontalHeaderLabels(list(self.COLUMNS))
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        for column, width in enumerate((64, 96, 44, 190)):
            self.table.setColumnWidth(column, width)
        header.setStretchLastSection(True)
        self.add_button = QPushButton("添加(&A)")
        self.edit_button = QPushButton("编辑(&E)")
        self.remove_button = QPushButton("删除(&D)")
        for button in (self.add_button, self.edit_button, self.remove_button):
            button.setAutoDefault(False)
        self.error = FieldError()

        buttons = QHBoxLayout()
        buttons.addWidget(self.add_button)
        buttons.addWidget(self.edit_button)
        buttons.addWidget(self.remove_button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.error)
        layout.addLayout(buttons)

        self.add_button.clicked.connect(self.add_party)
        self.edit_button.clicked.connect(lambda: self.edit_party(self.current_row()))
        self.remove_button.clicked.connect(lambda: self.remove_party(self.current_row()))
        self.table.doubleClicked.connect(lambda index: self.edit_party(index.row()))
        self.table.itemSelectionChanged.connect(self._update_buttons)
        self._update_buttons()

    # --- data ---------------------------------------------------------------------------------
    def parties(self) -> list[PartyInput]:
        return list(self._parties)

    def set_parties(self, parties: list[PartyInput]) -> None:
        self._parties = list(parties)
        self._marks.clear()
        self._refill()
        self.parties_changed.emit()

    def current_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    # --- actions ------------------------------------------------------------------------------
    def run_party_dialog(self, party: PartyInput | None,
                         role: PartyRole | None = None) -> PartyInput | None:
        """Open the dialog for one party; the entered party, or None when cancelled."""
        dialog = PartyDialog(self.env, party, self, role=role)
        try:
            if dialog.exec() == QDialog.DialogCode.Accepted:
                return dialog.party
            return None
        finally:
            dialog.deleteLater()

    def add_party(self) -> None:
        has_applicant = any(p.role is PartyRole.APPLICANT for p in self._parties)
        role = PartyRole.RESPONDENT if has_applicant else PartyRole.APPLICANT
        party = self.run_party_dialog(None, role)
        if party is not None:
            self._parties.append(party)
            self._changed(len(self._parties) - 1)

    def edit_party(self, row: int) -> None:
        if not 0 <= row < len(self._parties):
            return
        party = self.run_party_dialog(self._parties[row])
        if party is not None:
            self._parties[row] = party
            self._marks.pop(row, None)
            self._changed(row)

    def remove_party(self, row: int) -> None:
        if not 0 <= row < len(self._parties):
            return
        name = self._parties[row].name
        if not ui_errors.ask(self, "删除当事人", f"确定删除当事人“{name}”吗？"):
            return
        del self._parties[row]
        self._marks.clear()
        self._changed(min(row, len(self._parties) - 1))

    # --- errors -------------------------------------------------------------------------------
    def mark_row(self, row: int, message: str) -> None:
        """Highlight a party's row and say what is wrong with it under the table."""
        self._marks.setdefault(row, [])
        if message not in self._marks[row]:
            self._marks[row].append(message)
        self._paint_marks()

    def show_message(self, message: str | None) -> None:
        """A message about the parties as a whole (e.g. none entered)."""
        self._general = message or ""
        self._paint_marks()

    def clear_marks(self) -> None:
        self._marks.clear()
        self._general = ""
        self._paint_marks()

    def _paint_marks(self) -> None:
        lines = []
        for row in range(self.table.rowCount()):
            messages = self._marks.get(row, [])
            for column in range(self.table.columnCount()):
                item = self.table.item(row, column)
                item.setBackground(QColor(_MARK_COLOR) if messages else QBrush())
                item.setToolTip("；".join(messages))
            if messages and row < len(self._parties):
                name = self._parties[row].name or "未填写姓名"
                lines.append(f"第{row + 1}名当事人（{name}）：{'；'.join(messages)}")
        self.error.show_message("\n".join([*([self._general] if self._general else []), *lines]))

    def _changed(self, select_row: int) -> None:
        self._refill()
        if select_row >= 0:
            self.table.selectRow(select_row)
        self.parties_changed.emit()

    def _refill(self) -> None:
        self.table.setRowCount(len(self._parties))
        for row, party in enumerate(self._parties):
            number = party.id_number if party.kind is PartyKind.PERSON else party.credit_code
            values = (party.role.label, party.name, party.gender.label if party.gender else "",
                      number or "", party.phone or "")
            for column, value in enumerate(values):
                self.table.setItem(row, column, QTableWidgetItem(value))
        self._paint_marks()
        self._update_buttons()

    def _update_buttons(self) -> None:
        selected = self.current_row() >= 0
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected)
