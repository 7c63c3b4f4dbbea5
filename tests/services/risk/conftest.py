"""Fixtures of the risk tests: the seeded county."""
from __future__ import annotations

import pytest

from tests.helpers import seed_county


@pytest.fixture
def county(ctx):
    seed_county(ctx)
    return ctx
