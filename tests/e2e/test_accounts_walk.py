"""End to end: the administrator adds a 调解员, a 法律顾问 for 柳树村 and a 网格员 on the 系统 page;
each logs in through the login dialog and sees only their own cases."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import Qt

from mediator.domain.enums import AdvisorKind, VillageKind
from mediator.domain.permissions import Role
from mediator.services.advisors.appointments import AppointmentInput, add_appointment
from mediator.services.advisors.roster import AdvisorInput, add_advisor
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.read import CaseFilter, list_cases
from mediator.services.context import ServiceContext
from mediator.services.places import admin as ra
from mediator.ui.dialogs.login import LoginDialog
from mediator.ui.pages.system import SystemPage
from tests.helpers import case_input

LIUSHU = "419901100203"


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _refs(ctx: ServiceContext) -> set[str]:
    return {r.ref or r.summary for r in list_cases(ctx, CaseFilter())}


def _add(qtbot, panel, username, name, role: Role, org: str | None, *, mediator=None, advisor=None,
         grid=None, password="kaishi2026") -> None:
    _click(qtbot, panel.add_button)
    dialog = panel.dialog
    dialog.username.setText(username)
    dialog.display_name.setText(name)
    dialog.role.setCurrentIndex(dialog.role.findData(role.value))
    dialog.organization.setCurrentIndex(dialog.organization.findText(org) if org else 0)
    if mediator:
        dialog.mediator.setCurrentIndex(dialog.mediator.findText(mediator))
    if advisor:
        dialog.advisor.setCurrentIndex(dialog.advisor.findText(advisor, Qt.MatchFlag.MatchStartsWith))
    if grid:
        dialog.grid.setCurrentIndex(dialog.grid.findText(grid))
    dialog.password.setText(password)
    dialog.password_again.setText(password)
    _click(qtbot, dialog.ok_button)
    assert not dialog.isVisible(), [dialog.field_error(k) for k in ("username", "advisor_id", "grid_id")]


def _login(qtbot, office: ServiceContext, username: str, password="kaishi2026") -> ServiceContext:
    """A fresh session as the app starts one: the login dialog, then a context for that user."""
    ctx = ServiceContext(office.db, actor="", clock=office.clock)
    dialog = LoginDialog(ctx, "城关镇司法所")
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.username.setText(username)
    dialog.password.setText(password)
    _click(qtbot, dialog.ok_button)
    assert dialog.user is not None, dialog.error.text()
    ctx.user, ctx.actor = dialog.user, dialog.user.display_name
    return ctx


def test_each_new_account_sees_only_its_own_cases(env, qtbot):
    ctx = env.ctx
    ctx.user = env.user
    # 柳树村 with its grid, an advisor appointed there, and a case of the village.
    town = next(r for r in ra.region_tree(ctx) if r.name == "城关镇")
    village = ra.add_region(ctx, town.id, name="柳树村", code=LIUSHU, kind=VillageKind.RURAL_VILLAGE).id
    ra.add_region(ctx, village, name="柳一网格")
    advisor = add_advisor(ctx, AdvisorInput("赵明", AdvisorKind.LAWYER, firm="示范县正义律师事务所")).id
    add_appointment(ctx, AppointmentInput(advisor, LIUSHU, date(2026, 1, 1), date(2026, 12, 31)))
    liushu_case = uc.register_case(ctx, case_input(village_code=LIUSHU, grid="柳一网格",
                                                   summary="柳树村两户因灌溉用水发生争执。")).id
    every = {r.id for r in list_cases(ctx, CaseFilter())}

    page = SystemPage(env)
    qtbot.addWidget(page)
    page.show()
    panel = page.accounts_panel
    _add(qtbot, panel, "zhangmc", "张满仓", Role.MEDIATOR, "东关村人民调解委员会", mediator="张满仓")
    _add(qtbot, panel, "zhaoming", "赵明", Role.ADVISOR, None, advisor="赵明")
    _add(qtbot, panel, "wangwg", "王网格", Role.GRID_WORKER, "城关镇人民调解委员会", grid="柳树村 柳一网格")
    assert [panel.table.item(r, 4).text() for r in range(1, 4)] == [
        "调解员张满仓", "法律顾问赵明", "网格柳树村柳一网格"]

    mediator = _login(qtbot, ctx, "zhangmc")
    assert {r.organization for r in list_cases(mediator, CaseFilter())} == {"东关村人民调解委员会"}

    advisor_ctx = _login(qtbot, ctx, "zhaoming")
    assert {r.id for r in list_cases(advisor_ctx, CaseFilter())} == {liushu_case}

    grid = _login(qtbot, ctx, "wangwg")
    assert list_cases(grid, CaseFilter()) == []
    own = uc.register_case(grid, case_input(village_code=LIUSHU, grid="柳一网格", mediators=[],
                                            summary="网格员巡查发现的宅基地纠纷。")).id
    assert {r.id for r in list_cases(grid, CaseFilter())} == {own}
    assert own not in every and {r.id for r in list_cases(ctx, CaseFilter())} == every | {own}


def test_the_advisor_reviews_and_the_grid_report_reaches_the_head_and_comes_back(env, qtbot):
    """The accounts at work: a review sent to 柳树村's advisor is in their 待我审查; a 网格员's report
    is in the 所长's 待分流, is dispatched or settled, and the result shows in the 网格员's list."""
    from mediator.domain.grid import Urgency
    from mediator.services.advisors.reviews import request_review, review_queue
    from mediator.services.grid.dispatch import dispatch_report, grid_queue, resolve_in_grid
    from mediator.services.grid.intake import GridReportInput, my_reports, report_event

    ctx = env.ctx
    ctx.user = env.user
    town = next(r for r in ra.region_tree(ctx) if r.name == "城关镇")
    village = ra.add_region(ctx, town.id, name="柳树村", code=LIUSHU, kind=VillageKind.RURAL_VILLAGE).id
    ra.add_region(ctx, village, name="柳一网格")
    advisor = add_advisor(ctx, AdvisorInput("赵明", AdvisorKind.LAWYER, firm="示范县正义律师事务所")).id
    add_appointment(ctx, AppointmentInput(advisor, LIUSHU, date(2026, 1, 1), date(2026, 12, 31)))
    case_id = uc.register_case(ctx, case_input(village_code=LIUSHU, grid="柳一网格",
                                               summary="柳树村两户因灌溉用水发生争执。")).id

    page = SystemPage(env)
    qtbot.addWidget(page)
    page.show()
    panel = page.accounts_panel
    _add(qtbot, panel, "zhaoming", "赵明", Role.ADVISOR, None, advisor="赵明")
    _add(qtbot, panel, "wangwg", "王网格", Role.GRID_WORKER, "城关镇人民调解委员会", grid="柳树村 柳一网格")
    _add(qtbot, panel, "liusz", "刘所长", Role.HEAD, "城关镇人民调解委员会")

    request_review(ctx, case_id, note="请审查协议草案")
    advisor_ctx = _login(qtbot, ctx, "zhaoming")
    assert [r.case_id for r in review_queue(advisor_ctx)] == [case_id]

    grid = _login(qtbot, ctx, "wangwg")
    sent = report_event(grid, GridReportInput(parties="孙大河、周小林", phone="13700000011", place="柳树村东头",
                                              summary="两户因鸡鸭进地发生口角。", urgency=Urgency.NORMAL)).id
    settled = report_event(grid, GridReportInput(parties="吴一、郑二", phone="13700000012", place="柳树村西头",
                                                 summary="邻里晾晒占道争吵。", urgency=Urgency.URGENT)).id
    head = _login(qtbot, ctx, "liusz")
    assert {r.id for r in grid_queue(head)} == {sent, settled}
    new_case = dispatch_report(head, sent, "城关镇人民调解委员会", ["李建国"], acknowledge_conflicts=True).id
    resolve_in_grid(head, settled, "网格员当场劝和，双方让出通道")
    assert grid_queue(head) == []
    mine = {r.id: r for r in my_reports(grid)}
    assert mine[sent].case_id == new_case and mine[sent].case_number
    assert "当场劝和" in mine[settled].result
