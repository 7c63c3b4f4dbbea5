"""The fields of a 居民身份证 from the text lines an OCR engine found on its photo (pure).

OCR hands back boxes of text in no reliable order, on a card that may be turned a few degrees,
with labels misread (娃名 for 姓名), a label and its value in one box or two, the address over
two or three lines, and letters for digits in the number. So: the lines are turned upright by
their median slope and joined into rows, the rows are recognised by what they hold (a number of
18, a date with 年月, 男/女, a label that mostly matches) and the number is checked by its check
character, corrected when exactly one common misreading makes it valid, and compared with the
printed birth date and gender.
"""
from __future__ import annotations

import difflib
import math
import re
import statistics
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date

from mediator.domain.enums import Gender
from mediator.domain.errors import ValidationError
from mediator.domain.ethnic_groups import ETHNIC_GROUPS
from mediator.domain.validators import PROVINCE_CODES, validate_id_number

FIELDS = ("name", "gender", "ethnicity", "birth_date", "address", "id_number")
BACK_FIELDS = ("issuer", "valid_period")
FIELD_LABELS = {"name": "姓名", "gender": "性别", "ethnicity": "民族", "birth_date": "出生日期",
                "address": "住址", "id_number": "身份证号", "issuer": "签发机关", "valid_period": "有效期限"}

CHECK_FAILED = "校验位不符"
BIRTH_MISMATCH = "出生日期与号码不符"
GENDER_MISMATCH = "性别与号码不符"

# Letters OCR reads for digits; in the first 17 places only digits can stand.
_LETTER_DIGITS = str.maketrans({"O": "0", "D": "0", "Q": "0", "U": "0", "I": "1", "L": "1", "T": "1",
                                "|": "1", "Z": "2", "S": "5", "G": "6", "B": "8", "A": "4", "E": "8"})
# Digits OCR takes for each other (and the letters above once folded): tried one at a time.
_DIGIT_CONFUSIONS = {"0": "869", "1": "74", "2": "7", "3": "85", "4": "1", "5": "63", "6": "580",
                     "7": "12", "8": "3609", "9": "80"}
_NUMBER_RUN = re.compile(r"[0-9OoDQIl|ZSGBXx×]{15,}")
_CJK = re.compile(r"[\u3400-\u9fff·•]")
_ETHNIC_SHORT = {g.removesuffix("族"): g for g in ETHNIC_GROUPS}


@dataclass(frozen=True)
class OcrLine:
    """One box of text as the OCR engine found it."""

    text: str
    box: tuple[tuple[float, float], ...]  # four corners, clockwise from the top left
    score: float


@dataclass(frozen=True)
class CardReading:
    """What was read from the front and/or back of one card. Missing fields are None."""

    name: str | None = None
    gender: Gender | None = None
    ethnicity: str | None = None  # as the app stores it: 汉族
    birth_date: date | None = None
    address: str | None = None
    id_number: str | None = None
    issuer: str | None = None
    valid_period: str | None = None
    scores: dict[str, float] = field(default_factory=dict)  # per field: the lowest score of its lines
    warnings: dict[str, tuple[str, ...]] = field(default_factory=dict)  # per field, in Chinese

    @property
    def found(self) -> bool:
        """Whether anything of a card was read."""
        return any(getattr(self, name) is not None for name in (*FIELDS, *BACK_FIELDS))

    @property
    def confidence(self) -> float:
        """The mean OCR score of the lines the fields came from (0 when none)."""
        return statistics.fmean(self.scores.values()) if self.scores else 0.0

    def value(self, name: str) -> str | None:
        """A field as text: the gender as 男/女, the birth date as yyyy-mm-dd."""
        value = getattr(self, name)
        if value is None:
            return None
        if isinstance(value, Gender):
            return value.label
        if isinstance(value, date):
            return value.isoformat()
        return value

    def merged(self, other: CardReading) -> CardReading:
        """The fields of both readings (front and back); this one wins where both have a field."""
        values = {name: getattr(self, name) if getattr(self, name) is not None else getattr(other, name)
                  for name in (*FIELDS, *BACK_FIELDS)}
        warnings = {**other.warnings, **self.warnings}
        return CardReading(**values, scores={**other.scores, **self.scores}, warnings=warnings)


