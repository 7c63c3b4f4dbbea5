"""Showing failures: fixable ones in plain Chinese, conflicts with a reload offer, bugs logged.

``ask`` and ``inform`` are the one place modal questions go through, so tests can patch them.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from mediator.domain.errors import ConflictError, DomainError, ValidationErrors

log = logging.getLogger("mediator")


def ask(parent: QWidget | None, title: str, question: str) -> bool:
    """A yes/no question; True for 是."""
    answer = QMessageBox.question(parent, title, question,
                                  QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                                  QMessageBox.StandardButton.No)
    return answer == QMessageBox.StandardButton.Yes


def inform(parent: QWidget | None, title: str, text: str) -> None:
    QMessageBox.information(parent, title, text)


def describe(exc: BaseException) -> str:
    """The Chinese text a person reads for a domain error."""
    if isinstance(exc, ValidationErrors):
        return "\n".join(f"• {e.message}" for e in exc.errors)
    if isinstance(exc, DomainError):
        return exc.message
    return "程序出现意外错误。"


def show_error(parent: QWidget | None, exc: BaseException,
               on_reload: Callable[[], None] | None = None) -> None:
    """Tell the user what went wrong; conflicts offer to reload; bugs are logged with details."""
    if isinstance(exc, ConflictError):
        box = QMessageBox(QMessageBox.Icon.Warning, "数据已被他人修改", exc.message, parent=parent)
        reload_button = box.addButton("重新载入", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is reload_button and on_reload is not None:
            on_reload()
        return
    if isinstance(exc, DomainError):
        QMessageBox.warning(parent, "无法完成操作", describe(exc))
        return
    show_unexpected(parent, exc)


def show_unexpected(parent: QWidget | None, exc: BaseException) -> None:
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error\n%s", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "意外错误",
                      "程序出现意外错误，已记录到日志文件。\n请将详细信息发给技术支持人员。", parent=parent)
    copy = box.addButton("复制详细信息", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.setDetailedText(details)
    box.exec()
    if box.clickedButton() is copy:
        QApplication.clipboard().setText(details)
