"""The 变更/补充协议 of a case, listed under its signed agreement, with the button to add one."""
from __future__ import annotations

from PySide6.QtWidgets import QGroupBox, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from mediator.domain.case_detail import SupplementRecord
from mediator.domain.enums import SupplementKind
from mediator.ui.workspace.tables import fill_table, read_only_table


def supplement_row(s: SupplementRecord) -> list[str]:
    terms = "；".join(f"{i}. {t}" for i, t in enumerate(s.terms, start=1))
    return [f"第{s.seq}号{SupplementKind(s.kind).label}", s.signed_on.isoformat(), terms, s.reason, s.recorded_by]


class SupplementsBox(QGroupBox):
    """变更（补充）协议: each one recorded after signing, oldest first; the agreement stays as signed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__("变更（补充）协议", parent)
        self.setObjectName("supplements")
        self.supplements: list[SupplementRecord] = []
        self.table = read_only_table(["协议", "签订日期", "协议内容", "原因", "记录人"], stretch=2)
        self.table.setObjectName("supplements_table")
        self.table.setMaximumHeight(self.table.verticalHeader().defaultSectionSize() * 4
                                    + self.table.horizontalHeader().sizeHint().height() + 4)
        self.empty_label = QLabel("协议签订后如有变更或补充，另行签订变更（补充）协议，原协议不作修改。")
        self.empty_label.setStyleSheet("color: #888;")
        self.empty_label.setWordWrap(True)
        self.add_button = QPushButton("变更/补充协议…")
        self.add_button.setObjectName("add_supplement")
        self.add_button.setToolTip("签订变更协议或补充协议（原协议内容保留）")
        top = QHBoxLayout()
        top.addWidget(self.empty_label, 1)
        top.addWidget(self.add_button)
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Maximum)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)

    def load(self, supplements: tuple[SupplementRecord, ...], *, signed: bool) -> None:
        """Show the list; the box is hidden until an agreement is signed."""
        self.supplements = list(supplements)
        self.setVisible(signed)
        fill_table(self.table, [supplement_row(s) for s in self.supplements])
        self.table.setVisible(bool(self.supplements))
