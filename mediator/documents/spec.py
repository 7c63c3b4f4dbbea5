"""Form specs: the official forms as TOML data (``forms/*.toml``), loaded, checked and cached.

A form is a title, optional per-track variants and a list of blocks. Text in blocks is Jinja2
(StrictUndefined) over :class:`~mediator.documents.context.DocumentContext`. Loading checks every
key, block type, party field, placeholder and filter, so a form with a typo fails at once with
the file, the line and the offending name — never half-way through printing an agreement.
"""
from __future__ import annotations

import re
import threading
import tomllib
import types
import typing
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from pathlib import Path
from typing import Any

import jinja2
from jinja2 import meta, nodes
from jinja2.sandbox import SandboxedEnvironment

from mediator.documents.context import DocumentContext, PartyInfo
from mediator.domain.errors import DomainError
from mediator.domain.formatting import rmb_upper

# --- errors ----------------------------------------------------------------------------------


class FormError(DomainError):
    """A form file is wrong: names the file, the line and the offending name.

    Attributes:
        file: the form file.
        line: 1-based line in that file (0 when unknown).
        name: the key, block type, field or placeholder at fault.
        reason: what is wrong, in Chinese (``message`` is the whole sentence).
    """

    def __init__(self, file: Path | str, line: int, name: str, reason: str) -> None:
        self.file = Path(file)
        self.line = line
        self.name = name
        self.reason = reason
        where = f"{self.file}:{line}" if line else str(self.file)
        super().__init__(f"表单文件有误 {where}: {reason}：{name}")


class FormRenderError(DomainError):
    """A form cannot be filled for this case (e.g. no agreement yet, or a value is missing)."""


# --- the vocabulary a form may use --------------------------------------------------------------

ALIGNS = ("left", "center", "right")
NUMBERINGS = ("chinese", "arabic", "paren")  # 一、 / 1. / （一）
DATED = ("agreement", "termination", "rejection", "follow_up", "received", "accepted", "today",
         "investigation", "session", "confirmation", "review", "archive")
REQUIRABLE = ("agreement", "termination", "rejection", "follow_up", "investigation", "session",
              "confirmation", "advisor_review", "dossier")
PARTY_ROLES = ("applicant", "respondent", "third_party")

# Party block fields and their printed labels.
PERSON_FIELDS = {
    "name": "姓名", "gender": "性别", "ethnicity": "民族", "age": "年龄", "birth_date": "出生日期",
    "occupation": "职业或单位", "address": "住址", "phone": "联系方式", "id_number": "身份证号",
}
ORGANIZATION_FIELDS = {
    "name": "名称", "address": "住所", "credit_code": "统一社会信用代码",
    "representative": "法定代表人", "phone": "联系方式",
}

# Key kinds: how a value is checked and compiled.
TEXT = "template"  # a Jinja2 template
TEXTS = "template list"
EXPR = "expression"  # a Jinja2 expression (``when``, ``items``)
NUMBER = "number"
BOOL = "bool"
NAME = "name"
ALIGN = "align"
NUMBERING = "numbering"
PERSON_ROWS = "person rows"
ORGANIZATION_ROWS = "organization rows"
ROWS = "rows"
ROLES = "roles"
NUMBERS = "numbers"
ALIGN_LIST = "align list"

COMMON_KEYS = {"type": NAME, "id": NAME, "when": EXPR, "space_before": NUMBER}
BLOCK_KEYS: dict[str, dict[str, str]] = {
    "title": {"text": TEXT, "size": NUMBER},
    "line": {"text": TEXT, "align": ALIGN, "size": NUMBER},
    "number": {"text": TEXT, "align": ALIGN},
    "parties": {"person": PERSON_ROWS, "organization": ORGANIZATION_ROWS, "agent": BOOL,
                "size": NUMBER, "roles": ROLES, "role_label": NAME},
    "paragraph": {"label": TEXT, "text": TEXT, "indent": BOOL, "keep_with_next": BOOL},
    "terms": {"intro": TEXT, "items": EXPR, "numbering": NUMBERING},
    "table": {"rows": ROWS, "size": NUMBER},
    "signatures": {"per_party": TEXT, "lines": TEXTS, "roles": ROLES},
    "seal": {"text": TEXT},
    "date": {"text": TEXT},
    "spacer": {"height": NUMBER},
    # The verification QR code (drawn in the top margin of the first page of an issued PDF).
    "qr": {"text": TEXT},
    "page_break": {},
    # A ruled table with one row per item of a list (e.g. the dossier's contents).
    "listing": {"items": EXPR, "header": TEXTS, "cells": TEXTS, "widths": NUMBERS, "align": ALIGN_LIST,
                "size": NUMBER, "min_height": NUMBER},
}
REQUIRED_KEYS = {"line": ("text",), "paragraph": ("text",), "terms": ("items",),
                 "table": ("rows",), "seal": ("text",), "spacer": ("height",),
                 "listing": ("items", "cells")}
