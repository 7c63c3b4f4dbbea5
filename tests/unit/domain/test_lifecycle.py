"""The case state machine against the transition table of ARCHITECTURE.md ("Case lifecycle").

The table below is written out by hand from ARCHITECTURE.md, not derived from the code, so that a
change to ``TRANSITIONS`` that the architecture does not make shows up here. Three actions of the
code are not rows of the architecture's table; they only record a fact and keep the status:
``record_session`` (记录调查/调解, while the case is handled), and ``follow_up`` (回访) and
``judicial_confirmation`` (司法确认) after an agreement (DOMAIN.md: 回访, Art. 31; 司法确认,
Art. 33). ``register`` creates a case ("— → registered") and is never a move of an existing one.
"""
from __future__ import annotations

import re
from collections import deque

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mediator.domain.enums import OPEN_STATUSES, CaseStatus, PerformanceResult
from mediator.domain.errors import DomainError, TransitionError
from mediator.domain.lifecycle import (
    TRANSITIONS,
    Action,
    allowed_actions,
    forbidden_message,
    is_allowed,
    next_status,
)

S = CaseStatus
A = Action

# "any open" of the table: the statuses in which a case is still being handled.
_OPEN = (S.REGISTERED, S.ACCEPTED, S.MEDIATING)


def _same_status(*actions: Action, status: CaseStatus) -> dict[Action, CaseStatus]:
    return {a: status for a in actions}


# status -> {action: status after}, from ARCHITECTURE.md "Case lifecycle".
EXPECTED: dict[CaseStatus, dict[Action, CaseStatus]] = {
    S.REGISTERED: {
        A.ACCEPT: S.ACCEPTED,  # 受理
        A.REJECT: S.REJECTED,  # 不予受理
        A.TRANSFER: S.REGISTERED,  # 移送: registered at the receiver
        **_same_status(A.ESCALATE, A.HAND_DOWN, status=S.REGISTERED),  # any open: new level
    },
    S.ACCEPTED: {
        A.START: S.MEDIATING,  # 开始调解
        A.TRANSFER: S.REGISTERED,
        **_same_status(
            A.ESCALATE, A.HAND_DOWN,  # any open
            A.EXTEND, A.PAUSE, A.RESUME,  # accepted, mediating: handling clock moved
            A.RECORD_SESSION,  # (code only) a session record
            status=S.ACCEPTED,
        ),
    },
    S.MEDIATING: {
        A.AGREE: S.AGREED,  # 达成协议
        A.FAIL: S.FAILED,  # 调解不成（终止调解）
        A.WITHDRAW: S.WITHDRAWN,  # 撤回
        A.TRANSFER: S.REGISTERED,
        **_same_status(
            A.ESCALATE, A.HAND_DOWN, A.EXTEND, A.PAUSE, A.RESUME, A.RECORD_SESSION,
            status=S.MEDIATING,
        ),
    },
    S.AGREED: {
        A.PERFORM: S.PERFORMED,  # 履行 (full; partial and none keep `agreed`)
        A.ARCHIVE: S.ARCHIVED,
        **_same_status(A.FOLLOW_UP, A.JUDICIAL_CONFIRMATION, status=S.AGREED),  # (code only)
    },
    S.PERFORMED: {
        A.ARCHIVE: S.ARCHIVED,
        **_same_status(A.FOLLOW_UP, A.JUDICIAL_CONFIRMATION, status=S.PERFORMED),  # (code only)
    },
    S.FAILED: {A.TRANSFER: S.REGISTERED, A.ARCHIVE: S.ARCHIVED},
    S.REJECTED: {A.ARCHIVE: S.ARCHIVED},
    S.WITHDRAWN: {A.ARCHIVE: S.ARCHIVED},
    S.ARCHIVED: {},
}

