"""The case factory: draws one demo case after another (parties, texts, agreement, sessions)."""
from __future__ import annotations

import random
from bisect import bisect
from datetime import date, timedelta
from itertools import accumulate
from typing import Any

from mediator.services.exchange.demo_data.county import County, Township, Village
from mediator.services.exchange.demo_data.names import Names
from mediator.services.exchange.demo_data.papers import amount_text, amount_yuan, draw_agreement, draw_sessions
from mediator.services.exchange.demo_data.plan import Plan
from mediator.services.exchange.demo_data.tables import (
    ADMIN_CATEGORIES,
    ADMIN_DETAIL_WEIGHTS,
    ADMIN_SOURCES,
    AMOUNTS,
    ARCHIVED_FROM,
    AREA_CODE,
    CATEGORY_CYCLE,
    COMBOS,
    COMPANY_WORDS,
    COUNTY_BODIES,
    COUNTY_NAME,
    COURT,
    CYCLED_CASES,
    ETHNICITIES,
    HOSPITALS,
    ID_PREFIX,
    ISO_AFTER,
    ISO_BEFORE,
    JOBS,
    JUDICIAL_CATEGORY_WEIGHTS,
    JUDICIAL_DETAIL_WEIGHTS,
    MEDICAL_COMMITTEE,
    ORG_PATTERNS,
    ORG_RESPONDENT,
    ORG_RESPONDENT_OTHER,
    PEOPLE_CATEGORY_WEIGHTS,
    PEOPLE_SOURCES,
    REF_PREFIX,
    RELATIONS,
    RURAL,
    STATUS_CYCLE,
    STATUS_WEIGHTS,
    TEXTS,
    TRACK_WEIGHTS,
    TRIBUNAL,
    URBAN,
)


def _cum(weights: dict[str, float]) -> tuple[tuple[str, ...], tuple[float, ...]]:
    return tuple(weights), tuple(accumulate(weights.values()))


