"""Writing a form's data back as TOML the loader reads (tomllib only reads).

Only the shapes a form has: scalars, lists, ``[style]``, ``[[blocks]]`` with ``[[blocks.rows]]``
and ``[variants.name.blocks.id]`` tables.
"""
from __future__ import annotations

import json
import re
from typing import Any

HEADER = "# 由“文书编辑器”保存。字段写作 {{ 字段 }}，也可在程序的 文书 → 编辑 中修改。\n"


def _key(name: str) -> str:
    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else json.dumps(name, ensure_ascii=False)


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"cannot write {type(value).__name__} as TOML")


def _is_table_list(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def _scalars(table: dict[str, Any], skip: tuple[str, ...] = ()) -> list[str]:
    return [f"{_key(k)} = {_value(v)}" for k, v in table.items()
            if k not in skip and not isinstance(v, dict) and not _is_table_list(v)]


def dump_form(data: dict[str, Any]) -> str:
    lines = [HEADER.rstrip("\n"), ""]
    lines += _scalars(data, ("blocks", "style", "variants"))
    if isinstance(data.get("style"), dict) and data["style"]:
        lines += ["", "[style]", *_scalars(data["style"])]
    for block in data.get("blocks", []):
        lines += ["", "[[blocks]]", *_scalars(block)]
        for key, value in block.items():
            if _is_table_list(value):
                for row in value:
                    lines += [f"[[blocks.{_key(key)}]]", *_scalars(row)]
            elif isinstance(value, dict):
                raise TypeError(f"block key {key} holds a table")
    for name, variant in (data.get("variants") or {}).items():
        head = f"variants.{_key(name)}"
        lines += ["", f"[{head}]", *_scalars(variant, ("blocks",))]
        for block_id, changes in (variant.get("blocks") or {}).items():
            lines += ["", f"[{head}.blocks.{_key(block_id)}]",
                      *[f"{_key(k)} = {_value(v)}" for k, v in changes.items()]]
    return "\n".join(lines) + "\n"
