"""The Python types of the services' inputs checked against their dataclass annotations, before any rule
reads them: a str where a date belongs, a dict for a name or a float for a count is named at its
field in Chinese instead of failing deep inside a check with a TypeError.

Only the types are checked here (None where the annotation allows it); values are the rules' job.
Money (``Decimal | str | int``) is left to ``parse_money``, which names every wrong value itself.
"""
from __future__ import annotations

import dataclasses
import enum
import types
import typing
from datetime import date, datetime
from decimal import Decimal
from functools import cache
from typing import Any

from mediator.domain.errors import ValidationError, ValidationErrors

# Each input field's name as the person knows it (the dataclass's field → label).
LABELS: dict[str, dict[str, str]] = {
    "CaseInput": {
        "track": "调解类型", "source": "纠纷来源", "category": "纠纷类型", "organization": "调解组织",
        "village_code": "村（社区）区划代码", "level": "处理层级", "received_on": "收案日期",
        "summary": "纠纷简要情况", "parties": "当事人", "track_detail": "调解类别", "procedure": "程序",
        "grid": "网格", "requests": "申请事项", "amount_yuan": "涉及金额", "people_involved": "涉及人数",
        "risk_level": "风险等级", "risk_flags": "风险标记", "mediators": "调解员", "ref": "编号", "number": "案号",
    },
    "PartyInput": {
        "role": "当事人身份", "kind": "当事人类型", "name": "当事人姓名（名称）", "gender": "性别",
        "ethnicity": "民族", "birth_date": "出生日期", "id_number": "身份证号", "phone": "联系电话",
        "address": "住址", "occupation": "职业", "credit_code": "统一社会信用代码",
        "representative": "法定代表人", "agent": "委托代理人",
    },
    "AgentInput": {"name": "委托代理人姓名", "phone": "委托代理人联系电话", "relation": "与当事人关系"},
    "AgreementInput": {
        "form": "协议形式", "signed_on": "签订日期", "items": "协议内容", "performance": "履行方式",
        "deadline": "履行期限", "amount_yuan": "协议金额", "copies": "协议份数", "facts": "纠纷事实",
    },
    "SessionInput": {"on": "记录日期", "kind": "记录类型", "place": "地点", "participants": "参加人员",
                     "record": "调查或调解经过"},
    "FollowUpInput": {"on": "回访日期", "method": "回访方式", "performance": "履行情况",
                      "satisfaction": "满意度", "note": "回访情况", "visitor": "回访人"},
    "SupplementInput": {"kind": "协议类型", "signed_on": "签订日期", "terms": "协议内容",
                        "reason": "变更（补充）原因"},
    "AdvisorInput": {"name": "法律顾问姓名", "kind": "法律顾问类型", "firm": "执业机构", "license_no": "执业证号",
                     "phone": "联系电话", "specialties": "专长", "active": "是否在聘"},
    "AppointmentInput": {"advisor_id": "法律顾问", "village_code": "村（社区）区划代码", "start": "聘期开始日期",
                         "end": "聘期结束日期", "legal_deputy": "是否兼任法治副主任", "is_primary": "是否为主要顾问"},
    "GridReportInput": {"parties": "当事人", "place": "事发地点", "summary": "事件简要情况", "urgency": "紧急程度",
                        "phone": "联系电话", "reported_on": "上报日期", "village_code": "村（社区）区划代码",
                        "grid": "网格"},
    "DraftInput": {"items": "协议内容", "facts": "纠纷事实", "performance": "履行方式", "deadline": "履行期限",
                   "amount_yuan": "协议金额", "copies": "协议份数"},
}
_WORDS = {str: "文字", int: "整数", bool: "是或否", date: "日期", list: "列表"}


def type_problems(data: Any, path: str = "") -> list[ValidationError]:
    """Every field of the input (and of the inputs inside it) whose type its annotation refuses."""
    errors: list[ValidationError] = []
    labels = LABELS.get(type(data).__name__, {})
    for name, hint in _hints(type(data)).items():
        at = f"{path}.{name}" if path else name
        _check(getattr(data, name), hint, at, labels.get(name, name), errors)
    return errors


def refuse_mistyped(data: Any, path: str = "") -> None:
    """Raise every type problem of the input at once (nothing after this meets a wrong type)."""
    problems = type_problems(data, path)
    if problems:
        raise ValidationErrors(problems)


@cache
def _hints(cls: type) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(cls)}
    return {k: v for k, v in typing.get_type_hints(cls).items() if k in names}


def _check(value: Any, hint: Any, at: str, label: str, errors: list[ValidationError]) -> None:
    options = typing.get_args(hint) if isinstance(hint, types.UnionType) or typing.get_origin(hint) is typing.Union \
        else (hint,)
    if Decimal in options:
        return  # money: parse_money names every wrong value
    if value is None:
        if type(None) not in options:
            errors.append(ValidationError(at, f"{label}不能为空"))
        return
    hint = next((o for o in options if o is not type(None)), hint)
    origin = typing.get_origin(hint)
    if origin is list:
        if not isinstance(value, list):
            errors.append(ValidationError(at, f"{label}应为列表"))
            return
        (item,) = typing.get_args(hint)
        for i, child in enumerate(value):
            _check(child, item, f"{at}[{i}]", label, errors)
    elif dataclasses.is_dataclass(hint):
        if not isinstance(value, hint):
            errors.append(ValidationError(at, f"{label}填写有误"))
        else:
            errors.extend(type_problems(value, at))
    elif isinstance(hint, type) and issubclass(hint, enum.Enum):
        if not isinstance(value, hint):
            allowed = "、".join(getattr(m, "label", m.value) for m in hint)
            errors.append(ValidationError(at, f"{label}应为以下之一：{allowed}"))
    elif not _fits(value, hint):
        errors.append(ValidationError(at, f"{label}应为{_WORDS.get(hint, '正确的类型')}"))


def _fits(value: Any, hint: Any) -> bool:
    if hint is int:
        return isinstance(value, int) and not isinstance(value, bool)
    if hint is date:
        return isinstance(value, date) and not isinstance(value, datetime)
    return isinstance(value, hint) if isinstance(hint, type) else True
