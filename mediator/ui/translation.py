"""Qt's own texts in Chinese: file dialogs, message boxes, standard buttons, the print preview.

PySide6 ships Qt's zh_CN translations (``qtbase_zh_CN.qm``); they miss a few texts of the file
dialog, which ``MissingQtTexts`` supplies.
"""
from __future__ import annotations

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


def install_chinese(app: QApplication) -> bool:
    """Install Qt's Chinese translations on ``app`` (once); False when the file is missing."""
    if getattr(app, "_chinese_translators", None):
        return True
    QLocale.setDefault(CHINA)
    qtbase = QTranslator(app)
    found = qtbase.load(CHINA, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath))
    translators: list[QObject] = [MissingQtTexts(app)]
    if found:
        translators.append(qtbase)  # installed last, asked first: the supplement only fills gaps
    for translator in translators:
        app.installTranslator(translator)
    app._chinese_translators = translators  # keeps the Python wrappers alive
    return found
