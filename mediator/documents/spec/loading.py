"""Loading forms: parse and check one TOML file, cache it per version, find forms on disk."""
from __future__ import annotations

import re
import threading
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mediator.documents.spec.compiler import build_block, check_scalar, overridden_block
from mediator.documents.spec.errors import FormError
from mediator.documents.spec.model import FormSpec, Layout, Style
from mediator.documents.spec.source import FormSource
from mediator.documents.spec.vocabulary import DATED, NUMBER, REQUIRABLE, STYLE_KEYS, TOP_KEYS, VARIANT_KEYS


def parse_form(text: str, path: Path) -> FormSpec:
    """Check and compile one form's TOML text (``path`` names it in errors)."""
    source = FormSource(path, text)
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        line = re.search(r"line (\d+)", str(exc))
        raise FormError(path, int(line[1]) if line else 0, path.name, f"TOML 格式错误（{exc}）") from None
    whole = (1, len(source.lines))
    for key in data:
        if key not in TOP_KEYS:
            raise source.error(source.find(r"^\s*\[*\s*" + re.escape(key) + r"\b", whole), key,
                               "不认识的表单字段")
    form_id = data.get("id", path.stem)
    if form_id != path.stem:
        raise source.error(source.key_line("id", whole), str(form_id), f"表单编号应与文件名 {path.stem} 一致")
    title = data.get("title")
    if not isinstance(title, str) or not title:
        raise source.error(source.key_line("title", whole), "title", "缺少表单标题")
    dated = data.get("dated", "today")
    if dated not in DATED:
        raise source.error(source.key_line("dated", whole), str(dated),
                           f"未知的落款日期来源（可用：{'、'.join(DATED)}）")
    requires = data.get("requires", [])
    for name in requires:
        if name not in REQUIRABLE:
            raise source.error(source.key_line("requires", whole), str(name),
                               f"未知的必需内容（可用：{'、'.join(REQUIRABLE)}）")
    style = _style(data.get("style", {}), source)
    raw_blocks = data.get("blocks", [])
    if not raw_blocks:
        raise source.error(0, "blocks", "表单没有任何块")
    blocks = tuple(build_block(raw, source.block_range(i), source) for i, raw in enumerate(raw_blocks))
    ids = [b.id for b in blocks if b.id]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        name = sorted(duplicates)[0]
        raise source.error(source.find(r"^\s*id\s*=\s*[\"']" + re.escape(name), whole), name, "块编号重复")
    base = Layout(title, blocks)
    variants = _variants(data.get("variants", {}), base, source)
    return FormSpec(id=form_id, path=path, title=title, dated=dated, requires=tuple(requires),
                    style=style, layout=base, variants=variants)


def _style(raw: Any, source: FormSource) -> Style:
    span = source.header("style")
    if not isinstance(raw, dict):
        raise source.error(span[0], "style", "应为表")
    for key, value in raw.items():
        if key not in STYLE_KEYS:
            raise source.error(source.key_line(key, span), key, "不认识的样式字段")
        check_scalar(NUMBER, value, key, source, span)
    return Style(**{k: float(v) for k, v in raw.items()})


def _variants(raw: Any, base: Layout, source: FormSource) -> dict[str, Layout]:
    """Layouts per ``track`` / ``track.detail``; a detail variant builds on its track's."""
    by_id = {b.id: b for b in base.blocks if b.id}
    layouts: dict[str, Layout] = {}
    for name in sorted(raw, key=lambda n: n.count(".")):  # "judicial" before "judicial.delegated"
        variant = raw[name]
        span = source.header(r"variants\.[\"']?" + re.escape(name) + r"[\"']?")
        if not isinstance(variant, dict):
            raise source.error(span[0], name, "变体应为表")
        for key in variant:
            if key not in VARIANT_KEYS:
                raise source.error(source.key_line(key, span), key, "变体不认识的字段")
        parent = layouts.get(name.split(".")[0], base) if "." in name else base
        blocks = list(parent.blocks)
        for block_id, changes in variant.get("blocks", {}).items():
            bspan = source.header(r"variants\.[\"']?" + re.escape(name) + r"[\"']?\.blocks\."
                                  + re.escape(block_id))
            if block_id not in by_id:
                raise source.error(bspan[0], block_id, "变体引用了不存在的块编号")
            index = next(i for i, b in enumerate(blocks) if b.id == block_id)
            blocks[index] = overridden_block(blocks[index], changes, bspan, source)
        layouts[name] = Layout(variant.get("title", parent.title), tuple(blocks))
    return layouts


# Parsed forms, keyed by file and its modification stamp: an edited copy is re-read.
_FORMS: dict[Path, tuple[tuple[int, int], FormSpec]] = {}
_FORMS_LOCK = threading.Lock()


def load_form(path: Path) -> FormSpec:
    """The form in ``path``, parsed once per version of the file (module-level cache)."""
    path = Path(path).resolve()
    stat = path.stat()
    stamp = (stat.st_mtime_ns, stat.st_size)
    with _FORMS_LOCK:
        cached = _FORMS.get(path)
        if cached and cached[0] == stamp:
            return cached[1]
    spec = parse_form(path.read_text(encoding="utf-8"), path)
    with _FORMS_LOCK:
        _FORMS[path] = (stamp, spec)
    return spec


def forget_form(path: Path) -> None:
    """Drop a scratch file's form from the cache (an unsaved edit previewed once)."""
    with _FORMS_LOCK:
        _FORMS.pop(Path(path).resolve(), None)


def form_path(form_id: str, directories: list[Path]) -> Path:
    """The file of ``form_id``: the first directory holding it wins (a user's copy first)."""
    if not re.fullmatch(r"[a-z][a-z0-9_]*", form_id):
        raise FileNotFoundError(f"表单编号不合法：{form_id}")
    for directory in directories:
        candidate = Path(directory) / f"{form_id}.toml"
        if candidate.is_file():
            return candidate
    raise FileNotFoundError(f"找不到表单 {form_id}.toml（查找了：{'、'.join(map(str, directories))}）")


def available_forms(directories: list[Path]) -> Iterator[str]:
    """Form ids found in the directories, each once, sorted."""
    seen: set[str] = set()
    for directory in directories:
        if Path(directory).is_dir():
            seen |= {p.stem for p in Path(directory).glob("*.toml")}
    yield from sorted(seen)
