"""Qt's own texts in Chinese: file dialogs, message boxes, standard buttons, the print preview.

PySide6 ships Qt's zh_CN translations (``qtbase_zh_CN.qm``); they miss a few texts of the file
dialog, which ``MissingQtTexts`` supplies. In a frozen build (PyInstaller) the files sit in the
program's folder (``_internal/PySide6/Qt/translations`` on Linux, ``_internal/PySide6/translations``
on Windows): Qt's own path is asked first, then those folders.
"""
from __future__ import annotations

import sys
from pathlib import Path

from PySide6.QtCore import QLibraryInfo, QLocale, QObject, QTranslator
from PySide6.QtWidgets import QApplication

CHINA = QLocale(QLocale.Language.Chinese, QLocale.Script.SimplifiedChineseScript, QLocale.Country.China)

# (context, source text) → Chinese, for what qtbase_zh_CN.qm leaves in English.
MISSING: dict[tuple[str, str], str] = {
    ("QFileDialog", "&Look in:"): "查找范围(&L)：",
    ("QFileDialog", "Files of &type:"): "文件类型(&T)：",
}


class MissingQtTexts(QTranslator):
    """Answers the few Qt texts the shipped translation does not have."""

    def translate(self, context: str, source: str, disambiguation: str | None = None,
                  n: int = -1) -> str:
        return MISSING.get((context, source), "")

    def isEmpty(self) -> bool:
        return False


def translation_folders(frozen_root: str | None = None) -> list[str]:
    """Where Qt's .qm files may be: Qt's configured path, then the frozen program's folders."""
    folders = [QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)]
    root = frozen_root or getattr(sys, "_MEIPASS", None)
    if root:
        base = Path(root)
        folders += [str(base / "PySide6" / "Qt" / "translations"), str(base / "PySide6" / "translations"),
                    str(base / "translations")]
    return folders


def install_chinese(app: QApplication) -> bool:
    """Install Qt's Chinese translations on ``app`` (once); False when the file is missing."""
    if getattr(app, "_chinese_translators", None):
        return True
    QLocale.setDefault(CHINA)
    qtbase = QTranslator(app)
    found = any(qtbase.load(CHINA, "qtbase", "_", folder) for folder in translation_folders())
    translators: list[QObject] = [MissingQtTexts(app)]
    if found:
        translators.append(qtbase)  # installed last, asked first: the supplement only fills gaps
    for translator in translators:
        app.installTranslator(translator)
    app._chinese_translators = translators  # keeps the Python wrappers alive
    return found
