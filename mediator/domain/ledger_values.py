"""The values of an old Excel 台账's cells as people typed them: dates in any of the usual forms,
amounts with 元 and commas, several names in one cell, 男/女, and the free words of 纠纷类型,
调解结果, 履行情况 and 回访情况 mapped to the domain's enums. Each parser raises ``ValueError``
with the Chinese reason; nothing here knows the database.
"""
from __future__ import annotations

import re
import unicodedata
from datetime import date, datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import Any

from mediator.domain.enums import (
    Category,
    FollowUpMethod,
    Gender,
    LabeledEnum,
    PerformanceResult,
    Satisfaction,
)


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without ``.0`` (phones and IDs read as numbers), trimmed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return repr(value)
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    return unicodedata.normalize("NFKC", str(value)).strip() if isinstance(value, str) else str(value)


def is_blank(value: Any) -> bool:
    return cell_text(value) == ""


# --- dates ----------------------------------------------------------------------------------

_DATE = re.compile(r"(\d{4})\s*[.\-/年．]\s*(\d{1,2})\s*[.\-/月．]\s*(\d{1,2})\s*日?")
_COMPACT_DATE = re.compile(r"(\d{4})(\d{2})(\d{2})")
_EXCEL_EPOCH = date(1899, 12, 30)


def parse_date(value: Any) -> date | None:
    """An Excel date, ``2023.5.6``, ``2023-05-06``, ``2023/5/6``, ``2023年5月6日`` or ``20230506``
    (a time after the date is ignored); None for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if 1 <= value < 2958466:  # an Excel serial day not formatted as a date
            return _EXCEL_EPOCH + timedelta(days=int(value))
        raise ValueError(f"日期无法识别「{cell_text(value)}」")
    text = cell_text(value)
    match = _DATE.match(text) or _COMPACT_DATE.fullmatch(text)
    rest = text[match.end():].strip() if match else ""
    if match is None or (rest and not re.fullmatch(r"[\d:：时分秒点\s]*", rest)):
        raise ValueError(f"日期无法识别「{text}」")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError:
        raise ValueError(f"日期无法识别「{text}」（没有这一天）") from None


# --- money ----------------------------------------------------------------------------------

_MONEY = re.compile(r"-?\d+(\.\d+)?")


def parse_amount(value: Any) -> Decimal:
    """An amount of yuan: ``1,200元``, ``1200.5``, ``￥300``, ``1.2万元``; 0 for an empty cell."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return Decimal("0")
    if isinstance(value, bool):
        raise ValueError(f"金额无法识别「{value}」")
    if isinstance(value, (int, float)):
        amount = Decimal(repr(value)) if isinstance(value, float) else Decimal(value)
        text = cell_text(value)
    else:
        text = cell_text(value)
        plain = re.sub(r"[\s,，]", "", text)
        plain = re.sub(r"^(人民币|RMB|rmb)", "", plain).lstrip("￥¥")
        scale = Decimal(1)
        for suffix, factor in (("万元", 10000), ("元整", 1), ("万", 10000), ("元", 1)):
            if plain.endswith(suffix):
                plain, scale = plain[: -len(suffix)], Decimal(factor)
                break
        if not _MONEY.fullmatch(plain):
            raise ValueError(f"金额无法识别「{text}」")
        try:
            amount = Decimal(plain) * scale
        except InvalidOperation:
            raise ValueError(f"金额无法识别「{text}」") from None
    if amount < 0:
        raise ValueError(f"金额为负「{text}」")
    if amount != amount.quantize(Decimal("0.01")):
        raise ValueError(f"金额最多两位小数「{text}」")
    if amount >= Decimal(10) ** 12:
        raise ValueError(f"金额过大「{text}」")
    return amount.quantize(Decimal("0.01"))


# --- several values in one cell ---------------------------------------------------------------

_SEPARATORS = re.compile(r"[、,，/;；\n\r]+")
_SEPARATORS_OR_SPACE = re.compile(r"[、,，/;；\s]+")


def split_names(value: Any) -> list[str]:
    """Names in one cell, separated by 、 , ， / ; or line breaks."""
    return [p.strip() for p in _SEPARATORS.split(cell_text(value)) if p.strip()]


def split_codes(value: Any) -> list[str]:
    """Identity numbers or phones in one cell (spaces separate them too)."""
    return [p.strip() for p in _SEPARATORS_OR_SPACE.split(cell_text(value)) if p.strip()]


def parse_gender(text: str) -> Gender:
    if text in ("男", "男性", "M", "m"):
        return Gender.MALE
    if text in ("女", "女性", "F", "f"):
        return Gender.FEMALE
    raise ValueError(f"性别应为男或女「{text}」")


_ORG_WORDS = ("公司", "厂", "合作社", "委员会", "村委会", "居委会", "局", "店", "中心", "医院", "学校",
              "银行", "集团", "事务所", "协会", "部", "站", "场", "超市", "酒店", "物业")


def looks_like_organization(name: str) -> bool:
    """A party named like a unit (有限公司, 合作社, 卫生院 …) rather than a person."""
    return len(name) > 4 and name.endswith(_ORG_WORDS)


# --- words mapped to enums --------------------------------------------------------------------

