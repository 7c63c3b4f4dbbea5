"""The agreement editor: numbered terms, performance, amount in 人民币大写, copies, form (Art. 28–29)."""
from __future__ import annotations

from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QCheckBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QScrollArea,
    QSpinBox,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from mediator.domain.case_detail import DraftText
from mediator.domain.enums import AgreementForm
from mediator.domain.errors import ValidationError
from mediator.services.cases.drafts import DraftInput
from mediator.services.cases.inputs import AgreementInput
from mediator.ui.workspace.fields import (
    EnumCombo,
    FieldErrors,
    MoneyField,
    date_edit,
    pydate,
    with_error,
)


class TermRow(QWidget):
    """One numbered term: its number, its text, buttons to move it or take it out."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.number = QLabel("1.")
        self.number.setObjectName("term_number")
        self.number.setFixedWidth(28)
        self.number.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
        self.number.setContentsMargins(0, 5, 0, 0)
        self.text_edit = QPlainTextEdit(text)
        self.text_edit.setTabChangesFocus(True)
        self.text_edit.setPlaceholderText("如：被申请人于2026年12月31日前一次性支付申请人修缮费人民币捌仟元整。")
        self.text_edit.setFixedHeight(self.text_edit.fontMetrics().lineSpacing() * 2 + 14)
        self.up_button = self._tool("上移", "上移这一条")
        self.down_button = self._tool("下移", "下移这一条")
        self.remove_button = self._tool("删除", "删除这一条")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.number)
        layout.addWidget(self.text_edit, 1)
        buttons = QVBoxLayout()
        buttons.setSpacing(0)
        row = QHBoxLayout()
        row.addWidget(self.up_button)
        row.addWidget(self.down_button)
        row.addWidget(self.remove_button)
        buttons.addLayout(row)
        buttons.addStretch(1)
        layout.addLayout(buttons)

    def _tool(self, text: str, tip: str) -> QToolButton:
        button = QToolButton()
        button.setText(text)
        button.setToolTip(tip)
        button.setAutoRaise(True)
        return button

    def text(self) -> str:
        return self.text_edit.toPlainText()

    def set_text(self, text: str) -> None:
        self.text_edit.setPlainText(text)


class AgreementEditor(QWidget):
    """Edits an agreement and produces an ``AgreementInput``.

    Args:
        parties: number of parties (copies default to parties + 1, 《人民调解法》 Art. 29).
        today: the day the dialog opens (signing date default and upper bound).
        minimum: the earliest possible signing date (the case's receipt).
        drafting: a draft agreement (拟定协议): no form and no signing date.
    """

    def __init__(self, parties: int, today: date, parent: QWidget | None = None, *,
                 minimum: date | None = None, drafting: bool = False) -> None:
        super().__init__(parent)
        self.parties = parties
        self.drafting = drafting
        self.errors = FieldErrors()
        self.term_rows: list[TermRow] = []

        self.form_combo = EnumCombo(AgreementForm)
        self.signed_edit = date_edit(today, maximum=today, minimum=minimum)
        head = QWidget()
        head_layout = QHBoxLayout(head)
        head_layout.setContentsMargins(0, 0, 0, 0)
        head_layout.addWidget(self.form_combo)
        head_layout.addSpacing(24)
        head_layout.addWidget(QLabel("签订日期"))
        head_layout.addWidget(self.signed_edit)
        head_layout.addStretch(1)

        self.facts_edit = QPlainTextEdit()
        self.facts_edit.setTabChangesFocus(True)
        self.facts_edit.setPlaceholderText("纠纷主要事实、争议事项及各方当事人的责任")
        self.facts_edit.setFixedHeight(self.facts_edit.fontMetrics().lineSpacing() * 3 + 14)

        self.terms_box = QWidget()
        self.terms_layout = QVBoxLayout(self.terms_box)
        self.terms_layout.setContentsMargins(0, 0, 4, 0)
        self.terms_layout.setSpacing(4)
        self.terms_layout.addStretch(1)
        self.terms_scroll = QScrollArea()
        self.terms_scroll.setWidgetResizable(True)
        self.terms_scroll.setWidget(self.terms_box)
        self.terms_scroll.setMinimumHeight(150)
        self.add_term_button = QPushButton("添加条款")
        self.add_term_button.setObjectName("add_term")
        self.add_term_button.clicked.connect(lambda: self.add_term().text_edit.setFocus())
        self.empty_label = QLabel("尚无协议条款，请点击“添加条款”。")
        self.empty_label.setStyleSheet("color: #888;")
        terms = QWidget()
        terms_outer = QVBoxLayout(terms)
        terms_outer.setContentsMargins(0, 0, 0, 0)
        terms_outer.addWidget(QLabel("经调解，自愿达成如下协议："))
        terms_outer.addWidget(self.empty_label)
        terms_outer.addWidget(self.terms_scroll, 1)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_term_button)
        add_row.addStretch(1)
        terms_outer.addLayout(add_row)

        self.performance_edit = QLineEdit()
        self.performance_edit.setPlaceholderText("如：一次性现金支付、银行转账、分期支付、恢复原状")
        self.deadline_check = QCheckBox("约定履行期限")
        self.deadline_edit = date_edit(today + timedelta(days=15), minimum=minimum)
        self.deadline_edit.setEnabled(False)
        self.deadline_check.toggled.connect(self.deadline_edit.setEnabled)
        deadline = QWidget()
        deadline_layout = QHBoxLayout(deadline)
        deadline_layout.setContentsMargins(0, 0, 0, 0)
        deadline_layout.addWidget(self.deadline_check)
        deadline_layout.addWidget(self.deadline_edit)
        deadline_layout.addStretch(1)

        self.amount = MoneyField("协议金额")
        self.copies_spin = QSpinBox()
        self.copies_spin.setRange(1, 50)
        self.copies_spin.setValue(parties + 1)
        self.copies_spin.setSuffix(" 份")
        self.copies_hint = QLabel("当事人各执一份，调解委员会留存一份")
        self.copies_hint.setStyleSheet("color: #666;")
        copies = QWidget()
        copies_layout = QHBoxLayout(copies)
        copies_layout.setContentsMargins(0, 0, 0, 0)
        copies_layout.addWidget(self.copies_spin)
        copies_layout.addWidget(self.copies_hint)
        copies_layout.addStretch(1)

        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setColumnStretch(1, 1)
        rows = [("协议形式", head, ("form", "signed_on", "on")), ("纠纷事实", self.facts_edit, ("facts",)),
                ("协议条款", terms, ("items",)), ("履行方式", self.performance_edit, ("performance",)),
                ("履行期限", deadline, ("deadline",)), ("协议金额", self.amount, ("amount_yuan",)),
                ("协议份数", copies, ("copies",))]
        if drafting:  # the form and the signing date are chosen on signing
            rows = rows[1:]
            head.setParent(self)
            head.hide()
        for r, (title, widget, paths) in enumerate(rows):
            caption = QLabel(title)
            caption.setContentsMargins(0, 4, 0, 0)
            grid.addWidget(caption, r, 0, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignTop)
            grid.addWidget(with_error(widget, self.errors.label(*paths, watch=widget)), r, 1)
        grid.setRowStretch(1 if drafting else 2, 1)  # the terms take the room there is

        self.form_combo.currentIndexChanged.connect(self._on_form_combo_current_index_changed)
        self._renumber()

    # --- terms ------------------------------------------------------------------------------
    def add_term(self, text: str = "") -> TermRow:
        """Append a term (numbered after the others)."""
        row = TermRow(text)
        row.up_button.clicked.connect(lambda _=False, r=row: self.move_term(self.term_rows.index(r), -1))
        row.down_button.clicked.connect(lambda _=False, r=row: self.move_term(self.term_rows.index(r), 1))
        row.remove_button.clicked.connect(lambda _=False, r=row: self.remove_term(self.term_rows.index(r)))
        self.term_rows.append(row)
        self.terms_layout.insertWidget(self.terms_layout.count() - 1, row)
        row.show()  # a layout shows new children only on the next event loop pass
        self._renumber()
        return row

    def remove_term(self, index: int) -> None:
        row = self.term_rows.pop(index)
        self.terms_layout.removeWidget(row)
        row.hide()
        row.deleteLater()
        self._renumber()

    def move_term(self, index: int, delta: int) -> None:
        """Swap a term with its neighbour (the texts move; the rows stay)."""
        other = index + delta
        if not 0 <= other < len(self.term_rows):
            return
        a, b = self.term_rows[index], self.term_rows[other]
        text_a, text_b = a.text(), b.text()
        a.set_text(text_b)
        b.set_text(text_a)
        b.text_edit.setFocus()

    def terms(self) -> list[str]:
        """The texts of the terms in order, blank ones left out."""
        return [t.strip() for t in (r.text() for r in self.term_rows) if t.strip()]

    def _renumber(self) -> None:
        last = len(self.term_rows) - 1
        for i, row in enumerate(self.term_rows):
            row.number.setText(f"{i + 1}.")
            row.up_button.setEnabled(i > 0)
            row.down_button.setEnabled(i < last)
        self.empty_label.setVisible(not self.term_rows)

    # --- values -----------------------------------------------------------------------------
    def _on_form_combo_current_index_changed(self, _index: int) -> None:
        written = self.form_combo.current() is AgreementForm.WRITTEN
        self.copies_spin.setEnabled(written)
        self.copies_hint.setEnabled(written)

    def set_form(self, form: AgreementForm) -> None:
        self.form_combo.set_current(form)

    def signed_on(self) -> date:
        return pydate(self.signed_edit.date())

    def fill(self, text: DraftText) -> None:
        """Show a draft's text (the 达成协议 dialog starts from the draft)."""
        self.facts_edit.setPlainText(text.facts)
        while self.term_rows:
            self.remove_term(0)
        for item in text.items:
            self.add_term(item)
        self.performance_edit.setText(text.performance)
        self.deadline_check.setChecked(text.deadline is not None)
        if text.deadline is not None:
            self.deadline_edit.setDate(text.deadline)
        self.amount.setText("" if text.amount_yuan in ("0", "0.00") else text.amount_yuan)
        self.copies_spin.setValue(text.copies or self.parties + 1)

    def draft_value(self) -> DraftInput:
        """What was entered, for ``save_draft_agreement``."""
        return DraftInput(
            items=self.terms(), facts=self.facts_edit.toPlainText().strip(),
            performance=self.performance_edit.text().strip(),
            deadline=pydate(self.deadline_edit.date()) if self.deadline_check.isChecked() else None,
            amount_yuan=self.amount.value(), copies=self.copies_spin.value())

    def value(self) -> AgreementInput:
        """What was entered, for ``conclude_agreement`` (the service validates it)."""
        form = self.form_combo.current()
        return AgreementInput(
            form=form, signed_on=self.signed_on(), items=self.terms(),
            performance=self.performance_edit.text().strip(),
            deadline=pydate(self.deadline_edit.date()) if self.deadline_check.isChecked() else None,
            amount_yuan=self.amount.value(),
            copies=self.copies_spin.value() if form is AgreementForm.WRITTEN else None,
            facts=self.facts_edit.toPlainText().strip(),
        )

    def show_errors(self, errors: list[ValidationError]) -> list[ValidationError]:
        """Show the service's errors beside their fields; returns those that fit no field."""
        return self.errors.show(errors)

    def clear_errors(self) -> None:
        self.errors.clear()
