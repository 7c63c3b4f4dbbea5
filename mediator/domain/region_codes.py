"""The codes a person types for their county and township (统计用区划代码, GB/T 2260 prefix).

A county is written with its 6 digits (419901) or the full 12 (419901000000); a township with
its 9 (419901100) or 12 (419901100000). Both come back as the 12 digits the database keeps.
"""
from __future__ import annotations

import re

from mediator.domain.errors import ValidationError

_DIGITS = re.compile(r"\d+")


def county_code(text: str, *, path: str = "county_code") -> str:
    """The 12-digit code of a county-level region typed as 6 or 12 digits.

    Raises:
        ValidationError: not 6 or 12 digits, or not a county-level code (a province or a city).
    """
    code = text.strip()
    if not _DIGITS.fullmatch(code) or len(code) not in (6, 12):
        raise ValidationError(path, "县级区划代码应为6位数字（如 419901），或12位统计用区划代码")
    if len(code) == 12 and code[6:] != "000000":
        raise ValidationError(path, f"{code}不是县级区划代码：县级代码的后6位应为0")
    if code[0] == "0" or code[2:4] == "00" or code[4:6] == "00":
        raise ValidationError(path, f"{code[:6]}不是县级区划代码：应为省、市、县各2位，且均不为00")
    return code[:6] + "000000"


def township_code(text: str, county: str, *, path: str = "township_code") -> str:
    """The 12-digit code of a township of ``county`` (its 12-digit code) typed as 9 or 12 digits.

    Raises:
        ValidationError: not 9 or 12 digits, not a township-level code, or of another county.
    """
    code = text.strip()
    if not _DIGITS.fullmatch(code) or len(code) not in (9, 12):
        raise ValidationError(path, "乡镇（街道）代码应为9位数字（如 419901100），或12位统计用区划代码")
    if len(code) == 12 and code[9:] != "000":
        raise ValidationError(path, f"{code}不是乡镇级区划代码：乡镇级代码的后3位应为0")
    if code[6:9] == "000":
        raise ValidationError(path, f"{code}不是乡镇级区划代码：第7至9位不应为000")
    if code[:6] != county[:6]:
        raise ValidationError(path, f"乡镇（街道）代码的前6位应与所在县代码{county[:6]}一致")
    return code[:9] + "000"