ROW_KEYS = {"cells": TEXTS, "min_height": NUMBER}
STYLE_KEYS = {"body_size": NUMBER, "title_size": NUMBER, "leading": NUMBER, "table_size": NUMBER}
TOP_KEYS = {"id", "title", "dated", "requires", "style", "variants", "blocks"}
VARIANT_KEYS = {"title", "blocks"}

DEFAULT_PERSON_ROWS = (("name", "gender"), ("ethnicity", "age"), ("occupation", "phone"),
                       ("id_number",), ("address",))
DEFAULT_ORGANIZATION_ROWS = (("name",), ("address",), ("credit_code",), ("representative", "phone"))
# Variables a key sees besides the context (``per_party`` is filled once per party).
EXTRA_VARIABLES: dict[str, dict[str, type]] = {"per_party": {"party": PartyInfo}}


# --- the model ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Style:
    """Type sizes in points, after GB/T 9704: 二号 title, 三号 body on a 28 pt line, 四号 tables."""

    body_size: float = 16.0
    title_size: float = 22.0
    leading: float = 28.0
    table_size: float = 14.0


@dataclass(frozen=True)
class Block:
    """One block of a form, its templates compiled.

    ``options`` holds the raw TOML values; ``templates`` the compiled text keys (``text``,
    ``lines[1]``, ``rows[2].cells[3]``); ``when`` and ``items`` are compiled expressions.
    """

    type: str
    line: int
    id: str | None = None
    options: Mapping[str, Any] = field(default_factory=dict)
    templates: Mapping[str, jinja2.Template] = field(default_factory=dict)
    expressions: Mapping[str, Callable[..., Any]] = field(default_factory=dict)
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False)

    def template(self, key: str) -> jinja2.Template | None:
        return self.templates.get(key)


@dataclass(frozen=True)
class Layout:
    """The title and blocks one variant of a form prints."""

    title: str
    blocks: tuple[Block, ...]


@dataclass(frozen=True)
class FormSpec:
    """A loaded form: its base layout and one layout per track variant."""

    id: str
    path: Path
    title: str
    dated: str
    requires: tuple[str, ...]
    style: Style
    layout: Layout
    variants: Mapping[str, Layout]

    def layout_for(self, track: str = "", track_detail: str = "") -> Layout:
        """The most specific variant: ``track.detail``, then ``track``, then the base form."""
        for key in (f"{track}.{track_detail}", track):
            if key in self.variants:
                return self.variants[key]
        return self.layout


# --- Jinja2 ------------------------------------------------------------------------------------


def _environment() -> jinja2.Environment:
    # Sandboxed: offices share edited forms, and a form must not reach Python internals.
    env = SandboxedEnvironment(undefined=jinja2.StrictUndefined, autoescape=False,
                               trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=False)
    env.filters["rmb_upper"] = rmb_upper
    return env


ENV = _environment()


def _strip_optional(tp: Any) -> Any:
    if isinstance(tp, types.UnionType) or typing.get_origin(tp) is typing.Union:
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        return args[0] if len(args) == 1 else None
    return tp


def _element_type(tp: Any) -> Any:
    tp = _strip_optional(tp)
    if typing.get_origin(tp) in (tuple, list):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        return args[0] if args else None
    return None


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls)
    return _HINTS[cls]


def _attribute_type(cls: Any, attr: str) -> tuple[bool, Any]:
    """(exists, type) of ``cls.attr``; the type is None when not a known dataclass field."""
    cls = _strip_optional(cls)
    if not (isinstance(cls, type) and is_dataclass(cls)):
        return True, None  # not ours to check (str methods, dict keys, …)
    hints = _hints(cls)
    if attr in hints:
        return True, hints[attr]
    if not attr.startswith("_") and hasattr(cls, attr):
        return True, None
    return False, None


CONTEXT_VARIABLES: dict[str, Any] = {f.name: _hints(DocumentContext)[f.name]
                                     for f in fields(DocumentContext)}


def _chain(node: nodes.Node) -> tuple[str, list[str]] | None:
    """``agreement.terms`` → ("agreement", ["terms"]); None for anything but a name chain."""
    attrs: list[str] = []
    while isinstance(node, nodes.Getattr):
        attrs.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name):
        return node.name, attrs[::-1]
    return None


