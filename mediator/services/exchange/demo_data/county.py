"""The demo county itself: its regions, organisations, mediators and advisors."""
from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from mediator.domain.enums import Level, OrganizationKind
from mediator.services.exchange.demo_data.names import Names
from mediator.services.exchange.demo_data.tables import (
    ADVISORS,
    COUNTY_BODIES,
    COUNTY_CODE,
    COUNTY_NAME,
    COURT,
    GRID_NAMES,
    MEDICAL_COMMITTEE,
    TOWNSHIPS,
    TRIBUNAL,
    VILLAGES,
)


class Village:
    __slots__ = ("code", "name", "kind", "township", "grids", "committee", "pool", "place")

    def __init__(self, code: str, name: str, kind: str, township: Township, grids: list[str]):
        self.code, self.name, self.kind = code, name, kind
        self.township, self.grids = township, grids
        self.place = township.name + name  # the start of every address here
        self.committee: str | None = None
        self.pool: list[dict[str, Any]] = []  # persons already seen here (repeat disputes)


class Township:
    __slots__ = ("code", "name", "short", "committee", "police", "market", "land", "villages")

    def __init__(self, code: str, name: str, short: str):
        self.code, self.name, self.short = code, name, short
        self.committee = f"{name}人民调解委员会"
        self.police = f"河湾县公安局{short}派出所"
        self.market = f"河湾县市场监督管理局{short}市场监管所"
        self.land = f"河湾县自然资源局{short}自然资源所"
        self.villages: list[Village] = []


class County:
    """Regions, organisations, mediators and advisors of 河湾县 (drawn in a fixed order)."""

    def __init__(self, rng: random.Random, today: date, names: Names) -> None:
        self.regions: list[dict[str, Any]] = [
            {"code": COUNTY_CODE, "name": COUNTY_NAME, "level": "county", "parent": None}]
        self.organizations: list[dict[str, Any]] = []
        self.org_kind: dict[str, str] = {}
        self.org_level: dict[str, str] = {}  # the level at which the organisation handles cases
        self.townships: dict[str, Township] = {}
        self.villages: list[Village] = []
        for digits, name, short in TOWNSHIPS:
            tw = Township(COUNTY_CODE[:6] + digits + "000", name, short)
            self.townships[digits] = tw
            self.regions.append({"code": tw.code, "name": name, "level": "township",
                                 "parent": COUNTY_CODE})
        for index, (tdigits, vdigits, name, kind, _short) in enumerate(VILLAGES):
            tw = self.townships[tdigits]
            grids = list(GRID_NAMES[kind][: 2 + index % 3])
            v = Village(tw.code[:9] + vdigits, name, kind, tw, grids)
            tw.villages.append(v)
            self.villages.append(v)
            self.regions.append({"code": v.code, "name": name, "level": "village", "kind": kind,
                                 "parent": tw.code, "grids": grids})

        county_level = Level.COUNTY.value
        for tw in self.townships.values():
            self._org(tw.committee, OrganizationKind.TOWNSHIP_COMMITTEE, tw.code, tw.short,
                      "township")
            self._org(f"河湾县司法局{tw.short}司法所", OrganizationKind.JUDICIAL_OFFICE, tw.code,
                      tw.short + "司法", "township")
        for v, (_t, _v, _n, _k, short) in zip(self.villages, VILLAGES, strict=True):
            if short is not None:
                v.committee = f"{v.name}人民调解委员会"
                self._org(v.committee, OrganizationKind.VILLAGE_COMMITTEE, v.code, short, "village")
        self._org(MEDICAL_COMMITTEE, OrganizationKind.PROFESSIONAL_COMMITTEE, COUNTY_CODE, "医调",
                  county_level)
        admin = OrganizationKind.ADMINISTRATIVE
        for tw in self.townships.values():
            self._org(tw.police, admin, tw.code, tw.short + "派", "township")
            self._org(tw.market, admin, tw.code, tw.short + "市监", "township")
            self._org(tw.land, admin, tw.code, tw.short + "资源", "township")
        for name, short in COUNTY_BODIES.values():
            self._org(name, admin, COUNTY_CODE, short, county_level)
        # Courts handle cases at county level wherever their seat is (DOMAIN: court → county).
        self._org(COURT, OrganizationKind.COURT, COUNTY_CODE, "县法院", county_level)
        self._org(TRIBUNAL, OrganizationKind.COURT, self.townships["101"].code, "柳林庭",
                  county_level)

        for advisor in ADVISORS:
            names.reserve(advisor[0])
        self.mediators: list[dict[str, str]] = []
        self.org_mediators: dict[str, list[str]] = {}
        for org in self.organizations:
            if org["kind"] == OrganizationKind.JUDICIAL_OFFICE.value:
                continue  # the 司法所 hosts the township committee; its cases are the committee's
            staff = []
            for _ in range(rng.randint(2, 4)):
                person = names.unique_name(rng)
                staff.append(person)
                self.mediators.append({"name": person, "organization": org["name"],
                                       "phone": names.mobile(rng)})
            self.org_mediators[org["name"]] = staff

        self.advisors = self._advisors(rng, today, names)

    def _org(self, name: str, kind: OrganizationKind, region: str, short: str, level: str) -> None:
        self.organizations.append({"name": name, "kind": kind.value, "region": region,
                                   "short": short})
        self.org_kind[name] = kind.value
        self.org_level[name] = level

    def _advisors(self, rng: random.Random, today: date, names: Names) -> list[dict[str, Any]]:
        year = today.year
        ending = today + timedelta(days=20)  # one appointment runs out within the warning month
        out = []
        for index, (name, kind, firm, villages) in enumerate(ADVISORS):
            first_year = year - rng.randint(2, 12)
            head = "1" if kind == "lawyer" else "3"
            license_no = f"{head}4199{first_year}{rng.randint(1, 2)}{rng.randrange(10**7):07d}"
            terms = []
            for j, vi in enumerate(villages):
                to = ending if (index, j) == (3, 1) else date(year, 12, 31)
                terms.append({"code": self.villages[vi].code, "from": f"{year}-01-01",
                              "to": to.isoformat()})
            out.append({"name": name, "kind": kind, "firm": firm, "license_no": license_no,
                        "phone": names.mobile(rng), "villages": terms})
        return out
