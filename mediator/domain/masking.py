"""Masking of personal data (身份证号, phone numbers) for lists, exports and documents.

A masked value keeps its length and its separators, so columns still line up and a reader can
tell a mobile from a landline, but never the hidden digits. Values that do not look like what
they should be (typos, imported junk) are masked completely: a guess at which part is harmless
could leak the part that is not.
"""
from __future__ import annotations

import unicodedata

MASK = "*"
_SEPARATORS = frozenset(" \t\u3000-()（）+")


def _digit(c: str) -> str | None:
    """The ASCII digit a character stands for (full-width digits too), or None.

    A mask character counts as a digit, so masking a masked value changes nothing (the
    services mask for some roles and the screens mask again for everyone).
    """
    if c == MASK:
        return MASK
    value = unicodedata.decimal(c, None)
    return None if value is None else str(value)


def _mask_all(s: str) -> str:
    return "".join(c if c in _SEPARATORS else MASK for c in s)


def _keep(s: str, significant: list[int], keep: set[int]) -> str:
    """``s`` with every significant character masked except those whose rank is in ``keep``."""
    out = list(s)
    for rank, pos in enumerate(significant):
        if rank not in keep:
            out[pos] = MASK
    return "".join(out)


def mask_id_number(value: str | None) -> str:
    """``410102198503150012`` → ``410***********0012``: the first 3 and last 4 characters stay.

    Whitespace inside the value is kept as it is; anything but a 15-digit or an 18-character
    number (17 digits and a digit or X) is masked completely. None and "" give "".
    """
    if not value:
        return ""
    chars = [i for i, c in enumerate(value) if not c.isspace()]
    text = "".join(value[i] for i in chars)
    digits = [_digit(c) for c in text]
    well_formed = (
        (len(text) == 15 and all(digits))
        or (len(text) == 18 and all(digits[:17]) and (digits[17] is not None or text[17] in "xXｘＸ"))
    )
    if not well_formed:
        return "".join(c if c.isspace() else MASK for c in value)
    n = len(chars)
    return _keep(value, chars, {0, 1, 2, n - 4, n - 3, n - 2, n - 1})


def _landline_area(digits: str) -> int:
    """Length of the area code of a landline number written without separators."""
    return 3 if digits[:2] in ("01", "02") else 4  # 010 and 02x are the three-digit codes


def mask_phone(value: str | None) -> str:
    """``13812345678`` → ``138****5678``; ``0571-88886666`` → ``0571-****6666``.

    Mobiles keep their first 3 and last 4 digits; landlines (0 + area code + 7 or 8 digits)
    keep the area code and the second half of the local number; a ``+86``/``86`` prefix is kept. Separators
    (spaces, dashes, brackets) stay where they are; anything else is masked completely.
    None and "" give "".
    """
    if not value:
        return ""
    if any(c not in _SEPARATORS and _digit(c) is None for c in value):
        return _mask_all(value)
    positions = [i for i, c in enumerate(value) if _digit(c) is not None]
    digits = "".join(_digit(value[i]) for i in positions)
    prefix = 2 if len(digits) == 13 and digits.startswith("861") else 0
    if "+" in value and not (prefix and value.lstrip().startswith("+")):
        return _mask_all(value)  # a "+" anywhere but before the country code
    number = digits[prefix:]
    n = len(digits)
    if len(number) == 11 and number[0] == "1":
        keep = set(range(prefix + 3)) | set(range(n - 4, n))
    elif number.startswith("0") and 7 <= len(number) - _landline_area(number) <= 8:
        area = _landline_area(number)
        shown = (len(number) - area) // 2  # 8 local digits: the last 4; 7: the last 3
        keep = set(range(prefix + area)) | set(range(n - shown, n))
    else:
        return _mask_all(value)
    return _keep(value, positions, keep)


def mask_party(party: dict) -> dict:
    """A copy of a party dict (``id_number``, ``phone``, ``agent.phone``) with those masked."""
    masked = dict(party)
    if masked.get("id_number"):
        masked["id_number"] = mask_id_number(masked["id_number"])
    if masked.get("phone"):
        masked["phone"] = mask_phone(masked["phone"])
    agent = masked.get("agent")
    if isinstance(agent, dict) and agent.get("phone"):
        masked["agent"] = {**agent, "phone": mask_phone(agent["phone"])}
    return masked


__all__ = ["MASK", "mask_id_number", "mask_party", "mask_phone"]