# --- locating names in the TOML text ----------------------------------------------------------


class _Source:
    """The form's text, to point at the line of a key or name (tomllib keeps no positions)."""

    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.lines = text.splitlines()
        self.block_starts = [i + 1 for i, ln in enumerate(self.lines)
                             if re.match(r"\s*\[\[\s*blocks\s*\]\]", ln)]

    def block_range(self, index: int) -> tuple[int, int]:
        if index < len(self.block_starts):
            start = self.block_starts[index]
            end = self.block_starts[index + 1] - 1 if index + 1 < len(self.block_starts) else len(self.lines)
            return start, end
        return 1, len(self.lines)

    def header(self, pattern: str) -> tuple[int, int]:
        """Range of the table whose header matches ``pattern`` (e.g. variants.x.blocks.y)."""
        for i, ln in enumerate(self.lines):
            if re.match(r"\s*\[\s*" + pattern + r"\s*\]", ln):
                for j in range(i + 1, len(self.lines)):
                    if re.match(r"\s*\[", self.lines[j]):
                        return i + 1, j
                return i + 1, len(self.lines)
        return 1, len(self.lines)

    def find(self, regex: str, span: tuple[int, int], prefer: str | None = None) -> int:
        start, end = span
        found = 0
        for number in range(start, min(end, len(self.lines)) + 1):
            ln = self.lines[number - 1]
            if re.search(regex, ln):
                if prefer is None or prefer in ln:
                    return number
                found = found or number
        return found or start

    def key_line(self, key: str, span: tuple[int, int]) -> int:
        return self.find(r"^\s*" + re.escape(key) + r"\s*=", span)

    def name_line(self, name: str, span: tuple[int, int]) -> int:
        return self.find(r"(?<![\w.])" + re.escape(name) + r"(?!\w)", span, prefer="{")

    def error(self, line: int, name: str, message: str) -> FormError:
        return FormError(self.path, line, name, message)


# --- checking and compiling -----------------------------------------------------------------------


class _Compiler:
    def __init__(self, source: _Source) -> None:
        self.source = source

    def template(self, text: Any, key: str, span: tuple[int, int],
                 extra: Mapping[str, type] | None = None) -> jinja2.Template:
        if not isinstance(text, str):
            raise self.source.error(self.source.key_line(key.split("[")[0], span), key, "应为文字")
        self._check(text, key, span, extra or {})
        try:
            return ENV.from_string(text)
        except jinja2.TemplateSyntaxError as exc:  # e.g. an unknown filter
            raise self._syntax(exc, text, key, span) from None

    def expression(self, text: Any, key: str, span: tuple[int, int]) -> Callable[..., Any]:
        if not isinstance(text, str):
            raise self.source.error(self.source.key_line(key, span), key, "应为表达式文字")
        self._check("{{ " + text + " }}", key, span, {})
        try:
            return ENV.compile_expression(text, undefined_to_none=False)
        except jinja2.TemplateSyntaxError as exc:
            raise self._syntax(exc, text, key, span) from None

    def item_type(self, text: str, span: tuple[int, int]) -> Any:
        """The element type of a list expression such as ``dossier.contents`` (None: unknown)."""
        try:
            ast = ENV.parse("{{ " + text + " }}")
        except jinja2.TemplateSyntaxError:
            return None  # reported when the expression itself is compiled
        outputs = list(ast.find_all(nodes.Output))
        node = outputs[0].nodes[0] if outputs and outputs[0].nodes else None
        chain = _chain(node) if node is not None else None
        if chain is None or chain[0] not in CONTEXT_VARIABLES:
            return None
        return _element_type(self._resolve(chain, CONTEXT_VARIABLES, {}, span))

    def _syntax(self, exc: jinja2.TemplateSyntaxError, text: str, key: str,
                span: tuple[int, int]) -> FormError:
        first = text.strip().splitlines()[0] if text.strip() else key
        start = self.source.find(re.escape(first[:30]), span)
        name = re.search(r"named '([^']+)'", exc.message or "")
        return self.source.error(start + max((exc.lineno or 1) - 1, 0),
                                 name[1] if name else key, f"模板写法有误（{exc.message}）")

    def _check(self, text: str, key: str, span: tuple[int, int], extra: Mapping[str, type]) -> None:
        try:
            ast = ENV.parse(text)
        except jinja2.TemplateSyntaxError as exc:
            raise self._syntax(exc, text, key, span) from None
        known = {**CONTEXT_VARIABLES, **extra}
        try:
            undeclared = meta.find_undeclared_variables(ast)
        except jinja2.TemplateSyntaxError as exc:  # an unknown filter or test
            raise self._syntax(exc, text, key, span) from None
        for name in sorted(undeclared):
            if name not in known and name not in ENV.globals:
                raise self.source.error(self.source.name_line(name, span), name, "未知的占位符")
        loop_types: dict[str, Any] = {}
        for loop in ast.find_all(nodes.For):
            chain = _chain(loop.iter)
            if isinstance(loop.target, nodes.Name) and chain:
                loop_types[loop.target.name] = _element_type(self._resolve(chain, known, {}, span))
        for node in ast.find_all(nodes.Getattr):
            chain = _chain(node)
            if chain:
                self._resolve(chain, known, loop_types, span)

    def _resolve(self, chain: tuple[str, list[str]], known: Mapping[str, Any],
                 loops: Mapping[str, Any], span: tuple[int, int]) -> Any:
        root, attrs = chain
        tp = loops.get(root, known.get(root))
        dotted = root
        for attr in attrs:
            if tp is None:
                return None
            exists, next_tp = _attribute_type(tp, attr)
            dotted += "." + attr
            if not exists:
                raise self.source.error(self.source.name_line(dotted, span) or
                                        self.source.name_line(attr, span), dotted, "未知的占位符")
            tp = next_tp
        return tp


