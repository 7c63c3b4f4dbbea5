"""The documents service: forms of real cases, settings, user copies of forms, files on disk."""
from __future__ import annotations

import io
import re
from datetime import date

import pytest
from pypdf import PdfReader

from mediator.documents.spec import FormError, FormRenderError
from mediator.domain.enums import Category
from mediator.domain.errors import DomainError, ValidationError
from mediator.services.cases.lifecycle import (
    accept_case,
    fail_mediation,
    register_case,
    reject_case,
    start_mediation,
)
from mediator.services.cases.read import find_case_id
from mediator.services.documents.rendering import (
    BUILTIN_FORMS,
    get_form,
    render,
    render_context,
    render_document,
    write_document,
)
from mediator.services.settings import set_setting
from tests.documents.conftest import sample_context
from tests.helpers import case_input, seed_county


def _text(data: bytes) -> str:
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages)


def test_termination_notice_names_the_reason_and_the_other_routes(ctx):
    seed_county(ctx)
    case_id = register_case(ctx, case_input(category=Category.LABOR)).id
    accept_case(ctx, case_id, date(2026, 10, 14))
    start_mediation(ctx, case_id, date(2026, 10, 15))
    fail_mediation(ctx, case_id, "双方对补偿数额分歧较大", date(2026, 10, 28))
    set_setting(ctx, "documents.date_style", "arabic")
    text = _text(render_document(ctx, case_id, "termination", "pdf"))
    for expected in ["终止调解告知书", "刘桂兰、杨国强：", "2026年10月14日受理",
                     "因双方对补偿数额分歧较大", "《中华人民共和国人民调解法》第二十六条",
                     "仲裁、行政、司法等途径", "仲裁的时效期间为一年", "特此告知。",
                     "（人民调解委员会印）", "2026年10月28日"]:
        assert expected in text, expected


def test_rejection_notice_gives_the_reason(ctx):
    seed_county(ctx)
    case_id = register_case(ctx, case_input()).id
    reject_case(ctx, case_id, "被申请人明确拒绝调解", date(2026, 10, 15))
    text = _text(render_document(ctx, case_id, "rejection", "pdf"))
    for expected in ["不予受理告知书", "刘桂兰：", "你（们）与杨国强之间的邻里纠纷调解申请",
                     "因被申请人明确拒绝调解", "决定不予受理", "向人民法院提起诉讼",
                     "二〇二六年十月十五日"]:
        assert expected in text, expected
    # the registration form records the decision
    text = _text(render_document(ctx, case_id, "registration", "pdf"))
    assert "不予受理（2026年10月15日）：被申请人明确拒绝调解" in text


def test_sample_cases_fill_registration_and_follow_up_forms(ctx, sample_case):
    text = _text(render_document(ctx, sample_case, "follow_up", "pdf"))
    assert "人民调解回访记录" in text and "电话回访" in text and "二〇二六年七月十二日" in text
    administrative = find_case_id(ctx, "SF-2026-003")
    text = _text(render_document(ctx, administrative, "registration", "pdf"))
    assert "行政调解受理登记表" in text and "许大山" in text and "韩二宝" in text


def test_a_form_the_case_cannot_fill_is_refused_in_words(ctx, sample_case):
    pending = find_case_id(ctx, "SF-2026-002")
    with pytest.raises(FormRenderError, match="尚未达成调解协议") as info:
        render_document(ctx, pending, "agreement", "pdf")
    assert isinstance(info.value, DomainError)
    with pytest.raises(DomainError, match="找不到表单"):
        render_document(ctx, sample_case, "no_such_form", "pdf")
    with pytest.raises(ValidationError, match="不支持的文书格式"):
        render_document(ctx, sample_case, "agreement", "odt")


def test_a_users_copy_of_a_form_wins_and_is_checked(tmp_path):
    text = (BUILTIN_FORMS / "agreement.toml").read_text(encoding="utf-8")
    copy = tmp_path / "agreement.toml"
    copy.write_text(text.replace("经调解，自愿达成如下协议：", "经本委员会调解，双方自愿达成如下协议："),
                    encoding="utf-8")
    directories = [tmp_path, BUILTIN_FORMS]
    form = get_form("agreement", directories)
    assert form.path == copy.resolve()
    assert "经本委员会调解，双方自愿达成如下协议：" in _text(render_context(form, sample_context(), "pdf").data)
    copy.write_text(text.replace("{{ agreement.facts }}", "{{ agreement.fact }}"), encoding="utf-8")
    with pytest.raises(FormError) as info:
        get_form("agreement", directories)
    assert info.value.name == "agreement.fact" and info.value.file == copy


def test_write_document_saves_under_the_case_number(ctx, sample_case, tmp_path):
    path = write_document(ctx, sample_case, "agreement", "pdf", tmp_path)
    assert path.name == "（2026）城关人调字第1号-人民调解协议书.pdf"  # 「案号-文书名」
    assert path.read_bytes().startswith(b"%PDF")
    explicit = write_document(ctx, sample_case, "agreement", "docx", tmp_path / "out" / "协议.docx")
    assert explicit == tmp_path / "out" / "协议.docx" and explicit.read_bytes().startswith(b"PK")
    document = render(ctx, sample_case, "agreement", "pdf")
    assert len(document.sha256) == 64 and document.media_type == "application/pdf"
