"""The filter bar of the case list: search box and pickers; remembers its state in the settings."""
from __future__ import annotations

import json
from datetime import date
from typing import Any

from PySide6.QtCore import QDate, QSettings, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateEdit,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSizePolicy,
    QWidget,
)

from mediator.domain.enums import CaseStatus, Category, Level, RiskLevel, Track
from mediator.services.cases.read import CaseFilter
from mediator.services.context import ServiceContext
from mediator.services.places import choices as lookups

SETTINGS_KEY = "cases/filter"
DEBOUNCE_MS = 250

# Status picker entries beyond the single statuses: key → codes.
STATUS_GROUPS: dict[str, tuple[str, list[str]]] = {
    "open": ("办理中（待受理、已受理、调解中）",
             [CaseStatus.REGISTERED.value, CaseStatus.ACCEPTED.value, CaseStatus.MEDIATING.value]),
    "ended": ("已办结", [CaseStatus.AGREED.value, CaseStatus.PERFORMED.value, CaseStatus.FAILED.value,
                       CaseStatus.WITHDRAWN.value, CaseStatus.REJECTED.value, CaseStatus.ARCHIVED.value]),
}


def _combo(first: str, choices: list[tuple[Any, str]], min_chars: int) -> QComboBox:
    box = QComboBox()
    box.addItem(first, None)
    for value, label in choices:
        box.addItem(label, value)
    box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(min_chars)
    box.setMaxVisibleItems(20)
    return box


def _select(box: QComboBox, value: Any) -> None:
    """Select the entry holding ``value`` (the first entry when none does)."""
    index = box.findData(value) if value is not None else 0
    box.setCurrentIndex(max(index, 0))


