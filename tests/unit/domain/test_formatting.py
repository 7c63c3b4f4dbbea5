"""人民币大写, document dates, case numbers and ages are written as DOMAIN.md says."""
from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediator.domain.formatting import (
    DEFAULT_CASE_NUMBER_PATTERN,
    age_on,
    arabic_date,
    chinese_date,
    document_date,
    format_case_number,
    parse_case_number,
    rmb_upper,
)

# --- 人民币大写 --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("amount", "text"),
    [
        ("8000", "人民币捌仟元整"),
        ("12050.50", "人民币壹万贰仟零伍拾元伍角"),
        ("100005.07", "人民币壹拾万零伍元零柒分"),
        ("0.30", "人民币叁角"),
        ("10", "人民币壹拾元整"),
        ("0", "人民币零元整"),
        ("1000000", "人民币壹佰万元整"),
        ("100000000", "人民币壹亿元整"),
        ("10.05", "人民币壹拾元零伍分"),
        ("1010", "人民币壹仟零壹拾元整"),
        ("100100", "人民币壹拾万零壹佰元整"),
        ("0.05", "人民币伍分"),
        ("100000001", "人民币壹亿零壹元整"),
        ("10100000", "人民币壹仟零壹拾万元整"),
        ("0.35", "人民币叁角伍分"),
        ("999999999999.99", "人民币玖仟玖佰玖拾玖亿玖仟玖佰玖拾玖万玖仟玖佰玖拾玖元玖角玖分"),
    ],
)
def test_rmb_upper_matches_the_written_examples(amount, text):
    assert rmb_upper(Decimal(amount)) == text
    assert rmb_upper(amount) == text


def test_rmb_upper_accepts_integers():
    assert rmb_upper(8000) == "人民币捌仟元整"


@pytest.mark.parametrize("amount", ["-1", Decimal("-0.01"), "1.001", "1000000000000", "abc", "NaN"])
def test_rmb_upper_refuses_negative_fractional_fen_too_large_or_non_numbers(amount):
    with pytest.raises(ValueError):
        rmb_upper(amount)


def test_rmb_upper_refuses_floats():
    with pytest.raises(TypeError):
        rmb_upper(1.5)


UPPER_DIGITS = "零壹贰叁肆伍陆柒捌玖"
UNITS = {"拾": 10, "佰": 100, "仟": 1000}


def parse_upper(text: str) -> Decimal:
    """An independent reader of 人民币大写, used only to check rmb_upper."""
    assert text.startswith("人民币")
    body = text.removeprefix("人民币").removesuffix("整")
    integer_text, _, fraction_text = body.rpartition("元")
    total = section = number = 0
    for ch in integer_text:
        if ch in UPPER_DIGITS:
            number = UPPER_DIGITS.index(ch)
        elif ch in UNITS:
            section += number * UNITS[ch]
            number = 0
        elif ch == "万":
            total += (section + number) * 10**4
            section = number = 0
        elif ch == "亿":
            total = (total + section + number) * 10**8
            section = number = 0
        else:
            raise AssertionError(f"unexpected {ch!r} in {text}")
    yuan = total + section + number
    cents = number = 0
    for ch in fraction_text:
        if ch in UPPER_DIGITS:
            number = UPPER_DIGITS.index(ch)
        elif ch == "角":
            cents += number * 10
        elif ch == "分":
            cents += number
        else:
            raise AssertionError(f"unexpected {ch!r} in {text}")
    return Decimal(yuan) + Decimal(cents).scaleb(-2)


def zero_heavy_fen() -> st.SearchStrategy[int]:
    """Amounts in fen whose digits are mostly zeros, where 零 rules are hardest."""
    return st.lists(st.sampled_from([0, 0, 0, 1, 5, 9]), min_size=1, max_size=14).map(
        lambda ds: int("".join(map(str, ds)))
    )


amounts = st.one_of(st.integers(0, 10**12 - 1), zero_heavy_fen()).map(
    lambda fen: Decimal(fen).scaleb(-2)
)


@given(amounts)
def test_rmb_upper_reads_zeros_once_and_never_before_a_unit_or_at_the_end(amount):
    text = rmb_upper(amount)
    assert text.startswith("人民币")
    if amount == 0:
        assert text == "人民币零元整"
        return
    assert "零零" not in text
    assert not any(f"零{unit}" in text for unit in "元万亿")
    assert not text.endswith("零")
    assert text[-1] in "整角分"
    assert text.endswith("整") == (amount == amount.to_integral_value())


@given(amounts)
def test_rmb_upper_read_back_gives_the_same_amount(amount):
    assert parse_upper(rmb_upper(amount)) == amount


