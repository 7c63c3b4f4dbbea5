"""The forms of DOMAIN's table beyond the agreement: what each must say, in order, PDF and DOCX."""
from __future__ import annotations

import io
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest
from docx import Document
from docx.oxml.ns import qn
from docx.text.paragraph import Paragraph
from pypdf import PdfReader

from mediator.documents.compose import compose
from mediator.documents.spec import FormRenderError
from mediator.services.documents.rendering import (
    build_context,
    document_day,
    get_form,
    render_context,
)
from mediator.services.documents.samples import sample_detail

ROLE_LABELS = {"applicant", "respondent"}


def _context(form_id: str, **changes):
    detail = sample_detail(form_id).with_changes(**changes)
    form = get_form(form_id)
    return form, build_context(detail, {}, on=document_day(detail, form.dated, date(2026, 7, 20)))


def pdf_text(data: bytes) -> str:
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages)


def docx_text(data: bytes) -> str:
    """The DOCX's words in document order (paragraphs and table cells as they come)."""
    doc = Document(io.BytesIO(data))
    parts: list[str] = []
    for block in doc.element.body.iterchildren():
        if block.tag == qn("w:p"):
            parts.append(Paragraph(block, doc).text)
        elif block.tag == qn("w:tbl"):
            for cell in block.iter(qn("w:tc")):
                parts.append("".join(t.text or "" for t in cell.iter(qn("w:t"))))
    return re.sub(r"\s+", "", "".join(parts))


def in_order(text: str, expected: list[str]) -> None:
    position = 0
    for word in expected:
        found = text.find(word, position)
        assert found >= 0, f"{word!r} missing after position {position}"
        position = found + len(word)


def both(form_id: str, **changes) -> tuple[str, str]:
    form, context = _context(form_id, **changes)
    pdf = render_context(form, context, "pdf")
    assert pdf.warnings == []
    return pdf_text(pdf.data), docx_text(render_context(form, context, "docx").data)


def test_application_lists_the_parties_without_identity_numbers_and_asks_for_mediation():
    pdf, docx = both("application")
    for text in (pdf, docx):
        in_order(text, ["示例镇人民调解委员会", "人民调解申请书", "（2026）示例人调字第1号", "申请人", "刘桂兰",
                        "78岁", "被申请人", "杨国强", "委托代理人", "杨小兰（女儿）", "纠纷事实：",
                        "三名子女对赡养费的分担意见不一", "申请事项：", "请求确定子女赡养费的分担方式。",
                        "自愿申请示例镇人民调解委员会依法调解", "此致", "示例镇人民调解委员会",
                        "申请人（签名或按指印）：", "二〇二六年六月一日"])
        assert "身份证号" not in text and "41990119480315212X" not in text
        assert text.count("申请人（签名或按指印）：") == 1  # the applicant signs, not the respondent


def test_rights_notice_tells_the_statute_and_every_party_signs():
    pdf, docx = both("rights_notice")
    for text in (pdf, docx):
        in_order(text, ["人民调解当事人权利义务告知书", "刘桂兰、杨国强：",
                        "人民调解委员会是依法设立的调解民间纠纷的群众性组织", "自愿、平等",
                        "第三条", "不收取任何费用", "第四条", "第二十三条",
                        "（一）选择或者接受人民调解员", "（二）接受调解、拒绝调解或者要求终止调解",
                        "（三）要求调解公开进行或者不公开进行", "（四）自主表达意愿、自愿达成调解协议",
                        "（五）委托代理人参加调解", "第二十四条", "（一）如实陈述纠纷事实",
                        "（二）遵守调解现场秩序，尊重人民调解员", "（三）尊重对方当事人行使权利",
                        "具有法律约束力", "第三十一条", "三十日内共同向人民法院申请司法确认",
                        "第三十三条", "特此告知。", "当事人（签名或按指印）：", "（人民调解委员会印）",
                        "二〇二六年六月二日"])
        assert text.count("当事人（签名或按指印）：") == 2


