"""Builders shared by the tests: the sample county and ready-made case inputs."""
from __future__ import annotations

import copy
import json
from datetime import date

from mediator.domain.enums import (
    AgreementForm,
    Category,
    Gender,
    Level,
    PartyKind,
    PartyRole,
    Source,
    Track,
)
from mediator.services.cases.inputs import AgreementInput, CaseInput, PartyInput
from mediator.services.context import ServiceContext
from mediator.services.exchange.importer import import_document
from tests.conftest import SAMPLE_CASES

TOWNSHIP_COMMITTEE = "城关镇人民调解委员会"
VILLAGE_COMMITTEE = "东关村人民调解委员会"
LAND_OFFICE = "城关镇自然资源所"
DONGGUAN = "419901100201"


def sample_document() -> dict:
    return json.loads(SAMPLE_CASES.read_text(encoding="utf-8"))


# Two agreements signed after SF-2026-001's agreement of 2026-06-10 (a change, then an addition;
# the second signed on an earlier day than the first: their order is their place in the list).
SAMPLE_SUPPLEMENTS = [
    {"kind": "change", "signed_on": "2026-07-20", "terms": ["赡养费改为每月10日前支付。"],
     "reason": "杨国强工资发放日调整。"},
    {"kind": "supplement", "signed_on": "2026-07-15",
     "terms": ["刘桂兰的体检费用由子女三人平均分担。", "体检后十日内凭票据支付。"],
     "reason": "原协议未约定体检费用的分担。"},
]


def supplemented_document() -> dict:
    """The sample file with 变更/补充协议 on its first case."""
    doc = sample_document()
    doc["cases"][0]["supplements"] = json.loads(json.dumps(SAMPLE_SUPPLEMENTS))
    return doc


# SF-2026-001 agreed from its draft (frozen by signing: the agreement's text, revision 3);
# SF-2026-002 is taken into mediation and has an unsigned second draft.
SAMPLE_DRAFTS = [
    {"revision": 3, "signed": True, "facts": "刘桂兰年老多病，子女对赡养费分担有争议。",
     "items": ["杨国强自2026年7月起每月5日前支付刘桂兰赡养费人民币叁佰元整。", "其余子女按同等标准分担。"],
     "performance": "按月转账", "deadline": "2026-07-05", "amount_yuan": "3600.00", "copies": 3},
    {"revision": 2, "signed": False, "facts": "",
     "items": ["被申请人于2026年12月31日前疏通排水沟。", "费用由双方各半负担。"],
     "performance": "", "deadline": None, "amount_yuan": "0.00", "copies": None},
]


def drafted_document() -> dict:
    """The supplemented sample with a signed draft on its first case and an open one on its second."""
    doc = supplemented_document()
    doc["cases"][0]["draft"] = json.loads(json.dumps(SAMPLE_DRAFTS[0]))
    doc["cases"][1]["events"].append({"on": "2026-11-21", "action": "start"})
    doc["cases"][1]["draft"] = json.loads(json.dumps(SAMPLE_DRAFTS[1]))
    return doc


def seed_county(ctx: ServiceContext) -> None:
    """The sample county's places, organisations and mediators, without its cases."""
    doc = sample_document()
    doc["cases"] = []
    import_document(ctx, doc)


def applicant(**overrides) -> PartyInput:
    values = dict(role=PartyRole.APPLICANT, kind=PartyKind.PERSON, name="刘桂兰", gender=Gender.FEMALE,
                  birth_date=date(1948, 3, 15), id_number="41990119480315212X", phone="13700000001",
                  address="城关镇南街社区3号院", ethnicity="汉族")
    values.update(overrides)
    return PartyInput(**values)


def respondent(**overrides) -> PartyInput:
    values = dict(role=PartyRole.RESPONDENT, kind=PartyKind.PERSON, name="杨国强", gender=Gender.MALE,
                  birth_date=date(1971, 8, 9), id_number="419901197108093512", phone="13700000002")
    values.update(overrides)
    return PartyInput(**values)


def case_input(**overrides) -> CaseInput:
    values = dict(
        track=Track.PEOPLE, source=Source.APPLICATION, category=Category.NEIGHBOR,
        organization=TOWNSHIP_COMMITTEE, village_code=DONGGUAN, grid="一网格", level=Level.VILLAGE,
        received_on=date(2026, 10, 14), summary="两户因宅前排水沟堵塞发生争执。",
        requests="请求疏通排水沟。", amount_yuan="0", people_involved=2,
        parties=[applicant(), respondent()], mediators=["李建国"],
    )
    values.update(overrides)
    return CaseInput(**copy.deepcopy(values))


def agreement_input(signed_on: date, **overrides) -> AgreementInput:
    values = dict(form=AgreementForm.WRITTEN, signed_on=signed_on,
                  items=["被申请人于2026年11月15日前支付申请人损失费人民币捌仟元整。"],
                  performance="一次性现金支付", deadline=date(2026, 11, 15), amount_yuan="8000")
    values.update(overrides)
    return AgreementInput(**values)


def add_mediator(ctx: ServiceContext, name: str, organization: str = LAND_OFFICE, **fields) -> int:
    """A mediator of ``organization`` (the land office has none in the sample); ``fields``:
    ``id_number``, ``birth_date``, ``village_id``, ``active``."""
    from sqlmodel import select

    from mediator.store.models import Mediator, Organization

    with ctx.transaction() as session:
        org = session.exec(select(Organization).where(Organization.name == organization)).one()
        mediator = Mediator(name=name, organization_id=org.id, **fields)
        session.add(mediator)
        session.flush()
        return mediator.id
