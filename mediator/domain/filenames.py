"""File names that cannot escape a folder: what a stored attachment is called on disk."""
from __future__ import annotations

import re

MAX_NAME = 255  # the column's width, and what common file systems allow
FALLBACK = "附件"
# Path separators of every system, Windows' reserved characters, and control characters.
_UNSAFE = re.compile(r'[\x00-\x1f\x7f<>:"|?*]')
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def safe_file_name(name: str) -> str:
    """The last part of ``name`` (after any / or \\), without control or reserved characters, no
    leading dots or spaces, at most ``MAX_NAME`` characters with its extension kept; ``附件`` when
    nothing is left. ``../../etc/passwd`` → ``passwd``; ``C:\\x\\a.pdf`` → ``a.pdf``."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = _UNSAFE.sub("_", base).strip().lstrip(". ").rstrip(". ")
    if base.split(".")[0].upper() in _RESERVED:
        base = "_" + base
    if len(base) > MAX_NAME:
        stem, dot, ext = base.rpartition(".")
        keep = f"{dot}{ext}" if dot and len(ext) <= 16 else ""
        base = (stem if keep else base)[:MAX_NAME - len(keep)] + keep
    return base or FALLBACK
