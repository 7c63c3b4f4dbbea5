"""身份证号 and phones: the audited reveal, and masking in read models, exports and documents."""
from __future__ import annotations

import io
import re

import pytest
from pypdf import PdfReader
from sqlmodel import select

from mediator.domain.errors import NotFoundError, PermissionDenied
from mediator.domain.permissions import GRANTS, Permission, Role
from mediator.services import audit
from mediator.services.cases.personal_data import RevealedParty, protect_parties, reveal_party
from mediator.services.cases.read import case_detail, find_case_id
from mediator.services.context import CurrentUser
from mediator.services.documents.rendering import render_document
from mediator.services.exchange.export import export_document
from mediator.services.exchange.importer import import_document
from mediator.store.models import AuditEntry, Case, CaseParty, Organization
from tests.helpers import VILLAGE_COMMITTEE, sample_document

LIU_ID, LIU_PHONE = "41990119480315212X", "13700000001"  # 刘桂兰, applicant of SF-2026-001
YANG_ID = "419901197108093512"


@pytest.fixture
def case_id(ctx) -> int:
    import_document(ctx, sample_document())
    return find_case_id(ctx, "SF-2026-001")


def _case(ctx, case_id: int) -> Case:
    with ctx.read() as session:
        return session.get(Case, case_id)


def _party_id(ctx, case_id: int, name: str) -> int:
    with ctx.read() as session:
        return session.exec(select(CaseParty.id).where(CaseParty.case_id == case_id,
                                                       CaseParty.name == name)).one()


def _as(ctx, role: Role, organization_id: int | None = None) -> None:
    ctx.user = CurrentUser(99, role.value, f"{role.label}甲", role, organization_id)
    ctx.actor = f"{role.label}甲"


def _reveals(ctx) -> list[AuditEntry]:
    with ctx.read() as session:  # read as the test, whoever the context's user is
        return list(session.exec(select(AuditEntry).where(AuditEntry.action == "reveal")))


def _pdf_text(data: bytes) -> str:
    return "".join(re.sub(r"\s+", "", p.extract_text()) for p in PdfReader(io.BytesIO(data)).pages)


def _may_also(monkeypatch, role: Role, *permissions: Permission) -> None:
    """A role that may print or export but not see personal data (none ships like this today)."""
    monkeypatch.setitem(GRANTS, role, GRANTS[role] | set(permissions))


def test_reveal_returns_the_real_values_and_is_audited(ctx, case_id):
    case = _case(ctx, case_id)
    _as(ctx, Role.MEDIATOR, case.organization_id)
    revealed = reveal_party(ctx, _party_id(ctx, case_id, "刘桂兰"))
    assert revealed == RevealedParty(LIU_ID, LIU_PHONE, None, revealed.party_id, "刘桂兰")
    [entry] = _reveals(ctx)
    assert (entry.username, entry.target) == ("调解员甲", case.number)
    assert entry.detail == {"party": "刘桂兰", "fields": ["身份证号", "联系电话"], "purpose": "显示"}
    ctx.user = None
    assert audit.verify(ctx) == []


def test_opening_a_party_for_editing_counts_as_a_reveal(ctx, case_id):
    _as(ctx, Role.ADMIN)
    reveal_party(ctx, _party_id(ctx, case_id, "杨国强"), purpose="edit")
    [entry] = _reveals(ctx)
    assert entry.detail["purpose"] == "编辑" and entry.detail["party"] == "杨国强"


def test_a_readonly_user_may_not_reveal(ctx, case_id):
    party_id = _party_id(ctx, case_id, "刘桂兰")
    _as(ctx, Role.READONLY)
    with pytest.raises(PermissionDenied) as info:
        reveal_party(ctx, party_id)
    assert "查看身份证号和电话" in info.value.message
    assert _reveals(ctx) == []


