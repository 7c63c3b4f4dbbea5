"""Pick a report period: a month, a quarter, a year, or any days (自定义)."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate, QSignalBlocker, Signal
from PySide6.QtWidgets import QComboBox, QDateEdit, QHBoxLayout, QLabel, QSpinBox, QWidget

from mediator.services.reports.statistics import QUARTERS, Period

KINDS = (("month", "月报"), ("quarter", "季报"), ("year", "年报"), ("custom", "自定义"))


def _qdate(d: date) -> QDate:
    return QDate(d.year, d.month, d.day)


class PeriodPicker(QWidget):
    """Kind, year and month/quarter pickers that fill the two date fields (editable for 自定义).

    Signals:
        changed(): the period shown changed through the kind, year or month/quarter pickers.
    """

    changed = Signal()

    def __init__(self, today: date, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kind = QComboBox()
        for code, label in KINDS:
            self.kind.addItem(label, code)
        self.year = QSpinBox()
        self.year.setRange(2000, today.year + 1)
        self.year.setSuffix("年")
        self.year.setValue(today.year)
        self.part = QComboBox()
        self.part.setMinimumContentsLength(5)
        self.date_from = self._date_edit(date(today.year, today.month, 1))
        self.date_to = self._date_edit(today)
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind, self.year, self.part, self.date_from, QLabel("至"), self.date_to):
            row.addWidget(widget)
        self._fill_parts("month", today.month - 1)
        self._apply()
        self.kind.currentIndexChanged.connect(self._on_kind_current_index_changed)
        self.year.valueChanged.connect(self._on_picker_changed)
        self.part.currentIndexChanged.connect(self._on_picker_changed)

    @staticmethod
    def _date_edit(d: date) -> QDateEdit:
        edit = QDateEdit(_qdate(d))
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _fill_parts(self, kind: str, index: int = 0) -> None:
        with QSignalBlocker(self.part):
            self.part.clear()
            if kind == "month":
                for m in range(1, 13):
                    self.part.addItem(f"{m}月", m)
            elif kind == "quarter":
                for q, label in enumerate(QUARTERS, start=1):
                    self.part.addItem(label, q)
            self.part.setCurrentIndex(max(0, min(index, self.part.count() - 1)))
        self.part.setVisible(kind in ("month", "quarter"))
        self.year.setVisible(kind != "custom")

    def _apply(self) -> None:
        """Fill the date fields from the pickers (they are editable only for 自定义)."""
        kind = self.kind.currentData()
        custom = kind == "custom"
        self.date_from.setEnabled(custom)
        self.date_to.setEnabled(custom)
        if custom:
            return
        year, part = self.year.value(), self.part.currentData()
        period = (Period.month(year, part) if kind == "month" else
                  Period.quarter(year, part) if kind == "quarter" else Period.year(year))
        self.date_from.setDate(_qdate(period.date_from))
        self.date_to.setDate(_qdate(period.date_to))

    def period(self) -> Period:
        """The period the date fields show (a whole month, quarter or year keeps its name)."""
        return Period.custom(self.date_from.date().toPython(), self.date_to.date().toPython())

    def set_period(self, kind: str, year: int, part: int = 1) -> None:
        """Show a month (``part`` 1–12), a quarter (1–4) or a year, and emit ``changed``."""
        with QSignalBlocker(self.kind), QSignalBlocker(self.year):
            self.kind.setCurrentIndex(self.kind.findData(kind))
            self.year.setValue(year)
        self._fill_parts(kind, part - 1)
        self._apply()
        self.changed.emit()

    def _on_kind_current_index_changed(self, _index: int) -> None:
        kind = self.kind.currentData()
        today = self.date_to.date().toPython()
        self._fill_parts(kind, today.month - 1 if kind == "month" else (today.month - 1) // 3)
        self._apply()
        self.changed.emit()

    def _on_picker_changed(self, *_args: object) -> None:
        self._apply()
        self.changed.emit()
