"""Text forms used in documents: 人民币大写, document dates, case numbers and ages."""
from __future__ import annotations

import re
from datetime import date
from decimal import Decimal, InvalidOperation

_UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_UPPER_UNITS = ("", "拾", "佰", "仟")
_SECTION_UNITS = ("", "万", "亿")
_RMB_LIMIT = Decimal(10) ** 12  # 9999亿9999万9999元9角9分 is the largest amount


def _integer_upper(n: int) -> str:
    """The integer part in capitals, without 元 (``0`` gives an empty string)."""
    digits = str(n)
    out: list[str] = []
    pending_zero = False
    section_has_digit = False
    for i, ch in enumerate(digits):
        position = len(digits) - 1 - i
        d = int(ch)
        if d:
            if pending_zero:
                out.append("零")
            out.append(_UPPER_DIGITS[d] + _UPPER_UNITS[position % 4])
            pending_zero = False
            section_has_digit = True
        else:
            pending_zero = bool(out)
        if position % 4 == 0:
            if section_has_digit:
                out.append(_SECTION_UNITS[position // 4])
            section_has_digit = False
    return "".join(out)


def rmb_upper(amount: Decimal | int | str) -> str:
    """Write an amount of yuan in capital numerals, e.g. ``人民币壹万贰仟零伍拾元伍角``.

    Runs of zeros read as one 零; 整 ends an amount without 角 or 分; ``零元`` is left out when
    only 角/分 remain (``0.30`` → ``人民币叁角``).

    Raises:
        TypeError: a float or bool was given.
        ValueError: the amount is negative, has fractions of a fen, or reaches 1万亿.
    """
    if isinstance(amount, (bool, float)):
        raise TypeError("amount must be Decimal, int or str")
    try:
        value = Decimal(amount)
    except InvalidOperation:
        raise ValueError(f"不是有效金额：{amount!r}") from None
    if not value.is_finite() or value < 0 or value >= _RMB_LIMIT:
        raise ValueError(f"金额超出可大写的范围：{amount}")
    fen_total = value * 100
    if fen_total != fen_total.to_integral_value():
        raise ValueError(f"金额最多两位小数：{amount}")
    yuan, cents = divmod(int(fen_total), 100)
    jiao, fen = divmod(cents, 10)
    text = _integer_upper(yuan)
    if yuan or not cents:
        text = (text or "零") + "元"
    if not cents:
        return f"人民币{text}整"
    if jiao:
        text += _UPPER_DIGITS[jiao] + "角"
    elif yuan:
        text += "零"
    if fen:
        text += _UPPER_DIGITS[fen] + "分"
    return f"人民币{text}"


# --- dates -----------------------------------------------------------------------------------

_CN_DIGITS = "〇一二三四五六七八九"


def _chinese_number_under_100(n: int) -> str:
    tens, ones = divmod(n, 10)
    if not tens:
        return _CN_DIGITS[ones]
    head = "十" if tens == 1 else _CN_DIGITS[tens] + "十"
    return head + (_CN_DIGITS[ones] if ones else "")


def chinese_date(d: date) -> str:
    """A date the way legal documents sign it: ``二〇二六年十一月二十八日``."""
    year = "".join(_CN_DIGITS[int(c)] for c in f"{d.year:04d}")
    return f"{year}年{_chinese_number_under_100(d.month)}月{_chinese_number_under_100(d.day)}日"


def arabic_date(d: date) -> str:
    """A date in Arabic numerals: ``2026年11月28日``."""
    return f"{d.year}年{d.month}月{d.day}日"


def document_date(d: date, style: str = "chinese") -> str:
    """A signing date in the office's style, ``"chinese"`` or ``"arabic"``."""
    if style == "chinese":
        return chinese_date(d)
    if style == "arabic":
        return arabic_date(d)
    raise ValueError(f"unknown date style: {style!r}")


# --- case numbers ----------------------------------------------------------------------------

DEFAULT_CASE_NUMBER_PATTERN = "（{year}）{short}{track_word}字第{seq}号"
_CASE_NUMBER = re.compile(r"[（(](\d{4})[）)](.+?)(人调|行调|诉调)字第(\d+)号", re.ASCII)


def format_case_number(
    year: int, short: str, track_word: str, seq: int, pattern: str = DEFAULT_CASE_NUMBER_PATTERN
) -> str:
    """A case number such as ``（2026）河湾人调字第12号``; ``seq`` counts from 1."""
    if seq < 1:
        raise ValueError("case sequence numbers start at 1")
    return pattern.format(year=year, short=short, track_word=track_word, seq=seq)


def parse_case_number(text: str) -> tuple[int, str, str, int] | None:
    """``(year, short, track_word, seq)`` of a default-pattern case number, or None.

    Half-width parentheses and surrounding spaces are tolerated.
    """
    match = _CASE_NUMBER.fullmatch(text.strip())
    if not match or int(match[4]) < 1:
        return None
    return int(match[1]), match[2], match[3], int(match[4])


# --- people ----------------------------------------------------------------------------------


def age_on(birth: date, on: date) -> int:
    """Full years of age on a day (the age goes up on the birthday; 29 Feb counts from 1 Mar)."""
    if on < birth:
        raise ValueError("the day is before the birth date")
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))
