"""A form as the form editor shows it: an ordered list of blocks whose texts name fields in Chinese.

``{{ agreement.amount_text }}`` is shown as 「协议金额大写」 and typed back the same way. A text
with conditions or expressions (``{% if %}``, ``or``, filters) cannot be shown as plain words: it
stays read-only (the block can still be moved, hidden or restored with the whole form). Hiding a
block keeps it in the file with a ``when`` that is never true, so per-track variants that change
it still load and the block comes back unchanged when shown again.

Pure: no files, no database; :func:`load_editable` takes TOML text, :func:`editable_toml` gives it
back (see :mod:`mediator.documents.spec.writing`).
"""
from __future__ import annotations

import copy
import re
import tomllib
from dataclasses import dataclass, field
from typing import Any

from mediator.documents.spec.fields import FIELD_NAMES, NAME_FIELDS
from mediator.documents.spec.vocabulary import BLOCK_KEYS, REQUIRED_KEYS, TEXT, TEXTS
from mediator.documents.spec.writing import dump_form
from mediator.domain.errors import DomainError

TYPE_NAMES = {
    "title": "标题", "line": "单行文字", "number": "文书编号", "qr": "验证二维码",
    "parties": "当事人信息", "paragraph": "段落", "terms": "协议条款", "table": "表格",
    "signatures": "签名栏", "seal": "印章", "date": "落款日期", "spacer": "空白",
    "page_break": "分页", "listing": "目录表",
}
PART_LABELS = {"text": "正文", "label": "小标题", "intro": "引导语", "per_party": "每位当事人的签名行",
               "lines": "签名行", "header": "表头第{n}列"}
TEXT_LABELS = {"line": "文字", "title": "标题文字", "number": "编号文字", "seal": "印章文字",
               "date": "日期文字", "qr": "说明文字"}
READ_ONLY = "此段文字含有编辑器使用的括号「」〔〕，仅可整体隐藏或恢复默认（或在导出的格式文件中修改）"
# What a block prints by itself (no text of its own to edit, or more than its text).
TYPE_NOTES = {
    "parties": "当事人信息按本案的当事人自动填写，可上移、下移或隐藏",
    "terms": "协议条款按本案的调解协议逐条列出，这里只能修改引导语",
    "title": "标题使用上方的“文书名称”",
    "qr": "正式出具的文书在页眉印验证二维码",
    "listing": "目录按卷内文件自动列出，这里只能修改表头",
    "spacer": "一段空白，可上移、下移或隐藏",
    "page_break": "从这里另起一页，可上移、下移或隐藏",
}
TRACK_NAMES = {"administrative": "行政调解", "judicial": "司法调解", "pre_litigation": "诉前调解",
               "delegated": "委派调解", "entrusted": "委托调解", "in_litigation": "诉中调解"}
HIDDEN = "false"  # the ``when`` of a hidden block (never true)
_HIDDEN_WRAP = re.compile(r"false and \((.*)\)", re.S)
_FIELD = re.compile(r"\{\{\s*([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*\}\}")
_JINJA_MARKS = ("{{", "}}", "{%", "%}", "{#", "#}")
_PIECE = re.compile(r"\{%.*?%\}|\{\{.*?\}\}|\{#.*?#\}", re.S)
_TOKEN = re.compile(r"〔[^〔〕]*〕")
_RESERVED = "「」〔〕"  # a template holding these literally is shown read-only
# Conditions and expressions of the shipped forms that are not a single field, in words.
_CONDITIONS = {"agreement": "调解协议", "rejection": "不予受理的决定", "dossier.missing": "缺少的必备材料",
               'supplement.kind == "change"': "变更（不是补充）", "confirmation and confirmation.court": "「受理法院」"}
_EXPRESSIONS = {"term": "条款内容", "loop.index": "序号", "dossier.missing | join('、')": "缺少的材料"}
CONDITION_NOTE = "〔〕中是自动判断的条件，不能删改；其余文字可以修改"


class EditError(DomainError):
    """A mistake in an edited block (an unknown field, an empty required text), in Chinese.

    Attributes:
        block: the index of the block at fault in the edited list (-1: the form as a whole).
    """

    def __init__(self, block: int, message: str) -> None:
        super().__init__(message)
        self.block = block