ALL_PAIRS = [(s, a) for s in CaseStatus for a in Action]
ALLOWED_PAIRS = [(s, a, to) for s, moves in EXPECTED.items() for a, to in moves.items()]
FORBIDDEN_PAIRS = [(s, a) for s, a in ALL_PAIRS if a not in EXPECTED[s]]
CJK = re.compile(r"[\u4e00-\u9fff]")


def _id(value) -> str:
    return getattr(value, "value", str(value))


def test_the_expected_table_covers_every_status():
    assert set(EXPECTED) == set(CaseStatus)


def test_the_any_open_statuses_are_the_open_statuses_of_the_enums():
    assert set(_OPEN) == set(OPEN_STATUSES)


# -- allowed moves --------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "action", "target"), ALLOWED_PAIRS, ids=_id)
def test_each_move_of_the_table_leads_where_the_table_says(status, action, target):
    assert is_allowed(status, action)
    assert next_status(status, action) is target


def test_the_code_table_holds_exactly_the_moves_of_the_architecture():
    code_pairs = {(s, a) for a, moves in TRANSITIONS.items() for s in moves}
    assert code_pairs == {(s, a) for s, a, _ in ALLOWED_PAIRS}


def test_register_creates_a_case_and_is_never_a_move_of_an_existing_one():
    for status in CaseStatus:
        assert not is_allowed(status, A.REGISTER)
        with pytest.raises(TransitionError):
            next_status(status, A.REGISTER)


@pytest.mark.parametrize("status", [S.REGISTERED, S.ACCEPTED, S.MEDIATING, S.FAILED], ids=_id)
def test_transfer_registers_the_case_anew_at_the_receiver(status):
    assert next_status(status, A.TRANSFER) is S.REGISTERED


@pytest.mark.parametrize("status", _OPEN, ids=_id)
@pytest.mark.parametrize("action", [A.ESCALATE, A.HAND_DOWN], ids=_id)
def test_escalating_or_handing_down_keeps_the_status_of_any_open_case(status, action):
    assert next_status(status, action) is status


@pytest.mark.parametrize("status", [S.ACCEPTED, S.MEDIATING], ids=_id)
@pytest.mark.parametrize("action", [A.EXTEND, A.PAUSE, A.RESUME], ids=_id)
def test_clock_moves_keep_the_status_of_an_accepted_or_mediating_case(status, action):
    assert next_status(status, action) is status


_UNCLOCKED = [S.REGISTERED, *[s for s in CaseStatus if s not in _OPEN]]


@pytest.mark.parametrize("status", _UNCLOCKED, ids=_id)
@pytest.mark.parametrize("action", [A.EXTEND, A.PAUSE, A.RESUME], ids=_id)
def test_there_is_no_handling_clock_to_move_outside_acceptance_and_mediation(status, action):
    assert not is_allowed(status, action)


@pytest.mark.parametrize(
    "status", [S.AGREED, S.PERFORMED, S.FAILED, S.REJECTED, S.WITHDRAWN], ids=_id
)
def test_every_ended_case_can_be_archived(status):
    assert next_status(status, A.ARCHIVE) is S.ARCHIVED


# -- performance (Art. 31–32) ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("result", "target"),
    [
        (None, S.PERFORMED),
        (PerformanceResult.FULL, S.PERFORMED),
        (PerformanceResult.PARTIAL, S.AGREED),  # 督促履行
        (PerformanceResult.NONE, S.AGREED),  # 督促履行
    ],
    ids=["unspecified", "full", "partial", "none"],
)
def test_only_full_performance_moves_an_agreed_case_to_performed(result, target):
    assert next_status(S.AGREED, A.PERFORM, performance=result) is target


@pytest.mark.parametrize("result", list(PerformanceResult), ids=_id)
@pytest.mark.parametrize("status", [s for s in CaseStatus if s is not S.AGREED], ids=_id)
def test_performance_is_recorded_only_on_an_agreed_case(status, result):
    with pytest.raises(TransitionError):
        next_status(status, A.PERFORM, performance=result)


def test_the_performance_argument_changes_no_other_move():
    for status, action, target in ALLOWED_PAIRS:
        if action is A.PERFORM:
            continue
        for result in PerformanceResult:
            assert next_status(status, action, performance=result) is target


