"""Small QtCharts views for the 工作台: a bar chart and a line chart whose points can be clicked."""
from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QHorizontalBarSeries,
    QLineSeries,
    QScatterSeries,
    QValueAxis,
)
from PySide6.QtCore import QMargins, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPen

BAR = QColor("#1e88e5")
ALERT = QColor("#e53935")
LINE = QColor("#2e7d32")


def _nice_max(value: float) -> float:
    """A round upper bound for an axis (at least 1)."""
    if value <= 5:
        return 5
    magnitude = 10 ** (len(str(int(value))) - 1)
    for step in (1, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        top = step * magnitude
        if top >= value:
            return top
    return value


class _ChartView(QChartView):
    def __init__(self, title: str) -> None:
        chart = QChart()
        chart.setTitle(title)
        font = QFont(chart.titleFont())
        font.setPointSize(10)
        font.setBold(True)
        chart.setTitleFont(font)
        chart.legend().hide()
        chart.setMargins(QMargins(4, 4, 4, 4))
        chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
        super().__init__(chart)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setMinimumHeight(220)
        self.keys: list[Any] = []

    def _reset(self) -> QChart:
        chart = self.chart()
        chart.removeAllSeries()
        for axis in chart.axes():
            chart.removeAxis(axis)
        return chart


class BarChartView(_ChartView):
    """Bars with labels below (or beside, ``horizontal``); a click on a bar emits its key.

    Signals:
        bar_clicked(object): the key given for the bar that was clicked.
    """

    bar_clicked = Signal(object)

    def __init__(self, title: str, *, horizontal: bool = False, color: QColor = BAR) -> None:
        super().__init__(title)
        self.horizontal = horizontal
        self.color = color
        self.bar_set: QBarSet | None = None
        self.series: QBarSeries | QHorizontalBarSeries | None = None
        self.labels: list[str] = []
        self.values: list[float] = []

    def set_bars(self, labels: Sequence[str], values: Sequence[float], keys: Sequence[Any]) -> None:
        """Bars in the order given: left to right, or top to bottom when ``horizontal``."""
        self.labels, self.values, self.keys = list(labels), list(values), list(keys)
        if self.horizontal:  # Qt draws the first horizontal bar at the bottom
            labels, values = self.labels[::-1], self.values[::-1]
        chart = self._reset()
        bar_set = QBarSet("")
        bar_set.setColor(self.color)
        bar_set.setBorderColor(self.color.darker(115))
        bar_set.setLabelColor(QColor("#202124"))
        bar_set.append([float(v) for v in values])
        series = QHorizontalBarSeries() if self.horizontal else QBarSeries()
        series.append(bar_set)
        series.setBarWidth(0.7)
        series.setLabelsVisible(True)
        series.setLabelsFormat("@value")
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        chart.addSeries(series)
        categories = QBarCategoryAxis()
        categories.append(list(labels) or [""])
        small = QFont(categories.labelsFont())
        small.setPointSize(8)
        categories.setLabelsFont(small)
        values_axis = QValueAxis()
        values_axis.setRange(0, _nice_max(max(values, default=0) * 1.15))
        values_axis.setLabelFormat("%d")
        values_axis.setTickCount(6)
        if self.horizontal:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignLeft)
            chart.addAxis(values_axis, Qt.AlignmentFlag.AlignBottom)
        else:
            chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
            chart.addAxis(values_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(categories)
        series.attachAxis(values_axis)
        bar_set.clicked.connect(self._on_bar_set_clicked)
        self.bar_set, self.series = bar_set, series
        self.setToolTip("点击柱形查看对应案件")

    def bar_center(self, index: int) -> QPointF:
        """Where bar ``index`` is drawn, in view coordinates (tests click there)."""
        value = self.values[index] / 2
        point = (QPointF(value, len(self.values) - 1 - index) if self.horizontal
                 else QPointF(index, value))
        scene = self.chart().mapToPosition(point, self.series)
        return self.mapFromScene(self.chart().mapToScene(scene)).toPointF()

    def _on_bar_set_clicked(self, index: int) -> None:
        if self.horizontal:
            index = len(self.keys) - 1 - index
        if 0 <= index < len(self.keys):
            self.bar_clicked.emit(self.keys[index])


class RateChartView(_ChartView):
    """A percentage per period as a line with points; clicking a point emits its key.

    Signals:
        point_clicked(object): the key of the point nearest the click.
    """

    point_clicked = Signal(object)

    def __init__(self, title: str) -> None:
        super().__init__(title)
        self.labels: list[str] = []
        self.values: list[float | None] = []
        self.points: QScatterSeries | None = None

    def set_points(self, labels: Sequence[str], values: Sequence[float | None], keys: Sequence[Any]) -> None:
        """``values`` in percent; None where there is nothing to show (no case ended)."""
        self.labels, self.values, self.keys = list(labels), list(values), list(keys)
        chart = self._reset()
        line = QLineSeries()
        line.setPen(QPen(LINE, 2))
        points = QScatterSeries()
        points.setMarkerSize(9)
        points.setColor(LINE)
        points.setBorderColor(LINE)
        points.setPointLabelsVisible(True)
        points.setPointLabelsFormat("@yPoint%")
        points.setPointLabelsClipping(False)
        for i, v in enumerate(values):
            if v is not None:
                line.append(i, round(v, 1))
                points.append(i, round(v, 1))
        chart.addSeries(line)
        chart.addSeries(points)
        categories = QBarCategoryAxis()
        categories.append(list(labels) or [""])
        axis_y = QValueAxis()
        axis_y.setRange(0, 110)
        axis_y.setTickCount(12)
        axis_y.setLabelFormat("%d%%")
        chart.addAxis(categories, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(axis_y, Qt.AlignmentFlag.AlignLeft)
        # The category axis puts category i at x = i (range -0.5 … n-0.5).
        for series in (line, points):
            series.attachAxis(categories)
            series.attachAxis(axis_y)
        line.clicked.connect(self._on_series_clicked)
        points.clicked.connect(self._on_series_clicked)
        self.points = points
        self.setToolTip("点击数据点查看当月案件")

    def point_position(self, index: int) -> QPointF:
        """Where point ``index`` is drawn, in view coordinates (tests click there)."""
        value = self.values[index] or 0.0
        scene = self.chart().mapToPosition(QPointF(index, value), self.points)
        return self.mapFromScene(self.chart().mapToScene(scene)).toPointF()

    def _on_series_clicked(self, point: QPointF) -> None:
        index = round(point.x())
        if 0 <= index < len(self.keys):
            self.point_clicked.emit(self.keys[index])
