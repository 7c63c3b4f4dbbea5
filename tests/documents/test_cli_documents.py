"""`mediator-cli doc / dossier / verify / documents …` on an imported case."""
from __future__ import annotations

import io

import pytest
from docx import Document

from mediator.cli import main
from mediator.services.cases.read import find_case_id
from mediator.services.documents.issuing import issued_documents
from mediator.services.exchange.importer import import_document
from tests.documents.test_new_forms import pdf_text
from tests.helpers import sample_document
from tests.templates import migrated_sqlite

ARTICLE_29 = ["（2026）城关人调字第1号", "人民调解协议书", "刘桂兰", "杨国强", "41990119480315212X",
              "纠纷主要事实、争议事项", "经调解，自愿达成如下协议：", "一、杨国强自2026年7月起",
              "履行方式、时限", "2026年7月5日前履行完毕", "人民币叁仟陆佰元整（¥3,600.00）",
              "本协议一式三份，当事人各执一份，调解委员会留存一份。", "当事人（签名盖章或按指印）：",
              "人民调解员（签名）：", "记录人（签名）：", "（人民调解委员会印）", "二〇二六年六月十日"]


@pytest.fixture
def database(tmp_path):
    """A SQLite file with the sample cases (the CLI reaches a database by its URL)."""
    from mediator.services.context import ServiceContext

    db = migrated_sqlite(tmp_path / 'cli.db')
    import_document(ServiceContext(db), sample_document())
    yield db
    db.dispose()


@pytest.fixture
def db_url(database) -> str:
    return database.url


def test_doc_writes_an_agreement_as_pdf_and_docx_with_article_29(db_url, tmp_path, capsys, database):
    pdf, docx = tmp_path / "a.pdf", tmp_path / "a.docx"
    assert main(["doc", "SF-2026-001", "agreement", "-o", str(pdf), "--db", db_url]) == 0
    assert main(["doc", "SF-2026-001", "agreement", "-o", str(docx), "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert out.count("已登记") == 2
    text = pdf_text(pdf.read_bytes())
    for element in ARTICLE_29:
        assert element in text, element
    doc = Document(io.BytesIO(docx.read_bytes()))
    words = "".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    for element in ARTICLE_29:
        assert element.replace("，", "，") in words, element
    from mediator.services.context import ServiceContext

    ctx = ServiceContext(database)
    assert len(issued_documents(ctx, find_case_id(ctx, "SF-2026-001"))) == 2


def test_verify_says_genuine_or_changed(db_url, tmp_path, capsys):
    pdf = tmp_path / "a.pdf"
    assert main(["documents", "render", "SF-2026-001", "registration", "-o", str(pdf),
                 "--db", db_url]) == 0
    assert main(["verify", str(pdf), "--db", db_url]) == 0
    assert "真实有效" in capsys.readouterr().out
    tampered = tmp_path / "b.pdf"
    tampered.write_bytes(pdf.read_bytes().replace(b"/Producer", b"/Producer ", 1) + b"%x\n")
    assert main(["documents", "verify", str(tampered), "--db", db_url]) == 3
    assert "已被改动" in capsys.readouterr().out
    draft = tmp_path / "c.pdf"
    assert main(["doc", "SF-2026-001", "agreement", "-o", str(draft), "--draft", "--db", db_url]) == 0
    assert main(["verify", str(draft), "--db", db_url]) == 3
    assert "未登记" in capsys.readouterr().out


def test_dossier_and_the_register(db_url, tmp_path, capsys):
    out = tmp_path / "卷宗.pdf"
    assert main(["dossier", "SF-2026-001", "-o", str(out), "--db", db_url]) == 0
    assert "人民调解卷宗" in pdf_text(out.read_bytes())
    assert main(["documents", "list", "SF-2026-001", "--db", db_url]) == 0
    listing = capsys.readouterr().out
    assert "人民调解卷宗（PDF）" in listing and "共1份" in listing


def test_bad_requests_are_told_in_chinese(db_url, tmp_path, capsys):
    assert main(["doc", "SF-2026-002", "agreement", "-o", str(tmp_path / "x.pdf"), "--db", db_url]) == 2
    assert "尚未达成调解协议" in capsys.readouterr().err
    assert main(["doc", "SF-2026-001", "agreement", "-o", str(tmp_path / "x.odt"), "--db", db_url]) == 2
    assert "请用 .pdf 或 .docx" in capsys.readouterr().err
    assert main(["doc", "SF-2026-001", "nonsense", "-o", str(tmp_path / "x.pdf"), "--db", db_url]) == 2
    assert "找不到表单" in capsys.readouterr().err
