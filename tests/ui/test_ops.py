"""run_op and run_query: the signals come from the OpChanges a write returns; failures show by default."""
from __future__ import annotations

import pytest
from PySide6.QtCore import QSettings, QTimer
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from mediator.domain.errors import DomainError
from mediator.services.changes import NOTHING, OpChanges, OpChangesWithId
from mediator.ui.bridge import AppSignals
from mediator.ui.env import UiEnv
from mediator.ui.ops import SyncRunner, run_op, run_query

# Taken at import, before the autouse fixture that makes every modal message box fail the test:
# these tests answer the real box, as the person would.
REAL_WARNING = QMessageBox.warning
REAL_EXEC = QMessageBox.exec


@pytest.fixture
def env(tmp_path, qapp) -> UiEnv:
    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    return UiEnv(ctx=None, user=None, signals=AppSignals(), runner=SyncRunner(), settings=settings)


@pytest.fixture
def parent(qtbot) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    widget.show()
    return widget


@pytest.fixture
def heard(env) -> list[tuple]:
    """Every app signal, in the order it was emitted."""
    got: list[tuple] = []
    env.signals.cases_changed.connect(lambda ids: got.append(("cases", ids)))
    env.signals.reference_changed.connect(lambda: got.append(("reference",)))
    env.signals.reminders_changed.connect(lambda: got.append(("reminders",)))
    return got


def answer_message_box(seen: list[tuple[str, str]]) -> None:
    """When the modal box opens: note its title and text, then press the button that closes it."""
    def close() -> None:
        box = QApplication.activeModalWidget()
        if not isinstance(box, QMessageBox):
            QTimer.singleShot(10, close)
            return
        seen.append((box.windowTitle(), box.text()))
        closing = [b for b in box.buttons()
                   if box.buttonRole(b) is not QMessageBox.ButtonRole.ActionRole]
        closing[-1].click()

    QTimer.singleShot(0, close)


def test_a_write_emits_the_signals_its_changes_name(env, parent, heard):
    successes: list[OpChanges] = []
    changes = OpChanges.of_cases([3, 5, 3]) | OpChanges(reference=True)
    run_op(env, parent, lambda: changes, on_success=successes.append)
    assert successes == [changes]
    assert heard == [("cases", [3, 5]), ("reference",), ("reminders",)]


def test_every_case_is_the_empty_list_and_nothing_emits_nothing(env, parent, heard):
    run_op(env, parent, lambda: OpChanges(every_case=True))
    assert heard == [("cases", [])]
    heard.clear()
    run_op(env, parent, lambda: NOTHING)
    assert heard == []


def test_on_success_runs_before_the_views_refresh(env, parent, heard):
    """The page keeps its selection and words its message first; the refresh then sees both."""
    order: list[str] = []
    env.signals.reference_changed.connect(lambda: order.append("refresh"))
    run_op(env, parent, lambda: OpChangesWithId(reference=True, id=7),
           on_success=lambda c: order.append(f"success {c.id}"))
    assert order == ["success 7", "refresh"]


def test_a_failing_write_shows_the_chinese_message_and_emits_nothing(env, parent, heard, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", REAL_WARNING)
    seen: list[tuple[str, str]] = []
    successes: list[OpChanges] = []

    def refused() -> OpChanges:
        raise DomainError("该区划下还有未结案件，不能停用")

    answer_message_box(seen)
    run_op(env, parent, refused, on_success=successes.append)
    assert seen == [("无法完成操作", "该区划下还有未结案件，不能停用")]
    assert successes == [] and heard == []


def test_on_failure_replaces_the_message_box(env, parent, heard):
    failures: list[BaseException] = []
    run_op(env, parent, lambda: (_ for _ in ()).throw(DomainError("不行")), on_failure=failures.append)
    assert [f.message for f in failures] == ["不行"]


def test_a_write_that_returns_no_changes_is_a_bug(env, parent, heard):
    failures: list[BaseException] = []
    run_op(env, parent, lambda: 42, on_failure=failures.append)
    assert len(failures) == 1 and isinstance(failures[0], TypeError)
    assert heard == []


def test_a_query_hands_back_its_result_and_emits_nothing(env, parent, heard):
    results: list[int] = []
    run_query(env, parent, lambda: 42, results.append)
    assert results == [42] and heard == []


def test_a_failing_query_shows_the_unexpected_error_box(env, parent, heard, monkeypatch):
    monkeypatch.setattr(QMessageBox, "exec", REAL_EXEC)
    seen: list[tuple[str, str]] = []
    results: list[int] = []

    def broken() -> int:
        raise RuntimeError("boom")

    answer_message_box(seen)
    run_query(env, parent, broken, results.append)
    assert len(seen) == 1 and seen[0][0] == "出现意外错误"
    assert "程序出现意外错误" in seen[0][1]
    assert results == []