def test_investigation_record_prints_the_investigation():
    pdf, docx = both("investigation")
    for text in (pdf, docx):
        in_order(text, ["人民调解调查记录", "编号：（2026）示例人调字第1号", "调查时间", "2026年6月4日",
                        "调查地点", "示例镇南街社区3号院", "被调查人", "刘桂兰、杨国强的邻居赵大妈",
                        "调查人", "李建国、王秀英", "调查记录", "经走访，申请人独居",
                        "被调查人签名", "调查人签名", "记录人签名", "二〇二六年六月四日"])


def test_session_record_prints_the_last_mediation_with_its_result():
    pdf, docx = both("session")
    for text in (pdf, docx):
        in_order(text, ["人民调解记录", "调解时间", "2026年6月10日", "调解地点", "示例镇人民调解室",
                        "当事人", "刘桂兰、杨国强", "参加人员", "刘桂兰、杨国强、杨小兰", "人民调解员",
                        "李建国、王秀英", "记录人", "调解经过", "讲解了《中华人民共和国民法典》",
                        "调解结果", "达成调解协议", "当事人签名", "人民调解员签名", "记录人签名",
                        "二〇二六年六月十日"])


def test_judicial_confirmation_is_a_joint_application_with_identity_numbers():
    pdf, docx = both("judicial_confirmation")
    for text in (pdf, docx):
        in_order(text, ["司法确认申请书", "（2026）示例人调字第1号", "申请人", "刘桂兰",
                        "41990119480315212X", "申请人", "杨国强", "419901197108093512",
                        "请求事项：",
                        "请求人民法院确认申请人于2026年6月10日经示例镇人民调解委员会主持调解达成的调解协议有效。",
                        "事实与理由：", "一、杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。",
                        "二、刘桂兰的医疗费用凭票据由子女三人平均分担。", "没有恶意串通、规避法律的行为",
                        "《中华人民共和国人民调解法》第三十三条", "第二百零五条", "三十日内共同申请司法确认",
                        "此致", "示例县人民法院", "附：调解协议书一份", "申请人（签名或按指印）：",
                        "二〇二六年六月二十日"])
        assert "被申请人" not in text  # both sides apply together
        assert text.count("申请人（签名或按指印）：") == 2


def test_judicial_confirmation_before_the_court_is_known_leaves_a_blank():
    pdf, _docx = both("judicial_confirmation", judicial_confirmation=None)
    assert "此致人民法院" in pdf


def test_advisor_review_prints_the_opinion():
    pdf, docx = both("advisor_review")
    for text in (pdf, docx):
        in_order(text, ["法律顾问审查意见书", "法律顾问", "陈律师", "送审日期", "2026年6月8日",
                        "审查结论", "同意", "审查意见", "协议内容不违反法律", "法律顾问（签名）：",
                        "二〇二六年六月九日", "附：送审的协议草稿（第2稿）", "拟定协议条款：", "一、",
                        "杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。", "二、",
                        "履行方式：按月转账。", "履行期限：2026年7月5日前。",
                        "涉及金额：人民币叁仟陆佰元整（¥3,600.00）。"])


def test_advisor_review_without_a_draft_prints_none():
    detail = sample_detail("advisor_review")
    review = replace(detail.advisor_reviews[0], draft=None)
    pdf, docx = both("advisor_review", advisor_reviews=(review,))
    for text in (pdf, docx):
        assert "协议内容不违反法律" in text and "送审的协议草稿" not in text and "拟定协议条款" not in text


@pytest.mark.parametrize(("form_id", "missing", "message"), [
    ("investigation", {"sessions": []}, "尚无调查记录"),
    ("session", {"sessions": []}, "尚无调解记录"),
    ("advisor_review", {"advisor_reviews": []}, "尚无法律顾问审查意见"),
    ("judicial_confirmation", {"agreement": None}, "尚未达成调解协议"),
])
def test_a_form_without_its_record_is_refused_in_words(form_id, missing, message):
    form, context = _context(form_id, **missing)
    with pytest.raises(FormRenderError, match=message):
        compose(form, context)