# --- rows -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Row:
    text: str
    score: float


def _normal(text: str) -> str:
    """Full-width folded, whitespace dropped (the card spaces its labels: 姓  名)."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _slope(lines: Sequence[OcrLine]) -> float:
    """The card's turn in radians: the median slope of the top edges of the wide boxes."""
    angles = []
    for line in lines:
        (x0, y0), (x1, y1) = line.box[0], line.box[1]
        height = math.dist(line.box[0], line.box[3])
        if math.dist(line.box[0], line.box[1]) > 2 * height:
            angles.append(math.atan2(y1 - y0, x1 - x0))
    return statistics.median(angles) if angles else 0.0


def group_rows(lines: Iterable[OcrLine]) -> list[_Row]:
    """The lines joined into rows, top to bottom, each row's boxes left to right."""
    lines = [line for line in lines if _normal(line.text)]
    if not lines:
        return []
    turn = _slope(lines)
    cos, sin = math.cos(-turn), math.sin(-turn)

    def upright(x: float, y: float) -> tuple[float, float]:
        return x * cos - y * sin, x * sin + y * cos

    placed = []
    for line in lines:
        corners = [upright(x, y) for x, y in line.box]
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        placed.append((min(ys), max(ys), min(xs), max(xs), line))
    placed.sort(key=lambda p: (p[0] + p[1]) / 2)
    rows: list[list[tuple]] = []
    for item in placed:
        top, bottom = item[0], item[1]
        centre = (top + bottom) / 2
        if rows:
            last = rows[-1]
            row_top = statistics.fmean(p[0] for p in last)
            row_bottom = statistics.fmean(p[1] for p in last)
            if row_top < centre < row_bottom:
                last.append(item)
                continue
        rows.append([item])
    result = []
    for row in rows:
        row.sort(key=lambda p: p[2])
        text, right = "", None
        for _top, _bottom, left, x_right, line in row:
            piece = _normal(line.text)
            # Two overlapping boxes often both hold the character where they meet.
            if right is not None and left < right and text and piece and text[-1] == piece[0]:
                piece = piece[1:]
            text += piece
            right = x_right
        result.append(_Row(text, min(p[4].score for p in row)))
    return result


def strip_label(text: str, label: str) -> str | None:
    """``text`` without its leading ``label`` when at least half the label's characters match, else None."""
    head = text[:len(label)]
    same = sum(a == b for a, b in zip(head, label))
    if len(head) == len(label) and same * 2 >= len(label):
        return text[len(label):]
    return None


# --- fields ---------------------------------------------------------------------------------


def _ethnicity(raw: str) -> tuple[str | None, tuple[str, ...]]:
    raw = raw.removesuffix("族") or raw
    if raw in _ETHNIC_SHORT:
        return _ETHNIC_SHORT[raw], ()
    close = difflib.get_close_matches(raw, list(_ETHNIC_SHORT), n=1, cutoff=0.5)
    if close:
        return _ETHNIC_SHORT[close[0]], ("按近似字认出，请核对",)
    return None, ()


def _birth(text: str) -> date | None:
    digits = re.findall(r"\d+", text.translate(_LETTER_DIGITS))
    if len(digits) == 1 and len(digits[0]) == 8:
        digits = [digits[0][:4], digits[0][4:6], digits[0][6:]]
    if len(digits) < 3 or len(digits[0]) != 4:  # a year of three digits lost one: let the number say
        return None
    try:
        return date(int(digits[0]), int(digits[1]), int(digits[2]))
    except ValueError:
        return None


def _number_info(number: str, today: date | None):
    try:
        return validate_id_number(number, today=today)
    except ValidationError:
        return None


def fold_id_number(raw: str) -> str:
    """The number's characters as they can only be: digits in the first 17 places, digit or X last."""
    text = "".join(c for c in _normal(raw).upper().replace("×", "X") if c.isalnum() or c == "|")
    if len(text) < 18:
        return text.translate(_LETTER_DIGITS)
    head, last = text[:17].translate(_LETTER_DIGITS), text[17:]
    last = last if last[:1] == "X" else last.translate(_LETTER_DIGITS)
    return head + last


