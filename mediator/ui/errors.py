"""Showing failures: fixable ones in plain Chinese, conflicts with a reload offer, bugs logged.

``ask`` and ``inform`` are the one place modal questions go through, so tests can patch them.
"""
from __future__ import annotations

import logging
import traceback
from collections.abc import Callable

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from mediator.domain.errors import AccountDisabled, ConflictError, DomainError, ValidationErrors

log = logging.getLogger("mediator")

# What happens after a deactivated account was refused: the app sets it to start again at the login.
on_account_disabled: Callable[[], None] | None = None


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
               on_reload: Callable[[], None] | None = None, *, action: str = "") -> None:
    """Tell the user what went wrong; conflicts offer to reload; bugs are logged with details.

    ``action`` names what the user was doing (「保存案件」), so the message says what failed.
    """
    if isinstance(exc, AccountDisabled):
        QMessageBox.warning(parent, "账号已停用", exc.message)
        if on_account_disabled is not None:
            on_account_disabled()
        return
    if isinstance(exc, ConflictError):
        box = QMessageBox(QMessageBox.Icon.Warning, "数据已被他人修改", exc.message, parent=parent)
        reload_button = box.addButton("重新载入", QMessageBox.ButtonRole.AcceptRole)
        box.addButton("取消", QMessageBox.ButtonRole.RejectRole)
        box.exec()
        if box.clickedButton() is reload_button and on_reload is not None:
            on_reload()
        return
    if isinstance(exc, DomainError):
        title = f"无法{action}" if action else "无法完成操作"
        QMessageBox.warning(parent, title, describe(exc))
        return
    show_unexpected(parent, exc, action=action)


def unexpected_message(action: str = "") -> str:
    """What a person reads about a bug: what failed, that nothing was half-saved, what to do."""
    what = f"“{action}”没有完成" if action else "刚才的操作没有完成"
    return (f"{what}：程序出现意外错误，未保存的修改不会写入一半。\n"
            "请重试一次；如果仍然出错，请点击“复制详细信息”，把内容发给技术支持人员"
            "（错误也已记入日志文件）。")


def show_unexpected(parent: QWidget | None, exc: BaseException, *, action: str = "") -> None:
    """A bug: a plain Chinese message; the traceback goes to the log and to 复制详细信息 only."""
    details = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    log.error("unexpected error%s\n%s", f" in {action}" if action else "", details)
    box = QMessageBox(QMessageBox.Icon.Critical, "出现意外错误", unexpected_message(action), parent=parent)
    copy = box.addButton("复制详细信息", QMessageBox.ButtonRole.ActionRole)
    box.addButton("关闭", QMessageBox.ButtonRole.RejectRole)
    box.exec()
    if box.clickedButton() is copy:
        QApplication.clipboard().setText(details)
