"""Export to a `mediator-case/1` document (EXCHANGE.md): the reference data and the cases a user
may see, personal data masked for roles without access to it."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlmodel import Session, select

from mediator.domain.enums import CaseStatus, RegionLevel
from mediator.domain.validators import fen_to_yuan
from mediator.services import audit
from mediator.services.access import restrict_cases
from mediator.services.cases.drafts import stored_draft, text_of
from mediator.services.cases.personal_data import protect_parties
from mediator.services.context import ServiceContext
from mediator.services.exchange.document import EVENT_KEYS, FORMAT
from mediator.services.permissions import Permission, requires
from mediator.store.models import (
    Advisor,
    AdvisorAppointment,
    Agreement,
    AgreementTerm,
    Case,
    CaseMediator,
    CaseParty,
    FollowUp,
    JudicialConfirmation,
    MediationSession,
    Mediator,
    Organization,
    Region,
    SupplementaryAgreement,
    TimelineEvent,
)


@requires(Permission.DATA_EXPORT)
def export_document(ctx: ServiceContext, *, date_from: date | None = None, date_to: date | None = None,
                    case_ids: list[int] | None = None) -> dict:
    """All reference data and the cases received in the period, as a `mediator-case/1` dict."""
    with ctx.read() as session:
        doc: dict[str, Any] = {"format": FORMAT, "exported_at": ctx.now().isoformat(timespec="seconds")}
        doc["regions"] = _export_regions(session)
        orgs = {o.id: o for o in session.exec(select(Organization).order_by(Organization.id))}
        regions = {r.id: r for r in session.exec(select(Region))}
        doc["organizations"] = [
            {"name": o.name, "kind": o.kind, "region": regions[o.region_id].code, "short": o.short}
            for o in orgs.values()
        ]
        doc["mediators"] = [
            {"name": m.name, "organization": orgs[m.organization_id].name, "phone": m.phone}
            for m in session.exec(select(Mediator).order_by(Mediator.id))
        ]
        doc["advisors"] = _export_advisors(session, regions)
        # An advisor exports only the cases of the villages they serve.
        stmt = restrict_cases(ctx, select(Case).order_by(Case.received_on, Case.id))
        if date_from is not None:
            stmt = stmt.where(Case.received_on >= date_from)
        if date_to is not None:
            stmt = stmt.where(Case.received_on <= date_to)
        if case_ids is not None:
            stmt = stmt.where(Case.id.in_(case_ids))
        mediators = {m.id: m.name for m in session.exec(select(Mediator))}
        doc["cases"] = [_export_case(session, c, regions, mediators) for c in session.exec(stmt)]
        for case in doc["cases"]:  # a role without PERSONAL_DATA gets 身份证号 and phones masked
            case["parties"] = protect_parties(ctx, case["parties"])
        return doc


@requires(Permission.DATA_EXPORT)
def export_file(ctx: ServiceContext, path: str | Path, **filters: Any) -> int:
    """Write the export to ``path`` (atomically); returns the number of cases."""
    doc = export_document(ctx, **filters)
    target = Path(path)
    tmp = target.with_name(target.name + ".part")
    tmp.write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    tmp.replace(target)
    audit.log(ctx, "export", str(target), {"cases": len(doc["cases"])})
    return len(doc["cases"])


def _export_regions(session: Session) -> list[dict]:
    rows = list(session.exec(select(Region).order_by(Region.id)))
    by_id = {r.id: r for r in rows}
    grids: dict[int, list[str]] = {}
    for r in rows:
        if r.level == RegionLevel.GRID.value:
            grids.setdefault(r.parent_id, []).append(r.name)
    out = []
    for r in sorted((r for r in rows if r.code), key=lambda r: r.code):
        item: dict[str, Any] = {"code": r.code, "name": r.name, "level": r.level,
                                "parent": by_id[r.parent_id].code if r.parent_id else None}
        if r.level == RegionLevel.VILLAGE.value:
            item["kind"] = r.kind
            item["grids"] = grids.get(r.id, [])
        if r.lat is not None and r.lon is not None:
            item["lat"], item["lon"] = r.lat, r.lon
        out.append(item)
    return out


def _export_advisors(session: Session, regions: dict[int, Region]) -> list[dict]:
    out = []
    for a in session.exec(select(Advisor).order_by(Advisor.id)):
        villages = session.exec(select(AdvisorAppointment).where(AdvisorAppointment.advisor_id == a.id)
                                .order_by(AdvisorAppointment.id))
        out.append({"name": a.name, "kind": a.kind, "firm": a.firm, "license_no": a.license_no,
                    "phone": a.phone,
                    "villages": [{"code": regions[v.village_id].code, "from": v.start.isoformat(),
                                  "to": v.end.isoformat()} for v in villages]})
    return out


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d else None


def _yuan(fen: int) -> str:
    return f"{fen_to_yuan(fen):.2f}"


def _export_case(session: Session, c: Case, regions: dict[int, Region], mediators: dict[int, str]) -> dict:
    events = list(session.exec(select(TimelineEvent).where(TimelineEvent.case_id == c.id)
                               .order_by(TimelineEvent.seq)))
    snapshot = events[0].data
    parties = session.exec(select(CaseParty).where(CaseParty.case_id == c.id).order_by(CaseParty.seq))
    mediator_ids = session.exec(select(CaseMediator.mediator_id).where(CaseMediator.case_id == c.id)
                                .order_by(CaseMediator.seq))
    lifecycle = [
        {"on": e.on.isoformat(), "action": e.action,
         **{k: v for k, v in (e.data or {}).items() if not k.startswith("_") and k != "form"}}
        for e in events if e.action in EVENT_KEYS
    ]
    sessions = session.exec(select(MediationSession).where(MediationSession.case_id == c.id)
                            .order_by(MediationSession.on, MediationSession.id))
    agreement = session.exec(select(Agreement).where(Agreement.case_id == c.id)).first()
    follow_ups = session.exec(select(FollowUp).where(FollowUp.case_id == c.id).order_by(FollowUp.on, FollowUp.id))
    confirmation = session.exec(select(JudicialConfirmation).where(JudicialConfirmation.case_id == c.id)).first()
    return {
        "ref": c.ref or snapshot.get("number") or c.number,
        "number": snapshot.get("number"),
        "track": snapshot["track"],
        "track_detail": snapshot.get("track_detail"),
        "procedure": snapshot.get("procedure"),
        "source": c.source,
        "category": c.category,
        "organization": snapshot["organization"],
        "village_code": regions[c.village_id].code,
        "grid": regions[c.grid_id].name if c.grid_id else None,
        "level": snapshot["level"],
        "received_on": c.received_on.isoformat(),
        "summary": c.summary,
        "requests": c.requests,
        "amount_yuan": _yuan(c.amount_fen),
        "people_involved": c.people_involved,
        "risk": {"level": c.risk_level, "flags": [f for f in c.risk_flags.split(",") if f]},
        "parties": [_export_party(p) for p in parties],
        "mediators": [mediators[m] for m in mediator_ids],
        "events": lifecycle,
        "sessions": [{"on": s.on.isoformat(), "kind": s.kind, "place": s.place, "record": s.record}
                     for s in sessions],
        "agreement": _export_agreement(session, agreement) if agreement else None,
        "supplements": [{"kind": x.kind, "signed_on": x.signed_on.isoformat(), "terms": list(x.terms),
                         "reason": x.reason}
                        for x in session.exec(select(SupplementaryAgreement)
                                              .where(SupplementaryAgreement.case_id == c.id)
                                              .order_by(SupplementaryAgreement.seq))],
        "draft": _export_draft(session, c),
        "follow_ups": [{"on": f.on.isoformat(), "method": f.method, "performance": f.performance,
                        "satisfaction": f.satisfaction, "note": f.note} for f in follow_ups],
        "judicial_confirmation": None if confirmation is None else {
            "applied_on": confirmation.applied_on.isoformat(), "court": confirmation.court,
            "result": confirmation.result, "on": _iso(confirmation.ruled_on)},
    }


def _export_party(p: CaseParty) -> dict:
    return {
        "role": p.role, "kind": p.kind, "name": p.name, "gender": p.gender, "ethnicity": p.ethnicity,
        "birth_date": _iso(p.birth_date), "id_number": p.id_number, "phone": p.phone,
        "address": p.address, "occupation": p.occupation, "credit_code": p.credit_code,
        "representative": p.representative,
        "agent": None if not p.agent_name else {"name": p.agent_name, "phone": p.agent_phone,
                                                "relation": p.agent_relation},
    }


def _export_agreement(session: Session, a: Agreement) -> dict:
    terms = session.exec(select(AgreementTerm.text).where(AgreementTerm.agreement_id == a.id)
                         .order_by(AgreementTerm.seq))
    return {"form": a.form, "signed_on": a.signed_on.isoformat(), "items": list(terms),
            "performance": a.performance_method, "deadline": _iso(a.deadline),
            "amount_yuan": _yuan(a.amount_fen), "copies": a.copies}


def _export_draft(session: Session, c: Case) -> dict | None:
    """The case's 拟定协议 as it stands (its revisions' timeline lines are not exported).

    An unsigned draft is left out once the case is no longer 调解中 (调解不成, 撤回, 移送 leave it
    behind): the import refuses such a draft, and one such case would stop the whole file.
    """
    row = stored_draft(session, c.id)
    if row is None or (not row.signed and c.status != CaseStatus.MEDIATING.value):
        return None
    text = text_of(row)
    return {"revision": text.revision, "signed": row.signed, "facts": text.facts, "items": list(text.items),
            "performance": text.performance, "deadline": _iso(text.deadline), "amount_yuan": text.amount_yuan,
            "copies": text.copies}
