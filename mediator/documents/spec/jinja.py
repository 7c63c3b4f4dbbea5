"""The sandboxed Jinja2 environment of forms and the types its placeholders may reach."""
from __future__ import annotations

import types
import typing
from dataclasses import fields, is_dataclass
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.sandbox import SandboxedEnvironment

from mediator.documents.context import DocumentContext
from mediator.domain.formatting import rmb_upper


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


def element_type(tp: Any) -> Any:
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


def attribute_type(cls: Any, attr: str) -> tuple[bool, Any]:
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


def name_chain(node: nodes.Node) -> tuple[str, list[str]] | None:
    """``agreement.terms`` → ("agreement", ["terms"]); None for anything but a name chain."""
    attrs: list[str] = []
    while isinstance(node, nodes.Getattr):
        attrs.append(node.attr)
        node = node.node
    if isinstance(node, nodes.Name):
        return node.name, attrs[::-1]
    return None
