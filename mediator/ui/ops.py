"""Work off the UI thread: a task runner over QThreadPool with an optional cancellable progress dialog.

A task is a plain function (it calls services; it never touches widgets). Its result or its
exception comes back on the UI thread through a queued signal. Tests use ``SyncRunner``.

Pages call ``run_op`` for a write (the service returns an ``OpChanges``; the app's signals are
emitted from it) and ``run_query`` for a read; both show a failure by default (the shape of
Anki's ``CollectionOp`` and ``QueryOp``).
"""
from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any, Protocol, TypeVar

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from mediator.services.changes import OpChanges
from mediator.ui import errors as ui_errors
from mediator.ui.bridge import AppSignals

T = TypeVar("T")
C = TypeVar("C", bound=OpChanges)


class Cancelled(Exception):
    """Raised inside a task that noticed its cancel token."""


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()

    def cancel(self) -> None:
        self._event.set()

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def check(self) -> None:
        if self.cancelled:
            raise Cancelled()


class _Relay(QObject):
    done = Signal(object)
    failed = Signal(object)


class _Job(QRunnable):
    def __init__(self, fn: Callable[[], Any], relay: _Relay) -> None:
        super().__init__()
        self.fn, self.relay = fn, relay
        self.setAutoDelete(True)

    def run(self) -> None:
        try:
            result = self.fn()
        except BaseException as exc:
            self.relay.failed.emit(exc)
        else:
            self.relay.done.emit(result)


def _bind(fn: Callable[..., Any], token: CancelToken) -> Callable[[], Any]:
    if "cancel" in inspect.signature(fn).parameters:
        return lambda: fn(cancel=token)
    return fn


class TaskRunner:
    """Runs tasks on a pool; one thread so SQLite sees one writer at a time."""

    def __init__(self) -> None:
        self.pool = QThreadPool()
        self.pool.setMaxThreadCount(1)
        self._relays: set[_Relay] = set()

    def run(self, fn: Callable[..., Any], *, on_done: Callable[[Any], None],
            on_error: Callable[[BaseException], None], parent: QWidget | None = None,
            label: str | None = None, cancellable: bool = False) -> CancelToken:
        """Start ``fn``; ``on_done``/``on_error`` run on the UI thread. Returns its cancel token.

        A progress dialog with ``label`` appears if the task takes longer than 300 ms.
        """
        token = CancelToken()
        relay = _Relay()
        self._relays.add(relay)
        dialog = None
        timer = None
        if label is not None:
            dialog = QProgressDialog(label, "取消" if cancellable else "", 0, 0, parent)
            dialog.setWindowTitle("请稍候")
            dialog.setWindowModality(Qt.WindowModality.WindowModal)
            dialog.setMinimumDuration(0)
            if not cancellable:
                dialog.setCancelButton(None)
            dialog.canceled.connect(token.cancel)
            dialog.hide()
            timer = QTimer(dialog)
            timer.setSingleShot(True)
            timer.timeout.connect(dialog.show)
            timer.start(300)

        def finish() -> None:
            self._relays.discard(relay)
            if timer is not None:
                timer.stop()
            if dialog is not None:
                dialog.reset()
                dialog.deleteLater()

        def done(result: Any) -> None:
            finish()
            on_done(result)

        def failed(exc: BaseException) -> None:
            finish()
            on_error(exc)

        relay.done.connect(done, Qt.ConnectionType.QueuedConnection)
        relay.failed.connect(failed, Qt.ConnectionType.QueuedConnection)
        self.pool.start(_Job(_bind(fn, token), relay))
        return token

    def wait(self, msecs: int = 30000) -> bool:
        return self.pool.waitForDone(msecs)


class SyncRunner(TaskRunner):
    """Runs tasks inline (tests): same callbacks, no threads."""

    def __init__(self) -> None:
        self._relays = set()

    def run(self, fn, *, on_done, on_error, parent=None, label=None, cancellable=False):
        token = CancelToken()
        try:
            result = _bind(fn, token)()
        except BaseException as exc:
            on_error(exc)
        else:
            on_done(result)
        return token

    def wait(self, msecs: int = 30000) -> bool:
        return True


# --- the one call pages make -------------------------------------------------------------------
class OpEnv(Protocol):
    """What ``run_op`` needs of a page's ``UiEnv`` (named here: ``env`` imports this module)."""

    signals: AppSignals
    runner: TaskRunner


def emit_changes(signals: AppSignals, changes: OpChanges) -> None:
    """Tell every open view what a write changed: cases (empty list: many), reference, reminders."""
    if changes.cases_changed:
        signals.cases_changed.emit([] if changes.every_case else list(changes.case_ids))
    if changes.reference:
        signals.reference_changed.emit()
    if changes.reminders:
        signals.reminders_changed.emit()


def _default_failure(parent: QWidget | None) -> Callable[[BaseException], None]:
    return lambda exc: ui_errors.show_error(parent, exc)


def run_op(env: OpEnv, parent: QWidget | None, fn: Callable[..., C], *,
           on_success: Callable[[C], None] | None = None,
           on_failure: Callable[[BaseException], None] | None = None,
           label: str | None = None, cancellable: bool = False) -> CancelToken:
    """Run a write off the UI thread; ``fn`` returns the ``OpChanges`` its service returned.

    On success ``on_success(changes)`` runs first (the page words its message, keeps its
    selection), then the app's signals named by the changes are emitted, so every view refreshes,
    this one too. A failure goes to ``on_failure``, or is shown with ``show_error`` by default.
    A task that returns anything but an ``OpChanges`` is a bug: it fails with ``TypeError``.
    """
    def done(changes: Any) -> None:
        if not isinstance(changes, OpChanges):
            failed(TypeError(f"a write must return OpChanges, not {type(changes).__name__}"))
            return
        try:
            if on_success is not None:
                on_success(changes)
        finally:
            emit_changes(env.signals, changes)

    failed = on_failure if on_failure is not None else _default_failure(parent)
    return env.runner.run(fn, on_done=done, on_error=failed, parent=parent, label=label,
                          cancellable=cancellable)


def run_query(env: OpEnv, parent: QWidget | None, fn: Callable[..., T], on_done: Callable[[T], None], *,
              on_failure: Callable[[BaseException], None] | None = None,
              label: str | None = None, cancellable: bool = False) -> CancelToken:
    """Run a read (or an export that changes no list) off the UI thread; ``on_done(result)``.

    A failure goes to ``on_failure``, or is shown with ``show_error`` by default.
    """
    failed = on_failure if on_failure is not None else _default_failure(parent)
    return env.runner.run(fn, on_done=on_done, on_error=failed, parent=parent, label=label,
                          cancellable=cancellable)
