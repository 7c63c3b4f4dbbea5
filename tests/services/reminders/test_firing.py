"""After a sync, ``fire_due`` (from the reminder rows) tells what ``take_notice`` (from every
deadline) tells: the same reminders fire, once, with the same counts and next fire time."""
from __future__ import annotations

from datetime import date, datetime

from mediator.services.cases import lifecycle as uc
from mediator.services.context import SHANGHAI
from mediator.services.reminders import due as rem
from mediator.services.reminders.firing import fire_due
from mediator.services.reminders.notices import take_notice
from tests.conftest import FIXED_NOW
from tests.helpers import DONGGUAN
from tests.services.reminders.test_sync_sql import agreed_case, county, mediating_case  # noqa: F401

D = date


def same_notice(ctx, now: datetime) -> list[str]:
    old = take_notice(ctx, "按截止日", now)
    new = fire_due(ctx, "按提醒行", now)
    assert [i.key for i in new.fired] == [i.key for i in old.fired]
    assert new.fired == old.fired
    assert (new.counts, new.no_next_step, new.next_fire) == (old.counts, old.no_next_step, old.next_fire)
    return [i.key for i in new.fired]


def test_fire_due_after_a_sync_tells_what_take_notice_tells(county):  # noqa: F811
    moved = mediating_case(county)
    snoozed = mediating_case(county)
    agreed = agreed_case(county)
    rem.sync_reminders(county)
    first = same_notice(county, FIXED_NOW)
    assert first and same_notice(county, FIXED_NOW) == []  # each fires once

    rem.snooze_reminder(county, f"case:{snoozed}:handling:0", D(2026, 12, 1))
    rem.complete_reminder(county, f"case:{agreed}:judicial_confirmation:0")
    rem.dismiss_reminder(county, f"case:{agreed}:performance:0", "当事人已当面履行")
    rem.snooze_reminder(county, f"advisor_visit:{DONGGUAN}:2026-11", D(2026, 11, 30))
    uc.extend_handling(county, moved, D(2026, 12, 3), "当事人同意延期", True, D(2026, 11, 10))
    rem.sync_reminders(county)
    assert same_notice(county, FIXED_NOW) == []
    for moment in (datetime(2026, 11, 30, 8, 0, tzinfo=SHANGHAI), datetime(2026, 11, 30, 8, 30, tzinfo=SHANGHAI),
                   datetime(2026, 12, 1, 9, 0, tzinfo=SHANGHAI), datetime(2026, 12, 1, 9, 5, tzinfo=SHANGHAI)):
        same_notice(county, moment)
