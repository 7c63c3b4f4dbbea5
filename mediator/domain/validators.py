"""Checks of identity numbers, credit codes, phone numbers and money amounts (Chinese messages)."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from mediator.domain.enums import Gender
from mediator.domain.errors import ValidationError

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK_CHARS = "10X98765432"
_EARLIEST_BIRTH = date(1900, 1, 1)

_CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_CREDIT_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
# GB 32100-2015 position 1 (登记管理部门) → its position 2 (机构类别) codes, with the departments
# added since (司法行政 3: 律师事务所、公证处、基层法律服务所…; 农业 N: 村级集体经济组织…).
CREDIT_CATEGORIES: dict[str, str] = {
    "1": "1239",  # 机构编制：机关、事业单位、中央编办直接管理机构编制的群众团体、其他
    "2": "19",  # 外交
    "3": "123459",  # 司法行政：律师执业机构、公证处、基层法律服务所、司法鉴定机构、仲裁委员会、其他
    "4": "19",  # 文化
    "5": "1239",  # 民政：社会团体、民办非企业单位、基金会、其他
    "6": "129",  # 旅游
    "7": "129",  # 宗教：宗教活动场所、宗教院校、其他
    "8": "19",  # 工会
    "9": "123",  # 工商：企业、个体工商户、农民专业合作社
    "A": "19",  # 中央军委改革和编制办公室
    "N": "1239",  # 农业：组级、村级、乡镇级集体经济组织、其他
    "Y": "1",  # 其他
}
# Positions 3–8 are an administrative division code: its first two digits a province (10: 国家).
_PROVINCES = frozenset(
    "10 11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 61 62 63 64 65 "
    "71 81 82".split())
PROVINCE_CODES = _PROVINCES  # also how OCR of a 身份证号 rules out a misread (domain/idcard_text.py)
_ORG_CODE_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)  # GB 11714: positions 9–17 are an organisation code

_MOBILE = re.compile(r"1[3-9][0-9]{9}")
_LANDLINE = re.compile(r"0[0-9]{2,3}-?[0-9]{7,8}")
_PHONE_MESSAGE = "联系电话格式不正确（手机号11位，座机需带区号）"

_MONEY_TEXT = re.compile(r"[+-]?[0-9]+(\.[0-9]+)?")
_CENT = Decimal("0.01")
_MONEY_LIMIT = Decimal(10) ** 12  # 9999亿 is the largest amount written in 大写


def _join(path: str, name: str) -> str:
    return f"{path}.{name}" if path else name


def _compact(value: str) -> str:
    """Full-width forms folded to ASCII, all whitespace removed, upper-cased."""
    return "".join(unicodedata.normalize("NFKC", value).split()).upper()


# --- free text ------------------------------------------------------------------------------

# Refused in every text field: C0/C1 control characters other than \n and \t (a NUL breaks
# PostgreSQL, an escape or \r garbles printed forms), bidi embeddings/overrides/isolates (they
# make a name read differently from what is stored) and lone surrogates (not encodable).
# Zero-width joiners stay allowed: emoji such as 👨‍👩‍👧 need them.
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


def text_problem(value: object, *, path: str, label: str,
                 max_length: int | None = None) -> ValidationError | None:
    """What is wrong with a free text (None when nothing is; None values are fine here).

    Args:
        value: the text as it will be stored.
        path: field path used in the error.
        label: the field's Chinese name, which starts the message.
        max_length: the column's limit in characters (code points, as PostgreSQL counts them).
    """
    if value is None:
        return None
    if not isinstance(value, str):
        return ValidationError(path, f"{label}应为文字")
    if _INVISIBLE.search(value):
        return ValidationError(path, f"{label}含有不可见的控制字符")
    if max_length is not None and len(value) > max_length:
        return ValidationError(path, f"{label}不能超过{max_length}个字（现有{len(value)}个）")
    return None


# --- 身份证号 (GB 11643-1999) ---------------------------------------------------------------


@dataclass(frozen=True)
class IdNumberInfo:
    """What an identity number tells about its holder."""

    birth_date: date
    gender: Gender


def normalize_id_number(value: str) -> str:
    """The number without spaces, with an upper-case ``X``."""
    return _compact(value)


def id_number_check_char(first17: str) -> str:
    """The check character for the first 17 digits of an identity number."""
    if len(first17) != 17 or not first17.isascii() or not first17.isdigit():
        raise ValueError("first17 must be 17 ASCII digits")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS))
    return _ID_CHECK_CHARS[total % 11]


def validate_id_number(
    value: str, *, path: str = "", today: date | None = None
) -> IdNumberInfo:
    """Check an 18-character identity number.

    Args:
        value: the number as typed (spaces and a lower-case ``x`` are accepted).
        path: field path used in the error.
        today: the reference day for "not in the future" (defaults to today).

    Returns:
        The birth date and gender the number encodes.

    Raises:
        ValidationError: the number is malformed, its date impossible, or its check char wrong.
    """
    number = normalize_id_number(value or "")
    if not number:
        raise ValidationError(path, "身份证号不能为空")
    if len(number) != 18:
        raise ValidationError(path, "身份证号应为18位")
    first17, last = number[:17], number[17]
    if not first17.isascii() or not first17.isdigit():
        raise ValidationError(path, "身份证号前17位应为数字")
    if last not in _ID_CHECK_CHARS:
        raise ValidationError(path, "身份证号最后一位应为数字或X")
    try:
        birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    except ValueError:
        raise ValidationError(path, "身份证号中的出生日期无效") from None
    if birth < _EARLIEST_BIRTH:
        raise ValidationError(path, "身份证号中的出生日期早于1900年1月1日")
    if birth > (today or date.today()):
        raise ValidationError(path, "身份证号中的出生日期晚于今天")
    if id_number_check_char(first17) != last:
        raise ValidationError(path, "身份证号校验位错误")
    gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
    return IdNumberInfo(birth_date=birth, gender=gender)


def check_person_identity(
    id_number: str | None,
    gender: Gender | None,
    birth_date: date | None,
    *,
    path: str = "",
    today: date | None = None,
) -> list[ValidationError]:
    """Every problem among a person's identity number, gender and birth date.

    A blank identity number is not a problem here (whether it is required is decided elsewhere);
    gender and birth date are compared with the number only when the number is valid.
    """
    today = today or date.today()
    problems: list[ValidationError] = []
    info: IdNumberInfo | None = None
    if id_number and id_number.strip():
        try:
            info = validate_id_number(id_number, path=_join(path, "id_number"), today=today)
        except ValidationError as error:
            problems.append(error)
    if info is not None and gender is not None and gender != info.gender:
        problems.append(ValidationError(_join(path, "gender"), "性别与身份证号不符"))
    if birth_date is not None:
        if birth_date < _EARLIEST_BIRTH:
            problems.append(ValidationError(_join(path, "birth_date"), "出生日期早于1900年1月1日"))
        if birth_date > today:
            problems.append(ValidationError(_join(path, "birth_date"), "出生日期晚于今天"))
        if info is not None and birth_date != info.birth_date:
            problems.append(ValidationError(_join(path, "birth_date"), "出生日期与身份证号不符"))
    return problems


# --- 统一社会信用代码 (GB 32100-2015) -------------------------------------------------------


def credit_code_check_char(first17: str) -> str:
    """The check character for the first 17 characters of a unified social credit code."""
    if len(first17) != 17 or any(c not in _CREDIT_ALPHABET for c in first17):
        raise ValueError("first17 must be 17 characters of the credit code alphabet")
    total = sum(_CREDIT_ALPHABET.index(c) * w for c, w in zip(first17, _CREDIT_WEIGHTS))
    return _CREDIT_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body: str) -> str:
    """The check character of an organisation code (GB 11714) for its first eight characters."""
    if len(body) != 8 or any(not (c.isdigit() or "A" <= c <= "Z") for c in body):
        raise ValueError("body must be 8 digits or capital letters")
    total = sum((int(c) if c.isdigit() else ord(c) - 55) * w for c, w in zip(body, _ORG_CODE_WEIGHTS))
    check = 11 - total % 11
    return "X" if check == 10 else "0" if check == 11 else str(check)


def validate_credit_code(value: str, *, path: str = "") -> str:
    """Check a unified social credit code position by position (GB 32100-2015) and return it
    upper-case without spaces: 登记管理部门 and 机构类别 (1–2), 行政区划码 (3–8), the organisation
    code with its own check character (9–17), the check character (18)."""
    code = _compact(value or "")
    if not code:
        raise ValidationError(path, "统一社会信用代码不能为空")
    if len(code) != 18:
        raise ValidationError(path, "统一社会信用代码应为18位")
    if any(c not in _CREDIT_ALPHABET for c in code):
        raise ValidationError(path, "统一社会信用代码含有无效字符")
    categories = CREDIT_CATEGORIES.get(code[0])
    if categories is None:
        raise ValidationError(path, f"统一社会信用代码第1位（登记管理部门代码）“{code[0]}”无效")
    if code[1] not in categories:
        raise ValidationError(path, f"统一社会信用代码第2位（机构类别代码）“{code[1]}”无效")
    if not code[2:8].isdigit() or code[2:4] not in _PROVINCES:
        raise ValidationError(path, "统一社会信用代码第3至8位应为登记管理机关的行政区划代码")
    if org_code_check_char(code[8:16]) != code[16]:
        raise ValidationError(path, "统一社会信用代码第9至17位（组织机构代码）校验位错误")
    if credit_code_check_char(code[:17]) != code[17]:
        raise ValidationError(path, "统一社会信用代码校验位错误")
    return code


# --- 联系电话 --------------------------------------------------------------------------------


def validate_phone(value: str, *, path: str = "") -> str:
    """Check a mobile (``13812345678``) or landline (``0571-88886666``) number; spaces dropped."""
    phone = _compact(value or "")
    if not phone:
        raise ValidationError(path, "联系电话不能为空")
    if not (_MOBILE.fullmatch(phone) or _LANDLINE.fullmatch(phone)):
        raise ValidationError(path, _PHONE_MESSAGE)
    return phone


# --- 金额 ------------------------------------------------------------------------------------


def parse_money(value: str | int | Decimal, *, path: str = "", field: str = "金额") -> Decimal:
    """Read an amount of yuan: non-negative, at most two decimals, never a float.

    Strings must be plain decimals (``"12050.5"``); exponent forms such as ``"1e3"``, thousands
    separators and ``NaN``/``Infinity`` are refused. ``"1.230"`` is accepted (its value has two
    decimals). Amounts of 10^12 yuan or more are refused as too large.

    Returns:
        The amount quantized to 0.01.
    """
    if isinstance(value, bool) or isinstance(value, float):
        raise ValidationError(path, f"{field}应以字符串或整数给出")
    if isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, Decimal):
        amount = value
    elif isinstance(value, str):
        text = unicodedata.normalize("NFKC", value).strip()
        if not _MONEY_TEXT.fullmatch(text):
            raise ValidationError(path, f"{field}不是有效数字")
        amount = Decimal(text)
    else:
        raise ValidationError(path, f"{field}应以字符串或整数给出")
    if not amount.is_finite():
        raise ValidationError(path, f"{field}不是有效数字")
    if amount < 0:
        raise ValidationError(path, f"{field}不能为负数")
    if amount >= _MONEY_LIMIT:
        raise ValidationError(path, f"{field}过大")
    cents = amount.quantize(_CENT)
    if cents != amount:
        raise ValidationError(path, f"{field}最多两位小数")
    return cents.copy_abs()  # copy_abs turns -0.00 into 0.00


def yuan_to_fen(amount: Decimal) -> int:
    """Whole fen in an amount of yuan; ValueError if it has fractions of a fen."""
    fen = Decimal(amount) * 100
    if fen != fen.to_integral_value():
        raise ValueError(f"{amount} 元不是整分")
    return int(fen)


def fen_to_yuan(fen: int) -> Decimal:
    """Yuan for an integer number of fen, with exactly two decimals."""
    if isinstance(fen, bool) or not isinstance(fen, int):
        raise TypeError("fen must be an int")
    return Decimal(fen).scaleb(-2)
