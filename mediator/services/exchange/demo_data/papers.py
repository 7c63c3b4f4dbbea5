"""Papers of one demo case: its agreement with follow-ups and its session records."""
from __future__ import annotations

from typing import Any

from mediator.services.exchange.demo_data.county import Township, Village
from mediator.services.exchange.demo_data.plan import Plan
from mediator.services.exchange.demo_data.tables import (
    AGREE_RECORDS,
    CLOSING_TERMS,
    COURT,
    FAIL_RECORDS,
    FOLLOW_UP_NOTES,
    INVESTIGATION_RECORDS,
    MEDIATION_RECORDS,
    PERFORMANCE_WAYS,
    TRIBUNAL,
)


def amount_yuan(fen: int) -> str:
    """The ``amount_yuan`` field: "0" or yuan with two decimals."""
    if fen == 0:
        return "0"
    return f"{fen // 100}.{fen % 100:02d}"


def amount_text(fen: int) -> str:
    """Yuan as written in a text: no decimals when the fen are zero."""
    yuan, cents = divmod(fen, 100)
    return f"{yuan}" if not cents else f"{yuan}.{cents:02d}"


def draw_agreement(f: Any, plan: Plan, parties, fen, names, what, term, payer, base, age):
    """The agreement of an agreed case, its follow-ups and its judicial confirmation.

    ``f`` is the ``CaseFactory`` drawing the case (not imported here: it imports this module).
    """
    r = f.rng.random
    iso = f.iso
    signed = plan.agree_at
    deadline = plan.deadline_at
    agreed_fen = 0
    if fen:
        # usually less than asked, in round figures
        yuan = int(fen * (0.5 + 0.5 * r())) // 100
        agreed_fen = (yuan // 100 * 100 if yuan >= 2000 else yuan // 10 * 10) * 100 or fen
    payer, payee = (names["b"], names["a"]) if payer == "b" else (names["a"], names["b"])
    items = []
    instalments = False
    if agreed_fen:
        money = f"{what}{f.rmb_upper(amount_yuan(agreed_fen))}（{amount_text(agreed_fen)}元）"
        if deadline is None:
            items.append(f"{payer}于签订本协议时当场支付{payee}{money}，{payee}当场收讫。")
        elif agreed_fen >= 2000000 and r() < 0.3 and deadline - signed >= 10:
            first = agreed_fen // 200 * 100
            mid = iso[base + signed + (deadline - signed) // 2]
            instalments = True
            items.append(f"{payer}分两期支付{payee}{money}：于{_cn(mid)}前支付"
                         f"{amount_text(first)}元，于{_cn(iso[base + deadline])}前付清余款"
                         f"{amount_text(agreed_fen - first)}元。")
        else:
            items.append(f"{payer}于{_cn(iso[base + deadline])}前一次性支付{payee}{money}。")
    if term is not None and (not items or r() < 0.7):
        items.append(term.format(**names))
    if not items or r() < 0.6:
        items.append(f.choice(CLOSING_TERMS))
    if deadline is None:
        performance = "当场履行"
    elif not agreed_fen:
        performance = "按协议约定期限自行履行"
    elif instalments:
        performance = "分两期银行转账支付"
    else:
        performance = f.choice(PERFORMANCE_WAYS)
    agreement = {
        "form": plan.form,
        "signed_on": iso[base + signed],
        "items": items,
        "performance": performance,
        "deadline": None if deadline is None else iso[base + deadline],
        "amount_yuan": amount_yuan(agreed_fen),
        "copies": len(parties) + 1,
    }
    follow_ups = []
    for on, result in plan.follow_ups:
        if on > age:
            continue
        x = r()
        if result == "full":
            satisfaction = "satisfied" if x < 0.75 else "basically"
        elif result == "partial":
            satisfaction = "basically" if x < 0.6 else "dissatisfied"
        else:
            satisfaction = "dissatisfied" if x < 0.6 else "basically"
        follow_ups.append({"on": iso[base + on], "method": "visit" if x < 0.5 else
                           "phone" if x < 0.95 else "other", "performance": result,
                           "satisfaction": satisfaction,
                           "note": f.choice(FOLLOW_UP_NOTES[result])})
    confirmation = None
    if plan.confirmation is not None:
        applied, ruled, result = plan.confirmation
        if applied <= age:
            pending = ruled > age
            confirmation = {"applied_on": iso[base + applied],
                            "court": TRIBUNAL if plan.village.township.code.endswith("101000")
                            else COURT,
                            "result": "pending" if pending else result,
                            "on": None if pending else iso[base + ruled]}
    return agreement, follow_ups, confirmation

def _cn(iso_text: str) -> str:
    return f"{int(iso_text[:4])}年{int(iso_text[5:7])}月{int(iso_text[8:])}日"

def draw_sessions(f: Any, plan: Plan, names, village: Village, township: Township, base, age):
    """Investigation and mediation records, on days the case is accepted or mediating."""
    if not plan.windows:
        return []
    windows = [(start, age if end is None else end) for start, end in plan.windows]
    r = f.rng.random
    org = plan.organization_now
    kind = f.county.org_kind[org]
    if kind == "village_committee":
        room = f"{village.name}调解室"
    elif kind == "township_committee":
        room = f"{township.name}人民调解室"
    elif kind == "court":
        room = "河湾县人民法院诉调对接中心" if org == COURT else "柳林人民法庭调解室"
    elif kind == "professional_committee":
        room = "县医调委调解室"
    else:
        room = f"{org.removeprefix('河湾县')}调解室"
    outcome = plan.outcome if plan.concluded_at is not None else None
    if outcome in ("agree", "fail"):
        count = f.ri(1, 3)
    elif outcome == "withdraw" or plan.status == "mediating":
        count = f.ri(0, 2)
    else:
        count = f.ri(0, 1)
    total = sum(end - start + 1 for start, end in windows)
    days = []
    for _ in range(count):
        k = int(r() * total)
        for start, end in windows:
            if k <= end - start:
                days.append(start + k)
                break
            k -= end - start + 1
    days.sort()
    end = plan.concluded_at
    if outcome in ("agree", "fail") and r() < 0.8:
        days[-1] = end  # the session at which the mediation ended
    out = []
    for k, day in enumerate(days):
        records = None
        if day == end and k == count - 1:
            records = {"agree": AGREE_RECORDS, "fail": FAIL_RECORDS}.get(outcome)
        investigation = records is None and k == 0 and (count > 1 or outcome is None) \
            and r() < 0.6
        out.append(_session(f, day, investigation, room, names, base, records))
    return out

def _session(f: Any, day, investigation, room, names, base, records=None):
    if investigation:
        place = f.choice(("争议现场", f"{names['a']}家中", room))
        text = f.choice(INVESTIGATION_RECORDS)
        kind = "investigation"
    else:
        place, kind = room, "mediation"
        text = f.choice(records or MEDIATION_RECORDS)
    return {"on": f.iso[base + day], "kind": kind, "place": place,
            "record": text.format(**names)}
