"""Reading a `mediator-case/1` document: shape, keys and types, with a path for every fault."""
from __future__ import annotations

from datetime import date
from decimal import Decimal
from typing import Any

from mediator.domain.enums import LabeledEnum
from mediator.domain.errors import ValidationError

_MISSING = object()
MAX_DEPTH = 12  # the format nests objects 5 deep; anything deeper is not a case file


def scan(document: Any) -> list[ValidationError]:
    """Faults found in any string of a document, and nesting too deep to be a case file.

    Control characters other than \\n and \\t, bidi controls and lone surrogates are refused
    everywhere (a NUL cannot even be stored by PostgreSQL). Iterative: a hostile document
    nested thousands deep must not exhaust the stack.
    """
    from mediator.domain.validators import text_problem

    errors: list[ValidationError] = []
    stack: list[tuple[str, Any, int]] = [("", document, 0)]
    while stack:
        path, value, depth = stack.pop()
        if isinstance(value, str):
            problem = text_problem(value, path=path, label="该项")
            if problem is not None:
                errors.append(problem)
        elif isinstance(value, (dict, list)):
            if depth >= MAX_DEPTH:
                errors.append(ValidationError(path, "嵌套层次过深，不是本系统的案件文件"))
                continue
            items = value.items() if isinstance(value, dict) else enumerate(value)
            for key, child in items:
                if isinstance(key, str) and text_problem(key, path=path, label="") is not None:
                    errors.append(ValidationError(path, "字段名含有不可见的控制字符"))
                    continue
                child_path = (f"{path}.{key}" if path else str(key)) if isinstance(value, dict) \
                    else f"{path}[{key}]"
                stack.append((child_path, child, depth + 1))
    return sorted(errors, key=lambda e: e.path)


class Reader:
    """Collects every fault of a document instead of stopping at the first one."""

    def __init__(self) -> None:
        self.errors: list[ValidationError] = []

    def fail(self, path: str, message: str) -> None:
        self.errors.append(ValidationError(path, message))

    def obj(self, value: Any, path: str, required: set[str], optional: set[str] = frozenset()) -> dict | None:
        """A JSON object with exactly the allowed keys (unknown keys are an error)."""
        if not isinstance(value, dict):
            self.fail(path, "应为JSON对象")
            return None
        for key in value:
            if key not in required and key not in optional:
                self.fail(f"{path}.{key}", f"未知字段“{key}”")
        for key in sorted(required - set(value)):
            self.fail(f"{path}.{key}", "缺少必填字段")
        return value

    def list_(self, d: dict, key: str, path: str, *, required: bool = False) -> list:
        value = d.get(key, _MISSING)
        if value is _MISSING or value is None:
            if required:
                self.fail(f"{path}.{key}", "缺少必填字段")
            return []
        if not isinstance(value, list):
            self.fail(f"{path}.{key}", "应为数组")
            return []
        return value

    def text(self, d: dict, key: str, path: str, *, required: bool = True, blank_ok: bool = False) -> str | None:
        value = d.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "不能为空")
            return None
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", "应为字符串")
            return None
        if not blank_ok and required and not value.strip():
            self.fail(f"{path}.{key}", "不能为空")
            return None
        return value

    def day(self, d: dict, key: str, path: str, *, required: bool = True) -> date | None:
        value = d.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "缺少日期")
            return None
        if not isinstance(value, str):
            self.fail(f"{path}.{key}", "日期应写作YYYY-MM-DD字符串")
            return None
        try:
            if len(value) != 10:
                raise ValueError
            return date.fromisoformat(value)
        except ValueError:
            self.fail(f"{path}.{key}", f"“{value}”不是有效日期（应为YYYY-MM-DD）")
            return None

    def enum(self, d: dict, key: str, path: str, enum: type[LabeledEnum], *, required: bool = True,
             what: str = "取值") -> Any:
        value = d.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "不能为空")
            return None
        try:
            return enum(value)
        except ValueError:
            allowed = "、".join(f"{m.value}（{m.label}）" for m in enum)
            self.fail(f"{path}.{key}", f"未知的{what}“{value}”，可选：{allowed}")
            return None

    def integer(self, d: dict, key: str, path: str, *, required: bool = True, minimum: int | None = None) -> int | None:
        value = d.get(key)
        if value is None:
            if required:
                self.fail(f"{path}.{key}", "不能为空")
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(f"{path}.{key}", "应为整数")
            return None
        if minimum is not None and value < minimum:
            self.fail(f"{path}.{key}", f"应不小于{minimum}")
            return None
        return value

    def money(self, d: dict, key: str, path: str, field: str) -> Decimal | str | None:
        from mediator.domain.validators import parse_money

        value = d.get(key)
        if value is None:
            return "0"
        try:
            return parse_money(value, path=f"{path}.{key}", field=field)
        except ValidationError as e:
            self.errors.append(e)
            return None
