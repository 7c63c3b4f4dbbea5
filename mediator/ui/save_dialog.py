"""Where files are saved: the user's documents folder at first, then the folder last chosen
(remembered per user in the window's settings), with a name that says what the file is."""
from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QFileDialog, QWidget

LAST_FOLDER = "files/last_save_folder"


def documents_folder() -> Path:
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    return Path(found) if found else Path.home()


def start_folder(settings: QSettings) -> Path:
    """The folder last saved into, while it exists; else the documents folder."""
    last = settings.value(LAST_FOLDER, "")
    if last and Path(str(last)).is_dir():
        return Path(str(last))
    return documents_folder()


def safe_name(name: str) -> str:
    """A file name without the characters Windows refuses (a 案号's brackets stay)."""
    return "".join("_" if c in '\\/:*?"<>|' else c for c in name).strip()


def ask_save_path(settings: QSettings, parent: QWidget | None, title: str, name: str,
                  file_filter: str, suffix: str) -> Path | None:
    """Ask where to save ``name``; the chosen path with ``suffix`` added when missing, or None."""
    default = start_folder(settings) / safe_name(name)
    path, _chosen = QFileDialog.getSaveFileName(parent, title, str(default), file_filter)
    if not path:
        return None
    target = Path(path)
    if suffix and target.suffix.lower() != suffix.lower():
        target = target.with_name(target.name + suffix)
    settings.setValue(LAST_FOLDER, str(target.parent))
    return target
