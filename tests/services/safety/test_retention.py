"""Retention and destruction on both databases: listing, destroying, refusing, permissions."""
from __future__ import annotations

import io
from datetime import date, datetime

import pytest
import sqlalchemy as sa
from pypdf import PdfReader
from sqlmodel import SQLModel, select

from mediator.domain.enums import (
    Category,
    ConfirmationResult,
    FollowUpMethod,
    PerformanceResult,
    Satisfaction,
    SessionKind,
)
from mediator.domain.errors import (
    NotFoundError,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
)
from mediator.domain.permissions import Role
from mediator.services import audit
from mediator.services.cases import lifecycle as uc
from mediator.services.cases.attachments import add_attachment
from mediator.services.cases.read import CaseFilter, list_cases
from mediator.services.context import SHANGHAI, Clock, CurrentUser, ServiceContext
from mediator.services.documents.context import document_settings
from mediator.services.documents.dossier import dossier_context, dossier_source
from mediator.services.safety.retention import (
    DestructionOrder,
    destroy_dossiers,
    destruction_list_pdf,
    destruction_records,
    due_for_destruction,
    periods_by_category,
)
from mediator.services.settings import set_setting
from mediator.store.models import (
    Advisor,
    AdvisorReview,
    AuditEntry,
    Case,
    CaseLink,
    CaseParty,
    DestructionRecord,
    IssuedDocument,
    LedgerEntry,
    Person,
    Reminder,
)
from tests.helpers import agreement_input, applicant, case_input, respondent, seed_county

D = date
LATER = datetime(2037, 1, 10, 10, 0, tzinfo=SHANGHAI)  # ten years after the archive of 2026


def _full_case(ctx: ServiceContext, tmp_path, **overrides) -> int:
    """A case with a record of every kind, archived on 2026-11-25."""
    case_id = uc.register_case(ctx, case_input(**overrides)).id
    uc.accept_case(ctx, case_id, D(2026, 10, 15))
    uc.start_mediation(ctx, case_id, D(2026, 10, 16))
    uc.record_session(ctx, case_id, uc.SessionInput(D(2026, 10, 18), SessionKind.MEDIATION,
                                                   "城关镇人民调解室", "双方当事人", "释法说理。"))
    uc.conclude_agreement(ctx, case_id, agreement_input(D(2026, 10, 20)))
    uc.record_judicial_confirmation(ctx, case_id, applied_on=D(2026, 10, 25), court="示范县人民法院",
                                    result=ConfirmationResult.CONFIRMED, ruled_on=D(2026, 11, 1))
    uc.record_performance(ctx, case_id, PerformanceResult.FULL, "已当面付清", D(2026, 11, 10))
    uc.record_follow_up(ctx, case_id, uc.FollowUpInput(D(2026, 11, 20), FollowUpMethod.PHONE,
                                                       PerformanceResult.FULL, Satisfaction.SATISFIED))
    scan = tmp_path / f"身份证{case_id}.jpg"
    scan.write_bytes(b"scan of " + str(case_id).encode())
    add_attachment(ctx, case_id, scan)
    with ctx.transaction() as session:
        advisor = Advisor(name="赵律师", kind="lawyer")
        session.add(advisor)
        session.flush()
        review = AdvisorReview(case_id=case_id, advisor_id=advisor.id, requested_on=D(2026, 10, 19),
                               requested_by="李建国", due=D(2026, 10, 22), result="approved")
        session.add(review)
        session.flush()
        session.add(LedgerEntry(advisor_id=advisor.id, on=D(2026, 10, 20), kind="review", case_id=case_id,
                                review_id=review.id, source="review", created_at=ctx.now()))
        session.add(Reminder(key=f"case:{case_id}:test", kind="follow_up", due=D(2026, 11, 30),
                             case_id=case_id, created_at=ctx.now()))
        session.add(IssuedDocument(case_id=case_id, form_id="agreement", fmt="pdf", filename="协议书.pdf",
                                   sha256="0" * 64, verify_code=f"TEST{case_id}", issued_at=ctx.now(),
                                   issued_by="李建国", content=b"%PDF"))
    uc.archive_case(ctx, case_id, D(2026, 11, 25), reason="告知书为纸质存档")
    return case_id


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx


@pytest.fixture
def later(county) -> ServiceContext:
    """The same office ten years on, with 邻里 dossiers kept for 短期（10年）."""
    set_setting(county, "retention.neighbor", "10y")
    return ServiceContext(county.db, actor="王所长", clock=Clock(fixed=LATER))


