"""Identity numbers, credit codes, phones and money amounts are checked as DOMAIN.md says."""
from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediator.domain.enums import Gender
from mediator.domain.errors import ValidationError
from mediator.domain.validators import (
    CREDIT_CATEGORIES,
    IdNumberInfo,
    check_person_identity,
    credit_code_check_char,
    fen_to_yuan,
    id_number_check_char,
    normalize_id_number,
    org_code_check_char,
    parse_money,
    validate_credit_code,
    validate_id_number,
    validate_phone,
    yuan_to_fen,
)

TODAY = date(2026, 6, 1)
SAMPLE_ID = "11010519491231002X"
SAMPLE_CREDIT_CODE = "91350100M000100Y43"
CREDIT_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"

@st.composite
def first17_with_birth(draw, min_birth=date(1900, 1, 1), max_birth=TODAY):
    """The first 17 characters of an identity number and the birth date they encode."""
    region = draw(st.text(alphabet="0123456789", min_size=6, max_size=6))
    birth = draw(st.dates(min_value=min_birth, max_value=max_birth))
    sequence = draw(st.text(alphabet="0123456789", min_size=3, max_size=3))
    return f"{region}{birth:%Y%m%d}{sequence}", birth


def with_check(first17: str) -> str:
    return first17 + id_number_check_char(first17)


def refusal(func, *args, **kwargs) -> ValidationError:
    with pytest.raises(ValidationError) as info:
        func(*args, **kwargs)
    return info.value


# --- 身份证号 ---------------------------------------------------------------------------------


def test_domain_example_id_number_is_valid_female_born_1949_12_31():
    assert validate_id_number(SAMPLE_ID, today=TODAY) == IdNumberInfo(
        birth_date=date(1949, 12, 31), gender=Gender.FEMALE
    )


def test_id_number_accepts_lowercase_x_and_spaces():
    info = validate_id_number(" 110105 19491231 002x ", today=TODAY)
    assert info.birth_date == date(1949, 12, 31)
    assert normalize_id_number(" 11010519491231002x ") == SAMPLE_ID


def test_id_number_check_char_of_domain_example_is_x():
    assert id_number_check_char(SAMPLE_ID[:17]) == "X"


def test_id_number_with_wrong_check_digit_is_refused():
    error = refusal(validate_id_number, SAMPLE_ID[:17] + "1", path="p", today=TODAY)
    assert (error.path, error.message) == ("p", "身份证号校验位错误")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "身份证号不能为空"),
        ("110105194912310", "身份证号应为18位"),
        (SAMPLE_ID + "1", "身份证号应为18位"),
        ("11010519491231A02X", "身份证号前17位应为数字"),
        ("11010519491231002Y", "身份证号最后一位应为数字或X"),
        (with_check("11010519490230002"), "身份证号中的出生日期无效"),
        (with_check("11010519491301002"), "身份证号中的出生日期无效"),
        (with_check("11010518991231002"), "身份证号中的出生日期早于1900年1月1日"),
        (with_check("11010520260602002"), "身份证号中的出生日期晚于今天"),
    ],
)
def test_malformed_id_number_is_refused_with_a_chinese_reason(value, message):
    assert refusal(validate_id_number, value, today=TODAY).message == message


def test_id_number_born_today_is_accepted():
    assert validate_id_number(with_check("110105" + f"{TODAY:%Y%m%d}" + "001"), today=TODAY)


@given(first17_with_birth())
def test_id_number_with_computed_check_char_validates_and_encodes_its_birth_date(drawn):
    first17, birth = drawn
    assert validate_id_number(with_check(first17), today=TODAY).birth_date == birth


@given(first17_with_birth(), st.sampled_from("0123456789X"))
def test_id_number_with_any_other_check_char_is_refused(drawn, check):
    first17, _ = drawn
    if check == id_number_check_char(first17):
        return
    assert refusal(validate_id_number, first17 + check, today=TODAY).message == "身份证号校验位错误"