def _org_code(rng: random.Random) -> str:
    """A 9-character organisation code (GB 11714) with its own check character."""
    body = f"{rng.randrange(10**8):08d}"
    total = sum(int(c) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + ("X" if check == 10 else "0" if check == 11 else str(check))


class CaseFactory:
    """Draws one case after another from the county and the shared random stream."""

    def __init__(self, rng: random.Random, today: date, county: County, names: Names) -> None:
        from mediator.domain.formatting import rmb_upper
        from mediator.domain.validators import credit_code_check_char, id_number_check_char

        self.rng, self.today, self.county, self.names = rng, today, county, names
        self.rmb_upper = rmb_upper
        self.id_check = id_number_check_char
        base = today - timedelta(days=ISO_BEFORE)
        self.iso = [(base + timedelta(days=k)).isoformat() for k in range(ISO_BEFORE + ISO_AFTER)]
        self.today_index = ISO_BEFORE
        first = date(today.year - 82, 1, 1).toordinal()
        last = date(today.year - 18, 1, 1).toordinal()
        self.birth_iso = [date.fromordinal(k).isoformat() for k in range(first, last + 1)]
        self.people_categories = _cum(PEOPLE_CATEGORY_WEIGHTS)
        self.judicial_categories = _cum(JUDICIAL_CATEGORY_WEIGHTS)
        self.admin_categories = {k: _cum(w) for k, w in ADMIN_CATEGORIES.items()}
        self.admin_details = _cum(ADMIN_DETAIL_WEIGHTS)
        self.judicial_details = _cum(JUDICIAL_DETAIL_WEIGHTS)
        self.tracks = _cum(TRACK_WEIGHTS)
        self.statuses = _cum(STATUS_WEIGHTS)
        self.archived_from = _cum(ARCHIVED_FROM)
        self.people_sources = _cum(PEOPLE_SOURCES)
        self.admin_sources = _cum(ADMIN_SOURCES)
        self.texts = {}
        for cat, (entries, what) in TEXTS.items():
            moneyless = tuple(e for e in entries if "{m}" not in e[0] + e[1])
            self.texts[cat] = (entries, moneyless, what)
        self.all_persons: list[tuple[Village, dict[str, Any]]] = []
        self.party_orgs = self._party_orgs(credit_code_check_char)
        self.category_counter = 0

    # -- small draws ------------------------------------------------------------------------

    def pick(self, table: tuple[tuple[str, ...], tuple[float, ...]]) -> str:
        keys, cum = table
        return keys[bisect(cum, self.rng.random() * cum[-1])]

    def ri(self, lo: int, hi: int) -> int:
        return lo + int(self.rng.random() * (hi - lo + 1))

    def choice(self, seq):
        return seq[int(self.rng.random() * len(seq))]

    def _party_orgs(self, check) -> dict[str, list[dict[str, Any]]]:
        """Companies, co-operatives and hospitals that appear as parties (each name once)."""
        out: dict[str, list[dict[str, Any]]] = {}
        seen: set[str] = set()
        for kind, (patterns, head) in ORG_PATTERNS.items():
            out[kind] = []
            while len(out[kind]) < 6:
                name = COUNTY_NAME + self.choice(patterns).format(w=self.choice(COMPANY_WORDS))
                if name not in seen:
                    seen.add(name)
                    out[kind].append(self._party_org(name, head, check))
        out["hospital"] = [self._party_org(name, "12", check) for name in HOSPITALS]
        return out

    def _party_org(self, name: str, head: str, check) -> dict[str, Any]:
        village = self.choice(self.county.villages)
        first17 = head + ID_PREFIX + _org_code(self.rng)
        return {"name": name, "credit_code": first17 + check(first17),
                "representative": self.names.name(self.rng, self.rng.random() < 0.75),
                "phone": f"{AREA_CODE}-{self.ri(2000000, 8999999)}",
                "address": f"{village.township.name}{village.name}{self.ri(1, 88)}号"}

    # -- people ------------------------------------------------------------------------------

    def _new_person(self, village: Village, male: bool | None = None) -> dict[str, Any]:
        r = self.rng.random
        if male is None:
            male = r() < 0.52
        id_number = None
        while id_number is None:
            birth_iso = self.birth_iso[int(r() * len(self.birth_iso))]
            id_number = self.names.id_number(self.rng, birth_iso, male, self.id_check)
        kind = village.kind
        place = village.place
        if kind == RURAL:
            address = f"{place}{1 + int(r() * 9)}组{1 + int(r() * 120)}号"
        elif kind == URBAN:
            address = (f"{place}{1 + int(r() * 30)}号楼{1 + int(r() * 4)}单元"
                       f"{1 + int(r() * 18)}0{1 + int(r() * 4)}室")
        else:
            address = f"{place}{1 + int(r() * 12)}号宿舍楼"
        if self.today.year - int(birth_iso[:4]) >= 62 and r() < 0.5:
            occupation = "退休"
        else:
            jobs = JOBS[kind]
            occupation = jobs[int(r() * len(jobs))]
        person = {
            "kind": "person", "name": self.names.name(self.rng, male),
            "gender": "male" if male else "female",
            "ethnicity": ETHNICITIES[int(r() * len(ETHNICITIES))],
            "birth_date": birth_iso, "id_number": id_number,
            "phone": self.names.mobile(self.rng), "address": address, "occupation": occupation,
            "credit_code": None, "representative": None,
        }
        village.pool.append(person)
        if len(self.all_persons) < 2000:  # only the first cases draw repeat parties from here
            self.all_persons.append((village, person))
        return person

    def _person_party(self, role: str, village: Village, taken: set[str],
                      person: dict[str, Any] | None = None,
                      male: bool | None = None) -> dict[str, Any]:
        if person is None and male is not None:
            person = self._new_person(village, male)  # a spouse: the other sex, someone new
        if person is None:
            pool = village.pool
            if len(pool) >= 4 and self.rng.random() < 0.07:
                person = self.choice(pool)
                if person["id_number"] in taken:
                    person = None
            if person is None:
                person = self._new_person(village)
        taken.add(person["id_number"])
        agent = None
        if self.rng.random() < 0.05:
            agent = {"name": self.names.name(self.rng, self.rng.random() < 0.5),
                     "phone": self.names.mobile(self.rng), "relation": self.choice(RELATIONS)}
        return {"role": role, **person, "agent": agent}

    def _org_party(self, role: str, kind: str) -> dict[str, Any]:
        org = self.choice(self.party_orgs[kind])
        agent = None
        if self.rng.random() < 0.3:
            agent = {"name": self.names.name(self.rng, self.rng.random() < 0.5),
                     "phone": self.names.mobile(self.rng),
                     "relation": self.choice(("员工", "律师", "法务人员"))}
        return {"role": role, "kind": "organization", "name": org["name"], "gender": None,
                "ethnicity": None, "birth_date": None, "id_number": None, "phone": org["phone"],
                "address": org["address"], "occupation": None, "credit_code": org["credit_code"],
                "representative": org["representative"], "agent": agent}

    # -- one case ----------------------------------------------------------------------------

    def case(self, i: int) -> dict[str, Any]:
        rng, county = self.rng, self.county
        r = rng.random
        cycled = i < CYCLED_CASES
        forced_person = None
        if cycled:
            track, detail = COMBOS[i % len(COMBOS)]
            target = STATUS_CYCLE[i % len(STATUS_CYCLE)]
            if i % 12 == 11 and self.all_persons:  # make sure repeat disputes show up early
                village, forced_person = self.choice(self.all_persons)
            else:
                village = self.choice(county.villages)
        else:
            track = self.pick(self.tracks)
            detail = None
            if track == "administrative":
                detail = self.pick(self.admin_details)
            elif track == "judicial":
                detail = self.pick(self.judicial_details)
            target = self.pick(self.statuses)
            village = self.choice(county.villages)
        township = village.township

        if detail in ADMIN_CATEGORIES:
            category = self.pick(self.admin_categories[detail])
        elif cycled:
            category = CATEGORY_CYCLE[self.category_counter % len(CATEGORY_CYCLE)]
            self.category_counter += 1
        else:
            category = self.pick(self.people_categories if track == "people"
                                  else self.judicial_categories)

        procedure = None
        if detail in ("entrusted", "in_litigation"):
            procedure = "simple" if r() < 0.6 else "ordinary"

        # organisation, source and level
        if track == "people":
            organization = self._people_org(village, category)
            source = self.pick(self.people_sources)
        elif track == "administrative":
            organization = self.admin_org(detail, township)
            source = self.pick(self.admin_sources)
        else:
            source = "referral_court"
            if detail == "in_litigation" or r() < 0.45:
                organization = COURT if r() < 0.7 else TRIBUNAL
            else:
                organization = self._people_org(village, category)
        level = county.org_level[organization]
        if level == "village":
            level = "grid" if source == "grid_report" else "village"
        grid = None
        if village.grids and (source == "grid_report" or r() < 0.85):
            grid = self.choice(village.grids)

        # risk
        x = r()
        risk_level = "low" if x < 0.72 else "medium" if x < 0.94 else "high"
        flags = []
        if risk_level == "high":
            if r() < 0.5:
                flags.append("criminal")
            if r() < 0.4 or category in ("land_expropriation", "environment"):
                flags.append("group")
            if r() < 0.3:
                flags.append("petition")
        elif risk_level == "medium":
            if r() < 0.1:
                flags.append("petition")
            if r() < 0.08 and category in ("land_expropriation", "environment", "labor"):
                flags.append("group")

        # parties
        taken: set[str] = set()
        parties = [self._person_party("applicant", village, taken, forced_person)]
        if "group" in flags and r() < 0.7:
            parties.append(self._person_party("applicant", village, taken))
        org_p, org_kind = ORG_RESPONDENT.get(category, (ORG_RESPONDENT_OTHER, "company"))
        if r() < org_p:
            parties.append(self._org_party("respondent", org_kind))
        elif category == "marriage_family":
            parties.append(self._person_party("respondent", village, taken,
                                              male=parties[0]["gender"] == "female"))
        else:
            parties.append(self._person_party("respondent", village, taken))
        if r() < 0.12:
            parties.append(self._person_party("third_party", village, taken))
        involved = len(parties) + (self.ri(0, 3) if r() < 0.4 else 0)
        if "group" in flags:
            involved = max(involved, self.ri(10, 60))

        # money
        zero_p, lo, hi = AMOUNTS[category]
        if r() < zero_p:
            fen = 0
        else:
            yuan = int(lo * (hi / lo) ** r())
            yuan = yuan // 100 * 100 if yuan >= 2000 else yuan // 10 * 10
            fen = yuan * 100 + (50 if r() < 0.05 else 0)

        names = {"a": parties[0]["name"], "b": parties[-1 if parties[-1]["role"] == "respondent"
                                                      else -2]["name"],
                 "v": village.name, "t": township.name, "m": amount_text(fen),
                 "n": self.ri(2, 30)}
        entries, moneyless, what = self.texts[category]
        entry = self.choice(entries if fen else moneyless)
        summary, request, term, payer = entry[:4]
        if len(entry) > 4:
            what = entry[4]  # what the money is for, where the category's word does not fit
        summary, request = summary.format(**names), request.format(**names)
        if involved >= 10:
            summary += f"涉及群众{involved}人。"

        plan = Plan(self, track, detail, procedure, organization, level, village, category,
                     flags, target)
        plan.run()

        age = plan.age
        base = self.today_index - age
        iso = self.iso
        for ev in plan.events:
            ev["on"] = iso[base + ev["on"]]
            if "until" in ev:
                ev["until"] = iso[base + ev["until"]]

        agreement = follow_ups = confirmation = None
        if plan.agree_at is not None:
            agreement, follow_ups, confirmation = draw_agreement(self, plan, parties, fen, names,
                                                                 what, term, payer, base, age)
        sessions = draw_sessions(self, plan, names, village, township, base, age)

        staff = county.org_mediators[organization]
        mediators = [self.choice(staff)]
        if len(staff) > 1 and r() < 0.4:
            other = self.choice(staff)
            if other != mediators[0]:
                mediators.append(other)
        received = iso[base]
        return {
            "ref": f"{REF_PREFIX}-{received[:4]}-{i + 1:05d}",
            "number": None,
            "track": track,
            "track_detail": detail,
            "source": source,
            "procedure": procedure,
            "category": category,
            "organization": organization,
            "village_code": village.code,
            "grid": grid,
            "level": level,
            "received_on": received,
            "summary": summary,
            "requests": request,
            "amount_yuan": amount_yuan(fen),
            "people_involved": involved,
            "risk": {"level": risk_level, "flags": flags},
            "parties": parties,
            "mediators": mediators,
            "events": plan.events,
            "sessions": sessions,
            "agreement": agreement,
            "follow_ups": follow_ups or [],
            "judicial_confirmation": confirmation,
        }

    def _people_org(self, village: Village, category: str) -> str:
        x = self.rng.random()
        if category == "medical" and x < 0.8:
            return MEDICAL_COMMITTEE
        if village.committee is not None and x < 0.72:
            return village.committee
        return village.township.committee

    def admin_org(self, detail: str, township: Township) -> str:
        if detail == "police":
            return township.police
        if detail == "consumer":
            return township.market
        if detail == "land":
            return township.land
        return COUNTY_BODIES[detail][0]