def _order(case_ids, **overrides) -> DestructionOrder:
    values = dict(case_ids=list(case_ids), supervisor="张监销", approved_by="城关司法所〔2037〕1号",
                  method="粉碎", note="到期卷宗集中销毁")
    values.update(overrides)
    return DestructionOrder(**values)


def _rows_of(ctx: ServiceContext, case_id: int) -> dict[str, int]:
    """How many rows of each table still refer to the case (direct references to case_file)."""
    counts = {}
    with ctx.read() as session:
        for table in SQLModel.metadata.sorted_tables:
            for column in table.columns:
                if any(fk.column.table.name == "case_file" for fk in column.foreign_keys) or \
                        (table.name == "case_file" and column.name == "id"):
                    n = session.execute(sa.select(sa.func.count()).select_from(table)
                                        .where(column == case_id)).scalar_one()
                    if n:
                        counts[f"{table.name}.{column.name}"] = n
    return counts


def test_the_default_period_is_long_and_settable_per_category(county):
    assert set(periods_by_category(county).values()) == {"30y"}
    set_setting(county, "retention.marriage_family", "permanent")
    assert periods_by_category(county)["marriage_family"] == "permanent"
    with pytest.raises(ValidationError) as info:
        set_setting(county, "retention.neighbor", "5年")
    assert info.value.path == "retention.neighbor"


def test_the_dossier_cover_prints_the_period_of_the_case_category(county):
    case_id = uc.register_case(county, case_input()).id
    assert _cover_retention(county, case_id) == "长期（30年）"
    set_setting(county, "retention.neighbor", "permanent")
    assert _cover_retention(county, case_id) == "永久"


def _cover_retention(ctx: ServiceContext, case_id: int) -> str:
    source = dossier_source(ctx, case_id)
    return dossier_context(source, document_settings(ctx), today=ctx.today(), actor="测试员").dossier.retention


def test_a_dossier_past_its_period_is_destroyed_with_a_record_and_an_audit_entry(county, later, tmp_path):
    case_id = _full_case(county, tmp_path)
    kept = uc.register_case(county, case_input(summary="另一起邻里纠纷。")).id
    with county.read() as session:  # a repeat dispute of the same parties links to the earlier case
        assert session.get(CaseLink, (kept, case_id)) is not None
    number = list_cases(county, CaseFilter(text="排水沟堵塞"))[0].number
    assert _rows_of(county, case_id)  # the case has rows everywhere before

    assert due_for_destruction(county) == []  # in 2026 nothing is due
    due = due_for_destruction(later)
    assert [d.case_id for d in due] == [case_id]
    row = due[0]
    assert (row.number, row.category_label, row.period_label) == (number, "邻里", "短期（10年）")
    assert (row.archived_on, row.due_on, row.closed_on) == (D(2026, 11, 25), D(2036, 11, 25), D(2026, 10, 20))

    destroyed = destroy_dossiers(later, _order([case_id]))
    [record_id] = destroyed.record_ids
    assert destroyed.case_ids == (case_id,)  # every case list drops it

    assert _rows_of(later, case_id) == {}
    with later.read() as session:
        assert session.get(Case, kept) is not None
        assert session.exec(select(CaseParty).where(CaseParty.case_id == kept)).all()
        ledger = session.exec(select(LedgerEntry)).one()
        assert (ledger.case_id, ledger.review_id) == (None, None)  # the advisor's hours stay
        assert session.exec(select(AdvisorReview)).all() == []
        # Persons named only by the destroyed case go; those of the kept case stay.
        names = {p.name for p in session.exec(select(Person))}
        kept_names = {p.name for p in session.exec(select(CaseParty).where(CaseParty.case_id == kept))}
        assert names <= kept_names
        record = session.get(DestructionRecord, record_id)
        entry = session.exec(select(AuditEntry).where(AuditEntry.action == "destroy")).one()
    assert (record.case_number, record.category, record.retention) == (number, "neighbor", "10y")
    assert (record.archived_on, record.due_on, record.destroyed_on) == (D(2026, 11, 25), D(2036, 11, 25),
                                                                        LATER.date())
    assert (record.destroyed_by, record.supervisor, record.method) == ("王所长", "张监销", "粉碎")
    assert record.summary == "两户因宅前排水沟堵塞发生争执。"
    assert entry.target == number and entry.detail["record_id"] == record_id
    assert entry.detail["supervisor"] == "张监销"
    assert audit.verify(later) == []
    assert list_cases(later, CaseFilter(text="排水沟堵塞")) == []
    assert [r.id for r in list_cases(later, CaseFilter(text="刘桂兰"))] == [kept]
    assert due_for_destruction(later) == []
    rows = destruction_records(later)
    assert [(r.case_number, r.retention_label, r.approved_by) for r in rows] == \
        [(number, "短期（10年）", "城关司法所〔2037〕1号")]
    assert destruction_records(later, year=2036) == []


