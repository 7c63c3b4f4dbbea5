"""The cells of an old 台账 as people typed them: dates, amounts, names, words mapped to enums."""
from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest

from mediator.domain.enums import Category, FollowUpMethod, PerformanceResult, Satisfaction
from mediator.domain.ledger_columns import (
    LedgerField,
    find_header_row,
    guess_mapping,
    header_signature,
    mapping_problems,
)
from mediator.domain.ledger_rows import read_row
from mediator.domain.ledger_values import (
    Outcome,
    cell_text,
    parse_amount,
    parse_category,
    parse_date,
    parse_follow_up,
    parse_outcome,
    parse_performance,
    split_codes,
    split_names,
)
from tests.ledger_files import BAD_ID, FEMALE_ID, HEADERS, MALE_ID

TODAY = date(2026, 11, 29)


@pytest.mark.parametrize("value", [datetime(2023, 5, 6, 9, 30), date(2023, 5, 6), "2023.5.6", "2023-05-06",
                                   "2023/5/6", "2023年5月6日", "2023年05月06日 上午"[:11], "20230506",
                                   "2023.05.06 14:00", 45052, 45052.0, "２０２３．５．６"])
def test_every_usual_date_form_is_read(value):
    assert parse_date(value) == date(2023, 5, 6)


@pytest.mark.parametrize("value", ["2023.13.45", "五月六日", "2023年5月", "去年"])
def test_a_date_that_cannot_be_read_names_itself(value):
    with pytest.raises(ValueError, match=f"日期无法识别「{value}」"):
        parse_date(value)


def test_empty_date_is_none():
    assert parse_date(None) is None and parse_date("  ") is None


@pytest.mark.parametrize("value, expected", [
    ("1,200元", "1200.00"), ("1200.5", "1200.50"), (1200.5, "1200.50"), (300, "300.00"),
    ("￥3,000", "3000.00"), ("1.2万元", "12000.00"), ("人民币500元整", "500.00"), ("", "0.00"), (None, "0.00"),
    ("１２００元", "1200.00"),
])
def test_amounts_with_yuan_and_commas(value, expected):
    assert parse_amount(value) == Decimal(expected)


@pytest.mark.parametrize("value, message", [("-500元", "金额为负"), (-3, "金额为负"), ("很多", "金额无法识别"),
                                            ("12.345", "最多两位小数")])
def test_bad_amounts(value, message):
    with pytest.raises(ValueError, match=message):
        parse_amount(value)


def test_several_names_in_one_cell():
    names = ["张三", "李四", "王五", "赵六", "孙七", "周八", "吴九"]
    assert split_names("张三、李四,王五，赵六/孙七\n周八；吴九") == names
    assert split_codes(f"{MALE_ID} {FEMALE_ID}") == [MALE_ID, FEMALE_ID]
    assert cell_text(13803711111.0) == "13803711111"


@pytest.mark.parametrize("text, category, known", [
    ("婚姻家庭纠纷", Category.MARRIAGE_FAMILY, True), ("家庭", Category.MARRIAGE_FAMILY, True),
    ("赡养纠纷", Category.MARRIAGE_FAMILY, True), ("邻里", Category.NEIGHBOR, True),
    ("征地拆迁补偿", Category.LAND_EXPROPRIATION, True), ("土地承包", Category.LAND_FOREST, True),
    ("交通事故损害赔偿", Category.TRAFFIC, True), ("人身损害赔偿", Category.DAMAGES, True),
    ("民间借贷", Category.CONTRACT, True), ("拖欠工资", Category.LABOR, True),
    ("其他", Category.OTHER, True), ("莫名纠纷", Category.OTHER, False), ("", Category.OTHER, True),
])
def test_dispute_kinds_map_to_the_categories(text, category, known):
    assert parse_category(text) == (category, known)


@pytest.mark.parametrize("text, outcome", [
    ("成功", Outcome.AGREED), ("调解成功", Outcome.AGREED), ("达成协议", Outcome.AGREED),
    ("不成功", Outcome.FAILED), ("调解不成功", Outcome.FAILED), ("终止调解", Outcome.FAILED),
    ("未达成协议", Outcome.FAILED), ("撤回", Outcome.WITHDRAWN), ("申请人撤回申请", Outcome.WITHDRAWN),
    ("不予受理", Outcome.REJECTED), ("调解中", Outcome.OPEN), ("", Outcome.OPEN), ("不知道", None),
])
def test_mediation_results(text, outcome):
    assert parse_outcome(text) is outcome


