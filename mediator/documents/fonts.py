"""CJK fonts for the PDF: found at run time, embedded, with a per-character fallback chain.

ReportLab draws a glyph a font lacks as blank without any error, and names often hold rare
characters (𠮷, 㙟, 堃). So every character is checked: the main font draws what it has, the
first fallback font that has a character draws it, and a character no font on this machine has
is printed as 〓 (the typesetter's mark for a missing character) with a warning — never a box.

Fonts are looked up by file name in the system font directories: 仿宋/宋体 on Windows
(simfang.ttf, simsun.ttc, SimSun-ExtB for rare names), AR PL UMing / WenQuanYi on Linux. A font
path (``path`` or ``path#index`` for a collection) overrides the search. Without any usable
TrueType font the built-in, non-embedded ``STSong-Light`` CID font is the last resort.
Registered fonts are cached for the process: loading a CJK TrueType font costs 0.1–0.4 s.
"""
from __future__ import annotations

import logging
import os
import sys
import threading
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

log = logging.getLogger(__name__)

MISSING_MARK = "〓"
BUILTIN_CID = "STSong-Light"


@dataclass(frozen=True)
class Candidate:
    """A font file known to carry a usable CJK face (TrueType outlines, not CFF)."""

    filename: str
    index: int
    family: str  # the name shown to people and used in DOCX (w:eastAsia)


# Body text: 仿宋 first (GB/T 9704 body face), then 宋体 / Song faces.
BODY = (
    Candidate("simfang.ttf", 0, "仿宋"),
    Candidate("simsun.ttc", 0, "宋体"),
    Candidate("uming.ttc", 0, "AR PL UMing CN"),
    Candidate("wqy-zenhei.ttc", 0, "文泉驿正黑"),
    Candidate("wqy-microhei.ttc", 0, "文泉驿微米黑"),
)
# Titles: 小标宋 where installed, else a Song face.
TITLE = (
    Candidate("FZXBSJW.TTF", 0, "方正小标宋简体"),
    Candidate("simsun.ttc", 0, "宋体"),
    Candidate("uming.ttc", 0, "AR PL UMing CN"),
    Candidate("wqy-zenhei.ttc", 0, "文泉驿正黑"),
    Candidate("wqy-microhei.ttc", 0, "文泉驿微米黑"),
)
# Fallbacks for characters the main font lacks: fonts with CJK Extension B first.
FALLBACK = (
    Candidate("simsunb.ttf", 0, "SimSun-ExtB"),
    Candidate("LXGWWenKai-Regular.ttf", 0, "霞鹜文楷"),
    Candidate("HanaMinB.ttf", 0, "花園明朝B"),
    Candidate("HanaMinA.ttf", 0, "花園明朝A"),
    Candidate("simsun.ttc", 0, "宋体"),
    Candidate("simhei.ttf", 0, "黑体"),
    Candidate("uming.ttc", 0, "AR PL UMing CN"),
    Candidate("ukai.ttc", 0, "AR PL UKai CN"),
    Candidate("wqy-zenhei.ttc", 0, "文泉驿正黑"),
    Candidate("wqy-microhei.ttc", 0, "文泉驿微米黑"),
    Candidate("DejaVuSans.ttf", 0, "DejaVu Sans"),
)


def font_directories() -> list[Path]:
    """Where this system keeps fonts (user directories included)."""
    home = Path.home()
    if sys.platform.startswith("win"):
        dirs = [Path(os.environ.get("WINDIR", r"C:\Windows")) / "Fonts"]
        local = os.environ.get("LOCALAPPDATA")
        if local:
            dirs.append(Path(local) / "Microsoft" / "Windows" / "Fonts")
        return dirs
    if sys.platform == "darwin":
        return [home / "Library" / "Fonts", Path("/Library/Fonts"), Path("/System/Library/Fonts")]
    return [Path("/usr/share/fonts"), Path("/usr/local/share/fonts"),
            home / ".local" / "share" / "fonts", home / ".fonts"]


_INDEX: dict[tuple[Path, ...], dict[str, Path]] = {}


def _file_index(directories: Iterable[Path]) -> dict[str, Path]:
    """Lower-case file name → path for every font file under the directories (walked once)."""
    key = tuple(directories)
    if key not in _INDEX:
        found: dict[str, Path] = {}
        for directory in key:
            if not directory.is_dir():
                continue
            for root, _dirs, files in os.walk(directory):
                for name in files:
                    if name.lower().endswith((".ttf", ".ttc")):
                        found.setdefault(name.lower(), Path(root) / name)
        _INDEX[key] = found
    return _INDEX[key]


@dataclass
class Face:
    """A font registered with ReportLab: its name there and the characters it has."""

    name: str  # the ReportLab font name
    family: str
    path: Path | None
    index: int
    embedded: bool
    _codes: frozenset[int] | None = field(default=None, repr=False)  # None: the CID font

    def has(self, ch: str) -> bool:
        code = ord(ch)
        if self._codes is None:  # STSong-Light: GB 2312-ish BMP text, nothing beyond the BMP
            return code <= 0xFFFF
        return code in self._codes


_FACES: dict[tuple[str, int], Face | None] = {}
_LOCK = threading.RLock()


