"""`mediator-cli case list|show|reassign|recuse` and `mediator-cli deadlines`: cases and their running deadlines."""
from __future__ import annotations

import argparse

from mediator.commands import _case_handlers
from mediator.commands._support import day, print_json
from mediator.domain.enums import CaseStatus, Track


def register(sub, common: argparse.ArgumentParser) -> None:
    case = sub.add_parser("case", parents=[common], help="查看案件、更换调解员")
    case_sub = case.add_subparsers(dest="case_command", required=True, metavar="子命令")
    lst = case_sub.add_parser("list", parents=[common], help="案件列表")
    lst.add_argument("--status", choices=[s.value for s in CaseStatus])
    lst.add_argument("--track", choices=[t.value for t in Track])
    lst.add_argument("--village", metavar="CODE", help="村（社区）12位区划代码")
    lst.add_argument("--json", action="store_true", help="以JSON输出")
    show = case_sub.add_parser("show", parents=[common], help="显示一件案件")
    show.add_argument("ref", help="案号或导入时的ref")
    show.add_argument("--json", action="store_true", help="以JSON输出")
    show.add_argument("--on", type=day, help="按该日期判断期限状态（默认今天）")
    _case_handlers.add_commands(case_sub, common)
    case.set_defaults(handler=_case)

    dl = sub.add_parser("deadlines", parents=[common], help="某日正在计算的期限")
    dl.add_argument("--on", type=day, help="日期（默认今天）")
    dl.add_argument("--json", action="store_true", help="以JSON输出")
    dl.set_defaults(handler=_deadlines)


def _case(ctx, args: argparse.Namespace) -> int:
    from mediator.services.cases.read import CaseFilter, case_detail, find_case_id, list_cases

    if args.case_command in ("reassign", "recuse"):
        return _case_handlers.run(ctx, args)
    if args.case_command == "list":
        f = CaseFilter(status=[args.status] if args.status else [], track=args.track,
                       village_code=args.village)
        rows = list_cases(ctx, f, limit=10_000_000, sort="received_on", descending=False)
        if args.json:
            print_json([
                {"ref": r.ref, "number": r.number, "track": r.track, "status": r.status,
                 "category": r.category, "level": r.level, "received_on": r.received_on.isoformat(),
                 "village": r.village, "organization": r.organization, "parties": r.parties}
                for r in rows
            ])
        else:
            for r in rows:
                print(f"{r.number}  {CaseStatus(r.status).label}  {r.received_on}  {r.village}  {r.parties}")
            print(f"共{len(rows)}件")
        return 0
    detail = case_detail(ctx, find_case_id(ctx, args.ref), on=args.on)
    if args.json:
        print_json(detail.as_json())
    else:
        print(f"{detail.number}  {detail.track_label}  {detail.status_label}  {detail.level_label}")
        print(f"当事人：{'、'.join(p.name for p in detail.parties)}")
        print(f"纠纷简要情况：{detail.summary}")
        for e in detail.timeline:
            print(f"  {e.on}  {e.label}  {e.note}")
        for d in detail.deadlines:
            print(f"  期限 {d.label}：{d.due}（{d.state}）")
    return 0


def _deadlines(ctx, args: argparse.Namespace) -> int:
    from mediator.services.cases.open_deadlines import open_deadlines

    on = args.on or ctx.today()
    rows = open_deadlines(ctx, on)
    if args.json:
        print_json([{k: r[k] for k in ("ref", "number", "kind", "due", "overdue")} for r in rows])
    else:
        for r in rows:
            flag = "【已逾期】" if r["overdue"] else ""
            print(f"{r['due']}  {r['label']:<8} {r['number']}  {flag}")
        print(f"共{len(rows)}项（{on.isoformat()}）")
    return 0
