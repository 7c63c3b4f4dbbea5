"""The document context and the composed form: what Art. 29 and DOMAIN.md require, as plain data."""
from __future__ import annotations

from datetime import date

import pytest

from mediator.documents.compose import Closing, Grid, Text, chinese_ordinal, compose
from mediator.documents.spec import FormRenderError
from mediator.services.documents.rendering import get_form
from tests.documents.conftest import sample_context, sample_detail


def _texts(composed) -> list[str]:
    out: list[str] = []
    for element in composed.elements:
        if isinstance(element, Text):
            out.append(element.hanging + element.text)
        elif isinstance(element, Closing):
            out += [i.text for i in element.items if i.text]
        elif isinstance(element, Grid):
            out += [c.text for row in element.rows for c in row.cells if c is not None]
    return out


def test_ages_are_counted_on_the_document_date():
    ctx = sample_context(on=date(2026, 6, 10))
    assert [p.age for p in ctx.parties] == ["78岁", "54岁"]
    # 杨国强 turns 55 on 2026-08-09
    assert sample_context(on=date(2026, 8, 9)).parties[1].age == "55岁"


def test_age_comes_from_the_identity_number_when_no_birth_date_is_kept():
    detail = sample_detail()
    detail["parties"][0]["birth_date"] = None
    assert sample_context(detail).parties[0].age == "78岁"


def test_signing_date_is_written_in_chinese_numerals_by_default_and_arabic_by_setting():
    assert sample_context().date_text == "二〇二六年六月十日"
    assert sample_context(settings={"documents.date_style": "arabic"}).date_text == "2026年6月10日"


def test_amount_in_capitals_and_figures():
    agreement = sample_context().agreement
    assert agreement.amount_text == "人民币叁仟陆佰元整（¥3,600.00）"
    detail = sample_detail()
    detail["agreement"]["amount_yuan"] = "0.00"
    assert sample_context(detail).agreement.amount_text == ""


def test_copies_default_to_parties_plus_one():
    detail = sample_detail()
    detail["agreement"]["copies"] = 0
    agreement = sample_context(detail).agreement
    assert (agreement.copies, agreement.copies_text) == (3, "三")


def test_facts_fall_back_to_the_case_summary():
    assert sample_context().agreement.facts == sample_detail()["summary"]
    detail = sample_detail()
    detail["agreement"]["facts"] = "双方就赡养费数额存在争议。"
    assert sample_context(detail).agreement.facts == "双方就赡养费数额存在争议。"


def test_chinese_term_numbers():
    assert [chinese_ordinal(n) for n in (1, 2, 10, 11, 20, 23)] == ["一", "二", "十", "十一", "二十", "二十三"]


def test_agreement_carries_every_item_of_article_29(agreement_form):
    texts = _texts(compose(agreement_form, sample_context()))
    joined = "\n".join(texts)
    for expected in ["人民调解协议书", "（2026）城关人调字第1号", "刘桂兰", "杨国强", "41990119480315212X",
                     "78岁", "汉族", "农民", "城关镇南街社区3号院", "13700000001",
                     "纠纷主要事实、争议事项：", "经调解，自愿达成如下协议：",
                     "一、杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。",
                     "二、其余子女按同等标准分担。", "履行方式、时限：", "按月转账，于2026年7月5日前履行完毕。",
                     "人民币叁仟陆佰元整（¥3,600.00）",
                     "本协议一式三份，当事人各执一份，调解委员会留存一份。",
                     "人民调解员（签名）：", "记录人（签名）：", "（人民调解委员会印）", "二〇二六年六月十日"]:
        assert expected in joined, expected
    assert texts.count("当事人（签名盖章或按指印）：") == 2


def test_signatures_seal_and_date_form_one_closing_group(agreement_form):
    composed = compose(agreement_form, sample_context())
    closing = composed.elements[-1]
    assert isinstance(closing, Closing)
    assert [i.kind for i in closing.items if i.kind != "spacer"] == [
        "signature", "signature", "signature", "signature", "seal", "date"]


def test_organisation_parties_print_their_code_and_representative(agreement_form):
    detail = sample_detail()
    detail["parties"][1] = {
        "role": "respondent", "kind": "organization", "name": "示范县宏达物业服务有限公司",
        "address": "城关镇建设路8号", "credit_code": "91350100M000100Y43", "representative": "周宏达",
        "phone": "03710000000", "agent": {"name": "吴律", "relation": "律师", "phone": "13900000000"}}
    texts = _texts(compose(agreement_form, sample_context(detail)))
    for expected in ["名称", "示范县宏达物业服务有限公司", "住所", "统一社会信用代码", "91350100M000100Y43",
                     "法定代表人", "周宏达", "委托代理人", "吴律（律师）", "13900000000"]:
        assert expected in texts, expected


def test_variant_follows_the_track(agreement_form):
    detail = sample_detail(track="administrative", organization="城关镇自然资源所")
    texts = _texts(compose(agreement_form, sample_context(detail)))
    assert texts[1] == "行政调解协议书"
    assert "本协议一式三份，当事人各执一份，调解机关留存一份。" in texts
    assert "调解人员（签名）：" in texts and "（调解机关印）" in texts
    detail = sample_detail(track="judicial", track_detail="pre_litigation")
    assert _texts(compose(agreement_form, sample_context(detail)))[1] == "诉前调解的调解协议"


def test_a_case_without_agreement_has_no_agreement_document(agreement_form):
    context = sample_context(sample_detail(agreement=None))
    with pytest.raises(FormRenderError, match="尚未达成调解协议"):
        compose(agreement_form, context)


def test_oral_agreement_lists_the_terms_in_its_table():
    texts = _texts(compose(get_form("oral_agreement"), sample_context()))
    assert ("1. 杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。\n2. 其余子女按同等标准分担。"
            in texts)
    assert "人民调解口头协议登记表" in texts


def test_follow_up_record_prints_the_visit():
    context = sample_context(on=date(2026, 7, 12))
    texts = _texts(compose(get_form("follow_up"), context))
    for expected in ["2026年7月12日", "电话回访", "全部履行", "满意", "已按月支付。", "李建国",
                     "二〇二六年七月十二日"]:
        assert expected in texts, expected
