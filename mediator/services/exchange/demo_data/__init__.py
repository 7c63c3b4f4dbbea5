"""Demo data: a fictional county (河湾县) with offices, advisors and a lifecycle-true case load.

``build_demo_document`` returns a complete ``mediator-case/1`` document (see EXCHANGE.md) that the
importer can replay: every case's events follow the transition table, dates run forward and never
pass ``today``, identity numbers and credit codes carry valid check characters. Everything is
drawn from one ``random.Random(seed)``, so a seed always gives the same document.

As in the sample file, a case's ``track``, ``organization``, ``level`` and ``mediators`` are those
it was received with; ``transfer``, ``escalate`` and ``hand_down`` events move it from there.
"""
from __future__ import annotations

import gc
import random
from datetime import date

from mediator.services.exchange.demo_data.county import County
from mediator.services.exchange.demo_data.factory import CaseFactory
from mediator.services.exchange.demo_data.names import Names
from mediator.services.exchange.demo_data.tables import FORMAT


def build_demo_document(cases: int = 500, seed: int = 1, today: date | None = None) -> dict:
    """A complete ``mediator-case/1`` document for the fictional 河湾县 (county code 419902).

    Args:
        cases: how many cases to draw. From 60 on, every status, track, track detail and
            category occurs (the first 60 cycle through them; later ones follow realistic weights).
        seed: the seed of the one ``random.Random`` everything is drawn from.
        today: the day the document is made on (defaults to ``date.today()``); no date in the
            case histories lies after it.

    Returns:
        A plain dict ready for ``json.dumps``: regions, organisations, mediators, advisors and
        cases without numbers (the receiver assigns them).
    """
    if cases < 0:
        raise ValueError("cases must not be negative")
    today = today or date.today()
    rng = random.Random(seed)
    names = Names()
    county = County(rng, today, names)
    factory = CaseFactory(rng, today, county, names)
    # Millions of small dicts that never form cycles: the cyclic collector would only rescan
    # them over and over (a quarter of the time for 100,000 cases).
    collecting = gc.isenabled()
    gc.disable()
    try:
        case_list = [factory.case(i) for i in range(cases)]
        # In the order they came in, as an office's own export lists them: the repeat links an
        # import draws (to earlier cases of the same person) then survive export → import.
        case_list.sort(key=lambda c: c["received_on"])
    finally:
        if collecting:
            gc.enable()
    return {
        "format": FORMAT,
        "exported_at": f"{today.isoformat()}T09:00:00+08:00",
        "regions": county.regions,
        "organizations": county.organizations,
        "mediators": county.mediators,
        "advisors": county.advisors,
        "cases": case_list,
    }


__all__ = ["build_demo_document"]