@given(first17_with_birth())
def test_id_number_seventeenth_digit_odd_means_male_even_means_female(drawn):
    first17, _ = drawn
    expected = Gender.MALE if int(first17[16]) % 2 else Gender.FEMALE
    assert validate_id_number(with_check(first17), today=TODAY).gender == expected


@given(first17_with_birth(min_birth=TODAY + timedelta(days=1), max_birth=date(2999, 12, 31)))
def test_id_number_with_future_birth_date_is_refused(drawn):
    first17, _ = drawn
    assert refusal(validate_id_number, with_check(first17), today=TODAY).message == (
        "身份证号中的出生日期晚于今天"
    )


# --- 身份信息一致性 ----------------------------------------------------------------------------


def test_identity_agreeing_with_id_number_has_no_problems():
    assert check_person_identity(SAMPLE_ID, Gender.FEMALE, date(1949, 12, 31), today=TODAY) == []


def test_identity_without_id_number_has_no_problems():
    assert check_person_identity(None, Gender.MALE, date(1980, 1, 1), today=TODAY) == []
    assert check_person_identity("  ", None, None, today=TODAY) == []


def test_gender_and_birth_date_disagreeing_with_id_number_are_both_reported():
    problems = check_person_identity(
        SAMPLE_ID, Gender.MALE, date(1950, 1, 1), path="parties[0]", today=TODAY
    )
    assert [(p.path, p.message) for p in problems] == [
        ("parties[0].gender", "性别与身份证号不符"),
        ("parties[0].birth_date", "出生日期与身份证号不符"),
    ]


def test_invalid_id_number_is_reported_at_the_id_number_path_without_leading_dot():
    problems = check_person_identity(SAMPLE_ID[:17] + "0", Gender.MALE, None, today=TODAY)
    assert [(p.path, p.message) for p in problems] == [("id_number", "身份证号校验位错误")]


def test_future_birth_date_is_reported_even_without_id_number():
    problems = check_person_identity(None, None, TODAY + timedelta(days=1), path="a", today=TODAY)
    assert [(p.path, p.message) for p in problems] == [("a.birth_date", "出生日期晚于今天")]


# --- 统一社会信用代码 --------------------------------------------------------------------------


def test_domain_example_credit_code_is_valid():
    assert validate_credit_code(SAMPLE_CREDIT_CODE) == SAMPLE_CREDIT_CODE
    assert credit_code_check_char(SAMPLE_CREDIT_CODE[:17]) == "3"


def test_credit_code_is_returned_upper_case_without_spaces():
    assert validate_credit_code(" 91350100m000100y43 ") == SAMPLE_CREDIT_CODE


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "统一社会信用代码不能为空"),
        ("91350100M000100Y4", "统一社会信用代码应为18位"),
        ("91350100M000100I43", "统一社会信用代码含有无效字符"),
        ("91350100M000100Y4O", "统一社会信用代码含有无效字符"),
        ("91350100M000100Y44", "统一社会信用代码校验位错误"),
        ("B1350100M000100Y43", "统一社会信用代码第1位（登记管理部门代码）“B”无效"),
        ("94350100M000100Y43", "统一社会信用代码第2位（机构类别代码）“4”无效"),
        ("Y2350100M000100Y43", "统一社会信用代码第2位（机构类别代码）“2”无效"),
        ("91990100M000100Y43", "统一社会信用代码第3至8位应为登记管理机关的行政区划代码"),
        ("913501A0M000100Y43", "统一社会信用代码第3至8位应为登记管理机关的行政区划代码"),
        ("91350100M000100Y53", "统一社会信用代码第9至17位（组织机构代码）校验位错误"),
    ],
)
def test_malformed_credit_code_is_refused(value, message):
    assert refusal(validate_credit_code, value, path="org").message == message


def test_organisation_code_check_char_follows_gb_11714():
    assert org_code_check_char("M000100Y") == "4"  # of the DOMAIN.md example
    assert org_code_check_char("00000000") == "0"  # 11 − 0 = 11 → 0
    assert org_code_check_char("00000001") == "9"  # 11 − 2
    assert org_code_check_char("00000006") == "X"  # 11 − (12 mod 11) = 10 → X


