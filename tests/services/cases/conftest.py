"""Fixtures of the case tests: the seeded county, and a case in mediation."""
from __future__ import annotations

from datetime import date

import pytest

from mediator.services.cases import lifecycle as uc
from tests.helpers import case_input, seed_county


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx


@pytest.fixture
def mediating(county):
    """Registered, accepted on 2026-10-15, in mediation since 2026-10-16."""
    case_id = uc.register_case(county, case_input()).id
    uc.accept_case(county, case_id, date(2026, 10, 15))
    uc.start_mediation(county, case_id, date(2026, 10, 16))
    return case_id
