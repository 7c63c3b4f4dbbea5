"""The rendered cards and the loaded engine, shared by every OCR test of a run (loading takes a second,
each card a second or two)."""
from __future__ import annotations

import pytest

from mediator.services.idcard.reader import warm_up
from tests.idcard_cards import RenderedCard, render_cards

ACCURACY_CARDS = 20


@pytest.fixture(scope="session")
def cards() -> list[RenderedCard]:
    warm_up()
    return render_cards(ACCURACY_CARDS, seed=2026)
