"""The office settings as a form: one editor per declared setting, errors under their field."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from mediator.domain.errors import ValidationError
from mediator.services.settings import SETTINGS, SettingSpec
from mediator.ui.widgets.service_dialog import error_label


class SettingsForm(QWidget):
    """Editors for ``SETTINGS`` by their kind: text, a number in its range, a checkbox, a choice;
    ``values()`` reads them back. The services check every value (``SettingSpec.check``); a
    refusal is shown under its field."""

    def __init__(self) -> None:
        super().__init__()
        self.form = QFormLayout(self)
        self.form.setContentsMargins(0, 0, 0, 0)
        self.form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.editors: dict[str, QWidget] = {}
        self._errors: dict[str, tuple[int, QLabel]] = {}
        self._loaded: dict[str, Any] = {}
        for key, spec in SETTINGS.items():
            editor = self._editor(key, spec)
            editor.setObjectName(f"setting_{key}")
            self.editors[key] = editor
            if spec.help:
                editor.setToolTip(spec.help)
            self.form.addRow("" if spec.kind == "bool" else spec.label + "：", editor)
            message = error_label()
            self.form.addRow("", message)
            row = self.form.rowCount() - 1
            self.form.setRowVisible(row, False)
            self._errors[key] = (row, message)

    @staticmethod
    def _editor(key: str, spec: SettingSpec) -> QWidget:
        if spec.kind == "choice":
            combo = QComboBox()
            for code, label in spec.choices:
                combo.addItem(label, code)
            return combo
        if spec.kind == "int":
            spin = QSpinBox()
            spin.setRange(spec.minimum, spec.maximum)
            if spec.help:
                spin.setSpecialValueText(spec.help.split(" = ")[1] if " = " in spec.help and spec.minimum == 0
                                         else "")
            return spin
        if spec.kind == "bool":
            return QCheckBox(spec.label)
        edit = QLineEdit()
        edit.setPlaceholderText(spec.help)
        return edit

    def load(self, values: dict[str, Any]) -> None:
        self._loaded = dict(values)
        for key, value in values.items():
            editor = self.editors.get(key)
            if isinstance(editor, QComboBox):
                index = editor.findData(value)
                if index < 0:  # a code this form does not know: keep it visible as it is
                    editor.addItem(str(value), value)
                    index = editor.count() - 1
                editor.setCurrentIndex(index)
            elif isinstance(editor, QSpinBox):
                editor.setValue(int(value))
            elif isinstance(editor, QCheckBox):
                editor.setChecked(bool(value))
            elif isinstance(editor, QLineEdit):
                editor.setText("" if value is None else str(value))
        self.clear_errors()

    def values(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, editor in self.editors.items():
            if isinstance(editor, QComboBox):
                out[key] = editor.currentData()
            elif isinstance(editor, QSpinBox):
                out[key] = editor.value()
            elif isinstance(editor, QCheckBox):
                out[key] = editor.isChecked()
            elif isinstance(editor, QLineEdit):
                out[key] = editor.text().strip()
        return out

    def changed_values(self) -> dict[str, Any]:
        return {k: v for k, v in self.values().items() if self._loaded.get(k) != v}

    def set_editable(self, editable: bool) -> None:
        for editor in self.editors.values():
            editor.setEnabled(editable)

    def clear_errors(self) -> None:
        for row, label in self._errors.values():
            label.clear()
            self.form.setRowVisible(row, False)

    def show_error(self, error: ValidationError) -> bool:
        """Show ``error`` under its setting; False when it names no setting of this form."""
        entry = self._errors.get(error.path)
        if entry is None:
            return False
        row, label = entry
        label.setText(error.message)
        self.form.setRowVisible(row, True)
        return True

    def error_text(self, key: str) -> str:
        return self._errors[key][1].text()