@st.composite
def credit_first17(draw) -> str:
    """The first 17 characters of a well-formed code: department, category, region, org code."""
    department = draw(st.sampled_from(sorted(CREDIT_CATEGORIES)))
    category = draw(st.sampled_from(CREDIT_CATEGORIES[department]))
    region = draw(st.sampled_from(["10", "11", "35", "41", "65", "82"])) + draw(
        st.text(alphabet="0123456789", min_size=4, max_size=4))
    body = draw(st.text(alphabet=CREDIT_ALPHABET, min_size=8, max_size=8))
    return department + category + region + body + org_code_check_char(body)


@given(credit_first17())
def test_credit_code_with_computed_check_char_validates(first17):
    code = first17 + credit_code_check_char(first17)
    assert validate_credit_code(code) == code


@given(credit_first17(), st.sampled_from(CREDIT_ALPHABET))
def test_credit_code_with_any_other_check_char_is_refused(first17, check):
    if check == credit_code_check_char(first17):
        return
    assert refusal(validate_credit_code, first17 + check).message == "统一社会信用代码校验位错误"


# --- 联系电话 ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("13812345678", "13812345678"),
        ("138 1234 5678", "13812345678"),
        ("19912345678", "19912345678"),
        ("0571-88886666", "0571-88886666"),
        ("01088886666", "01088886666"),
        ("010-8888666", "010-8888666"),
    ],
)
def test_mobile_and_landline_with_area_code_are_accepted(value, normalized):
    assert validate_phone(value) == normalized


@pytest.mark.parametrize(
    "value",
    [
        "12812345678",
        "1381234567",
        "138123456789",
        "88886666",
        "0571-888866",
        "abc",
        "+8613812345678",
    ],
)
def test_malformed_phone_is_refused(value):
    error = refusal(validate_phone, value, path="phone")
    assert (error.path, error.message) == ("phone", "联系电话格式不正确（手机号11位，座机需带区号）")


# --- 金额 -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("0", "0.00"),
        ("12050.5", "12050.50"),
        ("8000", "8000.00"),
        (" 0.07 ", "0.07"),
        ("1.230", "1.23"),
        ("-0", "0.00"),
        (8000, "8000.00"),
        (Decimal("100005.07"), "100005.07"),
    ],
)
def test_money_is_read_as_decimal_with_two_places(value, expected):
    result = parse_money(value)
    assert isinstance(result, Decimal)
    assert str(result) == expected


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("-1", "金额不能为负数"),
        (-5, "金额不能为负数"),
        (Decimal("-0.01"), "金额不能为负数"),
        ("1.234", "金额最多两位小数"),
        (Decimal("0.001"), "金额最多两位小数"),
        (1.5, "金额应以字符串或整数给出"),
        (True, "金额应以字符串或整数给出"),
        ("abc", "金额不是有效数字"),
        ("", "金额不是有效数字"),
        ("1e3", "金额不是有效数字"),
        ("1,000", "金额不是有效数字"),
        ("NaN", "金额不是有效数字"),
        ("Infinity", "金额不是有效数字"),
        (Decimal("NaN"), "金额不是有效数字"),
        (Decimal("Infinity"), "金额不是有效数字"),
        ("1000000000000", "金额过大"),
    ],
)
def test_bad_money_is_refused(value, message):
    assert refusal(parse_money, value).message == message


def test_money_message_names_the_field_and_path():
    error = refusal(parse_money, "-3", path="terms[1].amount", field="赔偿金额")
    assert (error.path, error.message) == ("terms[1].amount", "赔偿金额不能为负数")


@given(st.integers(min_value=0, max_value=10**14 - 1))
def test_fen_and_yuan_convert_both_ways(fen):
    yuan = fen_to_yuan(fen)
    assert yuan.as_tuple().exponent == -2
    assert yuan_to_fen(yuan) == fen
    assert parse_money(str(yuan)) == yuan


def test_yuan_with_fraction_of_fen_cannot_be_converted():
    with pytest.raises(ValueError):
        yuan_to_fen(Decimal("0.001"))