def test_reverse_parser_reads_the_examples():
    assert parse_upper("人民币壹拾万零伍元零柒分") == Decimal("100005.07")
    assert parse_upper("人民币叁角") == Decimal("0.30")


# --- 日期 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (date(2026, 11, 28), "二〇二六年十一月二十八日"),
        (date(2020, 1, 1), "二〇二〇年一月一日"),
        (date(2026, 10, 10), "二〇二六年十月十日"),
        (date(2026, 12, 31), "二〇二六年十二月三十一日"),
        (date(2026, 5, 20), "二〇二六年五月二十日"),
    ],
)
def test_chinese_date_reads_like_a_legal_document(day, text):
    assert chinese_date(day) == text


def test_arabic_date_reads_like_an_official_document():
    assert arabic_date(date(2026, 11, 28)) == "2026年11月28日"
    assert arabic_date(date(2026, 1, 5)) == "2026年1月5日"


def test_document_date_follows_the_office_style():
    day = date(2026, 11, 28)
    assert document_date(day) == "二〇二六年十一月二十八日"
    assert document_date(day, "chinese") == "二〇二六年十一月二十八日"
    assert document_date(day, "arabic") == "2026年11月28日"
    with pytest.raises(ValueError):
        document_date(day, "roman")


CN_DIGITS = "〇一二三四五六七八九"


def read_small_chinese_number(text: str) -> int:
    if "十" not in text:
        return CN_DIGITS.index(text)
    tens, _, ones = text.partition("十")
    return (CN_DIGITS.index(tens) if tens else 1) * 10 + (CN_DIGITS.index(ones) if ones else 0)


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(2999, 12, 31)))
def test_chinese_date_read_back_gives_the_same_day(day):
    year, rest = chinese_date(day).split("年")
    month, rest = rest.split("月")
    assert rest.endswith("日")
    assert date(
        int("".join(str(CN_DIGITS.index(c)) for c in year)),
        read_small_chinese_number(month),
        read_small_chinese_number(rest.removesuffix("日")),
    ) == day


# --- 案号 -------------------------------------------------------------------------------------


def test_case_number_is_formatted_with_the_default_pattern():
    assert format_case_number(2026, "河湾", "人调", 12) == "（2026）河湾人调字第12号"
    assert DEFAULT_CASE_NUMBER_PATTERN == "（{year}）{short}{track_word}字第{seq}号"


def test_case_number_follows_a_custom_pattern():
    assert format_case_number(2026, "河湾", "行调", 3, "{short}{track_word}〔{year}〕{seq}号") == (
        "河湾行调〔2026〕3号"
    )


def test_case_number_sequence_starts_at_one():
    with pytest.raises(ValueError):
        format_case_number(2026, "河湾", "人调", 0)


def test_case_number_is_parsed_back():
    assert parse_case_number("（2026）河湾人调字第12号") == (2026, "河湾", "人调", 12)
    assert parse_case_number(" (2025)城关诉调字第1号 ") == (2025, "城关", "诉调", 1)


@pytest.mark.parametrize(
    "text",
    [
        "",
        "（2026）河湾民调字第12号",
        "（2026）人调字第12号",
        "（26）河湾人调字第12号",
        "（2026）河湾人调字第0号",
        "（2026）河湾人调字第十二号",
    ],
)
def test_text_that_is_not_a_case_number_parses_to_none(text):
    assert parse_case_number(text) is None


@given(
    st.integers(1990, 2100),
    st.text(alphabet="河湾镇村社区调委会人民行诉城关", min_size=1, max_size=10),
    st.sampled_from(["人调", "行调", "诉调"]),
    st.integers(1, 100_000),
)
def test_case_number_format_and_parse_round_trip(year, short, track_word, seq):
    assert parse_case_number(format_case_number(year, short, track_word, seq)) == (
        year, short, track_word, seq,
    )


# --- 年龄与遮挡 --------------------------------------------------------------------------------


def test_age_goes_up_on_the_birthday():
    birth = date(1990, 6, 15)
    assert age_on(birth, date(2026, 6, 14)) == 35
    assert age_on(birth, date(2026, 6, 15)) == 36
    assert age_on(birth, birth) == 0


def test_age_of_someone_born_on_29_february_goes_up_on_1_march_in_common_years():
    birth = date(2008, 2, 29)
    assert age_on(birth, date(2026, 2, 28)) == 17
    assert age_on(birth, date(2026, 3, 1)) == 18
    assert age_on(birth, date(2028, 2, 29)) == 20


def test_age_before_birth_is_an_error():
    with pytest.raises(ValueError):
        age_on(date(2000, 1, 2), date(2000, 1, 1))
