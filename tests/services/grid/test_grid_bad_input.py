"""Nasty text in the short form: stored as typed (trimmed) or refused at its field, nothing half-written."""
from __future__ import annotations

import pytest
from sqlmodel import func, select

from mediator.domain.errors import ValidationErrors
from mediator.services.grid.intake import GridReportInput, report_event
from mediator.store.models import GridReport
from tests.bad_input import NASTY


@pytest.mark.parametrize("field", ["place", "summary", "parties", "phone"])
def test_report_texts_are_stored_or_refused_by_name(people, field):
    ctx = people.as_user(people.grid_worker)
    for value in NASTY:
        values = {"parties": "张大山", "place": "一组", "summary": "争吵", field: value}
        with ctx.read() as session:
            before = session.exec(select(func.count()).select_from(GridReport)).one()
        try:
            report_id = report_event(ctx, GridReportInput(**values)).id
        except ValidationErrors as e:
            assert {x.path for x in e.errors} == {field}, (value, e.errors)
            assert all(any("\u4e00" <= ch <= "\u9fff" for ch in x.message) for x in e.errors)
            with ctx.read() as session:
                assert session.exec(select(func.count()).select_from(GridReport)).one() == before
            continue
        with ctx.read() as session:
            stored = getattr(session.get(GridReport, report_id), field)
        if field == "parties":
            assert stored and all(name in value for name in stored.split("、")), value
        elif field == "phone":
            assert stored is None and not value.strip(), value  # a blank phone is no phone
        else:
            assert stored == value.strip(), value
