"""Read-only tabs of the case record: parties, sessions, the agreement, performance and follow-ups."""
from __future__ import annotations

from datetime import date
from html import escape

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction
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

from mediator.domain.case_detail import AgreementDetail, CaseDetail, DraftText, PartyDetail, SessionRecord, plain
from mediator.domain.enums import (
    AgreementForm,
    CaseStatus,
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
from mediator.domain.masking import mask_party
from mediator.domain.permissions import Permission
from mediator.services.cases.drafts import DraftAgreement
from mediator.services.cases.personal_data import RevealedParty, reveal_party
from mediator.ui.env import UiEnv
from mediator.ui.ops import run_query
from mediator.ui.workspace.tables import cell, fill_table, label_of, read_only_table

PARTY_COLUMNS = ["角色", "类型", "姓名（名称）", "性别", "民族", "出生日期", "身份证号", "联系电话",
                 "住址", "职业或单位", "统一社会信用代码", "法定代表人", "委托代理人"]


def party_row(party: PartyDetail, revealed: RevealedParty | None = None) -> list[str]:
    """The cells of one party: 身份证号 and phones masked unless ``revealed`` gives them."""
    p = plain(party)  # masking works on plain data
    if revealed is None:
        p = mask_party(p)
    else:
        p = {**p, "id_number": revealed.id_number, "phone": revealed.phone,
             "agent": p.get("agent") and {**p["agent"], "phone": revealed.agent_phone}}
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
    """当事人: every field of every party, 身份证号 and phones masked.

    A user whose role may see personal data gets 显示 (a button and the table's context menu):
    it asks ``reveal_party`` (which records the reveal in the audit log) for the selected party.
    Reloading the case masks everything again.
    """

    def __init__(self, env: UiEnv | None = None, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.env = env
        self._parties: list[PartyDetail] = []
        self._revealed: dict[int, RevealedParty] = {}
        self._signed = False  # after signing, parties are neither added nor removed
        self.table = read_only_table(PARTY_COLUMNS)
        self.reveal_button = QPushButton("显示")
        self.reveal_button.setObjectName("reveal_party")
        self.reveal_button.setToolTip("显示所选当事人的身份证号和联系电话（将记入审计日志）")
        self.reveal_action: QAction | None = None
        allowed = env is not None and env.can(Permission.PERSONAL_DATA)
        self.reveal_button.setVisible(allowed)
        if allowed:
            self.reveal_action = QAction("显示身份证号和联系电话", self.table)
            self.reveal_action.triggered.connect(self._on_reveal_action_triggered)
            self.table.addAction(self.reveal_action)
            self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        # 添加当事人 / 修改 / 删除: wired by the workspace (corrections after registration).
        self.add_button = QPushButton("添加当事人…")
        self.add_button.setObjectName("add_party")
        self.edit_button = QPushButton("修改…")
        self.edit_button.setObjectName("edit_party")
        self.remove_button = QPushButton("删除…")
        self.remove_button.setObjectName("remove_party")
        top = QHBoxLayout()
        top.addWidget(QLabel("身份证号和联系电话已隐去部分数字。"))
        top.addStretch(1)
        for button in (self.add_button, self.edit_button, self.remove_button, self.reveal_button):
            top.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table)
        self.reveal_button.clicked.connect(self._on_reveal_action_triggered)
        self.table.itemSelectionChanged.connect(self._update_reveal)
        self._update_reveal()

    def load(self, detail: CaseDetail) -> None:
        self._parties = list(detail.parties)
        self._signed = detail.agreement is not None
        self._revealed.clear()
        self._fill()

    def _fill(self) -> None:
        selected = self._selected_row()
        fill_table(self.table, [party_row(p, self._revealed.get(p.id)) for p in self._parties])
        if selected >= 0:
            self.table.selectRow(selected)
        self._update_reveal()

    def _selected_row(self) -> int:
        rows = self.table.selectionModel().selectedRows()
        return rows[0].row() if rows else -1

    def selected_party(self) -> PartyDetail | None:
        row = self._selected_row()
        return self._parties[row] if 0 <= row < len(self._parties) else None

    def _update_reveal(self) -> None:
        row = self._selected_row()
        selected = 0 <= row < len(self._parties)
        self.add_button.setEnabled(not self._signed)
        self.edit_button.setEnabled(selected)
        self.remove_button.setEnabled(selected and not self._signed)
        tip = "协议已签订，当事人如有变更，请签订变更（补充）协议" if self._signed else ""
        self.add_button.setToolTip(tip)
        self.remove_button.setToolTip(tip)
        ok = selected and self._parties[row].id not in self._revealed
        self.reveal_button.setEnabled(ok)
        if self.reveal_action is not None:
            self.reveal_action.setEnabled(ok)

    def reveal(self, row: int) -> None:
        """Show the real 身份证号 and phones of the party in ``row`` (audited by the service)."""
        if self.env is None or not 0 <= row < len(self._parties):
            return
        ctx, party_id = self.env.ctx, self._parties[row].id
        run_query(self.env, self, lambda: reveal_party(ctx, party_id), self._show_revealed)

    def _show_revealed(self, revealed: RevealedParty) -> None:
        self._revealed[revealed.party_id] = revealed
        self._fill()

    def _on_reveal_action_triggered(self) -> None:
        self.reveal(self._selected_row())


class SessionsTab(QWidget):
    """调查与调解记录: the sessions, the selected one's record in full, and a 记录 button."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._sessions: list[SessionRecord] = []
        self.table = read_only_table(["日期", "类别", "地点", "参加人员", "经过"], stretch=4)
        self.record_view = QTextBrowser()
        self.record_view.setPlaceholderText("选择一条记录查看全文")
        self.record_button = QPushButton("记录调查/调解…")
        self.record_button.setObjectName("record_session")
        self.correct_button = QPushButton("更正…")
        self.correct_button.setObjectName("correct_session")
        self.correct_button.setToolTip("更正所选记录的日期、地点、参加人员或经过（原内容保留在流转记录中）")
        self.correct_button.setEnabled(False)
        self.empty_label = QLabel("尚无调查或调解记录。")
        self.empty_label.setStyleSheet("color: #888;")
        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.record_view)
        splitter.setSizes([260, 140])
        top = QHBoxLayout()
        top.addWidget(self.empty_label)
        top.addStretch(1)
        top.addWidget(self.correct_button)
        top.addWidget(self.record_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self.table.itemSelectionChanged.connect(self._on_table_item_selection_changed)

    def load(self, detail: CaseDetail) -> None:
        self._sessions = list(detail.sessions)
        fill_table(self.table, [[cell(s.on), label_of(SessionKind, s.kind), cell(s.place),
                                 cell(s.participants), (s.record or "").replace("\n", " ")]
                                for s in self._sessions])
        self.empty_label.setVisible(not self._sessions)
        self.record_view.clear()
        if self._sessions:
            self.table.selectRow(len(self._sessions) - 1)

    def selected_session(self) -> SessionRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self._sessions[rows[0].row()] if rows else None

    def _on_table_item_selection_changed(self) -> None:
        rows = self.table.selectionModel().selectedRows()
        self.correct_button.setEnabled(bool(rows))
        if not rows:
            self.record_view.clear()
            return
        s = self._sessions[rows[0].row()]
        self.record_view.setHtml(
            f"<p><b>{s.on} {escape(label_of(SessionKind, s.kind))}</b>"
            f"　地点：{escape(cell(s.place))}　参加人员：{escape(cell(s.participants))}</p>"
            f"<p>{escape(s.record or '').replace(chr(10), '<br>')}</p>")


AGREEMENT_TITLES = {"people": "人民调解协议书", "administrative": "行政调解协议书", "judicial": "调解协议"}


def agreement_html(agreement: AgreementDetail, parties: int, track: str = "people", *,
                   signed_text: str | None = None) -> str:
    """The agreement as a read-only page (the print layout comes with the documents module)."""
    form = label_of(AgreementForm, agreement.form)
    written = agreement.form == AgreementForm.WRITTEN.value
    title = AGREEMENT_TITLES.get(track, "调解协议") if written else "口头协议登记"
    items = "".join(f"<p style='margin-left:1em'>{i}. {escape(t)}</p>"
                    for i, t in enumerate(agreement.items, start=1))
    amount = agreement.amount_yuan
    try:
        upper = rmb_upper(amount)
    except ValueError:
        upper = ""
    copies = agreement.copies or parties + 1
    rows = [
        ("协议形式", form), ("签订日期", signed_text or agreement.signed_on),
        ("履行方式", agreement.performance or "—"),
        ("履行期限", agreement.deadline or "未约定"),
        ("涉及金额", f"{amount} 元（{upper}）" if upper else f"{amount} 元"),
    ]
    if written:
        rows.append(("份数", f"本协议一式{copies}份，当事人各执一份，调解委员会留存一份。"))
    table = "".join(f"<tr><td style='color:#666;padding-right:12px'>{k}</td><td>{escape(str(v))}</td></tr>"
                    for k, v in rows)
    facts = escape(agreement.facts or "—").replace("\n", "<br>")
    return (f"<h3>{title}</h3><table>{table}</table>"
            f"<p style='color:#666;margin-top:10px'>纠纷主要事实、争议事项及责任：</p><p>{facts}</p>"
            f"<p style='color:#666'>经调解，自愿达成如下协议：</p>{items}")


def draft_html(text: DraftText, parties: int) -> str:
    """A draft agreement as a read-only page (the workspace and the advisor's 待我审查)."""
    draft = AgreementDetail(signed_on=date.min, form=AgreementForm.WRITTEN.value, facts=text.facts,
                            items=tuple(text.items), performance=text.performance, deadline=text.deadline,
                            amount_yuan=text.amount_yuan, copies=text.copies)
    body = agreement_html(draft, parties, signed_text="（未签订）")
    return f"<p style='color:#e65100'><b>协议草稿（第{text.revision}稿）</b></p>" + body


class AgreementTab(QWidget):
    """协议: the concluded agreement, read-only; before that, the draft and the buttons to draft,
    revise and conclude one."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.view = QTextBrowser()
        self.view.setObjectName("agreement_view")
        self.empty_label = QLabel("尚未达成协议。")
        self.empty_label.setStyleSheet("color: #888;")
        self.draft_button = QPushButton("拟定协议…")
        self.draft_button.setObjectName("draft_agreement")
        self.draft_button.setToolTip("调解中拟定协议草稿，可送法律顾问审查后再签订")
        self.conclude_button = QPushButton("达成协议…")
        self.conclude_button.setObjectName("conclude_agreement")
        top = QHBoxLayout()
        top.addWidget(self.empty_label)
        top.addStretch(1)
        top.addWidget(self.draft_button)
        top.addWidget(self.conclude_button)
        # The agreement's text takes most of the height; the boxes below it (变更/补充协议, the
        # advisor's review) share the rest and the user may drag the divider.
        self.splitter = QSplitter(Qt.Orientation.Vertical)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.addWidget(self.view)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.splitter, 1)

    def add_below(self, widget: QWidget) -> None:
        """A box under the agreement's text (the view keeps twice the height of each box)."""
        self.splitter.addWidget(widget)
        self.splitter.setStretchFactor(0, 2 * (self.splitter.count() - 1))
        self.splitter.setStretchFactor(self.splitter.count() - 1, 1)

    def load(self, detail: CaseDetail, draft: DraftAgreement | None = None) -> None:
        agreement = detail.agreement
        drafting = agreement is None and draft is not None and not draft.signed
        self.empty_label.setText(f"尚未达成协议。协议草稿为第{draft.revision}稿，{draft.updated_by}"
                                 f"于{draft.saved_at}保存。" if drafting else "尚未达成协议。")
        self.empty_label.setVisible(agreement is None)
        self.view.setVisible(agreement is not None or drafting)
        self.conclude_button.setVisible(agreement is None)
        self.draft_button.setVisible(agreement is None)
        self.draft_button.setText("修改协议草稿…" if drafting else "拟定协议…")
        self.draft_button.setEnabled(detail.status == CaseStatus.MEDIATING.value)
        if agreement:
            self.view.setHtml(agreement_html(agreement, len(detail.parties), detail.track))
        else:
            self.view.setHtml(draft_html(draft.text, len(detail.parties)) if drafting else "")


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

    def load(self, detail: CaseDetail) -> None:
        self.supervision_label.setVisible(bool(detail.needs_supervision))
        fill_table(self.performance_table, [[cell(p.on), label_of(PerformanceResult, p.result), cell(p.note)]
                                            for p in detail.performance])
        fill_table(self.follow_up_table, [
            [cell(f.on), label_of(FollowUpMethod, f.method), label_of(PerformanceResult, f.performance),
             label_of(Satisfaction, f.satisfaction), cell(f.visitor), cell(f.note)]
            for f in detail.follow_ups])
        j = detail.judicial_confirmation
        if j is None:
            self.confirmation_label.setText("未申请司法确认。")
            return
        text = (f"申请日期：{j.applied_on}　　受理法院：{j.court}　　"
                f"结果：{label_of(ConfirmationResult, j.result)}")
        if j.on:
            text += f"　　裁定日期：{j.on}"
        self.confirmation_label.setText(text)
