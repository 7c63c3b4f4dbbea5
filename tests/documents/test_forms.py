"""Every official form renders on every track, in both formats, from one context."""
from __future__ import annotations

import io
import re

import pytest
from docx import Document
from pypdf import PdfReader

from mediator.documents.compose import compose
from mediator.services.documents.rendering import get_form, render_context
from tests.documents.conftest import sample_context, sample_detail
from tests.documents.test_spec import REQUIRED_FORMS

ENDED = [
    {"seq": 1, "on": "2026-06-01", "action": "register", "actor": "张登记", "note": "", "data": {}},
    {"seq": 2, "on": "2026-06-09", "action": "fail", "actor": "李建国", "note": "",
     "data": {"reason": "双方分歧较大"}},
    {"seq": 3, "on": "2026-06-09", "action": "reject", "actor": "李建国", "note": "",
     "data": {"reason": "一方明确拒绝调解"}},
]
TITLES = {
    ("agreement", "administrative", ""): "行政调解协议书",
    ("agreement", "judicial", "delegated"): "诉前调解的调解协议",
    ("oral_agreement", "administrative", ""): "行政调解口头协议登记表",
    ("registration", "judicial", "entrusted"): "调解受理登记表",
    ("follow_up", "administrative", ""): "行政调解回访记录",
    ("termination", "judicial", "in_litigation"): "终止调解告知书",
    ("application", "administrative", ""): "行政调解申请书",
    ("application", "judicial", "pre_litigation"): "调解申请书",
    ("rights_notice", "administrative", "traffic"): "行政调解当事人权利义务告知书",
    ("rights_notice", "judicial", "delegated"): "调解当事人权利义务告知书",
    ("investigation", "administrative", ""): "行政调解调查记录",
    ("session", "judicial", "entrusted"): "调解记录",
    ("judicial_confirmation", "administrative", ""): "司法确认申请书",
}


SESSIONS = [
    {"id": 1, "on": "2026-06-04", "kind": "investigation", "place": "南街社区", "participants": "",
     "record": "走访邻居了解赡养情况。"},
    {"id": 2, "on": "2026-06-09", "kind": "mediation", "place": "城关镇人民调解室",
     "participants": "刘桂兰、杨国强", "record": "释法说理，双方同意分担赡养费。"},
]
REVIEWS = [{"advisor": "陈律师", "requested_on": "2026-06-08", "requested_by": "李建国",
            "request_note": "", "result": "approved", "opinion": "协议合法可行。",
            "reviewed_on": "2026-06-09"}]
CONFIRMATION = {"applied_on": "2026-06-20", "court": "示范县人民法院", "result": "pending", "on": None}


def _context(track: str = "people", detail_: str = ""):
    return sample_context(sample_detail(timeline=ENDED, track=track, track_detail=detail_ or None,
                                        sessions=SESSIONS, advisor_reviews=REVIEWS,
                                        judicial_confirmation=CONFIRMATION))


@pytest.mark.parametrize("form_id", REQUIRED_FORMS)
def test_form_renders_to_pdf_and_docx_with_the_same_words(form_id):
    form = get_form(form_id)
    context = _context()
    pdf = render_context(form, context, "pdf")
    assert pdf.warnings == []
    pdf_text = "".join(re.sub(r"\s+", "", p.extract_text())
                       for p in PdfReader(io.BytesIO(pdf.data)).pages)
    doc = Document(io.BytesIO(render_context(form, context, "docx").data))
    docx_text = "".join(p.text for p in doc.paragraphs) + "".join(
        c.text for t in doc.tables for r in t.rows for c in r.cells)
    for word in [form.title, "城关镇人民调解委员会", "（2026）城关人调字第1号"]:
        assert word in pdf_text and word in docx_text, word


@pytest.mark.parametrize(("form_id", "track", "detail", "title"),
                         [(*key, title) for key, title in TITLES.items()])
def test_each_track_gets_its_own_title(form_id, track, detail, title):
    composed = compose(get_form(form_id), _context(track, detail))
    assert composed.title == title


def test_termination_and_rejection_carry_their_reasons():
    context = _context()
    assert context.termination.reason == "双方分歧较大" and context.rejection.reason == "一方明确拒绝调解"
    assert context.termination.on == "2026年6月9日"
