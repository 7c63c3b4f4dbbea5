"""Retention (保管期限) and the supervised destruction of dossiers past it (销毁).

An archived case whose period (per dispute category, services/settings.py) has run out is listed;
the office destroys the paper file under a supervisor (监销人) with an approval (批准人/文号), and
``destroy_dossiers`` then deletes the case with every row that belongs to it, leaving a
``DestructionRecord`` and an audit entry per case. Attachments and issued documents are stored
in the database, so no file outside it needs removing.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa
from sqlmodel import Session, SQLModel, func, select

from mediator.domain.enums import CaseStatus, Category
from mediator.domain.errors import (
    NotFoundError,
    PermissionDenied,
    ValidationError,
    ValidationErrors,
)
from mediator.domain.permissions import Permission
from mediator.domain.retention import (
    DESTRUCTION_METHODS,
    RetentionPeriod,
    due_on,
    latest_archive_day,
    period_or_default,
    setting_key,
)
from mediator.services import audit
from mediator.services.access import restrict_cases
from mediator.services.changes import OpChanges
from mediator.services.context import ServiceContext
from mediator.services.permissions import can, require, requires
from mediator.services.settings import all_settings
from mediator.store.models import (
    AdvisorReview,
    Agreement,
    AgreementTerm,
    Case,
    CaseLink,
    CaseParty,
    DestructionRecord,
    LedgerEntry,
    Organization,
    Person,
    TimelineEvent,
)

if TYPE_CHECKING:
    from mediator.documents.pdf import PdfResult

SUMMARY_CHARS = 200  # DestructionRecord.summary


@dataclass(frozen=True)
class DueDossier:
    """An archived case whose 保管期限 has run out."""

    case_id: int
    number: str
    category: str
    category_label: str
    summary: str
    organization: str
    received_on: date
    closed_on: date | None
    archived_on: date
    period: str  # RetentionPeriod code
    period_label: str
    due_on: date


@dataclass(frozen=True)
class DestructionOrder:
    """What the office decided: which dossiers, who supervised, who approved, how, when."""

    case_ids: tuple[int, ...] | list[int]
    supervisor: str  # 监销人
    approved_by: str  # 批准人 / 批准文号
    method: str = DESTRUCTION_METHODS[0]  # 销毁方式
    note: str = ""
    destroyed_on: date | None = None  # default: today


@dataclass(frozen=True)
class DestructionRow:
    id: int
    case_number: str
    category: str
    category_label: str
    summary: str
    received_on: date
    archived_on: date | None
    retention: str
    retention_label: str
    due_on: date
    destroyed_on: date
    destroyed_by: str
    supervisor: str
    approved_by: str
    method: str
    note: str = field(default="")


def periods_by_category(ctx: ServiceContext) -> dict[str, RetentionPeriod]:
    """The 保管期限 of every dispute category, from the office settings."""
    settings = all_settings(ctx)
    return {c.value: period_or_default(settings.get(setting_key(c))) for c in Category}


def _category_label(code: str) -> str:
    try:
        return Category(code).label
    except ValueError:
        return code


def _archive_days() -> Any:
    """A subquery: the day each case was archived (its last 归档 event)."""
    return (select(TimelineEvent.case_id.label("case_id"), func.max(TimelineEvent.on).label("archived_on"))
            .where(TimelineEvent.action == "archive").group_by(TimelineEvent.case_id).subquery())


def _due_condition(archived_on: Any, periods: dict[str, RetentionPeriod], on: date) -> Any:
    """SQL: the category's period has run out by ``on`` (one date comparison per period)."""
    default = period_or_default(None)
    conditions = []
    for period in RetentionPeriod:
        last_day = latest_archive_day(on, period)
        if last_day is None:
            continue
        codes = [c for c, p in periods.items() if p is period]
        in_period = Case.category.in_(codes) if codes else sa.false()
        if period is default:  # a category code the enum does not know keeps the default period
            in_period = sa.or_(in_period, Case.category.not_in(list(periods)))
        conditions.append(sa.and_(in_period, archived_on <= last_day))
    return sa.or_(*conditions) if conditions else sa.false()