@dataclass
class Part:
    """One text of a block: ``key`` as in the file (``text``, ``lines[1]``, ``rows[2].cells[0]``)."""

    key: str
    label: str
    text: str  # as shown: fields in 「」, conditions as 〔〕 tokens
    editable: bool
    original: str  # the template as loaded
    tokens: tuple[str, ...] = ()  # the Jinja pieces behind the 〔〕 tokens, in order

    def template(self, block: int, where: str) -> str:
        return to_template(self.text, block, where, self.tokens) if self.editable else self.original


@dataclass
class EditableBlock:
    """One block: its type, the file's values (``raw``), its texts and whether it is hidden."""

    type: str
    raw: dict[str, Any]
    parts: list[Part] = field(default_factory=list)
    hidden: bool = False

    @property
    def id(self) -> str | None:
        return self.raw.get("id")

    @property
    def type_name(self) -> str:
        return TYPE_NAMES.get(self.type, "其他")

    def summary(self, limit: int = 14) -> str:
        """The list line: type name and the start of its first text."""
        words = next((p.text for p in self.parts if p.text.strip()), "")
        label = self.raw.get("label") if isinstance(self.raw.get("label"), str) else ""
        words = re.sub(r"\s+", " ", label or words).strip()
        if len(words) > limit:
            words = words[:limit] + "…"
        return f"{self.type_name}：{words}" if words else self.type_name

    def part(self, key: str) -> Part | None:
        return next((p for p in self.parts if p.key == key), None)


@dataclass
class EditableForm:
    """A whole form: its top-level values (id, dated, style, variants …), title and blocks."""

    header: dict[str, Any]
    title: str
    blocks: list[EditableBlock]

    def variant_note(self, block: EditableBlock) -> str:
        """Which tracks print their own text for this block (edited only in the form file)."""
        tracks = [name for name, variant in (self.header.get("variants") or {}).items()
                  if isinstance(variant, dict) and block.id and block.id in (variant.get("blocks") or {})]
        if not tracks:
            return ""
        names = "、".join(dict.fromkeys(TRACK_NAMES.get(t.split(".")[-1], "其他调解") for t in tracks))
        return f"{names}另有文字，这里的修改不影响（请在导出的格式文件中修改）"

    def referenced(self, block: EditableBlock) -> bool:
        """Whether a track variant changes this block (it cannot be removed, only hidden)."""
        return bool(block.id) and any(
            isinstance(v, dict) and block.id in (v.get("blocks") or {})
            for v in (self.header.get("variants") or {}).values())

    def add_paragraph(self, after: int) -> int:
        """A new empty paragraph after block ``after`` (-1: at the top); returns its index."""
        raw = {"type": "paragraph", "text": ""}
        index = max(-1, min(after, len(self.blocks) - 1)) + 1
        self.blocks.insert(index, EditableBlock("paragraph", raw, _parts("paragraph", raw)))
        return index

    def remove(self, index: int) -> None:
        """Remove a block; EditError for one a track variant changes (hide it instead)."""
        if self.referenced(self.blocks[index]):
            raise EditError(index, "行政调解或司法调解的文书还用到此块，不能删除，可勾选“隐藏”")
        del self.blocks[index]

    def move(self, index: int, step: int) -> int:
        """Move a block up (-1) or down (+1); returns its new index."""
        target = index + step
        if not (0 <= index < len(self.blocks) and 0 <= target < len(self.blocks)):
            return index
        self.blocks[index], self.blocks[target] = self.blocks[target], self.blocks[index]
        return target


# --- conversion ----------------------------------------------------------------------------------
def _field_name(expr: str) -> str | None:
    path = expr.strip()
    return f"「{FIELD_NAMES[path]}」" if path in FIELD_NAMES else None


