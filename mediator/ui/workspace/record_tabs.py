"""Read-only tabs of the case record: parties, sessions, the agreement, performance and follow-ups."""
from __future__ import annotations

from html import escape
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.enums import (
    AgreementForm,
    ConfirmationResult,
    FollowUpMethod,
    Gender,
    PartyKind,
    PartyRole,
    PerformanceResult,
    Satisfaction,
    SessionKind,
)
from mediator.domain.formatting import rmb_upper
from mediator.ui.workspace.tables import cell, fill_table, label_of, read_only_table

PARTY_COLUMNS = ["角色", "类型", "姓名（名称）", "性别", "民族", "出生日期", "身份证号", "联系电话",
                 "住址", "职业或单位", "统一社会信用代码", "法定代表人", "委托代理人"]


def party_row(p: dict[str, Any]) -> list[str]:
    agent = p.get("agent")
    agent_text = "—"
    if agent:
        agent_text = agent["name"] + "".join(f"（{x}）" for x in (agent.get("relation"), agent.get("phone")) if x)
    return [label_of(PartyRole, p["role"]), label_of(PartyKind, p["kind"]), p["name"],
            label_of(Gender, p.get("gender")), cell(p.get("ethnicity")), cell(p.get("birth_date")),
            cell(p.get("id_number")), cell(p.get("phone")), cell(p.get("address")),
            cell(p.get("occupation")), cell(p.get("credit_code")), cell(p.get("representative")),
            agent_text]


class PartiesTab(QWidget):
    """当事人: every field of every party (身份证号 in full for now)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.table = read_only_table(PARTY_COLUMNS)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)

    def load(self, detail: dict[str, Any]) -> None:
        fill_table(self.table, [party_row(p) for p in detail["parties"]])


class SessionsTab(QWidget):
    """调查与调解记录: the sessions, the selected one's record in full, and a 记录 button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sessions: list[dict[str, Any]] = []
        self.table = read_only_table(["日期", "类别", "地点", "参加人员", "经过"], stretch=4)
        self.record_view = QTextBrowser()
        self.record_view.setPlaceholderText("选择一条记录查看全文")
        self.record_button = QPushButton("记录调查/调解…")
        self.record_button.setObjectName("record_session")
        self.empty_label = QLabel("尚无调查或调解记录。")
        self.empty_label.setStyleSheet("color: #888;")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.record_view)
        splitter.setSizes([260, 140])
        top = QHBoxLayout()
        top.addWidget(self.empty_label)
        top.addStretch(1)
        top.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)

    def load(self, detail: dict[str, Any]) -> None:
        self._sessions = list(detail["sessions"])
        fill_table(self.table, [[s["on"], label_of(SessionKind, s["kind"]), cell(s["place"]),
                                 cell(s["participants"]), s["record"].replace("\n", " ")]
                                for s in self._sessions])
        self.empty_label.setVisible(not self._sessions)
        self.record_view.clear()
        if self._sessions:
            self.table.selectRow(len(self._sessions) - 1)

    def _on_table_item_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            self.record_view.clear()
            return
        s = self._sessions[rows[0].row()]
        self.record_view.setHtml(
            f"<p><b>{escape(s['on'])} {escape(label_of(SessionKind, s['kind']))}</b>"
            f"　地点：{escape(cell(s['place']))}　参加人员：{escape(cell(s['participants']))}</p>"
            f"<p>{escape(s['record']).replace(chr(10), '<br>')}</p>")


AGREEMENT_TITLES = {"people": "人民调解协议书", "administrative": "行政调解协议书", "judicial": "调解协议"}