def test_the_destruction_list_prints_the_whole_batch(county, later, tmp_path):
    first = _full_case(county, tmp_path)
    second = uc.register_case(county, case_input(category=Category.MARRIAGE_FAMILY, parties=[
        applicant(name="王秀英", id_number=None, phone="13700000011"),
        respondent(name="陈志强", id_number=None, phone="13700000012")])).id
    uc.reject_case(county, second, "一方明确拒绝调解", D(2026, 10, 15))
    uc.archive_case(county, second, D(2026, 10, 16), reason="不予受理")
    set_setting(county, "retention.marriage_family", "10y")
    numbers = [d.number for d in due_for_destruction(later)]
    assert len(numbers) == 2
    ids = list(destroy_dossiers(later, _order([first, second], method="焚毁")).record_ids)
    result = destruction_list_pdf(later, ids[1])
    assert result.data.startswith(b"%PDF")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(result.data)).pages)
    text = text.replace(" ", "").replace("\n", "")
    assert "卷宗销毁清册" in text and "共2件" in text and "张监销" in text
    assert all(n.replace(" ", "") in text for n in numbers)
    with later.read() as session:
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "print")).one().target == "卷宗销毁清册"
    with pytest.raises(NotFoundError):
        destruction_list_pdf(later, 999999)


def test_a_refused_order_leaves_everything(county, later, tmp_path):
    due = _full_case(county, tmp_path)
    not_archived = uc.register_case(county, case_input(summary="尚在办理的纠纷。")).id
    before = _rows_of(county, due)
    refusals = [
        (_order([due, not_archived]), "尚未归档"),
        (_order([due], supervisor="王所长"), "监销人不能是销毁人本人"),
        (_order([due], supervisor=" "), "请填写监销人"),
        (_order([due], approved_by=""), "批准人"),
        (_order([due], method="扔掉"), "销毁方式"),
        (_order([]), "请选择"),
        (_order([due], destroyed_on=D(2037, 2, 1)), "不能晚于今天"),
    ]
    for order, words in refusals:
        with pytest.raises((ValidationError, ValidationErrors)) as info:
            destroy_dossiers(later, order)
        assert words in str(info.value), (order, str(info.value))
    with pytest.raises(NotFoundError):
        destroy_dossiers(later, _order([due, 999999]))
    assert _rows_of(later, due) == before
    with later.read() as session:
        assert session.exec(select(DestructionRecord)).all() == []
        assert session.exec(select(AuditEntry).where(AuditEntry.action == "destroy")).all() == []


def test_a_case_not_yet_due_is_refused_naming_it(county, later, tmp_path):
    case_id = _full_case(county, tmp_path, category=Category.CONTRACT)  # 长期（30年）
    number = list_cases(county, CaseFilter(text="排水沟堵塞"))[0].number
    assert due_for_destruction(later) == []
    with pytest.raises(ValidationError) as info:
        destroy_dossiers(later, _order([case_id]))
    assert number in info.value.message and "2056-11-25" in info.value.message
    # Earlier than the due day, a 短期 dossier is refused too; permanent ones never become due.
    set_setting(county, "retention.contract", "10y")
    with pytest.raises(ValidationError, match="尚未到期"):
        destroy_dossiers(later, _order([case_id], destroyed_on=D(2036, 11, 24)))
    set_setting(county, "retention.contract", "permanent")
    far = ServiceContext(county.db, actor="王所长", clock=Clock(fixed=datetime(2999, 1, 1, tzinfo=SHANGHAI)))
    assert due_for_destruction(far) == []
    with pytest.raises(ValidationError, match="永久"):
        destroy_dossiers(far, _order([case_id]))
    assert _rows_of(county, case_id)


def test_only_heads_and_administrators_destroy(county, later, tmp_path):
    case_id = _full_case(county, tmp_path)
    later.user = CurrentUser(999, "li", "李建国", Role.MEDIATOR, None)
    with pytest.raises(PermissionDenied):
        due_for_destruction(later)
    with pytest.raises(PermissionDenied):
        destroy_dossiers(later, _order([case_id]))
    with pytest.raises(PermissionDenied):
        destruction_records(later)
    later.user = CurrentUser(998, "wang", "王所长", Role.HEAD, None)
    assert [d.case_id for d in due_for_destruction(later)] == [case_id]
    with pytest.raises(ValidationError, match="监销人不能是销毁人本人"):
        destroy_dossiers(later, _order([case_id], supervisor="wang"))
    destroy_dossiers(later, _order([case_id]))
    assert len(destruction_records(later)) == 1
