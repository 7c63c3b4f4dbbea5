"""既往纠纷: the earlier cases of a new case's parties, shown while the case is entered."""
from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QGroupBox, QLabel, QPushButton, QVBoxLayout, QWidget

from mediator.services.cases.lifecycle import EarlierCase
from mediator.ui.env import UiEnv


class EarlierCasesPanel(QGroupBox):
    """既往纠纷: earlier cases of the parties, each a button that opens the case."""

    def __init__(self, env: UiEnv, parent: QWidget | None = None) -> None:
        super().__init__("既往纠纷", parent)
        self.env = env
        self.cases: list[EarlierCase] = []
        self.buttons: list[QPushButton] = []
        self._rows: list[QWidget] = []
        self._layout = QVBoxLayout(self)
        self._empty = QLabel("未发现当事人的既往纠纷。")
        self._empty.setStyleSheet("color: #666;")
        self._layout.addWidget(self._empty)
        self._layout.addStretch(1)

    def _open(self, case_id: int) -> None:
        self.env.signals.open_case_requested.emit(case_id)

    def set_cases(self, cases: list[EarlierCase]) -> None:
        for row in self._rows:
            self._layout.removeWidget(row)
            row.hide()
            row.deleteLater()
        self.cases, self.buttons, self._rows = list(cases), [], []
        self._empty.setVisible(not cases)
        self.setTitle(f"既往纠纷（{len(cases)}件）" if cases else "既往纠纷")
        for i, case in enumerate(cases):
            row = QWidget(objectName="earlier_case_row")
            layout = QVBoxLayout(row)
            layout.setContentsMargins(0, 0, 0, 4)
            layout.setSpacing(0)
            button = QPushButton(case.number)
            button.setFlat(True)
            button.setAutoDefault(False)
            button.setCursor(Qt.CursorShape.PointingHandCursor)
            button.setStyleSheet("QPushButton { color: #1565c0; text-decoration: underline;"
                                 " text-align: left; padding: 0; }")
            button.setToolTip("打开此案件")
            button.clicked.connect(lambda _=False, cid=case.id: self._open(cid))
            info = QLabel(f"{case.received_on.isoformat()} · {case.status} · {case.reason}\n{case.summary}")
            info.setWordWrap(True)
            info.setStyleSheet("color: #444;")
            layout.addWidget(button, 0, Qt.AlignmentFlag.AlignLeft)
            layout.addWidget(info)
            self._layout.insertWidget(i, row)
            self._rows.append(row)
            self.buttons.append(button)
