"""The shape of a `mediator-case/1` document as a table: every leaf's JSON type, its Chinese name
and, for free texts, the width of the column it is stored in (read from the model, so a limit
cannot be forgotten or drift).

``check_types`` walks a document against the table before anything else reads it: a wrong type
anywhere is reported at its path, and the value is then blanked (``cleaned``) so that the readers
after it meet only the types they expect and report the document's other faults as well.
Which keys are required or unknown, enum values, dates and money are checked by the readers.
"""
from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Any

from mediator.domain.errors import ValidationError
from mediator.store.models import (
    Advisor,
    Agreement,
    Case,
    CaseParty,
    JudicialConfirmation,
    MediationSession,
    Mediator,
    Organization,
    Region,
)
from mediator.store.widths import width

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class Leaf:
    """One scalar of the format: the JSON types it may have (null always may) and its name."""

    types: tuple[type, ...]
    label: str
    expected: str  # the type in words, for the message
    limit: int | None = None


def text(label: str, limit: Any = None) -> Leaf:
    """A string; ``limit`` a model column (its width) or a number of characters."""
    return Leaf((str,), label, "字符串", limit if limit is None or isinstance(limit, int) else width(limit))


def whole(label: str) -> Leaf:
    return Leaf((int,), label, "整数")


def number(label: str) -> Leaf:
    return Leaf((int, float), label, "数字")


def flag(label: str) -> Leaf:
    return Leaf((bool,), label, "true或false")


def day(label: str) -> Leaf:
    return Leaf((str,), label, "YYYY-MM-DD格式的日期字符串")


def money(label: str) -> Leaf:
    return Leaf((str, int, float), label, "金额（如\"1200.00\"）")


LONG_TEXT = 20000  # the long texts (Text columns) are limited by the use cases to this

AGENT = {"name": text("委托代理人姓名", CaseParty.agent_name), "phone": text("委托代理人联系电话"),
         "relation": text("与当事人关系", CaseParty.agent_relation)}
PARTY = {
    "role": text("当事人身份"), "kind": text("当事人类型"), "name": text("当事人姓名（名称）", CaseParty.name),
    "gender": text("性别"), "ethnicity": text("民族", CaseParty.ethnicity), "birth_date": day("出生日期"),
    "id_number": text("身份证号"), "phone": text("联系电话"), "address": text("住址", CaseParty.address),
    "occupation": text("职业", CaseParty.occupation), "credit_code": text("统一社会信用代码"),
    "representative": text("法定代表人", CaseParty.representative), "agent": AGENT,
}
EVENT = {
    "on": day("事件日期"), "action": text("办理动作"), "note": text("备注", LONG_TEXT),
    "reason": text("理由", LONG_TEXT), "to_track": text("转入的调解类型"),
    "to_organization": text("转入的调解组织", Organization.name), "to_track_detail": text("调解类别"),
    "procedure": text("程序"), "level": text("处理层级"), "number": text("案号", Case.number),
    "until": day("延长至"), "consent": flag("当事人同意"), "result": text("履行结果"),
}
AGREEMENT = {
    "form": text("协议形式"), "signed_on": day("签订日期"), "items": [text("协议内容", LONG_TEXT)],
    "performance": text("履行方式", Agreement.performance_method), "deadline": day("履行期限"),
    "amount_yuan": money("协议金额"), "copies": whole("协议份数"),
}
DRAFT = {**AGREEMENT, "revision": whole("草稿版本"), "signed": flag("是否已签订"),
         "facts": text("纠纷事实", LONG_TEXT)}