# (keyword, category), first match wins: the narrower word before the broader one.
_CATEGORY_WORDS: tuple[tuple[str, Category], ...] = (
    ("征地", Category.LAND_EXPROPRIATION), ("拆迁", Category.LAND_EXPROPRIATION),
    ("宅基地", Category.HOUSING_HOMESTEAD), ("房屋", Category.HOUSING_HOMESTEAD),
    ("建房", Category.HOUSING_HOMESTEAD), ("婚姻", Category.MARRIAGE_FAMILY),
    ("家庭", Category.MARRIAGE_FAMILY), ("离婚", Category.MARRIAGE_FAMILY),
    ("赡养", Category.MARRIAGE_FAMILY), ("抚养", Category.MARRIAGE_FAMILY),
    ("继承", Category.MARRIAGE_FAMILY), ("婆媳", Category.MARRIAGE_FAMILY),
    ("邻里", Category.NEIGHBOR), ("相邻", Category.NEIGHBOR),
    ("交通", Category.TRAFFIC), ("车祸", Category.TRAFFIC),
    ("医疗", Category.MEDICAL), ("医患", Category.MEDICAL),
    ("劳动", Category.LABOR), ("工资", Category.LABOR), ("欠薪", Category.LABOR),
    ("劳务", Category.LABOR), ("工伤", Category.LABOR),
    ("物业", Category.PROPERTY_MANAGEMENT), ("消费", Category.CONSUMER),
    ("旅游", Category.TOURISM), ("知识产权", Category.IP), ("商标", Category.IP),
    ("互联网", Category.INTERNET), ("网络", Category.INTERNET),
    ("环境", Category.ENVIRONMENT), ("污染", Category.ENVIRONMENT), ("噪音", Category.ENVIRONMENT),
    ("山林", Category.LAND_FOREST), ("林地", Category.LAND_FOREST), ("林权", Category.LAND_FOREST),
    ("土地", Category.LAND_FOREST), ("承包", Category.LAND_FOREST), ("地界", Category.LAND_FOREST),
    ("合同", Category.CONTRACT), ("借贷", Category.CONTRACT), ("借款", Category.CONTRACT),
    ("欠款", Category.CONTRACT), ("债务", Category.CONTRACT), ("买卖", Category.CONTRACT),
    ("经营", Category.BUSINESS), ("生产", Category.BUSINESS),
    ("损害", Category.DAMAGES), ("赔偿", Category.DAMAGES), ("伤害", Category.DAMAGES),
    ("打架", Category.DAMAGES), ("其他", Category.OTHER), ("其它", Category.OTHER),
)


def parse_category(text: str) -> tuple[Category, bool]:
    """The category a 纠纷类型 names and whether it was recognised (unknown: 其他, False)."""
    text = cell_text(text)
    if not text:
        return Category.OTHER, True
    for c in Category:
        if text in (c.label, c.label + "纠纷", c.value):
            return c, True
    for word, category in _CATEGORY_WORDS:
        if word in text:
            return category, True
    return Category.OTHER, False


class Outcome(LabeledEnum):
    """What the ledger's 调解结果 says happened."""

    AGREED = "agreed", "调解成功"
    FAILED = "failed", "调解不成功"
    WITHDRAWN = "withdrawn", "撤回"
    REJECTED = "rejected", "不予受理"
    OPEN = "open", "调解中"


_OUTCOME_WORDS: tuple[tuple[str, Outcome], ...] = (
    ("不予受理", Outcome.REJECTED), ("撤回", Outcome.WITHDRAWN), ("撤销申请", Outcome.WITHDRAWN),
    ("撤诉", Outcome.WITHDRAWN), ("不成功", Outcome.FAILED), ("未成功", Outcome.FAILED),
    ("未达成", Outcome.FAILED), ("调解不成", Outcome.FAILED), ("终止", Outcome.FAILED),
    ("失败", Outcome.FAILED), ("未调成", Outcome.FAILED), ("调解中", Outcome.OPEN),
    ("正在", Outcome.OPEN), ("未结", Outcome.OPEN), ("待调解", Outcome.OPEN),
    ("成功", Outcome.AGREED), ("达成", Outcome.AGREED), ("调成", Outcome.AGREED),
    ("调解结案", Outcome.AGREED), ("已调解", Outcome.AGREED), ("和解", Outcome.AGREED),
)


def parse_outcome(text: str) -> Outcome | None:
    """The outcome a 调解结果 names (an empty cell: still open); None when not recognised."""
    text = cell_text(text)
    if not text:
        return Outcome.OPEN
    for word, outcome in _OUTCOME_WORDS:
        if word in text:
            return outcome
    return None


def parse_performance(text: str) -> PerformanceResult | None:
    """履行情况 as a result; None when the words say none of them."""
    text = cell_text(text)
    for words, result in ((("部分",), PerformanceResult.PARTIAL),
                          (("未履行", "没有履行", "拒不履行", "未兑现", "未付"), PerformanceResult.NONE),
                          (("履行", "兑现", "付清", "完毕", "已付", "结清"), PerformanceResult.FULL)):
        if any(w in text for w in words):
            return result
    return None


def parse_follow_up(text: str) -> tuple[FollowUpMethod, Satisfaction | None]:
    """回访情况: how the visit was made and whether the parties were satisfied."""
    text = cell_text(text)
    method = (FollowUpMethod.PHONE if "电话" in text else
              FollowUpMethod.VISIT if any(w in text for w in ("上门", "走访", "入户", "实地")) else
              FollowUpMethod.OTHER)
    satisfaction = (Satisfaction.DISSATISFIED if "不满意" in text else
                    Satisfaction.BASICALLY if "基本满意" in text else
                    Satisfaction.SATISFIED if "满意" in text else None)
    return method, satisfaction
