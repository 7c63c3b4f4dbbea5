"""Who handles a case: 更换调解员 and 申请回避 (《人民调解法》 第二十三条), and the two pieces the
transfer dialog shares with them: a list of mediators to tick and the conflict warning that must
be acknowledged (「已知悉，仍然指派」) before a doubtful mediator is assigned."""
from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QCheckBox, QComboBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout, QWidget

from mediator.domain.errors import ValidationError
from mediator.services.cases.conflicts import ACKNOWLEDGE, AssignmentConflicts, ConflictCase
from mediator.services.cases.handlers import (
    CaseHandlers,
    assignment_conflicts,
    case_handlers,
    reassign_mediators,
    recuse_mediator,
)
from mediator.ui.dialogs.action_base import ActionDialog, required_text
from mediator.ui.ops import run_query

ID_ROLE = Qt.ItemDataRole.UserRole


class MediatorPicker(QListWidget):
    """Mediators to tick; the ticked ones, in list order, handle the case."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("mediator_picker")
        self.setMinimumHeight(self.fontMetrics().lineSpacing() * 5)

    def set_mediators(self, options: list[tuple[int, str, bool]]) -> None:
        """(id, shown name, ticked) each."""
        self.blockSignals(True)
        self.clear()
        for mediator_id, name, ticked in options:
            item = QListWidgetItem(name)
            item.setData(ID_ROLE, mediator_id)
            item.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
            self.addItem(item)
        self.blockSignals(False)

    def item_named(self, text: str) -> QListWidgetItem | None:
        return next((self.item(i) for i in range(self.count()) if self.item(i).text().startswith(text)), None)

    def chosen(self) -> list[int]:
        return [self.item(i).data(ID_ROLE) for i in range(self.count())
                if self.item(i).checkState() == Qt.CheckState.Checked]


class ConflictBox(QWidget):
    """The cases that make an assignment doubtful, and the box that acknowledges them."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("conflict_box")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.text = QLabel()
        self.text.setObjectName("conflict_text")
        self.text.setWordWrap(True)
        self.text.setStyleSheet("color: #b71c1c;")
        self.acknowledge = QCheckBox(ACKNOWLEDGE)
        self.acknowledge.setObjectName("acknowledge_conflicts")
        layout.addWidget(self.text)
        layout.addWidget(self.acknowledge)
        self.conflicts: list[ConflictCase] = []
        self.show_conflicts([])

    def show_conflicts(self, conflicts: list[ConflictCase]) -> None:
        if [c.line() for c in conflicts] != [c.line() for c in self.conflicts]:
            self.acknowledge.setChecked(False)  # new doubts need a new acknowledgement
        self.conflicts = list(conflicts)
        lines = [f"· {c.mediator}：{c.line()}" for c in conflicts]
        self.text.setText("指派的调解员可能需要回避：\n" + "\n".join(lines) if lines else "")
        self.setVisible(bool(conflicts))

    def acknowledged(self) -> bool:
        return bool(self.conflicts) and self.acknowledge.isChecked()


class HandlersDialog(ActionDialog):
    """What both dialogs share: the case's handlers loaded once, the conflict preview."""

    expanding = True

    def _build(self) -> None:
        self.setMinimumWidth(560)
        self.handlers: CaseHandlers | None = None
        self._build_fields()
        self.conflict_box = ConflictBox()
        self.add_row("", self.conflict_box, "acknowledge_conflicts")
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: case_handlers(ctx, case_id), self._on_handlers_loaded)

    def _build_fields(self) -> None:
        """The dialog's own fields (subclasses)."""

    def _on_handlers_loaded(self, handlers: CaseHandlers) -> None:
        self.handlers = handlers
        self._fill(handlers)
        self.preview()

    def _fill(self, handlers: CaseHandlers) -> None:
        """Show the handlers in the fields (subclasses)."""

    def assigned(self) -> list[int]:
        """The mediators the dialog would newly assign (subclasses)."""
        return []

    def preview(self) -> None:
        ids = self.assigned()
        if not ids:
            self.conflict_box.show_conflicts([])
            return
        ctx, case_id = self.env.ctx, self.case_id
        run_query(self.env, self, lambda: assignment_conflicts(ctx, case_id, ids),
                  self.conflict_box.show_conflicts)

    def show_validation(self, errors: list[ValidationError]) -> None:
        for error in errors:
            if isinstance(error, AssignmentConflicts):
                self.conflict_box.show_conflicts(error.conflicts)
        super().show_validation(errors)