@requires(Permission.RETENTION)
def due_for_destruction(ctx: ServiceContext, on: date | None = None) -> list[DueDossier]:
    """Archived cases whose 保管期限 has run out by ``on`` (default today), the longest due first."""
    on = on or ctx.today()
    periods = periods_by_category(ctx)
    days = _archive_days()
    archived_on = func.coalesce(days.c.archived_on, Case.closed_on)
    stmt = (select(Case.id, Case.number, Case.category, Case.summary, Organization.name, Case.received_on,
                   Case.closed_on, archived_on)
            .join(Organization, Organization.id == Case.organization_id)
            .outerjoin(days, days.c.case_id == Case.id)
            .where(Case.status == CaseStatus.ARCHIVED.value, archived_on.is_not(None),
                   _due_condition(archived_on, periods, on)))
    stmt = restrict_cases(ctx, stmt)
    out = []
    with ctx.read() as session:
        for case_id, number, category, summary, org, received, closed, archived in session.exec(stmt):
            period = periods.get(category) or period_or_default(None)
            due = due_on(archived, period)
            out.append(DueDossier(case_id, number, category, _category_label(category), summary, org,
                                  received, closed, archived, period.value, period.label, due))
    out.sort(key=lambda d: (d.due_on, d.archived_on, d.number, d.case_id))
    return out


# --- destroying -----------------------------------------------------------------------------------


def _check_order(ctx: ServiceContext, order: DestructionOrder) -> tuple[date, str, str, str, str]:
    """The order's fields cleaned; every problem reported at once."""
    errors = []
    supervisor, approved_by = (order.supervisor or "").strip(), (order.approved_by or "").strip()
    method, note = (order.method or "").strip(), (order.note or "").strip()
    destroyed_on = order.destroyed_on or ctx.today()
    if not order.case_ids:
        errors.append(ValidationError("case_ids", "请选择要销毁的卷宗"))
    acting = {ctx.actor.strip()}
    if ctx.user is not None:
        acting |= {ctx.user.username.strip(), ctx.user.display_name.strip()}
    if not supervisor:
        errors.append(ValidationError("supervisor", "请填写监销人"))
    elif supervisor in acting:
        errors.append(ValidationError("supervisor", "监销人不能是销毁人本人，请由另一人监销"))
    elif len(supervisor) > 50:
        errors.append(ValidationError("supervisor", "监销人不能超过50字"))
    if not approved_by:
        errors.append(ValidationError("approved_by", "请填写批准人或批准文号"))
    elif len(approved_by) > 100:
        errors.append(ValidationError("approved_by", "批准人/批准文号不能超过100字"))
    if method not in DESTRUCTION_METHODS:
        errors.append(ValidationError("method", f"销毁方式应为{'、'.join(DESTRUCTION_METHODS)}之一"))
    if destroyed_on > ctx.today():
        errors.append(ValidationError("destroyed_on", "销毁日期不能晚于今天"))
    if errors:
        raise errors[0] if len(errors) == 1 else ValidationErrors(errors)
    return destroyed_on, supervisor, approved_by, method, note


def _dependent_tables() -> list[tuple[sa.Table, sa.Column]]:
    """Every table with a column referring to ``case_file.id`` (walked from the models)."""
    found = []
    for table in SQLModel.metadata.sorted_tables:
        for column in table.columns:
            if any(fk.column.table.name == Case.__tablename__ for fk in column.foreign_keys):
                found.append((table, column))
    return found


