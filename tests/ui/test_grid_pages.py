"""网格上报 and 待分流 through real clicks: a 网格员 reports → the 所长's queue shows it → 分派
registers a case → closing the case shows its result in the 网格员's list → they record 评价."""
from __future__ import annotations

from datetime import date

from PySide6.QtCore import QSettings, Qt
from sqlmodel import select

from mediator.domain.enums import Level, RegionLevel, Source
from mediator.domain.grid import Urgency
from mediator.domain.permissions import Role
from mediator.services.cases import lifecycle as uc
from mediator.services.context import Clock, ServiceContext
from mediator.services.safety.auth import authenticate, create_user
from mediator.store.models import Case, Organization, Region, User
from mediator.ui.bridge import AppSignals
from mediator.ui.env import UiEnv
from mediator.ui.main_window import MainWindow
from mediator.ui.ops import SyncRunner
from tests.conftest import FIXED_NOW
from tests.helpers import DONGGUAN, TOWNSHIP_COMMITTEE, agreement_input

PASSWORD = "mima2026x"


def _env(ui_ctx, tmp_path, role: Role) -> UiEnv:
    """A logged-in user of ``role``: the 网格员 of 东关村一网格, or a 所长 of the township."""
    ui_ctx.user = None
    with ui_ctx.read() as session:
        org_id = session.exec(select(Organization.id).where(Organization.name == TOWNSHIP_COMMITTEE)).one()
    username = f"u_{role.value}"
    create_user(ui_ctx, username=username, display_name=role.label, password=PASSWORD, role=role,
                organization_id=None if role is Role.GRID_WORKER else org_id)
    if role is Role.GRID_WORKER:
        with ui_ctx.transaction() as session:
            village = session.exec(select(Region).where(Region.code == DONGGUAN)).one()
            grid = session.exec(select(Region).where(Region.parent_id == village.id, Region.name == "一网格",
                                                     Region.level == RegionLevel.GRID.value)).one()
            row = session.exec(select(User).where(User.username == username)).one()
            row.grid_id = grid.id
            session.add(row)
    user = authenticate(ui_ctx, username, PASSWORD)
    ctx = ServiceContext(ui_ctx.db, actor=user.display_name, clock=Clock(fixed=FIXED_NOW), user=user)
    settings = QSettings(str(tmp_path / f"{role.value}.ini"), QSettings.Format.IniFormat)
    return UiEnv(ctx=ctx, user=user, signals=AppSignals(), runner=SyncRunner(), settings=settings)


def _window(qtbot, env) -> MainWindow:
    window = MainWindow(env)
    qtbot.addWidget(window)
    return window


def _click(qtbot, button) -> None:
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def _cell(table, row: int, header: str) -> str:
    headers = [table.horizontalHeaderItem(c).text() for c in range(table.columnCount())]
    return table.item(row, headers.index(header)).text()


