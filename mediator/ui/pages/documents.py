"""文书: the official forms the app will print (《人民调解文书格式》); printing comes with its module."""
from __future__ import annotations

from PySide6.QtWidgets import QVBoxLayout, QWidget

from mediator.services.overview import official_forms
from mediator.ui.env import UiEnv
from mediator.ui.widgets.overview_bits import fill_table, grey_note, heading, read_only_table


class DocumentsPage(QWidget):
    """The list of official forms (form id, title)."""

    def __init__(self, env: UiEnv) -> None:
        super().__init__()
        self.env = env
        self.table = read_only_table(["序号", "文书名称", "格式编号"], stretch=1)
        forms = official_forms()
        fill_table(self.table, [(i, title, form_id) for i, (form_id, title) in enumerate(forms, 1)],
                   ids=[form_id for form_id, _ in forms])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(16, 12, 16, 12)
        layout.addWidget(heading("文书", 14))
        layout.addWidget(grey_note("依据司法部《人民调解文书格式》的文书。"
                                   "文书的生成与打印将随文书模块提供，届时可在案件中直接打印。"))
        layout.addWidget(self.table, 1)
