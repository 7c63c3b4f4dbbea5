"""Checking and compiling the blocks of a form: keys, values, templates and placeholders."""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

import jinja2
from jinja2 import meta, nodes

from mediator.documents.spec.errors import FormError
from mediator.documents.spec.jinja import CONTEXT_VARIABLES, ENV, attribute_type, element_type, name_chain
from mediator.documents.spec.model import Block
from mediator.documents.spec.source import FormSource
from mediator.documents.spec.vocabulary import (
    ALIGN,
    ALIGN_LIST,
    ALIGNS,
    BLOCK_KEYS,
    BOOL,
    COMMON_KEYS,
    EXPR,
    EXTRA_VARIABLES,
    NAME,
    NUMBER,
    NUMBERING,
    NUMBERINGS,
    NUMBERS,
    ORGANIZATION_FIELDS,
    ORGANIZATION_ROWS,
    PARTY_ROLES,
    PERSON_FIELDS,
    PERSON_ROWS,
    REQUIRED_KEYS,
    ROLES,
    ROW_KEYS,
    ROWS,
    TEXT,
    TEXTS,
)


class _Compiler:
    def __init__(self, source: FormSource) -> None:
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
        chain = name_chain(node) if node is not None else None
        if chain is None or chain[0] not in CONTEXT_VARIABLES:
            return None
        return element_type(self._resolve(chain, CONTEXT_VARIABLES, {}, span))

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
            chain = name_chain(loop.iter)
            if isinstance(loop.target, nodes.Name) and chain:
                loop_types[loop.target.name] = element_type(self._resolve(chain, known, {}, span))
        for node in ast.find_all(nodes.Getattr):
            chain = name_chain(node)
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
            exists, next_tp = attribute_type(tp, attr)
            dotted += "." + attr
            if not exists:
                raise self.source.error(self.source.name_line(dotted, span) or
                                        self.source.name_line(attr, span), dotted, "未知的占位符")
            tp = next_tp
        return tp


def _check_rows(value: Any, allowed: Mapping[str, str], key: str, source: FormSource,
                span: tuple[int, int]) -> tuple[tuple[str, ...], ...]:
    if not isinstance(value, list) or not all(isinstance(r, list) and r for r in value):
        raise source.error(source.key_line(key, span), key, "应为字段名的列表的列表")
    for row in value:
        for name in row:
            if name not in allowed:
                raise source.error(source.find(r"[\"']" + re.escape(str(name)) + r"[\"']", span),
                                   str(name), f"未知的当事人字段（可用：{'、'.join(allowed)}）")
    return tuple(tuple(r) for r in value)


def check_scalar(kind: str, value: Any, key: str, source: FormSource, span: tuple[int, int]) -> None:
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


def build_block(raw: Mapping[str, Any], span: tuple[int, int], source: FormSource) -> Block:
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
            check_scalar(kind_of_key, value, key, source, span)
        options[key] = value
    return Block(type=kind, line=span[0], id=raw.get("id"), options=options, templates=templates,
                 expressions=expressions, raw=dict(raw))


def _compile_rows(value: Any, key: str, span: tuple[int, int], source: FormSource,
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
            check_scalar(NUMBER, row["min_height"], "min_height", source, span)
        rows.append({"cells": len(cells), "min_height": float(row.get("min_height", 0))})
    return tuple(rows)


def overridden_block(base: Block, changes: Mapping[str, Any], span: tuple[int, int],
                source: FormSource) -> Block:
    """``base`` with a variant's changed keys (only the changes can be at fault: the rest loaded)."""
    if "type" in changes or "id" in changes:
        key = "type" if "type" in changes else "id"
        raise source.error(source.key_line(key, span), key, "变体不能改变块的类型或编号")
    return build_block({**base.raw, **changes}, span, source)