def resolve_id_number(raw: str, *, birth: date | None = None, gender: Gender | None = None,
                      today: date | None = None) -> tuple[str, tuple[str, ...]]:
    """The number as read, corrected if exactly one common misreading makes it valid; and its warnings.

    Args:
        raw: the number's text as OCR gave it.
        birth, gender: what the card prints beside it, to prefer a correction that agrees.
        today: the reference day for "not born in the future".
    """
    number = fold_id_number(raw)
    if len(number) != 18:
        return number, (f"身份证号应为18位，只认出{len(number)}位",)
    if _number_info(number, today) is not None:
        return number, ()
    upper = _normal(raw).upper()
    letters = {i for i, c in enumerate(upper[:18]) if c.isalpha() and not (i == 17 and c == "X")}
    # From the likeliest misreading to the least: X read as a digit, a letter folded to the wrong
    # digit, any digit read as a similar one. The first tier with exactly one valid number that
    # agrees with the printed birth date and gender wins; two or more there is a guess: stop.
    tiers = [{number[:17] + "X"},
             {_swap(number, i, d) for i in letters for d in _DIGIT_CONFUSIONS.get(number[i], "")},
             {_swap(number, i, d) for i, c in enumerate(number) for d in _DIGIT_CONFUSIONS.get(c, "")}]
    if birth is not None:  # the printed date in place of the number's
        tiers.insert(1, {f"{number[:6]}{birth:%Y%m%d}{number[14:]}"})
    for candidates in tiers:
        agreeing = [c for c in sorted(candidates) if c[:2] in PROVINCE_CODES
                    and (info := _number_info(c, today)) is not None
                    and (birth is None or info.birth_date == birth) and (gender is None or info.gender is gender)]
        if len(agreeing) == 1:
            places = "、".join(str(i + 1) for i, (a, b) in enumerate(zip(number, agreeing[0])) if a != b)
            return agreeing[0], (f"第{places}位按校验位更正，请核对",)
        if agreeing:
            break
    return number, (CHECK_FAILED,)


def _swap(number: str, place: int, char: str) -> str:
    return number[:place] + char + number[place + 1:]


def _row_kinds(rows: Sequence[_Row]) -> dict[str, int]:
    """Which row holds which field (the front), by what the rows contain."""
    kinds: dict[str, int] = {}
    for i, row in enumerate(rows):
        text = row.text
        if "number" not in kinds and (_NUMBER_RUN.search(text) or strip_label(text, "公民身份号码") is not None):
            kinds["number"] = i
        elif "name" not in kinds and strip_label(text, "姓名") is not None:
            kinds["name"] = i
        elif "birth" not in kinds and (strip_label(text, "出生") is not None or re.search(r"\d{4}年", text)):
            kinds["birth"] = i
        elif "gender" not in kinds and (strip_label(text, "性别") is not None or strip_label(text, "民族") is not None
                                        or re.search("[男女]", text[:4])):
            kinds["gender"] = i
        elif "address" not in kinds and strip_label(text, "住址") is not None:
            kinds["address"] = i
    if "name" not in kinds and kinds.get("gender", 0) > 0:
        kinds["name"] = kinds["gender"] - 1
    return kinds


