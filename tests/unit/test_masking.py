"""Masking of 身份证号 and phone numbers: examples, and properties over generated values."""
from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediator.domain.masking import MASK, mask_id_number, mask_party, mask_phone

DIGITS = "0123456789"


@pytest.mark.parametrize(("value", "masked"), [
    ("410102198503150012", "410***********0012"),
    ("11010519491231002X", "110***********002X"),
    ("410102850315001", "410********5001"),  # the old 15-digit numbers
    ("410102 19850315 0012", "410*** ******** 0012"),
    ("4101", "****"),
    ("41010219850315001A", "******************"),  # malformed: nothing shown
    ("", ""),
    (None, ""),
])
def test_id_numbers_keep_the_first_three_and_last_four(value, masked):
    assert mask_id_number(value) == masked


@pytest.mark.parametrize(("value", "masked"), [
    ("13812345678", "138****5678"),
    ("138 1234 5678", "138 **** 5678"),
    ("+86 13812345678", "+86 138****5678"),
    ("0571-88886666", "0571-****6666"),
    ("057188886666", "0571****6666"),
    ("010-12345678", "010-****5678"),
    ("(0571)8888666", "(0571)****666"),
    ("12345", "*****"),
    ("1381234567", "**********"),  # one digit short: not a mobile
    ("电话13812345678", "*************"),
    ("", ""),
    (None, ""),
])
def test_phones_keep_the_prefix_and_the_last_digits(value, masked):
    assert mask_phone(value) == masked


def test_full_width_digits_are_masked_too():
    assert mask_phone("１３８１２３４５６７８") == "１３８****５６７８"


ids = st.builds(lambda body, last: body + last,
                st.text(DIGITS, min_size=17, max_size=17), st.sampled_from(DIGITS + "X"))
mobiles = st.builds(lambda second, rest: "1" + second + rest,
                    st.sampled_from("3456789"), st.text(DIGITS, min_size=9, max_size=9))


@given(ids)
def test_an_id_number_never_shows_its_middle(number):
    masked = mask_id_number(number)
    assert len(masked) == len(number)
    assert masked[:3] == number[:3] and masked[-4:] == number[-4:]
    assert masked[3:-4] == MASK * 11


@given(mobiles)
def test_a_mobile_never_shows_its_middle(number):
    masked = mask_phone(number)
    assert len(masked) == 11
    assert masked == number[:3] + MASK * 4 + number[-4:]


@given(st.sampled_from(["010", "021", "0571", "0371"]), st.text(DIGITS, min_size=7, max_size=8),
       st.sampled_from(["", "-"]))
def test_a_landline_keeps_its_area_code_and_hides_half_of_the_number(area, local, dash):
    masked = mask_phone(area + dash + local)
    shown = len(local) // 2
    assert masked == area + dash + MASK * (len(local) - shown) + local[-shown:]


@given(st.one_of(st.none(), st.text(max_size=40)))
def test_any_value_keeps_its_length_and_masking_twice_changes_nothing(value):
    for mask in (mask_id_number, mask_phone):
        masked = mask(value)
        assert len(masked) == len(value or "")
        assert mask(masked) == masked
        # Nothing is added: every shown character is the input's own, at its own place.
        assert all(m == MASK or m == v for m, v in zip(masked, value or "", strict=True))


@given(st.text(DIGITS, min_size=1, max_size=30))
def test_digit_strings_show_only_a_few_digits(value):
    assert sum(c != MASK for c in mask_id_number(value)) <= 7
    assert sum(c != MASK for c in mask_phone(value)) <= 9  # 86 + 138 + the last 4


def test_a_country_code_is_kept_with_the_mobile():
    assert mask_phone("8613812345678") == "86138****5678"


def test_a_party_dict_is_masked_with_its_agent_and_left_unchanged():
    party = {"name": "刘桂兰", "id_number": "41990119480315212X", "phone": "13700000001",
             "agent": {"name": "杨小兰", "phone": "13700000009", "relation": "女儿"}}
    masked = mask_party(party)
    assert masked == {"name": "刘桂兰", "id_number": "419***********212X", "phone": "137****0001",
                      "agent": {"name": "杨小兰", "phone": "137****0009", "relation": "女儿"}}
    assert party["phone"] == "13700000001" and party["agent"]["phone"] == "13700000009"
    assert mask_party({"name": "某公司", "id_number": None, "phone": None, "agent": None}) == \
        {"name": "某公司", "id_number": None, "phone": None, "agent": None}