class ReassignDialog(HandlersDialog):
    """更换调解员: tick who handles the case from now on, and say why."""

    title = "更换调解员"
    ok_text = "更换"

    def _build_fields(self) -> None:
        self.picker = MediatorPicker()
        self.add_row("承办调解员", self.picker, "mediators")
        self.add_hint("勾选今后承办本案的调解员（可多选，按列表顺序）；更换记入流转记录。")
        self.reason_edit = self.add_text_row("更换理由", "reason", "如：原调解员借调、工作调整")
        self.picker.itemChanged.connect(self._on_picker_item_changed)

    def _fill(self, handlers: CaseHandlers) -> None:
        self.picker.set_mediators([(m.id, f"{m.name}（现任）" if m.current else m.name, m.current)
                                   for m in handlers.mediators])

    def _on_picker_item_changed(self, _item: QListWidgetItem) -> None:
        self.errors.labels["mediators"].set_error("")
        self.preview()

    def assigned(self) -> list[int]:
        current = {m.id for m in self.handlers.current} if self.handlers else set()
        return [i for i in self.picker.chosen() if i not in current]

    def service_call(self) -> Callable[[], object]:
        ids = self.picker.chosen()
        if not ids:
            raise ValidationError("mediators", "请至少勾选一名调解员")
        reason = required_text(self.reason_edit, "reason", "请填写更换调解员的理由")
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        acknowledged = self.conflict_box.acknowledged()
        return lambda: reassign_mediators(ctx, case_id, ids, reason, expected_version=version,
                                          acknowledge_conflicts=acknowledged)


class RecusalDialog(HandlersDialog):
    """申请回避: a party asks that a mediator withdraw; the new mediator is chosen here too."""

    title = "申请回避"
    ok_text = "记录回避"

    def _build_fields(self) -> None:
        self.party_combo = QComboBox()
        self.add_row("申请人（当事人）", self.party_combo, "party")
        self.mediator_combo = QComboBox()
        self.add_row("申请回避的调解员", self.mediator_combo, "mediator")
        self.new_combo = QComboBox()
        self.add_row("接替的调解员", self.new_combo, "new_mediator")
        self.reason_edit = self.add_note_row("申请理由", "reason", "如：调解员与对方当事人系近亲属")
        self.add_hint("依《人民调解法》第二十三条，当事人可以要求更换调解员；回避记入流转记录。")
        self.new_combo.currentIndexChanged.connect(lambda _i: self.preview())

    def _fill(self, handlers: CaseHandlers) -> None:
        for party_id, name in handlers.parties:
            self.party_combo.addItem(name, party_id)
        for m in handlers.current:
            self.mediator_combo.addItem(m.name, m.id)
        self.new_combo.blockSignals(True)
        self.new_combo.addItem("（请选择）", None)
        for m in handlers.mediators:
            if not m.current:
                self.new_combo.addItem(m.name, m.id)
        self.new_combo.blockSignals(False)

    def assigned(self) -> list[int]:
        new = self.new_combo.currentData()
        return [] if new is None else [new]

    def service_call(self) -> Callable[[], object]:
        party, mediator, new = (self.party_combo.currentData(), self.mediator_combo.currentData(),
                                self.new_combo.currentData())
        if party is None:
            raise ValidationError("party", "请选择申请回避的当事人")
        if mediator is None:
            raise ValidationError("mediator", "本案没有可申请回避的调解员")
        if new is None:
            raise ValidationError("new_mediator", "请选择接替的调解员")
        reason = required_text(self.reason_edit, "reason", "请填写当事人申请回避的理由")
        ctx, case_id, version = self.env.ctx, self.case_id, self.version
        acknowledged = self.conflict_box.acknowledged()
        return lambda: recuse_mediator(ctx, case_id, mediator_id=mediator, party_id=party, reason=reason,
                                       new_mediator_id=new, expected_version=version,
                                       acknowledge_conflicts=acknowledged)


__all__ = ["ConflictBox", "MediatorPicker", "ReassignDialog", "RecusalDialog"]