def _check_rows(value: Any, allowed: Mapping[str, str], key: str, source: _Source,
                span: tuple[int, int]) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or not all(isinstance(r, list) and r for r in value):
        raise source.error(source.key_line(key, span), key, "应为字段名的列表的列表")
    for row in value:
        for name in row:
            if name not in allowed:
                raise source.error(source.find(r"[\"']" + re.escape(str(name)) + r"[\"']", span),
                                   str(name), f"未知的当事人字段（可用：{'、'.join(allowed)}）")
    return tuple(tuple(r) for r in value)


def _check_scalar(kind: str, value: Any, key: str, source: _Source, span: tuple[int, int]) -> None:
    line = source.key_line(key, span)
    if kind == NUMBER and (isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0):
        raise source.error(line, key, "应为非负数")
    if kind == BOOL and not isinstance(value, bool):
        raise source.error(line, key, "应为 true 或 false")
    if kind == NAME and not isinstance(value, str):
        raise source.error(line, key, "应为名称文字")
    if kind == ROLES and (not isinstance(value, list) or not value
                          or any(v not in PARTY_ROLES for v in value)):
        wrong = next((v for v in value if v not in PARTY_ROLES), key) if isinstance(value, list) else key
        raise source.error(line, str(wrong), f"未知的当事人身份（可用：{'、'.join(PARTY_ROLES)}）")
    if kind == NUMBERS and (not isinstance(value, list) or not value or any(
            isinstance(v, bool) or not isinstance(v, (int, float)) or v <= 0 for v in value)):
        raise source.error(line, key, "应为正数的列表")
    if kind == ALIGN_LIST and (not isinstance(value, list) or any(v not in ALIGNS for v in value)):
        wrong = next((v for v in value if v not in ALIGNS), key) if isinstance(value, list) else key
        raise source.error(line, str(wrong), f"未知的对齐方式（可用：{'、'.join(ALIGNS)}）")
    if kind == ALIGN and value not in ALIGNS:
        raise source.error(line, str(value), f"未知的对齐方式（可用：{'、'.join(ALIGNS)}）")
    if kind == NUMBERING and value not in NUMBERINGS:
        raise source.error(line, str(value), f"未知的编号方式（可用：{'、'.join(NUMBERINGS)}）")


