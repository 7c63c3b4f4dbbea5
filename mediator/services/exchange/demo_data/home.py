"""The demo county moved to where the office is: its codes, its names, the office's own township.

A new office that loads the demo should see its own township full of villages, grids, mediators
and cases, not an empty office beside a fictional 河湾县. ``settle`` rewrites a built document:
the county's 6-digit prefix and name become the office's, one demo township (the one with the
same digits, else 柳林镇) becomes the office's township, and that township's committee (or 司法所)
becomes the office's organisation. Identity numbers and credit codes are left alone.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mediator.services.exchange.demo_data.tables import COUNTY_CODE, COUNTY_NAME, TOWNSHIPS

CODE_KEYS = frozenset({"code", "parent", "region", "village_code"})
FALLBACK_TOWNSHIP = "101"  # 柳林镇: villages, communities, a tribunal


@dataclass(frozen=True)
class DemoHome:
    """Where the office is. ``organization_kind`` is an ``OrganizationKind`` value."""

    county_code: str
    county_name: str
    township_code: str | None = None
    township_name: str | None = None
    organization: str | None = None
    organization_kind: str | None = None


def settle(document: dict[str, Any], home: DemoHome) -> dict[str, Any]:
    """``document`` (a built demo) with the county and one township made the office's."""
    codes = {COUNTY_CODE[:6]: home.county_code[:6]}  # by prefix, longest first
    names: list[tuple[str, str]] = []
    if home.township_code and home.township_name:
        digits = home.township_code[6:9]
        demo = next((t for t in TOWNSHIPS if t[0] == digits), None) or \
            next(t for t in TOWNSHIPS if t[0] == FALLBACK_TOWNSHIP)
        demo_digits, demo_name, demo_short = demo
        codes = {COUNTY_CODE[:6] + demo_digits: home.township_code[:9], **codes}
        if home.organization:
            own = {"township_committee": f"{demo_name}人民调解委员会",
                   "judicial_office": f"{COUNTY_NAME}司法局{demo_short}司法所"}.get(home.organization_kind or "")
            if own is not None:
                names.append((own, home.organization))
        names.append((demo_name, home.township_name))
    names.append((COUNTY_NAME, home.county_name))
    return _walk(document, None, sorted(codes.items(), key=lambda kv: -len(kv[0])), names)


def _walk(value: Any, key: str | None, codes: list[tuple[str, str]], names: list[tuple[str, str]]) -> Any:
    if isinstance(value, dict):
        return {k: _walk(v, k, codes, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, key, codes, names) for v in value]
    if not isinstance(value, str):
        return value
    if key in CODE_KEYS and value.isdigit():
        for old, new in codes:
            if value.startswith(old):
                return new + value[len(old):]
        return value
    for old, new in names:
        if old in value:
            value = value.replace(old, new)
    return value