def test_report_dispatch_close_and_rate(qtbot, ui_ctx, tmp_path):
    worker_env = _env(ui_ctx, tmp_path, Role.GRID_WORKER)
    worker_window = _window(qtbot, worker_env)
    assert "grid_queue" not in worker_window.pages
    page = worker_window.show_page("grid_reports")

    _click(qtbot, page.report_button)  # the empty form: each field says what is missing
    assert page.fields["parties"].error_message() and page.fields["place"].error_message()
    assert page.table.rowCount() == 0
    page.parties.setText("张大山、李小河")
    page.phone.setText("13700000009")
    page.place.setText("东关村一组张家门前")
    page.summary.setPlainText("两家因宅前排水沟堵塞争吵。")
    page.urgency.setCurrentIndex(page.urgency.findData(Urgency.URGENT))
    _click(qtbot, page.report_button)
    assert page.table.rowCount() == 1 and page.parties.text() == ""
    assert _cell(page.table, 0, "状态") == "待分流" and _cell(page.table, 0, "紧急程度") == "紧急"

    head_env = _env(ui_ctx, tmp_path, Role.HEAD)
    head_window = _window(qtbot, head_env)
    assert "grid_reports" not in head_window.pages
    queue = head_window.show_page("grid_queue")
    assert queue.table.rowCount() == 1 and _cell(queue.table, 0, "当事人") == "张大山、李小河"
    assert queue.organization.currentText() == "东关村人民调解委员会"  # the village's own committee
    queue.organization.setCurrentIndex(0)
    _click(qtbot, queue.dispatch_button)  # no organisation chosen
    assert "调解组织" in queue.dispatch_error.message()
    queue.organization.setCurrentIndex(queue.organization.findText("东关村人民调解委员会"))
    assert [queue.mediator_list.item(i).text() for i in range(queue.mediator_list.count())] == ["张满仓"]
    queue.mediator_list.item(0).setCheckState(Qt.CheckState.Checked)
    assert queue.acknowledge.isHidden()
    _click(qtbot, queue.dispatch_button)  # 张满仓 and 张大山 share a surname in 东关村: 回避?
    assert "可能需要回避" in queue.dispatch_error.message() and not queue.acknowledge.isHidden()
    assert queue.table.rowCount() == 1
    queue.acknowledge.setChecked(True)
    _click(qtbot, queue.dispatch_button)
    assert queue.table.rowCount() == 0 and "已分派" in queue.message.text()
    with ui_ctx.read() as session:
        case = session.exec(select(Case).order_by(Case.id.desc())).first()
    assert case.source == Source.GRID_REPORT.value
    assert case.level == Level.VILLAGE.value and case.risk_level == "high"

    page.refresh()
    assert _cell(page.table, 0, "状态") == "已分派" and _cell(page.table, 0, "案号") == case.number
    assert _cell(page.table, 0, "处理结果") == "办理中（待受理）"
    page.table.selectRow(0)
    assert page.feedback_button.isEnabled()  # a handled report can be rated
    worker_window.resize(1148, 760)
    worker_window.show()
    rect = page.table.visualRect(page.table.model().index(0, 0))
    qtbot.mouseClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.mouseDClick(page.table.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert worker_window.current_page() is worker_window.pages["cases"]  # they open what they reported
    assert worker_window.pages["cases"].tabs.widget(1).case_number() == case.number

    system = ServiceContext(ui_ctx.db, actor="王所长", clock=Clock(fixed=FIXED_NOW))
    uc.accept_case(system, case.id, date(2026, 11, 29))
    uc.start_mediation(system, case.id, date(2026, 11, 29))
    uc.conclude_agreement(system, case.id, agreement_input(date(2026, 11, 29), deadline=date(2026, 12, 20)))
    page.refresh()
    assert _cell(page.table, 0, "处理结果").startswith("调解成功")

    page.table.selectRow(0)
    _click(qtbot, page.feedback_button)
    assert "满意度" in page.feedback_error.message()
    page.satisfaction.setCurrentIndex(page.satisfaction.findText("满意"))
    page.feedback_note.setText("双方已和好")
    _click(qtbot, page.feedback_button)
    assert _cell(page.table, 0, "满意度") == "满意"


def test_the_queue_resolves_inside_the_grid_and_the_workbench_counts_it(qtbot, ui_ctx, tmp_path):
    from mediator.services.grid.intake import GridReportInput, report_event

    worker_env = _env(ui_ctx, tmp_path, Role.GRID_WORKER)
    report_event(worker_env.ctx, GridReportInput(parties="张大山", place="一组", summary="琐事争吵"))
    head_env = _env(ui_ctx, tmp_path, Role.HEAD)
    head_window = _window(qtbot, head_env)
    queue = head_window.show_page("grid_queue")
    _click(qtbot, queue.resolve_button)
    assert "化解情况" in queue.resolve_error.message()
    queue.note.setPlainText("网格员上门劝解，当场和好。")
    _click(qtbot, queue.resolve_button)
    assert queue.table.rowCount() == 0
    queue.pending_only.setChecked(False)
    assert _cell(queue.table, 0, "状态") == "网格内化解"

    worker_window = _window(qtbot, worker_env)
    page = worker_window.show_page("grid_reports")
    assert _cell(page.table, 0, "处理结果") == "网格内化解：网格员上门劝解，当场和好。"
    bench = worker_window.show_page("workbench")
    bench.refresh()
    assert "网格 1件" in bench.resolution.text() and "不出网格 100.0%" in bench.resolution.text()