# -- forbidden moves ------------------------------------------------------------------------------


@pytest.mark.parametrize(("status", "action"), FORBIDDEN_PAIRS, ids=_id)
def test_every_other_move_is_refused_in_chinese_naming_status_and_action(status, action):
    assert not is_allowed(status, action)
    with pytest.raises(TransitionError) as info:
        next_status(status, action)
    err = info.value
    assert isinstance(err, DomainError)
    message = str(err)
    assert message == err.message == forbidden_message(status, action)
    assert CJK.search(message)
    assert f"“{status.label}”" in message
    assert f"“{action.label}”" in message
    # no English code leaks into what a person reads
    assert status.value not in message
    assert action.value not in message


@pytest.mark.parametrize("status", list(CaseStatus), ids=_id)
def test_the_refusal_lists_what_may_be_done_instead(status):
    forbidden = next(a for a in Action if not is_allowed(status, a))
    message = forbidden_message(status, forbidden)
    allowed = allowed_actions(status)
    hint = message.split("此时可进行：", 1)[1]
    if allowed:
        assert hint == "、".join(a.label for a in allowed) + "）"
    else:
        assert hint == "无）"


def test_an_archived_case_allows_nothing():
    assert allowed_actions(S.ARCHIVED) == []
    for action in Action:
        assert not is_allowed(S.ARCHIVED, action)
    with pytest.raises(TransitionError, match="已归档.*归档.*此时可进行：无"):
        next_status(S.ARCHIVED, A.ARCHIVE)


# -- allowed_actions agrees with is_allowed -------------------------------------------------------


@pytest.mark.parametrize("status", list(CaseStatus), ids=_id)
def test_allowed_actions_are_exactly_the_allowed_pairs_in_table_order(status):
    listed = allowed_actions(status)
    assert listed == [a for a in Action if is_allowed(status, a)]
    assert set(listed) == set(EXPECTED[status])
    assert len(listed) == len(set(listed))


def test_every_status_is_reachable_from_registered():
    seen = {S.REGISTERED}
    queue = deque([S.REGISTERED])
    while queue:
        status = queue.popleft()
        for action in allowed_actions(status):
            for result in (PerformanceResult.FULL, PerformanceResult.PARTIAL):
                target = next_status(status, action, performance=result)
                if target not in seen:
                    seen.add(target)
                    queue.append(target)
    assert seen == set(CaseStatus)


# -- random walks ---------------------------------------------------------------------------------

_STEP = st.tuples(st.sampled_from(list(Action)), st.sampled_from([None, *PerformanceResult]))


@given(st.lists(_STEP, max_size=40))
def test_random_action_sequences_from_registered_stay_inside_the_table(steps):
    status = S.REGISTERED
    for action, result in steps:
        assert is_allowed(status, action) == (action in allowed_actions(status))
        if action in EXPECTED[status]:
            after = next_status(status, action, performance=result)
            expected = EXPECTED[status][action]
            partial = result in (PerformanceResult.PARTIAL, PerformanceResult.NONE)
            if action is A.PERFORM and partial:
                expected = S.AGREED
            assert after is expected
            status = after
        else:
            with pytest.raises(TransitionError):
                next_status(status, action, performance=result)
        assert status in EXPECTED
        if status is S.ARCHIVED:
            assert allowed_actions(status) == []


@given(st.lists(st.sampled_from(list(Action)), max_size=60))
def test_a_walk_of_allowed_moves_ends_in_archived_only_by_archiving(choices):
    status = S.REGISTERED
    for wanted in choices:
        allowed = allowed_actions(status)
        if not allowed:
            assert status is S.ARCHIVED
            break
        action = wanted if wanted in allowed else allowed[0]
        before = status
        status = next_status(status, action)
        assert status in EXPECTED[before].values()
        if status is S.ARCHIVED:
            assert action is A.ARCHIVE
