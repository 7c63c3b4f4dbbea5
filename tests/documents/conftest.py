"""Fixtures for the document tests: the sample case in a database, or as plain data."""
from __future__ import annotations

import copy
from datetime import date

import pytest

from mediator.domain.case_detail import CaseDetail
from mediator.services.cases.read import find_case_id
from mediator.services.documents.rendering import build_context, get_form
from mediator.services.exchange.importer import import_document
from tests.helpers import sample_document

SIGNED_ON = date(2026, 6, 10)

# What `case_detail` gives for the sample case SF-2026-001 (the keys documents read).
SAMPLE_DETAIL = {
    "id": 1, "ref": "SF-2026-001", "number": "（2026）城关人调字第1号", "track": "people",
    "track_label": "人民调解", "track_detail": None, "track_detail_label": None,
    "status_label": "已履行", "source_label": "当事人申请", "category": "marriage_family",
    "category_label": "婚姻家庭", "organization": "城关镇人民调解委员会", "village": "南街社区",
    "grid": "南一网格", "received_on": "2026-06-01", "accepted_on": "2026-06-01",
    "summary": "夫妻因赡养老人费用分担发生争执，兄妹三人互相推诿。",
    "requests": "请求确定赡养费分担方式。", "mediators": ["李建国", "王秀英"],
    "parties": [
        {"role": "applicant", "kind": "person", "name": "刘桂兰", "gender": "female",
         "ethnicity": "汉族", "birth_date": "1948-03-15", "id_number": "41990119480315212X",
         "phone": "13700000001", "address": "城关镇南街社区3号院", "occupation": "农民",
         "credit_code": None, "representative": None, "agent": None},
        {"role": "respondent", "kind": "person", "name": "杨国强", "gender": "male",
         "ethnicity": "汉族", "birth_date": "1971-08-09", "id_number": "419901197108093512",
         "phone": "13700000002", "address": "城关镇南街社区5号楼", "occupation": "个体经营",
         "credit_code": None, "representative": None, "agent": None},
    ],
    "timeline": [{"seq": 1, "on": "2026-06-01", "action": "register", "actor": "张登记",
                  "note": "", "data": {}}],
    "agreement": {"form": "written", "signed_on": "2026-06-10", "facts": "",
                  "items": ["杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。",
                            "其余子女按同等标准分担。"],
                  "performance": "按月转账", "deadline": "2026-07-05", "amount_yuan": "3600.00",
                  "copies": 3},
    "follow_ups": [{"on": "2026-07-12", "method": "phone", "performance": "full",
                    "satisfaction": "satisfied", "note": "已按月支付。", "visitor": "李建国"}],
}


def sample_detail(**changes) -> dict:
    """A deep copy of the sample's plain data (`CaseDetail.as_json`) with top-level keys replaced."""
    detail = copy.deepcopy(SAMPLE_DETAIL)
    detail.update(changes)
    return detail


def sample_context(detail: dict | None = None, settings: dict | None = None, on: date = SIGNED_ON):
    """The document context of the sample (or of ``detail``, plain data read as a `CaseDetail`)."""
    return build_context(CaseDetail.from_json(detail or sample_detail()), settings or {}, on=on)


@pytest.fixture
def agreement_form():
    return get_form("agreement")


@pytest.fixture
def sample_case(ctx):
    """The imported sample county; the id of case SF-2026-001 (agreed, performed, visited)."""
    import_document(ctx, sample_document())
    return find_case_id(ctx, "SF-2026-001")
