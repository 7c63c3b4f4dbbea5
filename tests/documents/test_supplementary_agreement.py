"""变更（补充）协议书: title by kind, the original agreement named, the new terms and the reason,
PDF and DOCX; offered in the workspace for the latest one, issued, and filed in the dossier."""
from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date
from pathlib import Path

import pytest

from mediator.documents.compose import compose
from mediator.documents.spec import FormRenderError
from mediator.domain.case_detail import SupplementRecord
from mediator.domain.dossier import DossierSource, dossier_items
from mediator.domain.enums import SupplementKind
from mediator.services.cases.read import case_detail
from mediator.services.cases.supplementary import add_supplementary_agreement
from mediator.services.documents.dossier_pdf import build_dossier
from mediator.services.documents.forms import forms_for_case
from mediator.services.documents.issuing import issue_document, verify_bytes
from mediator.services.documents.rendering import render, render_context
from mediator.services.documents.samples import sample_detail
from tests.documents.test_new_forms import _context, docx_text, in_order, pdf_text
from tests.documents.test_new_forms import both as both_formats

FORM = "supplementary_agreement"
TERM = "刘桂兰每年的体检费用由子女三人平均分担，于体检后十日内凭票据支付。"
REASON = "申请人年事已高，需定期体检，原协议未约定体检费用的分担。"


def test_a_supplement_prints_its_title_the_original_agreement_terms_and_reason():
    pdf, docx = both_formats(FORM)
    for text in (pdf, docx):
        in_order(text, ["示例镇人民调解委员会", "补充协议书", "（2026）示例人调字第1号", "申请人", "刘桂兰",
                        "被申请人", "杨国强", "原协议：", "2026年6月10日", "人民调解协议书",
                        "（2026）示例人调字第1号", "补充原因：", REASON, "如下补充：", "一、", TERM,
                        "原协议条款继续履行", "本协议一式三份", "当事人（签名盖章或按指印）：",
                        "人民调解员（签名）：", "（人民调解委员会印）", "二〇二六年七月十五日"])
        assert "变更协议书" not in text


def test_a_change_is_titled_a_change_and_keeps_the_other_terms():
    change = SupplementRecord(2, "change", date(2026, 8, 1), ("赡养费改为每月10日前支付。", "其余不变。"),
                              "被申请人工资发放日调整。")
    pdf, docx = both_formats(FORM, supplements=(change,))
    for text in (pdf, docx):
        in_order(text, ["变更协议书", "原协议：", "2026年6月10日", "变更原因：", "被申请人工资发放日调整。",
                        "如下变更：", "一、", "赡养费改为每月10日前支付。", "二、", "其余不变。",
                        "原协议其他条款不变，继续履行。", "二〇二六年八月一日"])
        assert "补充协议书" not in text


def test_the_latest_one_is_printed_and_names_the_file():
    first = SupplementRecord(1, "change", date(2026, 7, 1), ("第一次变更的条款。",), "第一次的原因。")
    second = SupplementRecord(2, "supplement", date(2026, 8, 1), ("第二次补充的条款。",), "第二次的原因。")
    form, context = _context(FORM, supplements=(first, second))
    composed = compose(form, context)
    assert composed.title == "补充协议书"
    document = render_context(form, context, "pdf")
    assert document.filename == "（2026）示例人调字第1号-补充协议书.pdf"
    assert "第二次补充的条款。" in pdf_text(document.data) and "第一次" not in pdf_text(document.data)


def test_the_administrative_track_names_its_own_agreement_and_seal():
    form, context = _context(FORM)
    context = replace(context, track="administrative")
    words = docx_text(render_context(form, context, "docx").data)
    assert "行政调解协议书，案号为" in words and "（调解机关印）" in words


def test_without_a_supplement_the_form_is_refused_in_words():
    form, context = _context(FORM, supplements=())
    with pytest.raises(FormRenderError, match="尚无变更（补充）协议"):
        compose(form, context)


@pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler-utils (pdftoppm) not installed")
def test_its_pages_render_to_images(tmp_path: Path):
    form, context = _context(FORM)
    pdf = tmp_path / "supplement.pdf"
    pdf.write_bytes(render_context(form, context, "pdf").data)
    subprocess.run(["pdftoppm", "-png", "-r", "40", str(pdf), str(tmp_path / "p")], check=True, timeout=60)
    pages = sorted(tmp_path.glob("p-*.png"))
    assert pages and all(p.stat().st_size > 2000 for p in pages)


def test_the_dossier_files_each_one_after_the_agreement():
    detail = sample_detail(FORM)
    later = SupplementRecord(2, "change", date(2026, 8, 1), ("改为每月10日前支付。",), "工资日调整。")
    detail = detail.with_changes(supplements=(*detail.supplements, later))
    item = next(i for i in dossier_items(DossierSource(detail, {}, (), frozenset())) if i.title == "协议书")
    assert [(p.title, p.form_id) for p in item.parts] == [
        ("调解协议书", "agreement"), ("补充协议书", FORM), ("变更协议书", FORM)]
    assert item.parts[2].date == "2026年8月1日"


# --- a case in the database ------------------------------------------------------------------------

@pytest.fixture
def supplemented(ctx, sample_case):
    add_supplementary_agreement(ctx, sample_case, SupplementKind.CHANGE, date(2026, 8, 1),
                                ["杨国强自2026年9月起每月10日前支付赡养费。"], "杨国强工资发放日调整。")
    return sample_case


def test_the_case_reads_its_supplements(ctx, supplemented):
    detail = case_detail(ctx, supplemented)
    assert detail.supplements == (SupplementRecord(1, "change", date(2026, 8, 1),
                                                   ("杨国强自2026年9月起每月10日前支付赡养费。",),
                                                   "杨国强工资发放日调整。", "测试员"),)
    assert detail.as_json()["supplements"][0]["signed_on"] == "2026-08-01"
    assert type(detail).from_json(detail.as_json()).supplements == detail.supplements


def test_the_workspace_offers_it_only_once_there_is_one(ctx, sample_case):
    offered = {f.id: f for f in forms_for_case(ctx, sample_case)}[FORM]
    assert not offered.available and offered.reason == "本案尚无变更（补充）协议"
    add_supplementary_agreement(ctx, sample_case, SupplementKind.SUPPLEMENT, date(2026, 8, 1),
                                ["补充条款。"], "补充原因。")
    offered = {f.id: f for f in forms_for_case(ctx, sample_case)}[FORM]
    assert offered.available and offered.title == "变更（补充）协议书"


@pytest.mark.parametrize("fmt", ["pdf", "docx"])
def test_it_is_issued_with_a_verification_code(ctx, supplemented, fmt):
    issued = issue_document(ctx, supplemented, FORM, fmt)
    text = pdf_text(issued.data) if fmt == "pdf" else docx_text(issued.data)
    in_order(text, ["变更协议书", "（2026）城关人调字第1号", "原协议：", "2026年6月10日",
                    "变更原因：", "杨国强工资发放日调整。", "杨国强自2026年9月起每月10日前支付赡养费。",
                    "二〇二六年八月一日"])
    assert issued.info.filename.endswith(f"变更协议书.{fmt}")
    assert verify_bytes(ctx, issued.data).genuine


def test_the_dossier_pdf_lists_it_after_the_agreement(ctx, supplemented):
    document = build_dossier(ctx, supplemented)
    words = pdf_text(document.data)
    in_order(words, ["卷内目录", "人民调解协议书", "变更协议书", "卷宗情况说明"])
    assert "杨国强工资发放日调整。" in words
    assert render(ctx, supplemented, FORM, "pdf").title == "变更协议书"