def test_a_mediator_may_not_reveal_parties_of_cases_outside_their_scope(ctx, case_id):
    party_id = _party_id(ctx, case_id, "刘桂兰")
    with ctx.read() as session:
        other = session.exec(select(Organization.id).where(Organization.name == VILLAGE_COMMITTEE)).one()
    assert other != _case(ctx, case_id).organization_id
    _as(ctx, Role.MEDIATOR, other)
    with pytest.raises(PermissionDenied):
        reveal_party(ctx, party_id)
    assert _reveals(ctx) == []


def test_an_unknown_party_is_not_found(ctx, case_id):
    _as(ctx, Role.ADMIN)
    with pytest.raises(NotFoundError):
        reveal_party(ctx, 987654)
    assert _reveals(ctx) == []


def test_case_detail_is_masked_for_a_role_without_the_permission(ctx, case_id):
    full = case_detail(ctx, case_id)  # the system (no user) reads everything
    assert full.parties[0].id_number == LIU_ID
    _as(ctx, Role.READONLY)
    masked = case_detail(ctx, case_id).parties
    assert [(p.id_number, p.phone) for p in masked] == [
        ("419***********212X", "137****0001"), ("419***********3512", "137****0002")]
    assert [p.birth_date for p in masked] == [p.birth_date for p in full.parties]
    _as(ctx, Role.MEDIATOR, _case(ctx, case_id).organization_id)
    assert case_detail(ctx, case_id).parties == full.parties
    assert _reveals(ctx) == []  # reading the case is not a reveal: the screens mask it


def test_masking_keeps_the_birth_date_the_number_tells(ctx):
    parties = [{"name": "甲", "id_number": LIU_ID, "birth_date": None, "phone": None, "agent": None},
               {"name": "乙", "id_number": "12345", "birth_date": None, "phone": "0571-88886666",
                "agent": {"name": "丙", "phone": "13912345678", "relation": "儿子"}}]
    _as(ctx, Role.READONLY)
    first, second = protect_parties(ctx, parties)
    assert (first["id_number"], first["birth_date"]) == ("419***********212X", "1948-03-15")
    assert (second["id_number"], second["birth_date"]) == ("*****", None)
    assert second["phone"] == "0571-****6666" and second["agent"]["phone"] == "139****5678"
    _as(ctx, Role.HEAD)
    assert protect_parties(ctx, parties) is parties


def _exported_parties(ctx, case_id: int) -> list[dict]:
    [case] = export_document(ctx, case_ids=[case_id])["cases"]
    return case["parties"]


def test_the_exchange_export_is_masked_for_a_role_without_the_permission(ctx, case_id, monkeypatch):
    _as(ctx, Role.ADMIN)
    parties = _exported_parties(ctx, case_id)
    assert (parties[0]["id_number"], parties[0]["phone"]) == (LIU_ID, LIU_PHONE)
    _may_also(monkeypatch, Role.READONLY, Permission.DATA_EXPORT)
    _as(ctx, Role.READONLY)
    parties = _exported_parties(ctx, case_id)
    assert [(p["id_number"], p["phone"]) for p in parties] == [
        ("419***********212X", "137****0001"), ("419***********3512", "137****0002")]


def test_documents_are_masked_for_a_role_without_the_permission(ctx, case_id, monkeypatch):
    _as(ctx, Role.MEDIATOR, _case(ctx, case_id).organization_id)
    text = _pdf_text(render_document(ctx, case_id, "agreement", "pdf"))
    assert LIU_ID in text and YANG_ID in text and LIU_PHONE in text
    _may_also(monkeypatch, Role.READONLY, Permission.DOCUMENT_PRINT)
    _as(ctx, Role.READONLY)
    text = _pdf_text(render_document(ctx, case_id, "agreement", "pdf"))
    assert "刘桂兰" in text and "419***********212X" in text and "137****0001" in text
    assert LIU_ID not in text and YANG_ID not in text and LIU_PHONE not in text
    assert "78岁" in text  # the age still comes from the birth date
