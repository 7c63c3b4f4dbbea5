"""Loads the fictional demo county (河湾县) and its cases through the import use case."""
from __future__ import annotations

from mediator.services.context import ServiceContext
from mediator.services.demo_data import build_demo_document
from mediator.services.exchange import ImportResult, import_document


def load_demo(ctx: ServiceContext, *, cases: int = 500, seed: int = 1) -> ImportResult:
    """Import the demo county with ``cases`` generated cases (deterministic for a seed)."""
    return import_document(ctx, build_demo_document(cases=cases, seed=seed, today=ctx.today()))