def _register_truetype(path: Path, index: int, family: str) -> Face | None:
    """Load and register one TrueType face (cached; None when the file cannot be used)."""
    path = path.resolve()
    key = (str(path), index)
    with _LOCK:
        if key in _FACES:
            return _FACES[key]
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.ttfonts import TTFError, TTFont

        name = f"CJK{len(_FACES)}-{path.stem}-{index}"  # unique even for equal file names
        try:
            font = TTFont(name, str(path), subfontIndex=index)
        except (TTFError, OSError, ValueError, KeyError, IndexError) as exc:
            log.warning("字体 %s 无法使用：%s", path, exc)
            _FACES[key] = None
            return None
        _keep_tables(font.face)
        pdfmetrics.registerFont(font)
        face = Face(name, family, path, index, True, frozenset(font.face.charToGlyph))
        _FACES[key] = face
        return face


def _keep_tables(parser) -> None:
    """Keep the tables a subset is cut from instead of slicing them out of the file each time.

    ReportLab copies whole tables (``glyf`` is megabytes in a CJK font) for every subset of every
    document; keeping them costs that memory once and about a third of a warm render.
    """
    tables: dict[str, bytes] = {}
    read = parser.get_table

    def get_table(tag: str) -> bytes:
        if tag not in tables:
            tables[tag] = read(tag)
        return tables[tag]

    parser.get_table = get_table


def _builtin_face() -> Face:
    with _LOCK:
        key = (BUILTIN_CID, 0)
        face = _FACES.get(key)
        if face is None:
            from reportlab.pdfbase import pdfmetrics
            from reportlab.pdfbase.cidfonts import UnicodeCIDFont

            pdfmetrics.registerFont(UnicodeCIDFont(BUILTIN_CID))
            face = Face(BUILTIN_CID, "STSong-Light（内置，未嵌入）", None, 0, False, None)
            _FACES[key] = face
        return face


def parse_font_path(value: str) -> tuple[Path, int]:
    """``C:/x/simsun.ttc#1`` → (path, 1); no ``#`` means the first face of the file."""
    head, sep, tail = value.rpartition("#")
    if sep and tail.isdigit():
        return Path(head), int(tail)
    return Path(value), 0


@dataclass
class FontSet:
    """The fonts of one document: main faces plus the fallback chain (loaded on first need)."""

    body: Face
    title: Face
    fallback_candidates: list[tuple[Path, int, str]]
    notes: list[str] = field(default_factory=list)  # warnings about the choice itself
    _fallbacks: list[Face] | None = None
    _choice: dict[tuple[str, str], Face | None] = field(default_factory=dict)

    def fallbacks(self) -> list[Face]:
        with _LOCK:
            if self._fallbacks is None:
                faces = [_register_truetype(p, i, fam) for p, i, fam in self.fallback_candidates]
                self._fallbacks = [f for f in faces if f is not None]
            return self._fallbacks

    def face_for(self, ch: str, main: Face) -> Face | None:
        """The face to draw ``ch`` with when ``main`` is the face of its text (None: no face has it)."""
        if main.has(ch):
            return main
        key = (main.name, ch)
        if key not in self._choice:
            found = next((f for f in self.fallbacks() if f is not main and f.has(ch)), None)
            self._choice[key] = found
        return self._choice[key]

    def faces_checked(self) -> list[str]:
        names = [self.body.family]
        names += [f.family for f in self.fallbacks() if f.family not in names]
        return names


_SETS: dict[tuple[str | None, tuple[Path, ...]], FontSet] = {}


def find_fonts(font_path: str | None = None, directories: list[Path] | None = None) -> FontSet:
    """The document fonts of this machine (cached per override and directories).

    Args:
        font_path: a TrueType file (``path#index`` for a collection) to use for all text,
            e.g. from an office setting; the system search is the fallback when it is unusable.
        directories: where to search (the system font directories by default; tests narrow it).
    """
    dirs = tuple(directories) if directories is not None else tuple(font_directories())
    key = (font_path or None, dirs)
    with _LOCK:
        if key in _SETS:
            return _SETS[key]
        notes: list[str] = []
        index = _file_index(dirs)
        override: Face | None = None
        if font_path:
            path, sub = parse_font_path(font_path)
            override = _register_truetype(path, sub, path.stem) if path.is_file() else None
            if override is None:
                notes.append(f"设置的字体“{font_path}”无法使用，已改用系统字体")

        def first(cands: tuple[Candidate, ...]) -> Face | None:
            for c in cands:
                path = index.get(c.filename.lower())
                face = _register_truetype(path, c.index, c.family) if path else None
                if face is not None:
                    return face
            return None

        body = override or first(BODY)
        title = override or first(TITLE) or body
        if body is None or title is None:
            body = title = _builtin_face()
            notes.append("本机未找到可嵌入的中文字体，已使用内置 STSong-Light 字体（未嵌入，"
                         "在没有中文字体的电脑上可能无法显示）；请安装宋体、仿宋或 AR PL UMing")
        chain: list[tuple[Path, int, str]] = []
        seen = {(str(body.path), body.index), (str(title.path), title.index)}
        index = {name: path.resolve() for name, path in index.items()}
        if title is not body and body.path:  # the body face backs up the title face
            chain.append((body.path, body.index, body.family))
        for c in FALLBACK:
            path = index.get(c.filename.lower())
            if path and (str(path), c.index) not in seen:
                seen.add((str(path), c.index))
                chain.append((path, c.index, c.family))
        fonts = FontSet(body=body, title=title, fallback_candidates=chain, notes=notes)
        for note in notes:
            log.warning(note)
        _SETS[key] = fonts
        return fonts
