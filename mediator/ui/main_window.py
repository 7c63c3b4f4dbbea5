"""The main window: left navigation, one page per entry, menus with shortcuts, a status bar.

Pages are built when first wanted (shown, or asked for through ``pages``): the stack holds an
empty placeholder per entry until then, so start-up builds (and queries for) the first page only.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from PySide6.QtCore import QSize, Qt
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QStackedWidget,
    QWidget,
)

from mediator.domain.errors import DATABASE_WAITING
from mediator.domain.permissions import Permission, Role
from mediator.services.reminders.summary import ReminderSummary
from mediator.ui.env import UiEnv


@dataclass(frozen=True)
class PageEntry:
    key: str
    title: str
    factory: Callable[[UiEnv], QWidget]
    permission: Permission | None = None  # the page is left out for roles without it
    shortcut: str = ""  # its 转到 key; "" takes the first of GO_TO_KEYS no page has
    roles: frozenset[Role] | None = None  # only these roles get the page (None: every role)

    def shown_to(self, env: UiEnv) -> bool:
        if self.permission is not None and not env.can(self.permission):
            return False
        return self.roles is None or Role(env.user.role) in self.roles


# The 转到 keys: a page keeps its key whatever the role leaves out (Ctrl+3 is always 日程提醒).
GO_TO_KEYS = [f"Ctrl+{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)] + \
    [f"Ctrl+Shift+{n}" for n in (1, 2, 3, 4, 5, 6, 7, 8, 9, 0)]


def go_to_keys(entries: list[PageEntry]) -> dict[str, str]:
    """Each page's 转到 shortcut: its own, or the first key no other page claims."""
    taken = {e.shortcut for e in entries if e.shortcut}
    free = iter(k for k in GO_TO_KEYS if k not in taken)
    return {e.key: e.shortcut or next(free, "") for e in entries}


def _page(module: str, name: str) -> Callable[[UiEnv], QWidget]:
    """A page factory importing its module when the page is first built (not at start)."""
    def build(env: UiEnv) -> QWidget:
        from importlib import import_module

        return getattr(import_module(f"mediator.ui.pages.{module}"), name)(env)

    build.__name__ = name
    return build


def default_pages() -> list[PageEntry]:
    """The navigation of ARCHITECTURE.md, in order; each page is its own module."""
    return [
        PageEntry("workbench", "工作台", _page("workbench", "WorkbenchPage"), shortcut="Ctrl+1"),
        PageEntry("cases", "案件", _page("cases", "CasesPage"), shortcut="Ctrl+2"),
        PageEntry("grid_reports", "网格上报", _page("grid_reports", "GridReportsPage"),
                  roles=frozenset({Role.GRID_WORKER})),
        PageEntry("grid_queue", "待分流", _page("grid_queue", "GridQueuePage"), Permission.CASE_SUPERVISE),
        PageEntry("reminders", "日程提醒", _page("reminders", "RemindersPage"), shortcut="Ctrl+3"),
        PageEntry("risk", "风险预警", _page("risk", "RiskPage"), Permission.CASE_READ),
        PageEntry("screening", "矛盾纠纷排查", _page("screening", "ScreeningPage"), Permission.CASE_READ),
        PageEntry("advisors", "法律顾问", _page("advisors", "AdvisorsPage"), shortcut="Ctrl+4"),
        PageEntry("regions", "区划网格", _page("regions", "RegionsPage"), shortcut="Ctrl+5"),
        PageEntry("reports", "统计报表", _page("reports", "ReportsPage"), Permission.REPORT, "Ctrl+6"),
        PageEntry("documents", "文书", _page("documents", "DocumentsPage"), Permission.DOCUMENT_PRINT,
                  "Ctrl+7"),
        PageEntry("retention", "卷宗销毁", _page("retention", "RetentionPage"), Permission.RETENTION,
                  "Ctrl+8"),
        PageEntry("system", "系统", _page("system", "SystemPage"), shortcut="Ctrl+9"),
        PageEntry("audit", "审计日志", _page("audit_log", "AuditLogPage"), Permission.AUDIT_READ, "Ctrl+0"),
    ]


