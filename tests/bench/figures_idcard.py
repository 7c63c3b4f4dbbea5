"""读取身份证照片: seconds per card and the share of exact fields, over cards the bench draws (no database)."""
from __future__ import annotations

import time
from datetime import date

from tests.bench.timing import Results

CARDS = 20
PER_CARD_S = 2.0  # the brief: a card should read in under two seconds


def measure_idcard(results: Results, cards: int = CARDS) -> None:
    from mediator.services.idcard.reader import read_card, warm_up
    from tests.idcard_cards import render_cards

    started = time.perf_counter()
    warm_up()
    results.value("idcard.engine_load_s", time.perf_counter() - started, note="RapidOCR, once per process")
    drawn = render_cards(cards, seed=9)
    exact = 0
    started, cpu = time.perf_counter(), time.process_time()
    for card in drawn:
        reading = read_card(card.front, today=date(2026, 12, 1))
        read = {"name": reading.name, "gender": reading.gender.value if reading.gender else None,
                "ethnicity": reading.ethnicity, "birth_date": reading.value("birth_date"),
                "address": reading.address, "id_number": reading.id_number}
        exact += sum(read[k] == v for k, v in card.holder.fields().items())
    per_card = (time.perf_counter() - started) / cards
    cpu_per_card = (time.process_time() - cpu) / cards
    note = f"mean over {cards} drawn fronts (turned, blurred, JPEG 35–80), front only"
    results.value("idcard.per_card", per_card, target=PER_CARD_S, note=note + "; seconds")
    results.value("idcard.cpu_per_card", cpu_per_card, note="CPU seconds: what a card costs on an idle machine")
    results.value("idcard.fields_exact_percent", 100 * exact / (6 * cards), note=note)