def describe(piece: str) -> str:
    """What a Jinja piece does, in words, for its 〔〕 token (``{% if grid %}`` → 如有「所在网格」：)."""
    inner = piece[2:-2].strip().strip("-").strip()
    if piece.startswith("{#"):
        return "注释"
    if piece.startswith("{%"):
        branch = re.fullmatch(r"(if|elif)\s+(.+)", inner, re.S)
        if branch:
            condition = _field_name(branch[2]) or _CONDITIONS.get(branch[2].strip(), "相应内容")
            return ("如有" if branch[1] == "if" else "否则如有") + condition + "："
        words = {"else": "否则：", "endif": "条件结束", "endfor": "逐项结束"}
        if inner in words:
            return words[inner]
        return "逐项：" if inner.startswith("for ") else "条件"
    fallback = re.fullmatch(r"([\w.]+)\s+or\s+(?:'([^']*)'|\"([^\"]*)\"|([\w.]+))", inner)
    if fallback and _field_name(fallback[1]):
        default = _field_name(fallback[4] or "") or (f"“{fallback[2] or fallback[3] or ''}”")
        return f"{_field_name(fallback[1])}，未填写时为{default}"
    return _EXPRESSIONS.get(inner, "自动填写")


def split_template(template: str) -> tuple[str, tuple[str, ...]] | None:
    """The text as shown (「fields」, 〔conditions〕) and the Jinja pieces behind the 〔〕 tokens;
    None when it cannot be shown safely (it holds the editor's brackets, or a broken tag)."""
    if any(c in template for c in _RESERVED):
        return None
    shown: list[str] = []
    tokens: list[str] = []
    position = 0
    for match in _PIECE.finditer(template):
        shown.append(template[position:match.start()])
        simple = _FIELD.fullmatch(match[0])
        if simple and simple[1] in FIELD_NAMES:
            shown.append(f"「{FIELD_NAMES[simple[1]]}」")
        else:
            tokens.append(match[0])
            shown.append(f"〔{describe(match[0])}〕")
        position = match.end()
    shown.append(template[position:])
    literal = _PIECE.sub("", template)
    if any(mark in literal for mark in _JINJA_MARKS):
        return None
    return "".join(shown), tuple(tokens)


def to_display(template: str) -> str | None:
    """``{{ organization }}`` → 「调解组织名称」; None when the text has conditions or cannot be shown."""
    split = split_template(template)
    return split[0] if split is not None and not split[1] else None


def _fields_to_template(text: str, block: int, prefix: str) -> str:
    for mark in _JINJA_MARKS:
        if mark in text:
            raise EditError(block, f"{prefix}不能含有“{mark}”，插入字段请用「字段名称」")

    def field_of(match: re.Match[str]) -> str:
        name = match[1].strip()
        path = NAME_FIELDS.get(name)
        if path is None:
            raise EditError(block, f"{prefix}不认识的字段「{name}」（请从“插入字段”中选择）")
        return "{{ " + path + " }}"

    out = re.sub(r"「([^「」]*)」", field_of, text)
    if "「" in out or "」" in out:
        raise EditError(block, f"{prefix}「」不成对")
    return out


def to_template(text: str, block: int = -1, where: str = "", tokens: tuple[str, ...] = ()) -> str:
    """「调解组织名称」 → ``{{ organization }}``, each 〔〕 token back to its condition.

    Raises:
        EditError: an unknown field name, or a condition token deleted, changed or moved out of
            order (naming ``block`` and the text ``where``).
    """
    prefix = f"{where}：" if where else ""
    found = _TOKEN.findall(text)
    if found != [f"〔{describe(t)}〕" for t in tokens] or any(c in _TOKEN.sub("", text) for c in "〔〕"):
        raise EditError(block, f"{prefix}〔〕中的条件不能删除、改动或调换顺序（改乱了可点“恢复默认”）")
    pieces = _TOKEN.split(text)
    out = [_fields_to_template(pieces[0], block, prefix)]
    for token, literal in zip(tokens, pieces[1:], strict=True):
        out += [token, _fields_to_template(literal, block, prefix)]
    return "".join(out)


def _part(key: str, label: str, template: Any) -> Part:
    template = template if isinstance(template, str) else ""
    split = split_template(template)
    if split is None:
        return Part(key, label, template, False, template)
    return Part(key, label, split[0], True, template, split[1])


