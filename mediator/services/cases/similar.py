"""类案参考: the closest earlier cases of the office, with how they ended and what was agreed.

Candidates are the cases that ended in mediation (调解成功, 已履行, 调解终止, 已归档), received
before this one, of the same office (``office_scope``: a township's cases stay among themselves;
the county, or an install with one office, is one pool), and that the user may see. A candidate
must share the category or one of the summary's salient words (``domain/summary_terms``); it is
ranked by

    score = 3 × same category + 2 × same village + 1 × each salient word its summary has

then by the newest first. A word of three characters or more is looked up like the search box
does (SQLite: the FTS5 trigram index, summary column only; PostgreSQL: LIKE on the summary, served
by its trigram index): each word's matches are one indexed set, and a candidate's score counts
the sets it is in. A two-character word (借款, 争吵) no trigram index can find: it only counts
for a case found otherwise, checked on that case's summary. Both databases rank the same way.

The candidates are the word sets, the village's cases of the category (``ix_case_village_received``)
and the newest ``CATEGORY_POOL`` others of the category (an older one sharing nothing else could
only fill a list with fewer than ``limit`` better cases): never a scan of the whole table, nor of
a whole category. They are grouped once per case, the top ``limit`` cut in SQL, and only their
agreements read.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

import sqlalchemy as sa
from sqlalchemy.orm import aliased
from sqlmodel import Session, func, select

from mediator.domain.enums import CaseStatus, Category
from mediator.domain.errors import NotFoundError
from mediator.domain.summary_terms import joined, salient_terms
from mediator.domain.validators import fen_to_yuan
from mediator.services.access import restrict_cases, subtree_organization_ids
from mediator.services.cases.search import TRIGRAM, _phrase
from mediator.services.context import ServiceContext
from mediator.services.office_scope import office_of
from mediator.services.permissions import Permission, requires
from mediator.store.models import Agreement, AgreementTerm, Case, CaseParty, Region

LIMIT = 10
CATEGORY_WEIGHT, VILLAGE_WEIGHT, WORD_WEIGHT = 3, 2, 1
EXCERPT = 80  # characters of the summary shown in the list
# Cases that went through mediation to an end; 不予受理 and 已撤回 say nothing about a settlement.
ENDED = (CaseStatus.AGREED, CaseStatus.PERFORMED, CaseStatus.FAILED, CaseStatus.ARCHIVED)
ENDED_CODES = [s.value for s in ENDED]
CATEGORY_POOL = 200  # same-category cases of other villages without a shared word, newest first

_case_fts = sa.table("search_case", sa.column("rowid"))


@dataclass(frozen=True)
class SimilarCase:
    """One earlier case and how it was settled."""

    id: int
    number: str
    received_on: date
    category: str
    category_label: str
    village: str
    summary: str  # the first EXCERPT characters
    status: str
    outcome: str  # 调解结果: the status, and for an archived case whether it was settled
    signed_on: date | None  # the agreement's, None without one
    terms: tuple[str, ...]  # the agreement's items, in order
    performance: str  # 履行方式
    deadline: date | None  # 履行期限
    amount_yuan: str  # the agreement's amount ("0.00" without one)
    claimed_yuan: str  # the amount in dispute
    score: int
    reasons: tuple[str, ...]  # why it is similar: 同类纠纷, 同村（社区）, the words it shares


def _summary_ids(word: str, dialect: str) -> Any:
    """The ids of the cases whose summary has ``word`` of three characters or more (one column)."""
    if dialect != "sqlite":  # LIKE: the GIN trigram index serves it; Chinese has no case to fold
        return select(Case.id).where(Case.summary.like(f"%{word}%"))
    return select(_case_fts.c.rowid).where(sa.literal_column("search_case").match("summary : " + _phrase(word)))


def _outcome(status: str, signed: bool) -> str:
    if status == CaseStatus.ARCHIVED.value:
        return "调解成功（已归档）" if signed else "已归档（未达成协议）"
    return CaseStatus(status).label


@requires(Permission.CASE_READ)
def similar_cases(ctx: ServiceContext, case_id: int, limit: int = LIMIT) -> list[SimilarCase]:
    """The ``limit`` earlier cases most like this one, best first (see the module docstring)."""
    with ctx.read() as session:
        this = session.exec(select(Case.category, Case.village_id, Case.organization_id, Case.received_on,
                                   Case.summary).where(Case.id == case_id)).first()
        if this is None:
            raise NotFoundError(f"案件（编号{case_id}）不存在")
        category, village_id, organization_id, received_on, summary = this
        # The place names are left out of the words like the parties' names: every case there has them.
        township = aliased(Region)
        places = session.execute(select(Region.name, township.name).outerjoin(township, township.id == Region.parent_id)
                                 .where(Region.id == village_id)).first() or ()
        names = session.exec(select(CaseParty.name).where(CaseParty.case_id == case_id)).all()
        # Longer words first: the statement's shape then depends only on how many words of each
        # kind there are, so SQLAlchemy compiles it once per shape (30–40 ms each time otherwise).
        words = sorted(salient_terms(summary, [*names, *(p for p in places if p)]), key=lambda w: len(w) < TRIGRAM)
        dialect = session.get_bind().dialect.name
        # One row per (case, word) its summary has, for the words of three characters and more,
        # each word's set read once from the index; grouped per case below with the category's
        # cases: how many words, and a bit mask of which (for the reasons shown). A two-character
        # word no trigram index can look up: it is checked on the candidates only (LIKE; the words
        # are Chinese characters only, nothing to escape), on both databases alike.
        hits = [select(ids.subquery().c[0].label("id"), sa.literal_column(str(1 << i)).label("bit"))
                for i, ids in ((i, _summary_ids(w, dialect)) for i, w in enumerate(words) if len(w) >= TRIGRAM)]
        short = [(1 << i, Case.summary.like(f"%{w}%")) for i, w in enumerate(words) if len(w) < TRIGRAM]
        office = office_of(session, organization_id)
        in_office = Case.organization_id.in_(subtree_organization_ids(session, office)) if office else sa.true()
        # Cases of the category sharing no word: all of the village's, and the newest others.
        kin = select(Case.id, sa.literal_column("0").label("bit"), sa.literal_column("0").label("n")).where(
            Case.category == category, Case.received_on <= received_on)
        newest = restrict_cases(ctx, kin.where(in_office, Case.status.in_(ENDED_CODES))).order_by(
            Case.received_on.desc())
        rows = sa.union_all(
            select(sa.union(*hits).subquery()).add_columns(sa.literal_column("1").label("n")) if hits else
            kin.where(sa.false()),
            kin.where(Case.village_id == village_id),
            select(newest.limit(CATEGORY_POOL).subquery())).subquery()
        per_case = (select(rows.c[0].label("id"), func.sum(rows.c[2]).label("n"), func.sum(rows.c[1]).label("mask"))
                    .group_by(rows.c[0]).subquery())
        same_category = sa.case((Case.category == category, 1), else_=0)
        same_village = sa.case((Case.village_id == village_id, 1), else_=0)
        short_n = sum((sa.case((has, 1), else_=0) for _bit, has in short), sa.literal_column("0"))
        short_mask = sum((sa.case((has, bit), else_=0) for bit, has in short), sa.literal_column("0"))
        score = (CATEGORY_WEIGHT * same_category + VILLAGE_WEIGHT * same_village
                 + WORD_WEIGHT * (per_case.c.n + short_n)).label("score")
        stmt = (select(Case.id, score, same_category, same_village, per_case.c.mask + short_mask)
                .select_from(per_case).join(Case, Case.id == per_case.c.id)
                .where(Case.id != case_id, Case.status.in_(ENDED_CODES), in_office,
                       sa.or_(Case.received_on < received_on,
                              sa.and_(Case.received_on == received_on, Case.id < case_id))))
        stmt = restrict_cases(ctx, stmt).order_by(sa.desc("score"), Case.received_on.desc(), Case.id.desc())
        ranked = session.execute(stmt.limit(limit)).all()
        return _rows(session, ranked, words)


def _rows(session: Session, ranked: list[Any], words: list[str]) -> list[SimilarCase]:
    if not ranked:
        return []
    ids = [r[0] for r in ranked]
    cases = {r[0]: r for r in session.execute(
        select(Case.id, Case.number, Case.received_on, Case.category, Region.name,
               sa.func.substr(Case.summary, 1, EXCERPT), Case.status, Case.amount_fen)
        .join(Region, Region.id == Case.village_id).where(Case.id.in_(ids)))}
    agreements = {r[0]: r for r in session.execute(
        select(Agreement.case_id, Agreement.id, Agreement.signed_on, Agreement.performance_method,
               Agreement.deadline, Agreement.amount_fen).where(Agreement.case_id.in_(ids)))}
    items: dict[int, list[str]] = {}
    for agreement_id, text in session.execute(
            select(AgreementTerm.agreement_id, AgreementTerm.text)
            .where(AgreementTerm.agreement_id.in_([a[1] for a in agreements.values()]))
            .order_by(AgreementTerm.agreement_id, AgreementTerm.seq)):
        items.setdefault(agreement_id, []).append(text)
    rows = []
    for case_id, score, same_category, same_village, mask in ranked:
        _, number, received, category, village, excerpt, status, claimed = cases[case_id]
        agreement = agreements.get(case_id)
        reasons = (["同类纠纷"] if same_category else []) + (["同村（社区）"] if same_village else []) + \
            [f"“{w}”" for w in joined(w for i, w in enumerate(words) if int(mask) >> i & 1)]
        rows.append(SimilarCase(
            id=case_id, number=number, received_on=received, category=category,
            category_label=Category(category).label, village=village, summary=excerpt, status=status,
            outcome=_outcome(status, agreement is not None),
            signed_on=agreement[2] if agreement else None,
            terms=tuple(items.get(agreement[1], ())) if agreement else (),
            performance=agreement[3] if agreement else "", deadline=agreement[4] if agreement else None,
            amount_yuan=f"{fen_to_yuan(agreement[5] if agreement else 0):.2f}",
            claimed_yuan=f"{fen_to_yuan(claimed):.2f}", score=int(score), reasons=tuple(reasons)))
    return rows