CASE = {
    "ref": text("编号", Case.ref), "number": text("案号", Case.number), "track": text("调解类型"),
    "track_detail": text("调解类别"), "procedure": text("程序"), "source": text("纠纷来源"),
    "category": text("纠纷类型"), "organization": text("调解组织", Organization.name),
    "village_code": text("村（社区）区划代码", Region.code), "grid": text("网格", Region.name),
    "level": text("处理层级"), "received_on": day("收案日期"), "summary": text("纠纷简要情况", LONG_TEXT),
    "requests": text("申请事项", LONG_TEXT), "amount_yuan": money("涉及金额"),
    "people_involved": whole("涉及人数"),
    "risk": {"level": text("风险等级"), "flags": [text("风险标记")]},
    "parties": [PARTY],
    "mediators": [text("调解员姓名", Mediator.name)],
    "events": [EVENT],
    "sessions": [{"on": day("记录日期"), "kind": text("记录类型"),
                  "place": text("地点", MediationSession.place),
                  "participants": text("参加人员", MediationSession.participants),
                  "record": text("记录内容", LONG_TEXT)}],
    "agreement": AGREEMENT,
    "follow_ups": [{"on": day("回访日期"), "method": text("回访方式"), "performance": text("履行情况"),
                    "satisfaction": text("满意度"), "note": text("回访情况", LONG_TEXT)}],
    "judicial_confirmation": {"applied_on": day("申请日期"), "court": text("人民法院", JudicialConfirmation.court),
                              "result": text("司法确认结果"), "on": day("裁定日期")},
    "supplements": [{"kind": text("协议类型"), "signed_on": day("签订日期"),
                     "terms": [text("协议内容", LONG_TEXT)], "reason": text("变更（补充）原因", 500)}],
    "draft": DRAFT,
}
DOCUMENT = {
    "format": text("格式"), "exported_at": text("导出时间"),
    "regions": [{"code": text("区划代码", Region.code), "name": text("区划名称", Region.name),
                 "level": text("区划层级"), "parent": text("上级区划代码", Region.code),
                 "kind": text("村（社区）类型"), "grids": [text("网格名称", Region.name)],
                 "lat": number("纬度"), "lon": number("经度")}],
    "organizations": [{"name": text("组织名称", Organization.name), "kind": text("组织类型"),
                       "region": text("所在区划代码", Region.code), "short": text("简称", Organization.short)}],
    "mediators": [{"name": text("调解员姓名", Mediator.name), "organization": text("所属组织", Organization.name),
                   "phone": text("联系电话")}],
    "advisors": [{"name": text("法律顾问姓名", Advisor.name), "kind": text("法律顾问类型"),
                  "firm": text("执业机构", Advisor.firm), "license_no": text("执业证号", Advisor.license_no),
                  "phone": text("联系电话"),
                  "villages": [{"code": text("村（社区）区划代码", Region.code), "from": day("聘期开始日期"),
                                "to": day("聘期结束日期")}]}],
    "cases": [CASE],
}


def check_types(document: Any) -> list[tuple[Path, ValidationError]]:
    """Every value of the document whose JSON type (or length) the format refuses, with its path."""
    faults: list[tuple[Path, ValidationError]] = []
    _walk(DOCUMENT, document, (), faults)
    return faults


def _walk(schema: Any, value: Any, at: Path, faults: list[tuple[Path, ValidationError]]) -> None:
    if value is None:
        return  # whether it may be missing is the readers' question
    if isinstance(schema, dict):
        if not isinstance(value, dict):
            faults.append((at, ValidationError(dotted(at), "应为JSON对象")))
            return
        for key, child in value.items():
            if key in schema:  # an unknown key is reported by the reader
                _walk(schema[key], child, (*at, key), faults)
    elif isinstance(schema, list):
        if not isinstance(value, list):
            faults.append((at, ValidationError(dotted(at), "应为数组")))
            return
        for i, child in enumerate(value):
            _walk(schema[0], child, (*at, i), faults)
    else:
        leaf: Leaf = schema
        if isinstance(value, bool) != (bool in leaf.types) or not isinstance(value, leaf.types):
            faults.append((at, ValidationError(dotted(at), f"{leaf.label}应为{leaf.expected}")))
        elif leaf.limit is not None and isinstance(value, str) and len(value) > leaf.limit:
            faults.append((at, ValidationError(
                dotted(at), f"{leaf.label}不能超过{leaf.limit}个字（现有{len(value)}个）")))


def cleaned(document: Any, faults: list[tuple[Path, ValidationError]]) -> Any:
    """A copy of the document with each faulty value set to null (the original is left alone)."""
    if not faults:
        return document
    out = copy.deepcopy(document)
    for at, _ in faults:
        if not at:
            continue
        parent = out
        for key in at[:-1]:
            parent = parent[key]
        parent[at[-1]] = None
    return out


def dotted(at: Path) -> str:
    """``("cases", 0, "events", 1, "on")`` → ``cases[0].events[1].on``."""
    out = ""
    for key in at:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else key)
    return out