def _parts(kind: str, raw: dict[str, Any]) -> list[Part]:
    keys = BLOCK_KEYS.get(kind, {})
    parts: list[Part] = []
    for key, value in raw.items():
        if keys.get(key) == TEXT:
            label = TEXT_LABELS.get(kind, PART_LABELS["text"]) if key == "text" else PART_LABELS.get(key, key)
            parts.append(_part(key, label, value))
        elif keys.get(key) == TEXTS and kind != "listing" or (kind == "listing" and key == "header"):
            for i, text in enumerate(value if isinstance(value, list) else []):
                label = PART_LABELS["header"].format(n=i + 1) if key == "header" else f"签名行{i + 1}"
                parts.append(_part(f"{key}[{i}]", label, text))
        elif key == "rows" and kind == "table" and isinstance(value, list):
            for i, row in enumerate(value):
                for j, text in enumerate(row.get("cells", []) if isinstance(row, dict) else []):
                    parts.append(_part(f"rows[{i}].cells[{j}]", f"第{i + 1}行第{j + 1}格", text))
    return parts


def load_editable(text: str) -> EditableForm:
    """The form's TOML text as an editable list of blocks (the text loads: checked by the caller)."""
    data = tomllib.loads(text)
    blocks = []
    for raw in data.get("blocks", []):
        raw = copy.deepcopy(raw)
        hidden = False
        when = raw.get("when")
        if when == HIDDEN:
            hidden = True
            del raw["when"]
        elif isinstance(when, str) and (wrapped := _HIDDEN_WRAP.fullmatch(when)):
            hidden = True
            raw["when"] = wrapped[1]
        kind = str(raw.get("type", ""))
        blocks.append(EditableBlock(kind, raw, _parts(kind, raw), hidden))
    header = {k: copy.deepcopy(v) for k, v in data.items() if k not in ("blocks", "title")}
    return EditableForm(header, str(data.get("title", "")), blocks)


# --- writing back --------------------------------------------------------------------------------
def _set(raw: dict[str, Any], key: str, value: str) -> None:
    rows = re.fullmatch(r"rows\[(\d+)\]\.cells\[(\d+)\]", key)
    if rows:
        raw["rows"][int(rows[1])]["cells"][int(rows[2])] = value
        return
    listed = re.fullmatch(r"(\w+)\[(\d+)\]", key)
    if listed:
        raw[listed[1]][int(listed[2])] = value
    else:
        raw[key] = value


def block_errors(form: EditableForm) -> dict[int, str]:
    """Each faulty block's first mistake, in Chinese (index → message)."""
    errors: dict[int, str] = {}
    for index, block in enumerate(form.blocks):
        try:
            _block_data(block, index)
        except EditError as exc:
            errors[index] = exc.message
    return errors


def _block_data(block: EditableBlock, index: int) -> dict[str, Any]:
    raw = copy.deepcopy(block.raw)
    for part in block.parts:
        _set(raw, part.key, part.template(index, part.label))
    if not block.hidden:
        for key in REQUIRED_KEYS.get(block.type, ()):
            part = block.part(key)
            if part is not None and not part.text.strip():
                raise EditError(index, f"{part.label}不能为空（不需要这一段请勾选“隐藏”）")
    if block.hidden:
        raw["when"] = f"false and ({raw['when']})" if raw.get("when") else HIDDEN
    return raw


def editable_data(form: EditableForm) -> dict[str, Any]:
    """The form as the TOML loader reads it; EditError names the first faulty block."""
    if not form.title.strip():
        raise EditError(-1, "文书名称不能为空")
    data: dict[str, Any] = {}
    for key in ("id",):
        if key in form.header:
            data[key] = form.header[key]
    data["title"] = form.title.strip()
    for key, value in form.header.items():
        if key not in data and key != "variants":
            data[key] = value
    data["blocks"] = [_block_data(b, i) for i, b in enumerate(form.blocks)]
    if "variants" in form.header:
        data["variants"] = form.header["variants"]
    return data


def editable_toml(form: EditableForm) -> str:
    """The form written back as TOML the loader reads (raises EditError first)."""
    return dump_form(editable_data(form))