class CaseFilterBar(QWidget):
    """Search box and filters of the case list.

    Args:
        ctx: the service context (choices of the pickers, today for 仅显示逾期).
        settings: where the state is kept between runs.

    Signals:
        changed(CaseFilter): the user changed a filter (search text after a short pause or Enter).
    """

    changed = Signal(object)

    def __init__(self, ctx: ServiceContext, settings: QSettings,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._ctx = ctx
        self._settings = settings
        self._quiet = False
        self._build()
        self.reload_choices()
        self.restore_state()
        self._connect()

    # --- building -------------------------------------------------------------------------
    def _build(self) -> None:
        self.search = QLineEdit()
        self.search.setObjectName("case_search")
        self.search.setPlaceholderText("搜索案号、当事人姓名、电话或纠纷内容（回车立即搜索）")
        self.search.setClearButtonEnabled(True)
        self.search.setMinimumWidth(300)
        self.status = _combo("全部状态", [(k, label) for k, (label, _) in STATUS_GROUPS.items()]
                             + CaseStatus.choices(), 6)
        self.track = _combo("全部调解类型", Track.choices(), 6)
        self.category = _combo("全部纠纷类型", Category.choices(), 6)
        self.level = _combo("全部层级", Level.choices(), 6)
        self.risk = _combo("全部风险等级", [(v, f"{label}风险") for v, label in RiskLevel.choices()], 6)
        self.place = _combo("全部村（社区）", [], 11)
        self.grid = _combo("全部网格", [], 5)
        self.mediator = _combo("全部调解员", [], 6)
        self.overdue = QCheckBox("仅显示逾期")
        self.use_dates = QCheckBox("收案日期")
        today = self._ctx.today()
        self.date_from = self._date_edit(QDate(today.year, 1, 1))
        self.date_to = self._date_edit(QDate(today.year, today.month, today.day))
        self.date_error = QLabel("起始日期不能晚于截止日期")
        self.date_error.setObjectName("date_error")
        self.date_error.setStyleSheet("color: #c62828;")
        self.date_error.hide()
        self.clear_button = QPushButton("清除筛选")
        self.clear_button.setObjectName("clear_filters")
        self.clear_button.setToolTip("恢复为显示全部案件")

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(8)
        grid.setVerticalSpacing(6)
        top = QHBoxLayout()
        top.addWidget(self.search, 3)
        for box in (self.status, self.track, self.category, self.risk):
            top.addWidget(box, 1)
        top.addWidget(self.overdue)
        top.addWidget(self.clear_button)
        bottom = QHBoxLayout()
        for box in (self.place, self.grid, self.level, self.mediator):
            bottom.addWidget(box, 1)
        bottom.addSpacing(12)
        bottom.addWidget(self.use_dates)
        bottom.addWidget(self.date_from)
        to_label = QLabel("至")
        to_label.setContentsMargins(4, 0, 4, 0)
        bottom.addWidget(to_label)
        bottom.addWidget(self.date_to)
        bottom.addWidget(self.date_error)
        bottom.addStretch(0)
        grid.addLayout(top, 0, 0)
        grid.addLayout(bottom, 1, 0)
        self._sync_enabled()
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)

        self._debounce = QTimer(self)
        self._debounce.setSingleShot(True)
        self._debounce.setInterval(DEBOUNCE_MS)

    @staticmethod
    def _date_edit(value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    def _connect(self) -> None:
        self.search.textChanged.connect(self._on_search_text_changed)
        self.search.returnPressed.connect(self._on_search_return_pressed)
        self._debounce.timeout.connect(self._emit)
        self.place.currentIndexChanged.connect(self._on_place_current_index_changed)
        for box in (self.status, self.track, self.category, self.level, self.risk, self.grid,
                    self.mediator):
            box.currentIndexChanged.connect(self._on_choice_changed)
        self.overdue.toggled.connect(self._on_choice_changed)
        self.use_dates.toggled.connect(self._on_use_dates_toggled)
        self.date_from.dateChanged.connect(self._on_date_changed)
        self.date_to.dateChanged.connect(self._on_date_changed)
        self.clear_button.clicked.connect(self._on_clear_button_clicked)

    # --- choices from the database --------------------------------------------------------
    def reload_choices(self) -> None:
        """(Re)fill the place and mediator pickers, keeping what is selected."""
        place, grid = self.place.currentData(), self.grid.currentData()
        mediator = self.mediator.currentData()
        with QSignalBlocker(self.place), QSignalBlocker(self.mediator):
            self._fill_places()
            self._fill_mediators()
            _select(self.place, place)
            _select(self.mediator, mediator)
        self._fill_grids(grid)

    def refresh_choices(self) -> None:
        """Re-read the pickers after places or mediators changed; a vanished choice re-filters."""
        before = self.current_filter()
        self.reload_choices()
        if self.current_filter() != before:
            self._emit()

    def _fill_places(self) -> None:
        townships = lookups.places(self._ctx, "township")
        villages = lookups.places(self._ctx, "village")
        by_township: dict[int | None, list[lookups.Choice]] = {}
        for v in villages:
            by_township.setdefault(v.parent_id, []).append(v)
        self.place.clear()
        self.place.addItem("全部村（社区）", None)
        bold = QFont(self.place.font())
        bold.setBold(True)
        for t in townships:
            if t.id not in by_township:
                continue
            self.place.addItem(f"{t.name}（全部）", f"township:{t.id}")
            self.place.setItemData(self.place.count() - 1, bold, Qt.ItemDataRole.FontRole)
            for v in by_township.pop(t.id):
                self.place.addItem(f"{t.name} / {v.name}", f"village:{v.id}")
        for orphans in by_township.values():  # villages of an inactive township
            for v in orphans:
                self.place.addItem(v.name, f"village:{v.id}")

    def _fill_mediators(self) -> None:
        people = lookups.mediators(self._ctx)
        shorts = {o.id: o.code or o.name for o in lookups.organizations(self._ctx)}
        counts: dict[str, int] = {}
        for m in people:
            counts[m.name] = counts.get(m.name, 0) + 1
        self.mediator.clear()
        self.mediator.addItem("全部调解员", None)
        for m in people:
            label = m.name if counts[m.name] == 1 else f"{m.name}（{shorts.get(m.parent_id, '')}）"
            self.mediator.addItem(label, m.id)

    def _fill_grids(self, keep: Any = None) -> None:
        village_id = self._place_id("village")
        with QSignalBlocker(self.grid):
            self.grid.clear()
            self.grid.addItem("全部网格", None)
            if village_id is not None:
                for g in lookups.places(self._ctx, "grid"):
                    if g.parent_id == village_id:
                        self.grid.addItem(g.name, g.id)
            _select(self.grid, keep)
        self.grid.setEnabled(village_id is not None and self.grid.count() > 1)

    def _place_id(self, kind: str) -> int | None:
        data = self.place.currentData()
        if not data or not data.startswith(kind + ":"):
            return None
        return int(data.split(":", 1)[1])

    # --- the filter -----------------------------------------------------------------------
    def current_filter(self) -> CaseFilter:
        """The filter the widgets show now."""
        status_key = self.status.currentData()
        if status_key in STATUS_GROUPS:
            status = list(STATUS_GROUPS[status_key][1])
        else:
            status = [status_key] if status_key else []
        f = CaseFilter(
            status=status, track=self.track.currentData(), category=self.category.currentData(),
            village_id=self._place_id("village"), township_id=self._place_id("township"),
            grid_id=self.grid.currentData(), level=self.level.currentData(),
            risk_level=self.risk.currentData(), mediator_id=self.mediator.currentData(),
            overdue_on=self._ctx.today() if self.overdue.isChecked() else None,
            text=self.search.text().strip() or None,
        )
        if self.use_dates.isChecked():
            f.date_from = self.date_from.date().toPython()
            f.date_to = self.date_to.date().toPython()
        return f

    def is_filtered(self) -> bool:
        return self.current_filter() != CaseFilter()

    def clear(self) -> None:
        """Back to every case (emits ``changed`` once)."""
        self._quiet = True
        try:
            self.search.clear()
            for box in (self.status, self.track, self.category, self.level, self.risk, self.place,
                        self.mediator):
                box.setCurrentIndex(0)
            self._fill_grids()
            self.overdue.setChecked(False)
            self.use_dates.setChecked(False)
        finally:
            self._quiet = False
        self._debounce.stop()
        self._emit()

    def set_filter(self, f: CaseFilter) -> None:
        """Show ``f`` in the widgets without emitting ``changed`` (drill-down from elsewhere).

        Statuses show as a group or a single status, a township, village or grid in the place
        pickers, ``overdue_on`` as 仅显示逾期, dates as 收案日期; an organisation is not shown.
        """
        status_key = next((k for k, (_label, codes) in STATUS_GROUPS.items()
                           if sorted(codes) == sorted(f.status)), None)
        if status_key is None and len(f.status) == 1:
            status_key = f.status[0]
        place = (f"village:{f.village_id}" if f.village_id
                 else f"township:{f.township_id}" if f.township_id else None)
        self._quiet = True
        try:
            for box, value in ((self.status, status_key), (self.track, f.track),
                               (self.category, f.category), (self.level, f.level),
                               (self.risk, f.risk_level), (self.mediator, f.mediator_id),
                               (self.place, place)):
                _select(box, value)
            self._fill_grids(f.grid_id)
            self.search.setText(f.text or "")
            self.overdue.setChecked(f.overdue_on is not None)
            self.use_dates.setChecked(bool(f.date_from or f.date_to))
            for day, edit in ((f.date_from, self.date_from), (f.date_to, self.date_to)):
                if day is not None:
                    edit.setDate(QDate(day.year, day.month, day.day))
            self.date_error.hide()
            self._sync_enabled()
        finally:
            self._quiet = False
        self._debounce.stop()
        self.save_state()

    # --- state kept in the settings -------------------------------------------------------
    def state(self) -> dict[str, Any]:
        return {
            "text": self.search.text(), "status": self.status.currentData(),
            "track": self.track.currentData(), "category": self.category.currentData(),
            "place": self.place.currentData(), "grid": self.grid.currentData(),
            "level": self.level.currentData(), "risk": self.risk.currentData(),
            "mediator": self.mediator.currentData(), "overdue": self.overdue.isChecked(),
            "use_dates": self.use_dates.isChecked(),
            "date_from": self.date_from.date().toPython().isoformat(),
            "date_to": self.date_to.date().toPython().isoformat(),
        }

    def save_state(self) -> None:
        self._settings.setValue(SETTINGS_KEY, json.dumps(self.state(), ensure_ascii=False))

    def restore_state(self) -> None:
        """Show the state saved by an earlier run (unknown or stale values fall back to 全部)."""
        raw = self._settings.value(SETTINGS_KEY)
        try:
            state = json.loads(raw) if isinstance(raw, str) and raw else {}
        except ValueError:
            state = {}
        if not isinstance(state, dict):
            return
        widgets = {"status": self.status, "track": self.track, "category": self.category,
                   "place": self.place, "level": self.level, "risk": self.risk, "mediator": self.mediator}
        for key, box in widgets.items():
            with QSignalBlocker(box):
                _select(box, state.get(key))
        self._fill_grids(state.get("grid"))
        with QSignalBlocker(self.search):
            self.search.setText(str(state.get("text") or ""))
        with QSignalBlocker(self.overdue):
            self.overdue.setChecked(bool(state.get("overdue")))
        with QSignalBlocker(self.use_dates):
            self.use_dates.setChecked(bool(state.get("use_dates")))
        for key, edit in (("date_from", self.date_from), ("date_to", self.date_to)):
            try:
                day = date.fromisoformat(state[key])
            except (KeyError, TypeError, ValueError):
                continue
            with QSignalBlocker(edit):
                edit.setDate(QDate(day.year, day.month, day.day))
        self._sync_enabled()

    # --- slots ----------------------------------------------------------------------------
    def _emit(self) -> None:
        if self._quiet:
            return
        self.save_state()
        self.changed.emit(self.current_filter())

    def _sync_enabled(self) -> None:
        on = self.use_dates.isChecked()
        self.date_from.setEnabled(on)
        self.date_to.setEnabled(on)

    def _on_search_text_changed(self, _text: str) -> None:
        if not self._quiet:
            self._debounce.start()

    def _on_search_return_pressed(self) -> None:
        self._debounce.stop()
        self._emit()

    def _on_choice_changed(self, *_args: Any) -> None:
        self._emit()

    def _on_place_current_index_changed(self, _index: int) -> None:
        if self._quiet:
            return
        self._fill_grids()
        self._emit()

    def _on_use_dates_toggled(self, _on: bool) -> None:
        self._sync_enabled()
        self._emit()

    def _on_date_changed(self, _day: QDate) -> None:
        reversed_range = self.date_from.date() > self.date_to.date()
        self.date_error.setVisible(reversed_range)
        if self.use_dates.isChecked() and not reversed_range:
            self._emit()

    def _on_clear_button_clicked(self) -> None:
        self.clear()
