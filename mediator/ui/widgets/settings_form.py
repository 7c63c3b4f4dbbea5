"""The office settings as a form: one editor per declared setting, errors under their field."""
from __future__ import annotations

from typing import Any

from PySide6.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from mediator.domain.errors import ValidationError
from mediator.domain.retention import RetentionPeriod
from mediator.services.settings import SETTINGS, SettingSpec
from mediator.ui.widgets.service_dialog import error_label

# Settings whose value is one of a few codes: (code, what a person reads).
CHOICES: dict[str, list[tuple[str, str]]] = {
    "documents.date_style": [("chinese", "中文数字（二〇二六年十一月二十八日）"),
                             ("arabic", "阿拉伯数字（2026年11月28日）")],
}
# 保管期限 of each dispute category: one of the periods.
CHOICES.update({key: RetentionPeriod.choices() for key in SETTINGS if key.startswith("retention.")})
INT_MAX = 3650


class SettingsForm(QWidget):
    """Editors for ``SETTINGS``: text, whole numbers, or a choice; ``values()`` reads them back."""

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
            self.form.addRow(spec.label.split("（")[0] if key in CHOICES else spec.label, editor)
            message = error_label()
            self.form.addRow("", message)
            row = self.form.rowCount() - 1
            self.form.setRowVisible(row, False)
            self._errors[key] = (row, message)

    @staticmethod
    def _editor(key: str, spec: SettingSpec) -> QWidget:
        if key in CHOICES:
            combo = QComboBox()
            for code, label in CHOICES[key]:
                combo.addItem(label, code)
            return combo
        if spec.type is int:
            spin = QSpinBox()
            spin.setRange(0, INT_MAX)
            return spin
        return QLineEdit()

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
