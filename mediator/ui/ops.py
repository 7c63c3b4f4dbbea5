"""Work off the UI thread: a task runner over QThreadPool with an optional cancellable progress dialog.

A task is a plain function (it calls services; it never touches widgets). Its result or its
exception comes back on the UI thread through a queued signal. Tests use ``SyncRunner``.
"""
from __future__ import annotations

import inspect
import threading
from collections.abc import Callable
from typing import Any

from PySide6.QtCore import QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget


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
