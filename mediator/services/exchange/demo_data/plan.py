"""The lifecycle plan of one demo case: its events as day offsets from the day it came in."""
from __future__ import annotations

from typing import Any

from mediator.services.exchange.demo_data.tables import (
    COURT,
    ESCALATE_REASONS,
    EXTEND_REASONS,
    FAIL_REASONS,
    HAND_DOWN_REASON,
    HISTORY_DAYS,
    ISO_BEFORE,
    PAUSE_REASON,
    REJECT_REASONS,
    RESUME_REASON,
    TRIBUNAL,
    WITHDRAW_REASONS,
)

_WINDOW_CLOSERS = frozenset({"agree", "fail", "withdraw", "transfer"})


class Plan:
    """The lifecycle of one case as day offsets from its receipt, then its age (days before today).

    ``events`` hold integer offsets in ``on``/``until`` until the factory turns them into dates.
    ``factory`` is the ``CaseFactory`` drawing the case (not imported here: it imports this module).
    """

    def __init__(self, factory: Any, track, detail, procedure, organization, level,
                 village, category, flags, target) -> None:
        self.f = factory
        self.track, self.detail, self.procedure = track, detail, procedure
        self.organization_now = organization
        self.level = level
        self.village, self.category, self.flags, self.target = village, category, flags, target
        self.events: list[dict[str, Any]] = []
        self.cur = 0
        self.status = "registered"
        self.accept_at: int | None = None
        self.start_at: int | None = None
        self.concluded_at: int | None = None
        # [from, to] spans in which the case is accepted or mediating: the days sessions may
        # take place (to is None while the span is still open)
        self.windows: list[list[int | None]] = []
        self.outcome: str | None = None
        self.agree_at: int | None = None
        self.deadline_at: int | None = None
        self.form = "written"
        self.follow_ups: list[tuple[int, str]] = []
        self.confirmation: tuple[int, int, str] | None = None
        self.transferred = False
        self.age = 0

    def _add(self, gap: int, action: str, **data: Any) -> dict[str, Any]:
        self.cur += gap
        event = {"on": self.cur, "action": action, **data}
        self.events.append(event)
        if action == "accept":
            self.windows.append([self.cur, None])
        elif action in _WINDOW_CLOSERS and self.windows and self.windows[-1][1] is None:
            self.windows[-1][1] = self.cur
        return event

    def run(self) -> None:
        f = self.f
        r, ri = f.rng.random, f.ri
        target = self.target
        path = f.pick(f.archived_from) if target == "archived" else target

        if self.level == "grid" and r() < 0.2:
            self._add(ri(0, 1), "escalate", level="village", reason=ESCALATE_REASONS["village"])
            self.level = "village"

        if path != "rejected" and self.track != "judicial" and r() < 0.06:
            self._transfer(path)
            if path == "registered":
                self._finish(path, target)
                return

        if path == "registered":
            self._finish(path, target)
            return
        if path == "rejected":
            self._add(ri(0, 3), "reject", reason=f.choice(REJECT_REASONS))
            self.status = "rejected"
            self._finish(path, target)
            return
        self._add(ri(0, 3) if r() < 0.9 else ri(4, 7), "accept")
        self.status = "accepted"
        if self.accept_at is None:
            self.accept_at = self.cur
        clock_start = self.cur
        if path == "accepted":
            self._finish(path, target)
            return
        self._add(ri(0, 4), "start")
        self.status = "mediating"
        if self.start_at is None:
            self.start_at = self.cur

        due = None  # an extension's date, when one is recorded
        if not self.transferred:
            if self.detail == "medical" and r() < 0.5:
                self._add(ri(2, 10), "pause", reason=PAUSE_REASON)
                if path == "mediating" and r() < 0.4:
                    self._finish(path, target)
                    return
                self._add(ri(15, 60), "resume", reason=RESUME_REASON)
            elif r() < 0.08:
                due = self._extend(clock_start)
            self._level_change()
        if path == "mediating":
            self._finish(path, target)
            return

        if due is not None:
            gap = ri(1, max(1, due - self.cur))
        else:
            gap = self._duration()
        if path in ("agreed", "performed"):
            self._add(gap, "agree")
            self.status = "agreed"
            self._agree(path)
        elif path == "failed":
            self._add(gap, "fail", reason=f.choice(FAIL_REASONS))
            self.status, self.concluded_at, self.outcome = "failed", self.cur, "fail"
        else:
            self._add(max(0, gap // 2), "withdraw", reason=f.choice(WITHDRAW_REASONS))
            self.status, self.concluded_at, self.outcome = "withdrawn", self.cur, "withdraw"
        self._finish(path, target)

    # -- pieces ------------------------------------------------------------------------------

    def _transfer(self, path: str) -> None:
        """Move the case to another track/organisation before its main path runs."""
        f = self.f
        r, ri = f.rng.random, f.ri
        stage = f.choice(("registered", "accepted", "failed"))
        if stage != "registered":
            self._add(ri(0, 3), "accept")
            self.status = "accepted"
            self.accept_at = self.cur
            if stage == "failed":
                self._add(ri(0, 3), "start")
                self.start_at = self.cur
                self._add(ri(3, 20), "fail", reason=f.choice(FAIL_REASONS))
        gap = ri(0, 2)
        township = self.village.township
        if self.track == "administrative":
            to_org = self.village.committee or township.committee
            event = self._add(gap, "transfer", to_track="people", to_organization=to_org,
                              reason="经审查属民间纠纷，移交人民调解委员会调解")
            self.track, self.detail = "people", None
        else:
            detail = {"labor": "labor", "land_forest": "land", "traffic": "traffic",
                      "consumer": "consumer", "medical": "medical"}.get(self.category)
            if detail is not None and stage != "failed" and r() < 0.7:
                to_org = f.admin_org(detail, township)
                event = self._add(gap, "transfer", to_track="administrative",
                                  to_organization=to_org,
                                  reason="纠纷涉及行政职能，移交主管部门调处")
                event["to_track_detail"] = detail
                self.track, self.detail = "administrative", detail
            else:
                to_org = COURT if r() < 0.6 else TRIBUNAL
                reason = ("调解不成，当事人坚持起诉，转人民法院诉前调解" if stage == "failed"
                          else "当事人申请通过诉讼途径解决，转人民法院诉前调解")
                event = self._add(gap, "transfer", to_track="judicial", to_organization=to_org,
                                  reason=reason)
                event["to_track_detail"] = "pre_litigation"
                self.track, self.detail = "judicial", "pre_litigation"
        self.organization_now = to_org
        self.status = "registered"
        self.transferred = True

    def _extend(self, clock_start: int) -> int:
        """Record an extension before the handling period runs out; return its new date."""
        f = self.f
        ri = f.ri
        detail = self.detail
        # (nominal calendar length of the period, lowest and highest extra days granted)
        if self.track == "people":
            length, lo, hi = 31, 10, 25
        elif detail in ("pre_litigation", "delegated"):
            length, lo, hi = 30, 10, 20  # once, by at most 30 days past the real due date
        elif detail in ("entrusted", "in_litigation"):
            length, lo, hi = (7 if self.procedure == "simple" else 15), 10, 20
        elif detail == "police":
            length, lo, hi = 0, 15, 25  # 3 working days can span a long holiday
        elif detail == "traffic":
            length, lo, hi = 10, 10, 20
        elif detail == "consumer":
            length, lo, hi = 85, 0, 15  # 45 working days
        elif detail == "medical":
            length, lo, hi = 60, 5, 20  # 30 working days
        elif detail == "labor":
            clock_start, length, lo, hi = 0, 15, 10, 20  # labour counts from receipt
        else:
            length, lo, hi = 30, 10, 20
        until = clock_start + length + ri(lo, hi)
        assert self.cur < until
        # Extend while the period still runs (about two thirds in), never after the new date.
        on = min(max(self.cur, clock_start + max(1, (length * 2) // 3)), until - 1)
        self._add(on - self.cur, "extend", until=until, reason=f.choice(EXTEND_REASONS),
                  consent=True)
        return until

    def _level_change(self) -> None:
        f = self.f
        r, ri = f.rng.random, f.ri
        kind = f.county.org_kind[self.organization_now]
        if kind == "village_committee" and self.level == "village" and r() < 0.03:
            self._add(ri(1, 5), "escalate", level="township", reason=ESCALATE_REASONS["township"])
            self.level = "township"
        elif kind == "township_committee" and self.level == "township":
            x = r()
            if x < 0.03:
                self._add(ri(1, 4), "hand_down", level="village", reason=HAND_DOWN_REASON)
                self.level = "village"
            elif x < 0.06 or ("group" in self.flags and x < 0.4):
                self._add(ri(1, 4), "escalate", level="county", reason=ESCALATE_REASONS["county"])
                self.level = "county"

    def _duration(self) -> int:
        """Days from the start of mediation to its end, typical of the track."""
        ri, r = self.f.ri, self.f.rng.random
        detail = self.detail
        if self.track == "people":
            return ri(1, 25) if r() < 0.9 else ri(26, 50)
        if detail == "police":
            return ri(0, 3)
        if detail == "traffic":
            return ri(1, 9)
        if detail == "labor":
            return ri(1, 12)
        if detail == "medical":
            return ri(8, 40)
        if detail == "consumer":
            return ri(3, 45)
        if detail in ("entrusted", "in_litigation"):
            return ri(1, 6) if self.procedure == "simple" else ri(2, 14)
        return ri(3, 28)

    def _agree(self, path: str) -> None:
        f = self.f
        r, ri = f.rng.random, f.ri
        signed = self.agree_at = self.concluded_at = self.cur
        self.outcome = "agree"
        if r() < 0.8:
            self.form, deadline = "written", signed + ri(1, 60)
        else:
            self.form = "oral"
            deadline = None if r() < 0.7 else signed + ri(1, 15)
        self.deadline_at = deadline
        results: list[str] = []
        if path == "performed":
            if deadline is not None and r() < 0.15:
                self._add(ri(0, (deadline - signed) // 2), "perform", result="partial")
                results.append("partial")
            if deadline is None:
                on = signed
            elif r() < 0.88:
                on = max(self.cur, signed + ri(0, deadline - signed))
            else:
                on = max(self.cur, deadline + ri(1, 20))
            self._add(on - self.cur, "perform", result="full")
            results.append("full")
            self.status = "performed"
        else:
            x = r()
            if x < 0.3:
                self._add(ri(0, (deadline or signed) - signed + 5), "perform", result="partial")
                results.append("partial")
            elif x < 0.45:
                self._add((deadline or signed) - signed + ri(1, 10), "perform", result="none")
                results.append("none")
        # follow-up visits (kept only if they happened before today) and judicial confirmation
        base = self.cur if results else (deadline or signed)
        if r() < 0.85:
            result = results[-1] if results else ("partial" if r() < 0.3 else "none")
            on = base + ri(1, 10)
            self.follow_ups.append((on, result))
            if r() < 0.1:
                self.follow_ups.append((on + ri(7, 30), result))
        if (self.form == "written" and self.category != "marriage_family"
                and (self.track == "people" or self.detail in ("pre_litigation", "delegated"))
                and r() < 0.3):
            applied = signed + ri(1, 25)
            self.confirmation = (applied, applied + ri(3, 15),
                                 "confirmed" if r() < 0.92 else "rejected")

    def _finish(self, path: str, target: str) -> None:
        """Archive when asked, then fix the case's age so every date falls on or before today."""
        f = self.f
        ri = f.ri
        last = self.cur
        if target == "archived":
            tail = [on for on, _ in self.follow_ups]
            if self.confirmation is not None:
                tail.append(self.confirmation[1])
            end = max([last, *tail])
            self._add(end - self.cur + ri(1, 20), "archive")
            self.status = "archived"
            last = self.cur
            self.age = last + ri(0, max(0, HISTORY_DAYS - last))
        elif target == "registered":
            self.age = last + ri(0, 3)
        elif target == "accepted":
            self.age = last + ri(0, 6)
        elif target == "mediating":
            self.age = last + ri(0, 45)  # the handling clock is sometimes open, sometimes overdue
        else:
            self.age = last + ri(0, 120)
        if self.age > ISO_BEFORE - 1:
            raise AssertionError("case history longer than the date table")  # pragma: no cover