def parse_front(rows: Sequence[_Row], today: date | None = None) -> CardReading:
    kinds = _row_kinds(rows)
    values: dict[str, object] = {}
    scores: dict[str, float] = {}
    warnings: dict[str, tuple[str, ...]] = {}

    if "name" in kinds:
        row = rows[kinds["name"]]
        rest = strip_label(row.text, "姓名")
        name = "".join(_CJK.findall(rest if rest is not None else row.text)).replace("•", "·")
        if name:
            values["name"], scores["name"] = name, row.score
    if "gender" in kinds:
        row = rows[kinds["gender"]]
        text = row.text
        rest = strip_label(text, "性别")
        text = rest if rest is not None else text
        found = re.search("[男女]", text[:3])
        if found:
            values["gender"] = Gender.MALE if found.group() == "男" else Gender.FEMALE
            scores["gender"] = row.score
            text = text[found.end():]
        at = text.find("族")
        tail = text[at + 1:] if 0 <= at <= 2 else (strip_label(text, "民族") or text)
        if tail:
            ethnicity, notes = _ethnicity(tail)
            if ethnicity:
                values["ethnicity"], scores["ethnicity"] = ethnicity, row.score
                if notes:
                    warnings["ethnicity"] = notes
    if "birth" in kinds:
        row = rows[kinds["birth"]]
        birth = _birth(strip_label(row.text, "出生") or row.text)
        if birth is not None:
            values["birth_date"], scores["birth_date"] = birth, row.score
    # The address: every row between the birth date and the number (its label may sit a row low).
    start = kinds["birth"] + 1 if "birth" in kinds else kinds.get("address")
    if start is not None:
        parts = list(rows[start:kinds.get("number", len(rows))])
        texts = [r.text for r in parts]
        if texts and strip_label(texts[0], "住址") is not None:
            texts[0] = texts[0][2:]
        texts = [t for t in texts if strip_label(t, "住址") != ""]  # the label alone on its row
        if "".join(texts):
            values["address"], scores["address"] = "".join(texts), min(r.score for r in parts)
    if "number" in kinds:
        row = rows[kinds["number"]]
        runs = _NUMBER_RUN.findall(row.text)
        raw = max(runs, key=len) if runs else ""
        if raw:
            number, notes = resolve_id_number(raw, birth=values.get("birth_date"), gender=values.get("gender"),
                                              today=today)
            values["id_number"], scores["id_number"] = number, row.score
            if notes:
                warnings["id_number"] = notes
            info = _number_info(number, today)
            if info is not None:
                if "birth_date" not in values:
                    values["birth_date"], scores["birth_date"] = info.birth_date, row.score
                    warnings["birth_date"] = ("未认出，取自身份证号",)
                elif values["birth_date"] != info.birth_date:
                    printed = f"{values['birth_date']:%Y%m%d}"
                    if sum(a != b for a, b in zip(printed, f"{info.birth_date:%Y%m%d}")) == 1:
                        # one digit apart from a valid number: a misread digit, the number wins
                        values["birth_date"] = info.birth_date
                        warnings["birth_date"] = ("一位数字按身份证号更正，请核对",)
                    else:
                        warnings["birth_date"] = (BIRTH_MISMATCH,)
                if "gender" not in values:
                    values["gender"], scores["gender"] = info.gender, row.score
                    warnings["gender"] = ("未认出，取自身份证号",)
                elif values["gender"] is not info.gender:
                    warnings["gender"] = (GENDER_MISMATCH,)
    return CardReading(**values, scores=scores, warnings=warnings)


def parse_back(rows: Sequence[_Row]) -> CardReading:
    values: dict[str, str] = {}
    scores: dict[str, float] = {}
    for row in rows:
        for name, label in (("issuer", "签发机关"), ("valid_period", "有效期限")):
            rest = strip_label(row.text, label)
            if rest and name not in values:
                if name == "valid_period":
                    rest = re.sub(r"[^0-9.\-长期]", "", rest.replace("一", "-").replace("—", "-"))
                values[name], scores[name] = rest, row.score
    return CardReading(**values, scores=scores)


def read_card_text(lines: Iterable[OcrLine], today: date | None = None) -> CardReading:
    """The fields on one side of a card (front or back, told apart by what is on it)."""
    rows = group_rows(lines)
    back = parse_back(rows)
    if back.found:
        return back
    return parse_front(rows, today)


def checked(reading: CardReading, today: date | None = None) -> CardReading:
    """The reading with its number checked once more (after front and back were merged)."""
    if reading.id_number is None or _number_info(reading.id_number, today) is not None:
        return reading
    warnings = {**reading.warnings}
    warnings.setdefault("id_number", (CHECK_FAILED,))
    return replace(reading, warnings=warnings)
