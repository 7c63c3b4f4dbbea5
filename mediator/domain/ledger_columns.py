"""The columns of an old Excel 台账: what each may hold (``LedgerField``), the header words that
name it, where the header row is, and a first guess of each column's field (the person corrects it).
"""
from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Sequence
from typing import Any

from mediator.domain.enums import LabeledEnum


class LedgerField(LabeledEnum):
    """What a column of the ledger is imported as (``IGNORE``: not imported)."""

    IGNORE = "ignore", "（不导入）"
    SEQ = "seq", "序号"
    NUMBER = "number", "案号"
    PARTIES = "parties", "当事人"
    APPLICANTS = "applicants", "申请人"
    RESPONDENTS = "respondents", "被申请人"
    GENDERS = "genders", "性别"
    ID_NUMBERS = "id_numbers", "身份证号"
    PHONES = "phones", "联系电话"
    ADDRESSES = "addresses", "住址"
    VILLAGE = "village", "村（社区）"
    CATEGORY = "category", "纠纷类型"
    SUMMARY = "summary", "纠纷简要情况"
    RECEIVED_ON = "received_on", "受理日期"
    MEDIATED_ON = "mediated_on", "调解日期"
    OUTCOME = "outcome", "调解结果"
    AGREEMENT = "agreement", "协议内容"
    AMOUNT = "amount", "涉及金额"
    MEDIATORS = "mediators", "调解员"
    PERFORMANCE = "performance", "履行情况"
    FOLLOW_UP = "follow_up", "回访情况"


# Header words for each field, most specific first; matched on the header with spaces removed.
SYNONYMS: dict[LedgerField, tuple[str, ...]] = {
    LedgerField.SEQ: ("序号", "编号", "顺序号", "No"),
    LedgerField.NUMBER: ("案号", "案件编号", "卷宗号", "案卷号"),
    LedgerField.APPLICANTS: ("申请人", "申请方"),
    LedgerField.RESPONDENTS: ("被申请人", "被申请方", "对方当事人"),
    LedgerField.PARTIES: ("当事人", "当事人姓名", "双方当事人", "当事人名称", "纠纷当事人"),
    LedgerField.GENDERS: ("性别",),
    LedgerField.ID_NUMBERS: ("身份证号", "身份证号码", "公民身份号码", "身份证"),
    LedgerField.PHONES: ("联系电话", "电话", "联系方式", "手机", "手机号", "电话号码"),
    LedgerField.ADDRESSES: ("住址", "地址", "家庭住址", "住所"),
    LedgerField.VILLAGE: ("村（社区）", "村(社区)", "所在村", "村居", "村社区", "村别", "所属村"),
    LedgerField.CATEGORY: ("纠纷类型", "纠纷类别", "案件类型", "纠纷种类", "类型", "类别"),
    LedgerField.SUMMARY: ("纠纷简要情况", "简要案情", "纠纷情况", "基本案情", "纠纷事由", "案情简介",
                          "纠纷简况", "案由", "主要事实"),
    LedgerField.RECEIVED_ON: ("受理日期", "受理时间", "登记日期", "收案日期", "立案日期", "受理"),
    LedgerField.MEDIATED_ON: ("调解日期", "调解时间", "结案日期", "结案时间", "办结日期"),
    LedgerField.OUTCOME: ("调解结果", "调处结果", "结果", "调解情况", "处理结果"),
    LedgerField.AGREEMENT: ("协议内容", "调解协议内容", "协议主要内容", "协议", "调解协议"),
    LedgerField.AMOUNT: ("涉及金额", "涉案金额", "金额", "标的额", "协议金额", "涉及金额（元）",
                         "涉及金额(元)"),
    LedgerField.MEDIATORS: ("调解员", "调解人", "调解人员", "承办人", "经办人"),
    LedgerField.PERFORMANCE: ("履行情况", "协议履行情况", "履行"),
    LedgerField.FOLLOW_UP: ("回访情况", "回访", "回访记录"),
}

_FOLDED = {f: tuple(unicodedata.normalize("NFKC", w) for w in words) for f, words in SYNONYMS.items()}

# Fields without which no row can become a case.
REQUIRED_FIELDS = (LedgerField.RECEIVED_ON, LedgerField.SUMMARY)
PARTY_FIELDS = (LedgerField.PARTIES, LedgerField.APPLICANTS, LedgerField.RESPONDENTS)

# The first row with this many recognised header words is the header.
HEADER_MIN_WORDS = 3
HEADER_SEARCH_ROWS = 30


def header_text(value: Any) -> str:
    """A header cell as compared: full-width folded, spaces and line breaks removed."""
    if value is None:
        return ""
    text = unicodedata.normalize("NFKC", str(value))
    return re.sub(r"\s+", "", text)


def guess_field(header: Any) -> LedgerField:
    """The field a header names: an exact synonym first, then one the header starts with."""
    text = header_text(header)
    if not text:
        return LedgerField.IGNORE
    for field, words in _FOLDED.items():
        if text in words:
            return field
    best, best_len = LedgerField.IGNORE, 0
    for field, words in _FOLDED.items():
        for w in words:
            if len(w) >= 2 and text.startswith(w) and len(w) > best_len:
                best, best_len = field, len(w)
    return best


def find_header_row(rows: Sequence[Sequence[Any]]) -> int | None:
    """Index of the first row with at least ``HEADER_MIN_WORDS`` recognised header words (a
    merged title row above it has one); None when there is none in the first rows."""
    for i, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        known = {guess_field(v) for v in row} - {LedgerField.IGNORE}
        if len(known) >= HEADER_MIN_WORDS:
            return i
    return None


def guess_mapping(headers: Sequence[Any]) -> list[LedgerField]:
    """A field for each column; a field already taken by an earlier column is not guessed twice."""
    taken: set[LedgerField] = set()
    out = []
    for h in headers:
        field = guess_field(h)
        if field in taken:
            field = LedgerField.IGNORE
        if field is not LedgerField.IGNORE:
            taken.add(field)
        out.append(field)
    return out


def header_signature(headers: Sequence[Any]) -> str:
    """A short stable key of a header row (the saved mapping of the same ledger layout)."""
    joined = "\x1f".join(header_text(h) for h in headers)
    return hashlib.sha1(joined.encode("utf-8")).hexdigest()[:20]


def mapping_problems(mapping: Sequence[LedgerField]) -> list[str]:
    """What is wrong with a whole mapping (each a Chinese sentence); empty when it can be used."""
    problems = []
    fields = [f for f in mapping if f is not LedgerField.IGNORE]
    for f in dict.fromkeys(fields):
        if fields.count(f) > 1:
            problems.append(f"“{f.label}”对应了多列，每项只能对应一列")
    for f in REQUIRED_FIELDS:
        if f not in fields:
            problems.append(f"没有对应“{f.label}”的列")
    if not any(f in fields for f in PARTY_FIELDS):
        problems.append("没有对应“当事人”（或“申请人”）的列")
    return problems