def test_performance_and_follow_up_words():
    assert parse_performance("已履行") is PerformanceResult.FULL
    assert parse_performance("部分履行") is PerformanceResult.PARTIAL
    assert parse_performance("未履行") is PerformanceResult.NONE
    assert parse_performance("不清楚") is None
    assert parse_follow_up("电话回访，双方满意") == (FollowUpMethod.PHONE, Satisfaction.SATISFIED)
    assert parse_follow_up("上门回访，基本满意") == (FollowUpMethod.VISIT, Satisfaction.BASICALLY)
    assert parse_follow_up("对方不满意") == (FollowUpMethod.OTHER, Satisfaction.DISSATISFIED)


def test_the_header_row_is_found_under_a_merged_title():
    rows = [["某镇矛盾纠纷台账", "", ""], ["", "", ""], HEADERS, [1, "张三"]]
    assert find_header_row(rows) == 2
    assert find_header_row([["标题"], ["序号", "备注"]]) is None


def test_mapping_guess_and_its_problems():
    mapping = guess_mapping(["序号", "当事人姓名", "受理时间", "简要案情", "备注", "电话", "结果", "当事人"])
    assert mapping == [LedgerField.SEQ, LedgerField.PARTIES, LedgerField.RECEIVED_ON, LedgerField.SUMMARY,
                       LedgerField.IGNORE, LedgerField.PHONES, LedgerField.OUTCOME, LedgerField.IGNORE]
    assert mapping_problems(mapping) == []
    assert mapping_problems([LedgerField.PARTIES, LedgerField.PARTIES]) == [
        "“当事人”对应了多列，每项只能对应一列", "没有对应“受理日期”的列", "没有对应“纠纷简要情况”的列"]
    assert header_signature([" 序号", "当事人"]) == header_signature(["序号", "当事 人"])


def _row(**cells):
    mapping = guess_mapping(HEADERS)
    values = [cells.get(f.value) for f in mapping]
    return read_row(3, values, mapping, HEADERS, TODAY)


def test_ids_and_phones_of_one_cell_go_to_the_parties_in_order():
    read = _row(parties="张三、李四", id_numbers=f"{MALE_ID}，{FEMALE_ID}", phones="13803711111/13803712222",
                summary="争执", received_on="2023.5.6", genders="男、女")
    assert read.problems == []
    a, b = read.case.parties
    assert (a.name, a.id_number, a.phone, a.gender.value) == ("张三", MALE_ID, "13803711111", "male")
    assert (b.name, b.id_number, b.role.value) == ("李四", FEMALE_ID, "respondent")


def test_row_problems_name_the_column_and_the_value():
    read = _row(parties="张三", id_numbers=BAD_ID, summary="争执", received_on="2023.5.6", genders="女",
                amount="-1元", mediated_on="2023.5.1")
    assert read.case is None
    assert [(p.row, p.column, p.message) for p in read.problems] == [
        (3, "调解日期", "调解日期2023-05-01早于受理日期2023-05-06"),
        (3, "身份证号", f"身份证号校验位错误「{BAD_ID}」"),
        (3, "涉及金额", "金额为负「-1元」"),
    ]
    too_many = _row(parties="张三", id_numbers=f"{MALE_ID}、{FEMALE_ID}", summary="x", received_on="2023.5.6")
    assert [p.message for p in too_many.problems] == ["身份证号有2个，多于当事人（1人）"]


def test_the_key_is_the_rows_content_not_its_place():
    one = _row(parties="张三", summary="争执", received_on="2023.5.6", seq=1).case
    two = _row(parties="张三", summary="争 执", received_on=date(2023, 5, 6), seq=9, outcome="成功").case
    other = _row(parties="张三", summary="争执", received_on="2023.5.7").case
    assert one.key == two.key != other.key
    headers = ["案号", "当事人", "纠纷简要情况", "受理日期"]
    numbered = read_row(3, ["（2023）城关调字第5号", "张三", "争执", "2023.5.6"], guess_mapping(headers),
                        headers, TODAY).case
    assert numbered.key != one.key and len(numbered.key) <= 64


def test_an_id_number_excel_stored_as_a_number_is_explained():
    read = _row(parties="张三", id_numbers=float(MALE_ID[:17] + "0"), summary="x", received_on="2023.5.6")
    assert [p.message for p in read.problems] == [
        "身份证号在Excel中存成了数字，末几位已经丢失：请把该列设为“文本”后重新录入"]
