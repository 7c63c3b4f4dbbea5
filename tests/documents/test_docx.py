"""The DOCX: the same content as the PDF, real Word tables, East-Asian fonts everywhere, A4."""
from __future__ import annotations

import io
import shutil
import subprocess
import zipfile

import pytest
from docx import Document
from docx.oxml.ns import qn

from mediator.services.documents.rendering import get_form, render, render_context
from tests.documents.conftest import sample_context, sample_detail

THEME_ATTRIBUTES = ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme")


def _all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def test_sample_case_agreement_docx_has_the_pdf_content(ctx, sample_case):
    result = render(ctx, sample_case, "agreement", "docx")
    assert result.data.startswith(b"PK") and result.filename.endswith("人民调解协议书.docx")
    doc = Document(io.BytesIO(result.data))
    paragraphs = [p.text for p in doc.paragraphs]
    for expected in ["城关镇人民调解委员会", "人民调解协议书", "（2026）城关人调字第1号",
                     "纠纷主要事实、争议事项：", "夫妻因赡养老人费用分担发生争执，兄妹三人互相推诿。",
                     "经调解，自愿达成如下协议：",
                     "一、杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。",
                     "二、其余子女按同等标准分担。", "按月转账，于2026年7月5日前履行完毕。",
                     "本协议涉及金额：人民币叁仟陆佰元整（¥3,600.00）。",
                     "本协议一式三份，当事人各执一份，调解委员会留存一份。",
                     "人民调解员（签名）：", "记录人（签名）：", "（人民调解委员会印）", "二〇二六年六月十日"]:
        assert expected in paragraphs, expected
    assert paragraphs.count("当事人（签名盖章或按指印）：") == 2
    assert paragraphs.index("一、杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。") < \
        paragraphs.index("二、其余子女按同等标准分担。")
    # the party block is a real Word table, the role cell merged down its rows
    assert len(doc.tables) == 1
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["申请人", "姓名", "刘桂兰", "性别", "女"]
    assert rows[3][:3] == ["申请人", "身份证号", "41990119480315212X"]
    assert ["被申请人", "身份证号", "419901197108093512"] == rows[8][:3]
    assert "78岁" in rows[1] and "54岁" in rows[6]


def test_every_run_and_style_names_an_east_asian_font_and_no_theme_font(agreement_form):
    data = render_context(agreement_form, sample_context(), "docx").data
    doc = Document(io.BytesIO(data))
    body = doc.element.body
    runs = list(body.iter(qn("w:r")))
    assert runs
    for run in runs:
        fonts = run.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        assert fonts is not None and fonts.get(qn("w:eastAsia")), run.xml[:200]
    styles = doc.styles.element
    for fonts in styles.iter(qn("w:rFonts")):
        assert not any(fonts.get(qn(a)) for a in THEME_ATTRIBUTES)
    normal = doc.styles["Normal"].element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
    assert normal.get(qn("w:eastAsia")) == "仿宋"
    default = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:rFonts')}")
    assert default.get(qn("w:eastAsia")) == "仿宋"


def test_every_section_is_a4_with_gbt_9704_margins_and_page_numbers(agreement_form):
    doc = Document(io.BytesIO(render_context(agreement_form, sample_context(), "docx").data))
    for section in doc.sections:
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert (round(section.top_margin.mm), round(section.left_margin.mm)) == (37, 28)
        for footer in (section.footer, section.even_page_footer):
            assert "PAGE" in footer._element.xml and "— " in footer._element.xml


def test_word_and_wps_see_merged_cells_as_spans(agreement_form):
    detail = sample_detail()
    detail["parties"][0]["agent"] = {"name": "杨小兰", "relation": "女儿", "phone": "13700000009"}
    xml = zipfile.ZipFile(io.BytesIO(render_context(agreement_form, sample_context(detail),
                                                    "docx").data)).read("word/document.xml").decode()
    assert xml.count('w:vMerge w:val="restart"') == 2  # one role cell per party
    assert 'w:gridSpan w:val="3"' in xml  # 身份证号 and 住址 span the row
    assert "杨小兰（女儿）" in xml and "委托代理人" in xml


OFFICE = shutil.which("soffice") or shutil.which("libreoffice")


@pytest.mark.skipif(OFFICE is None,
                    reason="LibreOffice is not installed here: DOCX → PDF layout not checked")
def test_libreoffice_opens_every_forms_docx(tmp_path):  # pragma: no cover — needs LibreOffice
    from pypdf import PdfReader

    from tests.documents.test_forms import _context
    from tests.documents.test_spec import REQUIRED_FORMS

    context = _context()
    paths = []
    for form_id in REQUIRED_FORMS:
        path = tmp_path / f"{form_id}.docx"
        path.write_bytes(render_context(get_form(form_id), context, "docx").data)
        paths.append(path)
    profile = (tmp_path / "profile").as_uri()  # a private profile: no clash with a running office
    subprocess.run([OFFICE, f"-env:UserInstallation={profile}", "--headless", "--convert-to", "pdf",
                    "--outdir", str(tmp_path / "out"), *map(str, paths)],
                   check=True, timeout=300, capture_output=True)
    for form_id in REQUIRED_FORMS:
        pdf = tmp_path / "out" / f"{form_id}.pdf"
        assert pdf.stat().st_size > 5_000, form_id
        text = "".join(page.extract_text() for page in PdfReader(pdf).pages).replace(" ", "")
        assert get_form(form_id).title in text.replace("\n", ""), form_id


def test_an_issued_docx_carries_the_same_qr_code_and_verification_code_as_the_pdf(agreement_form):
    import dataclasses

    from pypdf import PdfReader

    from mediator.documents.compose import compose
    from mediator.documents.docx import qr_png
    from mediator.services.documents.issuing import embedded_code

    context = dataclasses.replace(sample_context(), verify_code="7KQ2M-9XDPA")
    qr = compose(agreement_form, context).qr
    assert qr is not None and "7KQ2M-9XDPA" in qr.payload
    docx = render_context(agreement_form, context, "docx").data
    pdf = render_context(agreement_form, context, "pdf").data
    assert embedded_code(docx) == embedded_code(pdf) == "7KQ2M-9XDPA"
    doc = Document(io.BytesIO(docx))
    assert doc.paragraphs[1].text == qr.caption  # the caption under the code, above the title
    assert qr.caption in PdfReader(io.BytesIO(pdf)).pages[0].extract_text()
    with zipfile.ZipFile(io.BytesIO(docx)) as archive:
        images = [archive.read(n) for n in archive.namelist() if n.startswith("word/media/")]
    assert images == [qr_png(qr.payload)]  # the very code the PDF draws, module for module
