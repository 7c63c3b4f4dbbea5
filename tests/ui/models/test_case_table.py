"""CaseTableModel keeps Qt's item-model contract (pytest-qt's model tester) while it pages, sorts and filters."""
from __future__ import annotations

from datetime import date, timedelta

import pytest
from PySide6.QtCore import QModelIndex, Qt

from mediator.domain.enums import Category, RiskLevel
from mediator.services.cases.lifecycle import register_case
from mediator.services.cases.read import CaseFilter
from mediator.ui.models.case_table import COLUMNS, NUMBER, CaseRole, CaseTableModel
from mediator.ui.ops import SyncRunner
from tests.helpers import applicant, case_input, respondent, seed_county

CASES = 23  # three full pages of 7 and a last one of 2
PAGE = 7
FIRST_DAY = date(2026, 9, 1)


def add_case(ctx, i: int, *, received_on: date | None = None,
             risk: RiskLevel = RiskLevel.LOW) -> int:
    return register_case(ctx, case_input(
        received_on=received_on or FIRST_DAY + timedelta(days=i),
        category=Category.NEIGHBOR if i % 2 else Category.CONTRACT,
        risk_level=risk, summary=f"测试纠纷第{i}件。",
        parties=[applicant(name=f"甲{i}", id_number=None, phone=None, birth_date=None),
                 respondent(name=f"乙{i}", id_number=None, phone=None, birth_date=None)])).id


@pytest.fixture
def county(ctx):
    """The sample county's places and 23 cases received on 23 days, every third of them high risk."""
    seed_county(ctx)
    for i in range(CASES):
        add_case(ctx, i, risk=RiskLevel.HIGH if i % 3 == 0 else RiskLevel.LOW)
    return ctx


@pytest.fixture
def model(county, qapp):
    m = CaseTableModel(county, SyncRunner(), page_size=PAGE)
    yield m
    m.deleteLater()


class Inserts:
    """Records rowsAboutToBeInserted / rowsInserted with the row counts seen at each."""

    def __init__(self, model: CaseTableModel) -> None:
        self.model = model
        self.about: list[tuple[int, int, int]] = []  # (first, last, rowCount before)
        self.done: list[tuple[int, int, int]] = []  # (first, last, rowCount after)
        model.rowsAboutToBeInserted.connect(self._about)
        model.rowsInserted.connect(self._done)

    def _about(self, parent: QModelIndex, first: int, last: int) -> None:
        assert not parent.isValid()
        self.about.append((first, last, self.model.rowCount()))

    def _done(self, parent: QModelIndex, first: int, last: int) -> None:
        assert not parent.isValid()
        self.done.append((first, last, self.model.rowCount()))


def case_ids(model: CaseTableModel) -> list[int]:
    return [model.index(r, NUMBER).data(CaseRole.CASE_ID) for r in range(model.rowCount())]


def test_contract_from_construction_through_the_first_page(model, qtmodeltester):
    assert model.rowCount() == 0 and not model.canFetchMore()
    qtmodeltester.check(model, force_py=True)  # an empty model before any query
    model.reload()  # the tester checks again on the reset
    assert model.total == CASES and model.rowCount() == PAGE  # no fetch while the reset is told
    assert model.canFetchMore()
    assert len(set(case_ids(model))) == PAGE


def test_contract_while_fetching_every_further_page(model, qtmodeltester):
    model.reload()
    assert model.rowCount() == PAGE
    qtmodeltester.check(model, force_py=True)  # the tester calls fetchMore too as it checks
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == CASES and not model.canFetchMore()
    ids = case_ids(model)
    assert len(set(ids)) == CASES
    days = [model.index(r, 1).data() for r in range(CASES)]
    assert days == sorted(days, reverse=True)  # newest first, no page out of order


def test_contract_after_a_sort(model, qtmodeltester):
    model.reload()
    qtmodeltester.check(model, force_py=True)
    model.sort(NUMBER, Qt.SortOrder.AscendingOrder)
    assert (model.sort_column, model.descending) == (NUMBER, False)
    while model.canFetchMore():
        model.fetchMore()
    numbers = [model.index(r, NUMBER).data(CaseRole.NUMBER) for r in range(model.rowCount())]
    assert len(numbers) == CASES
    category = next(i for i, c in enumerate(COLUMNS) if c.sort_key == "category")
    model.sort(category, Qt.SortOrder.DescendingOrder)  # many ties: the id breaks them
    while model.canFetchMore():
        model.fetchMore()
    assert len(set(case_ids(model))) == CASES


def test_contract_after_a_filter_change_and_reset(model, qtmodeltester):
    model.reload()
    qtmodeltester.check(model, force_py=True)
    model.set_filter(CaseFilter(risk_level=RiskLevel.HIGH.value))
    while model.canFetchMore():
        model.fetchMore()
    high = (CASES + 2) // 3
    assert model.total == high and model.rowCount() == high
    model.set_filter(CaseFilter(text="没有这样的纠纷"))
    assert model.total == 0 and model.rowCount() == 0 and not model.canFetchMore()
    model.set_filter(CaseFilter())
    while model.canFetchMore():
        model.fetchMore()
    assert model.rowCount() == CASES


def test_each_fetch_inserts_exactly_the_rows_it_announces(model):
    """beginInsertRows(parent, first, last): last is first + n - 1, and rowCount grows by n."""
    model.reload()
    inserts = Inserts(model)
    while model.canFetchMore():
        model.fetchMore()
    assert [(first, last) for first, last, _ in inserts.about] == [(7, 13), (14, 20), (21, 22)]
    for (first, last, before), (first_after, last_after, after) in zip(inserts.about, inserts.done,
                                                                      strict=True):
        assert (first, last) == (first_after, last_after)
        assert first == before  # appended at the end
        assert after - before == last - first + 1
        assert last == after - 1
        assert model.index(last, NUMBER).isValid() and model.index(last, NUMBER).data()
    assert not model.index(model.rowCount(), NUMBER).isValid()


def test_no_fetch_starts_while_listeners_hear_of_a_change(model):
    """A listener asking for more during modelReset/rowsInserted must not get a nested insert."""
    asked: list[bool] = []
    order: list[str] = []

    def greedy(*_args) -> None:
        asked.append(model.canFetchMore())
        model.fetchMore()

    model.modelReset.connect(greedy)
    model.rowsInserted.connect(greedy)
    model.rowsAboutToBeInserted.connect(lambda *_a: order.append("about"))
    model.rowsInserted.connect(lambda *_a: order.append("inserted"))
    model.reload()
    model.fetchMore()
    assert asked == [False, False]
    assert order == ["about", "inserted"]
    assert model.rowCount() == 2 * PAGE and model.canFetchMore()


def test_a_case_written_between_pages_is_not_shown_twice(model, county, qtmodeltester):
    """A newer case shifts the next page by one: the repeated row is skipped, the rest announced."""
    model.reload()
    qtmodeltester.check(model, force_py=True)
    while model.canFetchMore():
        model.fetchMore()
    model.reload()  # back to the first page
    shown = model.rowCount()
    inserts = Inserts(model)
    add_case(county, 99, received_on=FIRST_DAY + timedelta(days=60))  # newest: lands on top
    model.fetchMore()
    assert shown == PAGE
    # The next page starts one row earlier than before the write: that row is already shown.
    assert [(first, last) for first, last, _ in inserts.about] == [(PAGE, 2 * PAGE - 2)]
    assert model.rowCount() == 2 * PAGE - 1
    ids = case_ids(model)
    assert len(ids) == len(set(ids))  # the shifted row appears once