def _delete_case(session: Session, case: Case) -> None:
    """Delete the case and every row that belongs to it (children before parents)."""
    case_id = case.id
    person_ids = set(session.exec(select(CaseParty.person_id)
                                  .where(CaseParty.case_id == case_id, CaseParty.person_id.is_not(None))))
    review_ids = select(AdvisorReview.id).where(AdvisorReview.case_id == case_id)
    # The advisor's service ledger stays (hours served); it only forgets the destroyed case.
    session.execute(sa.update(LedgerEntry).where(sa.or_(LedgerEntry.case_id == case_id,
                                                        LedgerEntry.review_id.in_(review_ids)))
                    .values(case_id=None, review_id=None))
    agreement_ids = select(Agreement.id).where(Agreement.case_id == case_id)
    session.execute(sa.delete(AgreementTerm).where(AgreementTerm.agreement_id.in_(agreement_ids)))
    session.execute(sa.delete(CaseLink).where(sa.or_(CaseLink.case_id == case_id,
                                                     CaseLink.earlier_case_id == case_id)))
    for table, column in _dependent_tables():
        if table.name not in (Case.__tablename__, LedgerEntry.__tablename__, CaseLink.__tablename__):
            session.execute(sa.delete(table).where(column == case_id))
    session.flush()
    session.delete(case)
    session.flush()
    # A person's record (name, ID number) goes when no remaining case names them.
    for person_id in person_ids:
        named = select(CaseParty.id).where(CaseParty.person_id == person_id).limit(1)
        if session.exec(named).first() is None:
            session.execute(sa.delete(Person).where(Person.id == person_id))


@dataclass(frozen=True)
class Destroyed(OpChanges):
    """The destroyed cases (every list drops them) and the destruction records written."""

    record_ids: tuple[int, ...] = ()


@requires(Permission.RETENTION)
def destroy_dossiers(ctx: ServiceContext, order: DestructionOrder) -> Destroyed:
    """销毁: delete the ordered dossiers in one transaction; returns the destruction record ids.

    Raises:
        ValidationError / ValidationErrors: the order is incomplete, or a case is not archived or
            not yet due (naming the case); nothing is deleted then.
        NotFoundError / PermissionDenied: a case does not exist or is outside the user's scope.
    """
    destroyed_on, supervisor, approved_by, method, note = _check_order(ctx, order)
    periods = periods_by_category(ctx)
    record_ids = []
    with ctx.transaction() as session:
        for case_id in dict.fromkeys(order.case_ids):
            case = session.exec(select(Case).where(Case.id == case_id).with_for_update()).first()
            if case is None:
                raise NotFoundError(f"案件（编号{case_id}）不存在或已销毁")
            visible = session.exec(restrict_cases(ctx, select(Case.id).where(Case.id == case_id))).first()
            if visible is None:
                raise PermissionDenied(f"案件{case.number}不在您的查看范围内，不能销毁")
            if case.status != CaseStatus.ARCHIVED.value:
                status = CaseStatus(case.status).label
                raise ValidationError("case_ids", f"案件{case.number}尚未归档（{status}），不能销毁")
            archived_on = session.exec(select(func.max(TimelineEvent.on)).where(
                TimelineEvent.case_id == case_id, TimelineEvent.action == "archive")).one() or case.closed_on
            period = periods.get(case.category) or period_or_default(None)
            due = due_on(archived_on, period) if archived_on else None
            if due is None:
                why = "保管期限为永久" if archived_on else "没有归档日期"
                raise ValidationError("case_ids", f"案件{case.number}{why}，不能销毁")
            if due > destroyed_on:
                raise ValidationError("case_ids", f"案件{case.number}的保管期限（{period.label}）"
                                                  f"至{due.isoformat()}届满，尚未到期，不能销毁")
            record = DestructionRecord(
                case_number=case.number, case_ref=case.ref, category=case.category,
                organization_id=case.organization_id, summary=case.summary[:SUMMARY_CHARS],
                received_on=case.received_on, archived_on=archived_on, retention=period.value,
                due_on=due, destroyed_on=destroyed_on, destroyed_by=ctx.actor[:50], supervisor=supervisor,
                approved_by=approved_by, method=method, note=note, created_at=ctx.now())
            session.add(record)
            session.flush()
            record_ids.append(record.id)
            audit.record(ctx, session, "destroy", record.case_number, {
                "record_id": record.id, "category": record.category, "archived_on": archived_on.isoformat(),
                "retention": period.value, "due_on": due.isoformat(), "supervisor": supervisor,
                "approved_by": approved_by, "method": method, "destroyed_on": destroyed_on.isoformat()})
            _delete_case(session, case)
    return Destroyed(case_ids=tuple(dict.fromkeys(order.case_ids)), record_ids=tuple(record_ids))


