"""Dialogs of the 法律顾问 page and the review panel: advisor, appointment, ledger entry, review request."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from functools import partial
from typing import Any

from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QPlainTextEdit, QSpinBox, QWidget

from mediator.domain.enums import AdvisorKind, LedgerKind
from mediator.services.advisors import ledger as ledger
from mediator.services.advisors import registry as adv
from mediator.services.advisors import reviews as reviews
from mediator.services.places.choices import Choice
from mediator.ui.env import UiEnv
from mediator.ui.widgets.service_dialog import ServiceDialog
from mediator.ui.workspace.fields import EnumCombo, date_edit, pydate


def village_combo(villages: Sequence[Choice], current: str | None = None, blank: str | None = None) -> QComboBox:
    """Villages by name with their code; item data is the code ("" for the blank choice)."""
    combo = QComboBox()
    if blank is not None:
        combo.addItem(blank, "")
    for v in villages:
        combo.addItem(f"{v.name}（{v.code}）", v.code)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def advisor_combo(advisors: Sequence[tuple[int, str]], current: int | None = None) -> QComboBox:
    combo = QComboBox()
    for advisor_id, label in advisors:
        combo.addItem(label, advisor_id)
    if current is not None:
        combo.setCurrentIndex(max(0, combo.findData(current)))
    return combo


def _plain(text: str = "", height: int = 3) -> QPlainTextEdit:
    edit = QPlainTextEdit(text)
    edit.setTabChangesFocus(True)
    edit.setFixedHeight(edit.fontMetrics().lineSpacing() * height + 14)
    return edit


class AdvisorDialog(ServiceDialog):
    """登记 or 修改 a legal advisor."""

    def __init__(self, env: UiEnv, advisor: adv.AdvisorInfo | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(env, "修改法律顾问" if advisor else "登记法律顾问", parent)
        self.advisor = advisor
        data = advisor.to_input() if advisor else adv.AdvisorInput("", AdvisorKind.LAWYER)
        self.name = self.add_field("name", "姓名", QLineEdit(data.name))
        self.kind = self.add_field("kind", "类别", EnumCombo(AdvisorKind, data.kind))
        self.firm = self.add_field("firm", "执业机构", QLineEdit(data.firm))
        self.firm.setPlaceholderText("律师事务所或基层法律服务所")
        self.license_no = self.add_field("license_no", "执业证号", QLineEdit(data.license_no or ""))
        self.phone = self.add_field("phone", "联系电话", QLineEdit(data.phone or ""))
        self.specialties = self.add_field("specialties", "专长", QLineEdit(data.specialties))
        self.specialties.setPlaceholderText("如：婚姻家庭、土地承包、劳动争议")
        self.active = QCheckBox("在职（可受聘、可分派审查）")
        self.active.setChecked(data.active)
        self.add_field("active", "", self.active)
        self.name.setFocus()

    def values(self) -> adv.AdvisorInput:
        return adv.AdvisorInput(self.name.text(), self.kind.current(), self.firm.text(),
                                self.license_no.text(), self.phone.text(), self.specialties.text(),
                                self.active.isChecked())

    def task(self) -> Callable[[], Any]:
        if self.advisor is None:
            return partial(adv.add_advisor, self.env.ctx, self.values())
        return partial(adv.update_advisor, self.env.ctx, self.advisor.id, self.values(),
                       expected_version=self.advisor.version)


class AppointmentDialog(ServiceDialog):
    """新增聘任: an advisor for a village and a term (the village's previous term must not overlap)."""

    def __init__(self, env: UiEnv, advisors: Sequence[tuple[int, str]], villages: Sequence[Choice], *,
                 advisor_id: int | None = None, village_code: str | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(env, "新增聘任", parent)
        today = env.ctx.today()
        self.advisor = self.add_field("advisor_id", "法律顾问", advisor_combo(advisors, advisor_id))
        self.village = self.add_field("village_code", "村（社区）", village_combo(villages, village_code))
        self.start = self.add_field("start", "聘期开始", date_edit(date(today.year, 1, 1)))
        self.end = self.add_field("end", "聘期结束", date_edit(date(today.year, 12, 31)))
        self.legal_deputy = QCheckBox("兼任该村（社区）法治副主任")
        self.add_field("legal_deputy", "", self.legal_deputy)

    def task(self) -> Callable[[], Any]:
        return partial(adv.add_appointment, self.env.ctx, adv.AppointmentInput(
            self.advisor.currentData(), self.village.currentData(), pydate(self.start.date()),
            pydate(self.end.date()), self.legal_deputy.isChecked()))


class EndAppointmentDialog(ServiceDialog):
    """结束聘任 (解聘) or move a term's last day; 法治副主任 may change too."""

    def __init__(self, env: UiEnv, appointment: adv.AppointmentInfo, parent: QWidget | None = None) -> None:
        super().__init__(env, "调整聘期", parent)
        self.appointment = appointment
        self.add_info("聘任", f"{appointment.advisor} — {appointment.village}，"
                            f"{appointment.start.isoformat()}至{appointment.end.isoformat()}")
        today = env.ctx.today()
        self.end = self.add_field("end", "聘期结束", date_edit(min(today, appointment.end)
                                                             if appointment.start <= today else appointment.end,
                                                             minimum=appointment.start))
        self.legal_deputy = QCheckBox("兼任法治副主任")
        self.legal_deputy.setChecked(appointment.legal_deputy)
        self.add_field("legal_deputy", "", self.legal_deputy)

    def task(self) -> Callable[[], Any]:
        return partial(adv.update_appointment, self.env.ctx, self.appointment.id, end=pydate(self.end.date()),
                       legal_deputy=self.legal_deputy.isChecked(), expected_version=self.appointment.version)


class LedgerEntryDialog(ServiceDialog):
    """登记 or 修改 one line of the service ledger."""

    def __init__(self, env: UiEnv, advisors: Sequence[tuple[int, str]], villages: Sequence[Choice], *,
                 entry: ledger.LedgerRow | None = None, advisor_id: int | None = None,
                 parent: QWidget | None = None) -> None:
        super().__init__(env, "修改服务记录" if entry else "登记服务记录", parent)
        self.entry = entry
        today = env.ctx.today()
        codes = {v.id: v.code for v in villages}
        self.advisor = self.add_field("advisor_id", "法律顾问",
                                      advisor_combo(advisors, entry.advisor_id if entry else advisor_id))
        self.on = self.add_field("on", "服务日期", date_edit(entry.on if entry else today, maximum=today))
        self.village = self.add_field("village_code", "村（社区）", village_combo(
            villages, codes.get(entry.village_id) if entry and entry.village_id else None, blank="（不限村）"))
        self.kind = self.add_field("kind", "服务类别",
                                   EnumCombo(LedgerKind, LedgerKind(entry.kind) if entry else None))
        self.content = self.add_field("content", "服务内容", _plain(entry.content if entry else ""))
        self.people = QSpinBox()
        self.people.setRange(0, 100000)
        self.people.setValue(entry.people_served if entry else 0)
        self.add_field("people_served", "服务人次", self.people)
        self.hours = self.add_field("hours", "服务时长（小时）", QLineEdit(str(entry.hours) if entry else "1"))
        self.on_site = QCheckBox("到村（社区）现场服务")
        self.on_site.setChecked(entry.on_site if entry else False)
        self.add_field("on_site", "", self.on_site)
        self.content.setFocus()

    def values(self) -> ledger.LedgerInput:
        return ledger.LedgerInput(self.advisor.currentData(), pydate(self.on.date()), self.kind.current(),
                                  self.content.toPlainText(), self.village.currentData() or None,
                                  self.people.value(), self.hours.text(), self.on_site.isChecked())

    def task(self) -> Callable[[], Any]:
        if self.entry is None:
            return partial(ledger.add_ledger_entry, self.env.ctx, self.values())
        return partial(ledger.update_ledger_entry, self.env.ctx, self.entry.id, self.values(),
                       expected_version=self.entry.version)


class RequestReviewDialog(ServiceDialog):
    """送法律顾问审查: the village's advisor is chosen; the office may pick another."""

    def __init__(self, env: UiEnv, case_id: int, choice: adv.AdvisorChoice | None,
                 advisors: Sequence[tuple[int, str]], parent: QWidget | None = None) -> None:
        super().__init__(env, "送法律顾问审查", parent)
        self.case_id = case_id
        self.choice = choice
        if choice is not None:
            auto = f"{choice.name}（{choice.village}法律顾问，聘期至{choice.appointment_end.isoformat()}）"
        else:
            auto = "该村（社区）目前没有在聘的法律顾问，请指定一名"
        self.auto_label = self.add_info("自动分派", auto)
        self.advisor = self.add_field("advisor_id", "审查人", advisor_combo(
            advisors, choice.advisor_id if choice else None))
        self.note = self.add_field("note", "送审说明", _plain(height=4))
        self.note.setPlaceholderText("送审事项（已拟定的协议草稿随同送审，法律顾问看到的是送审时的草稿）")
        self.note.setFocus()

    def chosen_advisor(self) -> int | None:
        """None when the automatic choice stands (the service then routes by appointment)."""
        picked = self.advisor.currentData()
        return None if self.choice is not None and picked == self.choice.advisor_id else picked

    def task(self) -> Callable[[], Any]:
        return partial(reviews.request_review, self.env.ctx, self.case_id, advisor_id=self.chosen_advisor(),
                       note=self.note.toPlainText())
