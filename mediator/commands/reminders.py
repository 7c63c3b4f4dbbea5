"""`mediator-cli reminders [--on DATE] [--json]`: what is due or overdue on a day (cron-friendly).

Prints the same rows as the 日程提醒 page: overdue, due that day, and due within the office's
warning days; completed, snoozed and dismissed reminders are left out. Kinds are DOMAIN.md codes.
"""
from __future__ import annotations

import argparse

from mediator.commands._support import day, print_json
from mediator.domain.calendar import weekday_name
from mediator.domain.enums import DeadlineKind


def register(sub, common: argparse.ArgumentParser) -> None:
    p = sub.add_parser("reminders", parents=[common],
                       help="某日到期、逾期及提醒天数内将到期的事项（与日程提醒页相同）")
    p.add_argument("--on", type=day, help="日期（默认今天）")
    p.add_argument("--kind", action="append", choices=[k.value for k in DeadlineKind],
                   help="只列该类事项（可重复）")
    p.add_argument("--village", metavar="CODE", help="只列该村（社区）的事项（12位区划代码）")
    p.add_argument("--no-next-step", action="store_true",
                   help="改为列出无下一步的案件（办理中而无未到期期限、无待办提醒）")
    p.add_argument("--json", action="store_true", help="以JSON输出")
    p.set_defaults(handler=_reminders)


def _village_id(ctx, code: str | None) -> int | None:
    if not code:
        return None
    from mediator.domain.errors import NotFoundError
    from mediator.services.places.choices import places

    found = next((v.id for v in places(ctx, "village") if v.code == code or v.name == code), None)
    if found is None:
        raise NotFoundError(f"找不到区划代码为“{code}”的村（社区）")
    return found


def _reminders(ctx, args: argparse.Namespace) -> int:
    from mediator.services.reminders.due import BUCKETS, cases_without_next_step, due_now, warn_days

    on = args.on or ctx.today()
    village_id = _village_id(ctx, args.village)
    if args.no_next_step:
        return _no_next_step(cases_without_next_step(ctx, on, village_id=village_id), args.json, on)
    items = due_now(ctx, on, kinds=args.kind, village_id=village_id)
    if args.json:
        print_json([i.as_json() for i in items])
        return 0
    bucket = None
    for i in items:
        if i.bucket != bucket:
            bucket = i.bucket
            print(f"【{BUCKETS[bucket]}】")
        what = i.case_number or i.target
        line = f"  {i.due.isoformat()} {weekday_name(i.due)}  {i.kind_label}  {what}  {i.parties}  {i.days_text}"
        if i.moved_reason:
            line += f"（{i.moved_reason}）"
        print(line)
    print(f"共{len(items)}项（{on.isoformat()}，含{warn_days(ctx)}日内到期）")
    return 0


def _no_next_step(rows, as_json: bool, on) -> int:
    if as_json:
        print_json([{"case_number": r.number, "status": r.status_label, "received_on": r.received_on,
                     "last_step_on": r.last_step_on, "idle_days": r.idle_days, "parties": r.parties,
                     "village": r.village, "mediators": r.mediators} for r in rows])
        return 0
    for r in rows:
        idle = f"已{r.idle_days}天无进展" if r.idle_days is not None else ""
        print(f"  {r.number}  {r.status_label}  {r.parties}  {r.village}  {idle}")
    print(f"共{len(rows)}件无下一步的案件（{on.isoformat()}）")
    return 0