# --- the record of destructions ---------------------------------------------------------------------


def destruction_records(ctx: ServiceContext, year: int | None = None) -> list[DestructionRow]:
    """The 销毁记录 (of one year of destruction, or all), newest first.

    Those who destroy (RETENTION) and those who read the audit log (AUDIT_READ) may read it.
    """
    if not can(ctx.user, Permission.AUDIT_READ):
        require(ctx, Permission.RETENTION)  # raises with the role's refusal sentence
    stmt = select(DestructionRecord)
    if year is not None:
        stmt = stmt.where(DestructionRecord.destroyed_on >= date(year, 1, 1),
                          DestructionRecord.destroyed_on <= date(year, 12, 31))
    stmt = stmt.order_by(DestructionRecord.destroyed_on.desc(), DestructionRecord.id.desc())
    with ctx.read() as session:
        rows = session.exec(stmt).all()
    out = []
    for r in rows:
        label = period_or_default(r.retention).label if r.retention else ""
        out.append(DestructionRow(r.id, r.case_number, r.category, _category_label(r.category), r.summary,
                                  r.received_on, r.archived_on, r.retention, label, r.due_on,
                                  r.destroyed_on, r.destroyed_by, r.supervisor, r.approved_by, r.method,
                                  r.note))
    return out


# Walks over every service read one permission per function; RETENTION is the one that destroys.
destruction_records.required_permission = Permission.RETENTION  # type: ignore[attr-defined]


@requires(Permission.RETENTION)
def destruction_list_pdf(ctx: ServiceContext, record_id: int) -> PdfResult:
    """The 销毁清册 (PDF) of the destruction a record belongs to: every dossier destroyed on the
    same day under the same approval and supervisor. Returns a ``PdfResult`` (data, warnings).
    """
    from mediator.documents.destruction_list import (
        DestructionList,
        ListRow,
        render_destruction_list,
    )
    from mediator.documents.fonts import find_fonts
    from mediator.services.documents.rendering import font_path_setting

    with ctx.read() as session:
        record = session.get(DestructionRecord, record_id)
        if record is None:
            raise NotFoundError("该销毁记录不存在")
        batch = session.exec(select(DestructionRecord).where(
            DestructionRecord.destroyed_on == record.destroyed_on,
            DestructionRecord.approved_by == record.approved_by,
            DestructionRecord.supervisor == record.supervisor,
            DestructionRecord.destroyed_by == record.destroyed_by).order_by(DestructionRecord.id)).all()
    rows = tuple(ListRow(r.case_number, _category_label(r.category), r.summary,
                         r.archived_on.isoformat() if r.archived_on else "",
                         period_or_default(r.retention).label, r.due_on.isoformat(), r.method)
                 for r in batch)
    doc = DestructionList(str(all_settings(ctx).get("office.name") or ""), record.destroyed_on.isoformat(),
                          record.destroyed_by, record.supervisor, record.approved_by, record.note, rows)
    result = render_destruction_list(doc, find_fonts(font_path_setting(ctx)))
    audit.log(ctx, "print", "卷宗销毁清册", {"record_ids": [r.id for r in batch],
                                          "destroyed_on": record.destroyed_on.isoformat()})
    return result


__all__ = ["Destroyed", "DestructionOrder", "DestructionRow", "DueDossier", "destroy_dossiers", "destruction_list_pdf",
           "destruction_records", "due_for_destruction", "periods_by_category"]