def test_an_issued_form_carries_its_qr_code_and_a_draft_none():
    form, context = _context("agreement")
    assert compose(form, context).qr is None

    composed = compose(form, replace(context, verify_code="7KQ2M-9XDPA"))
    assert composed.qr is not None
    scheme, number, form_id, code, digest = composed.qr.payload.split("|")
    assert (scheme, number, form_id, code) == ("MEDIATOR-DOC/1", "（2026）示例人调字第1号", "agreement",
                                               "7KQ2M-9XDPA")
    assert len(digest) == 16 and composed.qr.caption == "验证码 7KQ2M-9XDPA"
    data = render_context(form, replace(context, verify_code="7KQ2M-9XDPA"), "pdf").data
    assert b"MEDIATOR-DOC/1 7KQ2M-9XDPA" in data  # the keywords, where `verify` finds the code
    assert "验证码7KQ2M-9XDPA" in pdf_text(data)


def test_no_line_starts_with_a_comma_or_colon():
    form, context = _context("judicial_confirmation")
    reader = PdfReader(io.BytesIO(render_context(form, context, "pdf").data))
    lines = [ln.strip() for page in reader.pages for ln in page.extract_text().splitlines()]
    assert not [ln for ln in lines if ln[:1] in "，：；。、）"]


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
@pytest.mark.parametrize("form_id", ["application", "rights_notice", "investigation", "session",
                                     "judicial_confirmation", "advisor_review"])
def test_every_page_renders_to_an_image(tmp_path: Path, form_id):
    form, context = _context(form_id)
    pdf = tmp_path / f"{form_id}.pdf"
    pdf.write_bytes(render_context(form, context, "pdf").data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / form_id)], check=True,
                   timeout=60)
    pages = sorted(tmp_path.glob(f"{form_id}-*.png"))
    assert pages and all(p.stat().st_size > 2000 for p in pages)


@pytest.mark.skipif(shutil.which("zbarimg") is None or shutil.which("pdftoppm") is None,
                    reason="zbar-tools (zbarimg) or poppler-utils not installed: QR not decoded")
def test_the_printed_qr_code_reads_back_as_number_form_and_code(tmp_path: Path):

    form, context = _context("agreement")
    context = replace(context, verify_code="7KQ2M-9XDPA")
    pdf = tmp_path / "agreement.pdf"
    pdf.write_bytes(render_context(form, context, "pdf").data)
    subprocess.run(["pdftoppm", "-png", "-r", "200", "-f", "1", "-l", "1", str(pdf),
                    str(tmp_path / "page")], check=True, timeout=60)
    image = next(tmp_path.glob("page-*.png"))
    out = subprocess.run(["zbarimg", "-q", "--raw", str(image)], capture_output=True, timeout=60)
    assert out.stdout.decode("utf-8").strip() == compose(form, context).qr.payload
    assert out.stdout.decode("utf-8").startswith("MEDIATOR-DOC/1|（2026）示例人调字第1号|agreement|7KQ2M-9XDPA|")


def test_rare_names_and_very_long_facts_flow_onto_more_pages_without_losing_text():
    facts = "".join(f"第{n}段：双方就宅基地东侧围墙的位置、高度及排水沟走向各执一词，"
                    "经现场勘查和询问四邻，调解员逐项核对了界址。" for n in range(1, 41))
    sample = sample_detail()
    first, second = sample.parties[:2]
    detail = sample.with_changes(
        agreement=replace(sample.agreement, facts=facts),
        parties=(replace(first, name="王㙟"), replace(second, name="𠮷祥"), *sample.parties[2:]))
    form = get_form("agreement")
    context = build_context(detail, {}, on=date(2026, 6, 10))
    result = render_context(form, context, "pdf")
    text = re.sub(r"—\d+—", "", pdf_text(result.data))  # the page numbers between the pages
    assert len(PdfReader(io.BytesIO(result.data)).pages) >= 3
    assert facts.replace(" ", "") in text  # every paragraph across the page breaks, in order
    for name, rare in (("王㙟", "㙟"), ("𠮷祥", "𠮷")):
        # drawn with a fallback font, or marked 〓 and warned about — never silently lost
        assert name in text or (name.replace(rare, "〓") in text
                                and any(rare in w for w in result.warnings)), name
    docx = docx_text(render_context(form, context, "docx").data)
    assert facts in docx and "王㙟" in docx and "𠮷祥" in docx