def _build_block(raw: Mapping[str, Any], span: tuple[int, int], source: _Source) -> Block:
    compiler = _Compiler(source)
    kind = raw.get("type")
    if kind not in BLOCK_KEYS:
        line = source.find(r"^\s*type\s*=", span) if kind is not None else span[0]
        raise source.error(line, str(kind), f"未知的块类型（可用：{'、'.join(BLOCK_KEYS)}）")
    allowed = {**COMMON_KEYS, **BLOCK_KEYS[kind]}
    for key in raw:
        if key not in allowed:
            raise source.error(source.key_line(key, span), key, f"“{kind}”块不认识的字段")
    for key in REQUIRED_KEYS.get(kind, ()):
        if key not in raw:
            raise source.error(span[0], key, f"“{kind}”块缺少字段")
    options: dict[str, Any] = {}
    templates: dict[str, jinja2.Template] = {}
    expressions: dict[str, Callable[..., Any]] = {}
    extra: dict[str, dict[str, Any]] = dict(EXTRA_VARIABLES)
    if kind == "listing" and isinstance(raw.get("items"), str):
        extra["cells"] = {"row": compiler.item_type(raw["items"], span) or object}
    for key, value in raw.items():
        kind_of_key = allowed[key]
        if kind_of_key == TEXT:
            templates[key] = compiler.template(value, key, span, extra.get(key))
        elif kind_of_key == TEXTS:
            if not isinstance(value, list):
                raise source.error(source.key_line(key, span), key, "应为文字列表")
            for i, text in enumerate(value):
                templates[f"{key}[{i}]"] = compiler.template(text, key, span, extra.get(key))
        elif kind_of_key == EXPR:
            expressions[key] = compiler.expression(value, key, span)
        elif kind_of_key == PERSON_ROWS:
            value = _check_rows(value, PERSON_FIELDS, key, source, span)
        elif kind_of_key == ORGANIZATION_ROWS:
            value = _check_rows(value, ORGANIZATION_FIELDS, key, source, span)
        elif kind_of_key == ROWS:
            value = _compile_rows(value, key, span, source, compiler, templates)
        else:
            _check_scalar(kind_of_key, value, key, source, span)
        options[key] = value
    return Block(type=kind, line=span[0], id=raw.get("id"), options=options, templates=templates,
                 expressions=expressions, raw=dict(raw))


def _compile_rows(value: Any, key: str, span: tuple[int, int], source: _Source,
                  compiler: _Compiler, templates: dict[str, jinja2.Template]) -> tuple[dict, ...]:
    if not isinstance(value, list) or not all(isinstance(r, dict) for r in value):
        raise source.error(source.key_line(key, span), key, "应为 [[blocks.rows]] 表格行")
    rows = []
    for i, row in enumerate(value):
        for row_key in row:
            if row_key not in ROW_KEYS:
                raise source.error(source.key_line(row_key, span), row_key, "表格行不认识的字段")
        cells = row.get("cells")
        if not isinstance(cells, list) or not cells:
            raise source.error(source.key_line("cells", span), "cells", "表格行缺少单元格")
        for j, text in enumerate(cells):
            templates[f"{key}[{i}].cells[{j}]"] = compiler.template(text, "cells", span)
        if "min_height" in row:
            _check_scalar(NUMBER, row["min_height"], "min_height", source, span)
        rows.append({"cells": len(cells), "min_height": float(row.get("min_height", 0))})
    return tuple(rows)


def _overridden(base: Block, changes: Mapping[str, Any], span: tuple[int, int],
                source: _Source) -> Block:
    """``base`` with a variant's changed keys (only the changes can be at fault: the rest loaded)."""
    if "type" in changes or "id" in changes:
        key = "type" if "type" in changes else "id"
        raise source.error(source.key_line(key, span), key, "变体不能改变块的类型或编号")
    return _build_block({**base.raw, **changes}, span, source)


# --- loading -----------------------------------------------------------------------------------


def parse_form(text: str, path: Path) -> FormSpec:
    """Check and compile one form's TOML text (``path`` names it in errors)."""
    source = _Source(path, text)
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
    blocks = tuple(_build_block(raw, source.block_range(i), source) for i, raw in enumerate(raw_blocks))
    ids = [b.id for b in blocks if b.id]
    duplicates = {i for i in ids if ids.count(i) > 1}
    if duplicates:
        name = sorted(duplicates)[0]
        raise source.error(source.find(r"^\s*id\s*=\s*[\"']" + re.escape(name), whole), name, "块编号重复")
    base = Layout(title, blocks)
    variants = _variants(data.get("variants", {}), base, source)
    return FormSpec(id=form_id, path=path, title=title, dated=dated, requires=tuple(requires),
                    style=style, layout=base, variants=variants)


def _style(raw: Any, source: _Source) -> Style:
    span = source.header("style")
    if not isinstance(raw, dict):
        raise source.error(span[0], "style", "应为表")
    for key, value in raw.items():
        if key not in STYLE_KEYS:
            raise source.error(source.key_line(key, span), key, "不认识的样式字段")
        _check_scalar(NUMBER, value, key, source, span)
    return Style(**{k: float(v) for k, v in raw.items()})


def _variants(raw: Any, base: Layout, source: _Source) -> dict[str, Layout]:
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
            blocks[index] = _overridden(blocks[index], changes, bspan, source)
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
