"""The register of issued documents and `verify`: a file the office issued, unchanged, or not."""
from __future__ import annotations

import io

import pytest
from pypdf import PdfReader, PdfWriter

from mediator.services.audit import verify as verify_audit
from mediator.services.cases.read import find_case_id
from mediator.services.documents.issuing import (
    embedded_code,
    find_by_code,
    issue_document,
    issued_documents,
    issued_file,
    issued_form_ids,
    normalize_code,
    verify_bytes,
    verify_file,
)
from tests.documents.test_new_forms import pdf_text


def test_an_issued_pdf_is_registered_and_verifies(ctx, sample_case, tmp_path):
    issued = issue_document(ctx, sample_case, "agreement", "pdf")
    info = issued.info
    assert (info.case_id, info.form_id, info.fmt, info.issued_by) == (sample_case, "agreement", "pdf", "测试员")
    assert info.number == "（2026）城关人调字第1号" and info.title == "人民调解协议书"
    assert len(info.sha256) == 64 and len(info.verify_code) == 11
    assert info.issued_at.utcoffset().total_seconds() == 8 * 3600  # shown in Asia/Shanghai
    # the QR caption and the keywords carry the code
    assert f"验证码{info.verify_code}" in pdf_text(issued.data)
    assert embedded_code(issued.data) == info.verify_code
    path = tmp_path / "协议.pdf"
    path.write_bytes(issued.data)
    result = verify_file(ctx, path)
    assert result.genuine and result.issued.id == info.id and "真实有效" in result.message
    assert issued_file(ctx, info.id)[1] == issued.data
    assert [d.id for d in issued_documents(ctx, sample_case)] == [info.id]
    assert issued_form_ids(ctx, sample_case) == {"agreement"}


def test_a_tampered_pdf_fails_verification_and_says_so(ctx, sample_case):
    issued = issue_document(ctx, sample_case, "agreement", "pdf")
    reader = PdfReader(io.BytesIO(issued.data))
    writer = PdfWriter(clone_from=reader)
    writer.add_metadata({"/Subject": "改过"})
    changed = io.BytesIO()
    writer.write(changed)
    result = verify_bytes(ctx, changed.getvalue())
    assert not result.genuine and "已被改动" in result.message
    assert result.verify_code == issued.info.verify_code
    # one byte appended is a change too
    assert not verify_bytes(ctx, issued.data + b"\n").genuine


def test_a_file_never_issued_is_not_registered(ctx, sample_case):
    from mediator.services.documents.rendering import render

    draft = render(ctx, sample_case, "agreement", "pdf")  # a draft carries no code
    result = verify_bytes(ctx, draft.data)
    assert not result.genuine and result.message.startswith("未登记") and result.verify_code == ""
    forged = draft.data.replace(b"/Creator", b"/Keywords (MEDIATOR-DOC/1 ABCDE-FGHJK) /Creator", 1)
    assert "不是本单位登记的验证码" in verify_bytes(ctx, forged).message


def test_docx_is_registered_and_verified_too(ctx, sample_case):
    issued = issue_document(ctx, sample_case, "agreement", "docx")
    assert issued.data.startswith(b"PK") and embedded_code(issued.data) == issued.info.verify_code
    assert verify_bytes(ctx, issued.data).genuine


def test_a_paper_copy_is_looked_up_by_its_code(ctx, sample_case):
    issued = issue_document(ctx, sample_case, "registration", "pdf")
    typed = issued.info.verify_code.lower().replace("-", " ")
    assert normalize_code(typed) == issued.info.verify_code
    result = find_by_code(ctx, typed)
    assert result.genuine and result.issued.form_id == "registration"
    assert not find_by_code(ctx, "ZZZZZ-ZZZZZ").genuine


def test_every_issue_is_audited(ctx, sample_case):
    issue_document(ctx, sample_case, "agreement", "pdf")
    issue_document(ctx, sample_case, "follow_up", "pdf")
    assert verify_audit(ctx) == []
    from sqlmodel import select

    from mediator.store.models import AuditEntry

    with ctx.read() as session:
        prints = session.exec(select(AuditEntry).where(AuditEntry.action == "print")).all()
    assert [p.detail["form"] for p in prints] == ["agreement", "follow_up"]


def test_each_issue_gets_its_own_code(ctx, sample_case):
    codes = {issue_document(ctx, sample_case, "agreement", "pdf").info.verify_code for _ in range(3)}
    assert len(codes) == 3


def test_a_form_the_case_cannot_fill_registers_nothing(ctx, sample_case):
    from mediator.documents.spec import FormRenderError

    pending = find_case_id(ctx, "SF-2026-002")
    with pytest.raises(FormRenderError):
        issue_document(ctx, pending, "agreement", "pdf")
    assert issued_documents(ctx, pending) == []
