"""核对身份证信息: what was read from a card photo, field by field, before it fills the party dialog."""
from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.idcard_text import FIELD_LABELS, FIELDS, CardReading

_WARNING_STYLE = "color: #c62828;"
_OLD_STYLE = "color: #777;"


class IdCardConfirmDialog(QDialog):
    """Each field read (old value → read value), a check box per field, the warnings in red.

    Args:
        reading: what the photo gave.
        current: the party dialog's values now, as text (None or "" when empty).
        offer_attach: the party belongs to a case: offer 附加此照片为附件.
    """

    def __init__(self, reading: CardReading, current: dict[str, str | None], *, offer_attach: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.reading = reading
        self.setWindowTitle("核对身份证信息")
        self.checks: dict[str, QCheckBox] = {}
        self.warning_labels: dict[str, QLabel] = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        for column, title in enumerate(("采用", "项目", "原值", "识别结果", "提示")):
            header = QLabel(f"<b>{title}</b>")
            grid.addWidget(header, 0, column)
        for row, name in enumerate(FIELDS, start=1):
            read = reading.value(name)
            old = current.get(name) or ""
            check = QCheckBox()
            check.setObjectName(f"use_{name}")
            check.setEnabled(read is not None)
            check.setChecked(read is not None and read != old)
            self.checks[name] = check
            old_label = QLabel(old or "（空）")
            old_label.setStyleSheet(_OLD_STYLE)
            new_label = QLabel(read if read is not None else "（未认出）")
            new_label.setObjectName(f"read_{name}")
            new_label.setWordWrap(True)
            warning = QLabel("；".join(reading.warnings.get(name, ())))
            warning.setObjectName(f"warning_{name}")
            warning.setStyleSheet(_WARNING_STYLE)
            warning.setWordWrap(True)
            self.warning_labels[name] = warning
            for column, widget in enumerate((check, QLabel(FIELD_LABELS[name]), old_label, new_label, warning)):
                grid.addWidget(widget, row, column)
        grid.setColumnStretch(3, 2)
        grid.setColumnStretch(4, 1)

        confidence = QLabel(f"识别置信度：{reading.confidence:.0%}。请对照证件逐项核对，"
                            "只有勾选的项目会填入。照片不会保存" + ("，除非勾选下面的附加。" if offer_attach else "。"))
        confidence.setWordWrap(True)
        self.attach_check = QCheckBox("附加此照片为附件") if offer_attach else None
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel)
        self.use_button = buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.use_button.setText("采用")
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText("取消")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addWidget(confidence)
        if self.attach_check is not None:
            layout.addWidget(self.attach_check)
        layout.addWidget(buttons)
        self.setMinimumWidth(640)

    def chosen(self) -> list[str]:
        """The fields ticked to be filled in."""
        return [name for name, check in self.checks.items() if check.isEnabled() and check.isChecked()]

    def attach(self) -> bool:
        """Whether to keep the photo with the case."""
        return self.attach_check is not None and self.attach_check.isChecked()