NAV_WIDTH = 132  # the navigation's width with no badge


class LazyPages(Mapping[str, QWidget]):
    """The window's pages by key, in navigation order; a page is built on its first lookup."""

    def __init__(self, entries: list[PageEntry], build: Callable[[PageEntry], QWidget]) -> None:
        self._entries = {e.key: e for e in entries}
        self._build = build
        self._built: dict[str, QWidget] = {}

    def __getitem__(self, key: str) -> QWidget:
        page = self._built.get(key)
        if page is None:
            page = self._built[key] = self._build(self._entries[key])
        return page

    def __iter__(self) -> Iterator[str]:
        return iter(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def __contains__(self, key: object) -> bool:
        return key in self._entries

    def is_built(self, key: str) -> bool:
        return key in self._built

    def built(self) -> dict[str, QWidget]:
        """The pages built so far (none is built by asking this)."""
        return dict(self._built)

    def index(self, key: str) -> int:
        return list(self._entries).index(key)


class MainWindow(QMainWindow):
    """Hosts the pages; routes menu shortcuts to the page on screen."""

    def __init__(self, env: UiEnv, pages: list[PageEntry] | None = None,
                 scheduler_bridge: Any = None) -> None:
        super().__init__()
        self.env = env
        self.scheduler_bridge = scheduler_bridge  # ui.scheduler_bridge.SchedulerBridge (app starts it)
        self.setWindowTitle("调解通 — 矛盾纠纷调解案件管理")
        self.resize(1280, 800)
        self.nav = QListWidget()
        self.nav.setObjectName("navigation")
        self.nav.setFixedWidth(NAV_WIDTH)
        self.nav.setIconSize(QSize(20, 20))
        self.stack = QStackedWidget()
        self.page_titles: dict[str, str] = {}
        entries = [e for e in pages or default_pages() if e.shown_to(env)]
        self.pages = LazyPages(entries, self._build_page)
        self.page_keys = go_to_keys(entries)
        for entry in entries:
            placeholder = QWidget()
            placeholder.setObjectName(f"placeholder_{entry.key}")
            self.stack.addWidget(placeholder)
            self.page_titles[entry.key] = entry.title
            item = QListWidgetItem(entry.title)
            item.setData(Qt.ItemDataRole.UserRole, entry.key)
            item.setToolTip(self._nav_tip(entry.key))
            item.setSizeHint(QSize(120, 40))
            self.nav.addItem(item)
        self.nav.currentRowChanged.connect(self._on_nav_current_row_changed)
        central = QWidget()
        layout = QHBoxLayout(central)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(self.nav)
        layout.addWidget(self.stack, 1)
        self.setCentralWidget(central)
        self._build_menus()
        self._build_status_bar()
        env.signals.open_case_requested.connect(self.open_case)
        env.signals.show_cases_requested.connect(self.show_cases)
        # A write on the worker thread that waits for another program's lock: told here (queued).
        env.signals.database_waiting.connect(self._show_database_waiting)
        env.ctx.db.on_wait = env.signals.database_waiting.emit
        self.due = env.due_snapshot()  # one 需提醒 reading for the status bar, badge and 工作台
        self.due.changed.connect(self._show_status)  # it reloads itself after writes
        if scheduler_bridge is not None:
            scheduler_bridge.counts_changed.connect(self._on_scheduler_bridge_counts_changed)
            scheduler_bridge.show_reminders_requested.connect(lambda: self.show_page("reminders"))
            scheduler_bridge.show_risk_requested.connect(lambda: self.show_page("risk"))
        self.due.ensure()  # queued before the first page's own query: the 需提醒 shows first
        self.nav.setCurrentRow(0)

    # --- navigation -----------------------------------------------------------------------
    def _build_page(self, entry: PageEntry) -> QWidget:
        """Build a page in its placeholder's place (``pages`` calls this once per page)."""
        index = self.pages.index(entry.key)
        page = entry.factory(self.env)
        page.setObjectName(f"page_{entry.key}")
        placeholder = self.stack.widget(index)
        self.stack.insertWidget(index, page)
        self.stack.removeWidget(placeholder)
        placeholder.deleteLater()
        return page

    def show_page(self, key: str) -> QWidget | None:
        """Show the page ``key``; None when the user's role has no such page (it was left out)."""
        if key not in self.pages:
            return None
        self.nav.setCurrentRow(self.pages.index(key))
        return self.pages[key]

    def current_page(self) -> QWidget:
        return self.stack.currentWidget()

    def _on_nav_current_row_changed(self, row: int) -> None:
        if row < 0:
            return
        self.pages[list(self.pages)[row]]  # built on its first showing
        self.stack.setCurrentIndex(row)
        page = self.stack.currentWidget()
        if hasattr(page, "on_shown"):
            page.on_shown()

    def open_case(self, case_id: int) -> None:
        cases = self.show_page("cases")
        if cases is not None:
            cases.open_case(case_id)

    def show_cases(self, case_filter: object) -> None:
        """The case list with this filter (drill-down from charts, the map and reports)."""
        if "cases" not in self.pages:
            return
        cases = self.show_page("cases")
        if cases is not None and hasattr(cases, "apply_filter"):
            cases.apply_filter(case_filter)

    # --- menus ----------------------------------------------------------------------------
    def _action(self, menu, text: str, shortcut: QKeySequence | str | None, slot) -> QAction:
        action = QAction(text, self)
        if shortcut is not None:
            action.setShortcut(QKeySequence(shortcut))
            action.setShortcutContext(Qt.ShortcutContext.WindowShortcut)
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _build_menus(self) -> None:
        bar = self.menuBar()
        case_menu = bar.addMenu("案件(&C)")
        self.new_case_action = self._action(case_menu, "新建案件…", QKeySequence.StandardKey.New, self.new_case)
        self.search_action = self._action(case_menu, "查找案件", QKeySequence.StandardKey.Find, self.focus_search)
        case_menu.addSeparator()
        self.save_action = self._action(case_menu, "保存", QKeySequence.StandardKey.Save,
                                        lambda: self._forward("save"))
        self.print_action = self._action(case_menu, "打印…", QKeySequence.StandardKey.Print,
                                         lambda: self._forward("print_"))
        case_menu.addSeparator()
        self._action(case_menu, "退出", QKeySequence.StandardKey.Quit, self.close)
        # The role matrix hides what the user may not do (the services refuse it anyway).
        self.new_case_action.setVisible(self.env.can(Permission.CASE_REGISTER) and "cases" in self.pages)
        self.print_action.setVisible(self.env.can(Permission.DOCUMENT_PRINT))
        view_menu = bar.addMenu("视图(&V)")
        self.refresh_action = self._action(view_menu, "刷新", QKeySequence(Qt.Key.Key_F5), self.refresh)
        go_menu = bar.addMenu("转到(&G)")
        self.page_actions: dict[str, QAction] = {}
        for key in self.pages:
            self.page_actions[key] = self._action(go_menu, self.page_titles[key],
                                                  self.page_keys[key] or None,
                                                  lambda _=False, k=key: self.show_page(k))
        help_menu = bar.addMenu("帮助(&H)")
        self._action(help_menu, "关于调解通", None, self._about)

    def new_case(self) -> None:
        if not self.env.can(Permission.CASE_REGISTER):
            return
        cases = self.show_page("cases")
        if cases is not None:
            cases.new_case()

    def focus_search(self) -> None:
        cases = self.show_page("cases")
        if cases is not None:
            cases.focus_search()

    def refresh(self) -> None:
        page = self.current_page()
        if hasattr(page, "refresh"):
            page.refresh()
        self.refresh_status()

    def _forward(self, method: str) -> None:
        page = self.current_page()
        handler = getattr(page, method, None)
        if handler is not None:
            handler()
        else:
            self.statusBar().showMessage("当前页面没有可" + ("保存" if method == "save" else "打印") + "的内容", 3000)

    def _about(self) -> None:
        from mediator.ui.dialogs.about import AboutDialog

        self.about_dialog = AboutDialog(self)
        self.about_dialog.open()

    # --- status bar -----------------------------------------------------------------------
    def _build_status_bar(self) -> None:
        bar = self.statusBar()
        self.user_label = QLabel(f"用户：{self.env.user.display_name}（{self.env.user.role.label}）")
        where = f"数据库：{self.env.ctx.db.display_url()}"
        self.db_label = QLabel()  # a long path is cut in its middle: the reminder count stays readable
        self.db_label.setText(self.db_label.fontMetrics().elidedText(where, Qt.TextElideMode.ElideMiddle, 320))
        self.db_label.setToolTip(where)
        self.due_label = QLabel("需提醒：—")
        self.due_label.setObjectName("due_count")
        for widget in (self.user_label, self.db_label, self.due_label):
            bar.addPermanentWidget(widget)

    def _show_database_waiting(self, waiting: bool) -> None:
        bar = self.statusBar()
        if waiting:
            bar.showMessage(DATABASE_WAITING)
        elif bar.currentMessage() == DATABASE_WAITING:
            bar.clearMessage()

    def refresh_status(self) -> None:
        """The 需提醒 count in the status bar and on the 日程提醒 badge (the 工作台 shows it too)."""
        self.due.refresh()

    def _show_status(self, summary: ReminderSummary) -> None:
        stalled = f"；{summary.no_next_step}件办理中的案件无下一步" if summary.no_next_step else ""
        self.due_label.setText(summary.text)
        self.due_label.setToolTip(f"逾期、今天到期和{summary.warn_days}日内到期而未处理的提醒{stalled}")
        self.set_nav_badge("reminders", summary.attention, summary.text + stalled)

    def _nav_tip(self, key: str, extra: str = "") -> str:
        shortcut = QKeySequence(self.page_keys.get(key, "")).toString(
            QKeySequence.SequenceFormat.NativeText)
        tip = f"{self.page_titles[key]}（{shortcut}）" if shortcut else self.page_titles[key]
        return f"{tip}\n{extra}" if extra else tip

    def set_nav_badge(self, key: str, count: int, tip: str = "") -> None:
        """Show ``count`` beside a navigation entry, e.g. 日程提醒 (3) for three reminders needing attention."""
        if key not in self.pages:
            return
        item = self.nav.item(self.pages.index(key))
        title = self.page_titles[key]
        item.setText(f"{title} ({count})" if count else title)
        item.setToolTip(self._nav_tip(key, tip))
        self._fit_nav()

    def _fit_nav(self) -> None:
        """The navigation as wide as its longest entry (a three-digit badge is never cut)."""
        self.nav.ensurePolished()
        metrics = self.nav.fontMetrics()
        widest = max((metrics.horizontalAdvance(self.nav.item(i).text()) for i in range(self.nav.count())),
                     default=0)
        width = max(NAV_WIDTH, widest + 22 + 24)  # the item's padding and border, a margin
        if width != self.nav.width():
            self.nav.setFixedWidth(width)
            if self.centralWidget() is not None and self.centralWidget().layout() is not None:
                self.centralWidget().layout().activate()  # the page moves over at once, not a frame later

    def _on_scheduler_bridge_counts_changed(self, notice: Any) -> None:
        """A scan's counts are those of ``reminder_summary`` (the same reminders, counted alike)."""
        self._show_status(ReminderSummary(notice.counts, self.env.ctx.deadline_settings.warn_days,
                                          notice.no_next_step))
