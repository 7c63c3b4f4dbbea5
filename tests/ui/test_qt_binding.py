"""Guards against a known PySide6 defect: 6.12.0 drops a reference to True on every emit."""
from __future__ import annotations

import sys

from PySide6.QtCore import QObject, Signal


class _Emitter(QObject):
    changed = Signal(list)


def test_emitting_a_signal_does_not_leak_references_to_true(qapp):
    emitter = _Emitter()
    before = sys.getrefcount(True)
    for _ in range(100):
        emitter.changed.emit([])
    assert sys.getrefcount(True) - before > -5