def agreement_html(agreement: dict[str, Any], parties: int, track: str = "people") -> str:
    """The agreement as a read-only page (the print layout comes with the documents module)."""
    form = label_of(AgreementForm, agreement["form"])
    written = agreement["form"] == AgreementForm.WRITTEN.value
    title = AGREEMENT_TITLES.get(track, "调解协议") if written else "口头协议登记"
    items = "".join(f"<p style='margin-left:1em'>{i}. {escape(t)}</p>"
                    for i, t in enumerate(agreement["items"], start=1))
    amount = agreement["amount_yuan"]
    try:
        upper = rmb_upper(amount)
    except ValueError:
        upper = ""
    copies = agreement.get("copies") or parties + 1
    rows = [
        ("协议形式", form), ("签订日期", agreement["signed_on"]),
        ("履行方式", agreement.get("performance") or "—"),
        ("履行期限", agreement.get("deadline") or "未约定"),
        ("涉及金额", f"{amount} 元（{upper}）" if upper else f"{amount} 元"),
    ]
    if written:
        rows.append(("份数", f"本协议一式{copies}份，当事人各执一份，调解委员会留存一份。"))
    table = "".join(f"<tr><td style='color:#666;padding-right:12px'>{k}</td><td>{escape(str(v))}</td></tr>"
                    for k, v in rows)
    facts = escape(agreement.get("facts") or "—").replace("\n", "<br>")
    return (f"<h3>{title}</h3><table>{table}</table>"
            f"<p style='color:#666;margin-top:10px'>纠纷主要事实、争议事项及责任：</p><p>{facts}</p>"
            f"<p style='color:#666'>经调解，自愿达成如下协议：</p>{items}")


class AgreementTab(QWidget):
    """协议: the concluded agreement, read-only; before that, a button to conclude one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QTextBrowser()
        self.view.setObjectName("agreement_view")
        self.empty_label = QLabel("尚未达成协议。")
        self.empty_label.setStyleSheet("color: #888;")
        self.conclude_button = QPushButton("达成协议…")
        self.conclude_button.setObjectName("conclude_agreement")
        top = QHBoxLayout()
        top.addWidget(self.empty_label)
        top.addStretch(1)
        top.addWidget(self.conclude_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.view, 1)

    def load(self, detail: dict[str, Any]) -> None:
        agreement = detail.get("agreement")
        self.empty_label.setVisible(agreement is None)
        self.view.setVisible(agreement is not None)
        self.conclude_button.setVisible(agreement is None)
        self.view.setHtml(agreement_html(agreement, len(detail["parties"]), detail["track"])
                         if agreement else "")


class PerformanceTab(QWidget):
    """履行与回访: performance records, follow-up visits and the judicial confirmation."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.supervision_label = QLabel("协议尚未全部履行，需督促履行（《人民调解法》第三十一条）。")
        self.supervision_label.setStyleSheet("color: #c62828;")
        self.performance_table = read_only_table(["日期", "履行情况", "说明"], stretch=2)
        self.follow_up_table = read_only_table(["日期", "方式", "履行情况", "满意度", "回访人", "回访情况"],
                                               stretch=5)
        self.confirmation_label = QLabel()
        self.confirmation_label.setObjectName("judicial_confirmation")
        self.confirmation_label.setWordWrap(True)
        self.confirmation_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        layout = QVBoxLayout(self)
        layout.addWidget(self.supervision_label)
        for title, widget in (("履行记录", self.performance_table), ("回访记录", self.follow_up_table),
                              ("司法确认", self.confirmation_label)):
            box = QGroupBox(title)
            inner = QVBoxLayout(box)
            inner.addWidget(widget)
            layout.addWidget(box, 0 if widget is self.confirmation_label else 1)

    def load(self, detail: dict[str, Any]) -> None:
        self.supervision_label.setVisible(bool(detail.get("needs_supervision")))
        fill_table(self.performance_table, [[p["on"], label_of(PerformanceResult, p["result"]), cell(p["note"])]
                                            for p in detail["performance"]])
        fill_table(self.follow_up_table, [
            [f["on"], label_of(FollowUpMethod, f["method"]), label_of(PerformanceResult, f["performance"]),
             label_of(Satisfaction, f["satisfaction"]), cell(f["visitor"]), cell(f["note"])]
            for f in detail["follow_ups"]])
        j = detail.get("judicial_confirmation")
        if j is None:
            self.confirmation_label.setText("未申请司法确认。")
            return
        text = (f"申请日期：{j['applied_on']}　　受理法院：{j['court']}　　"
                f"结果：{label_of(ConfirmationResult, j['result'])}")
        if j.get("on"):
            text += f"　　裁定日期：{j['on']}"
        self.confirmation_label.setText(text)
