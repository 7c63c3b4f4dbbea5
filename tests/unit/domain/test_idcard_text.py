"""Reading the fields of a 居民身份证 from OCR lines: rows, misread labels, the number's corrections."""
from __future__ import annotations

import math
from datetime import date

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mediator.domain.enums import Gender
from mediator.domain.idcard_text import (
    BIRTH_MISMATCH,
    CHECK_FAILED,
    GENDER_MISMATCH,
    CardReading,
    OcrLine,
    fold_id_number,
    group_rows,
    read_card_text,
    resolve_id_number,
    strip_label,
)
from mediator.domain.validators import id_number_check_char

TODAY = date(2026, 12, 1)
NUMBER = "11010519491231002X"  # the standard's example: born 1949-12-31, female
MALE_NUMBER = "510107198807150019"


def _valid(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def line(text: str, x: float, y: float, *, width: float | None = None, height: float = 30,
         score: float = 0.99, turn: float = 0.0) -> OcrLine:
    """A box of ``text`` with its top-left corner at (x, y), turned by ``turn`` degrees round (0, 0)."""
    width = width if width is not None else 30 * len(text)
    corners = ((x, y), (x + width, y), (x + width, y + height), (x, y + height))
    a = math.radians(turn)
    turned = tuple((cx * math.cos(a) - cy * math.sin(a), cx * math.sin(a) + cy * math.cos(a)) for cx, cy in corners)
    return OcrLine(text, turned, score)


def front(number: str = NUMBER, *, turn: float = 0.0, split: bool = False, **over: str) -> list[OcrLine]:
    """The lines of a front as RapidOCR returns them: label and value joined, or split in two boxes."""
    rows = [("姓名", over.get("name", "张丽华"), 50), ("性别", over.get("gender", "女"), 110),
            ("出生", over.get("birth", "1949年12月31日"), 170), ("住址", over.get("address1", "北京市东城区"), 230)]
    lines = []
    for label, value, y in rows:
        if split:
            lines += [line(label, 60, y + 4, turn=turn), line(value, 160, y, turn=turn)]
        else:
            lines.append(line(label + value, 60, y, turn=turn))
    lines.append(line(over.get("ethnicity", "民族汉"), 260, 112, turn=turn))
    lines.append(line(over.get("address2", "景山前街4号"), 160, 272, turn=turn))
    lines.append(line("公民身份号码" + number, 60, 440, turn=turn))
    return lines


def test_a_clean_front_reads_every_field():
    reading = read_card_text(front(), TODAY)
    assert (reading.name, reading.gender, reading.ethnicity, reading.birth_date, reading.address,
            reading.id_number) == ("张丽华", Gender.FEMALE, "汉族", date(1949, 12, 31), "北京市东城区景山前街4号",
                                   NUMBER)
    assert reading.warnings == {}
    assert 0.9 < reading.confidence <= 1


@pytest.mark.parametrize("turn", [-10, -6, 0, 4, 10])
@pytest.mark.parametrize("split", [False, True])
def test_turned_cards_and_labels_in_their_own_boxes(turn, split):
    reading = read_card_text(front(turn=turn, split=split), TODAY)
    assert reading.name == "张丽华"
    assert reading.address == "北京市东城区景山前街4号"
    assert reading.ethnicity == "汉族"
    assert reading.id_number == NUMBER


def test_the_lines_come_in_any_order():
    lines = front(split=True, turn=7)
    assert read_card_text(lines[::-1], TODAY) == read_card_text(lines, TODAY)


@pytest.mark.parametrize("text,label,rest", [
    ("姓名张三", "姓名", "张三"), ("娃名张三", "姓名", "张三"), ("姓各张三", "姓名", "张三"),
    ("张三", "姓名", None), ("公民身份号玛1", "公民身份号码", "1"), ("公民身", "公民身份号码", None),
])
def test_labels_match_when_half_their_characters_do(text, label, rest):
    assert strip_label(text, label) == rest


def test_misread_labels_and_full_width_characters():
    lines = front(NUMBER.replace("X", "Ｘ"), name="张丽华", gender="女", birth="１９４９年１２月３１日")
    lines[0] = line("娃名 张丽华", 60, 50)
    lines[3] = line("住扯北京市东城区", 60, 230)
    reading = read_card_text(lines, TODAY)
    assert (reading.name, reading.birth_date, reading.address, reading.id_number) == (
        "张丽华", date(1949, 12, 31), "北京市东城区景山前街4号", NUMBER)


def test_a_three_line_address_with_its_label_a_row_low():
    lines = [line("姓名王强", 60, 50), line("性别男民族回", 60, 110), line("出生1988年7月15日", 60, 170),
             line("四川省成都市武侯区桂溪", 160, 228), line("住址", 60, 240, width=60),
             line("街道天府大道北段1700", 160, 270), line("号3栋2单元101室", 160, 312),
             line("公民身份号码" + MALE_NUMBER, 60, 440)]
    reading = read_card_text(lines, TODAY)
    assert reading.address == "四川省成都市武侯区桂溪街道天府大道北段1700号3栋2单元101室"
    assert (reading.gender, reading.ethnicity) == (Gender.MALE, "回族")


def test_a_rare_ethnicity_misread_is_matched_and_flagged():
    reading = read_card_text(front(ethnicity="民族傈傈"), TODAY)
    assert reading.ethnicity == "傈僳族"
    assert reading.warnings["ethnicity"]


def test_a_minority_name_keeps_its_middle_dot():
    assert read_card_text(front(name="买买提•艾力"), TODAY).name == "买买提·艾力"


@pytest.mark.parametrize("raw,number", [
    ("11O1O519491231OO2X", NUMBER), ("1I0105I9491231002x", NUMBER), ("110105194912310O2×", NUMBER),
    ("5IO1O7I988O7I5OOI9", MALE_NUMBER), ("S10107198807150019", MALE_NUMBER), ("Z1", "21"),
])
def test_letters_read_for_digits_are_folded(raw, number):
    assert fold_id_number(raw) == number


@pytest.mark.parametrize("place", range(18))
def test_one_misread_digit_is_corrected_or_flagged(place):
    confusions = {"0": "8", "1": "7", "2": "7", "3": "8", "4": "1", "5": "6", "6": "5", "7": "1", "8": "3",
                  "9": "8", "X": "8"}
    wrong = NUMBER[:place] + confusions[NUMBER[place]] + NUMBER[place + 1:]
    number, warnings = resolve_id_number(wrong, birth=date(1949, 12, 31), gender=Gender.FEMALE, today=TODAY)
    if 6 <= place < 14 or place == 17:  # the printed date, or the X: one answer
        assert (number, warnings) == (NUMBER, (f"第{place + 1}位按校验位更正，请核对",))
    else:  # the region or the sequence: corrected when unambiguous, never silently wrong
        assert number == NUMBER or warnings, (number, warnings)
        assert number == NUMBER or warnings == (CHECK_FAILED,) or "更正" in warnings[0]


def test_a_letter_folded_to_the_wrong_digit_is_tried_as_its_look_alikes():
    wrong = NUMBER[:2] + "B" + NUMBER[3:]  # B folds to 8; the 0 it also looks like is the valid one
    assert resolve_id_number(wrong, today=TODAY) == (NUMBER, ("第3位按校验位更正，请核对",))


def test_a_number_that_cannot_be_corrected_says_so():
    number, warnings = resolve_id_number("110105194912310120", today=TODAY)
    assert number == "110105194912310120"
    assert warnings == (CHECK_FAILED,)
    assert resolve_id_number("1101051949", today=TODAY)[1] == ("身份证号应为18位，只认出10位",)


def test_the_printed_birth_date_mends_the_numbers_date():
    wrong = "110105194812310" + "02X"  # 1948 for 1949: check fails
    number, _warnings = resolve_id_number(wrong, birth=date(1949, 12, 31), today=TODAY)
    assert number == NUMBER


def test_birth_date_and_gender_are_checked_against_the_number():
    other = _valid("11010519500101002")  # born 1950-01-01, female
    reading = read_card_text(front(other, gender="男"), TODAY)
    assert reading.id_number == other
    assert reading.warnings["birth_date"] == (BIRTH_MISMATCH,)
    assert reading.warnings["gender"] == (GENDER_MISMATCH,)


@pytest.mark.parametrize("printed", ["1948年12月31日", "949年12月31日"])
def test_a_printed_date_one_digit_off_or_short_of_a_digit_yields_to_a_valid_number(printed):
    reading = read_card_text(front(birth=printed), TODAY)
    assert reading.birth_date == date(1949, 12, 31)
    assert reading.warnings["birth_date"]
    assert BIRTH_MISMATCH not in reading.warnings["birth_date"]


def test_an_unreadable_birth_date_and_gender_come_from_the_number():
    reading = read_card_text(front(birth="口口口", gender="", ethnicity="民族汉"), TODAY)
    assert reading.birth_date == date(1949, 12, 31)
    assert reading.gender is Gender.FEMALE
    assert reading.warnings["birth_date"] == ("未认出，取自身份证号",)


def test_the_back_gives_issuer_and_period_and_merges_with_the_front():
    back = [line("中华人民共和国", 250, 60), line("居民身份证", 270, 150),
            line("签发机关北京市公安局东城分局", 150, 370), line("有效期限2015.03.01一2035.03.01", 150, 430)]
    reading = read_card_text(back, TODAY)
    assert (reading.issuer, reading.valid_period) == ("北京市公安局东城分局", "2015.03.01-2035.03.01")
    both = read_card_text(front(), TODAY).merged(reading)
    assert (both.name, both.issuer) == ("张丽华", "北京市公安局东城分局")


def test_nothing_found_in_unrelated_text():
    assert not read_card_text([line("今天天气很好", 10, 10)], TODAY).found
    assert not read_card_text([], TODAY).found
    assert not CardReading().found
    assert CardReading().confidence == 0


def test_rows_join_boxes_left_to_right_and_drop_a_doubled_joint():
    rows = group_rows([line("贵州省公安局", 290, 370), line("签发机关贵", 150, 370, width=150)])
    assert [r.text for r in rows] == ["签发机关贵州省公安局"]


@settings(max_examples=60, deadline=None)
@given(first17=st.from_regex(r"\A[1-6][0-9]{5}19[5-9][0-9](0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"),
       turn=st.floats(-10, 10), split=st.booleans())
def test_any_valid_number_survives_the_layout(first17, turn, split):
    number = _valid(first17)
    birth = date(int(number[6:10]), int(number[10:12]), int(number[12:14]))
    gender = "男" if int(number[16]) % 2 else "女"
    reading = read_card_text(front(number, turn=turn, split=split, gender=gender,
                                   birth=f"{birth.year}年{birth.month}月{birth.day}日"), TODAY)
    assert reading.id_number == number
    assert reading.birth_date == birth
    assert reading.warnings == {}


@settings(max_examples=60, deadline=None)
@given(first17=st.from_regex(r"\A[1-6][0-9]{5}19[5-9][0-9](0[1-9]|1[0-2])(0[1-9]|1[0-9]|2[0-8])[0-9]{3}\Z"),
       place=st.integers(0, 17), letter=st.sampled_from("OIBSZ"))
def test_a_letter_for_a_digit_never_leaves_a_wrong_number_unflagged(first17, place, letter):
    number = _valid(first17)
    read = number[:place] + letter + number[place + 1:]
    got, warnings = resolve_id_number(read, today=TODAY)
    assert got == number or warnings
