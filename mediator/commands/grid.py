"""`mediator-cli grid …`: 网格事件上报 (report), the 待分流 queue (queue), 分派 (dispatch),
网格内化解 (resolve), 评价反馈 (feedback) and the counts by handling level (stats)."""
from __future__ import annotations

import argparse

from mediator.commands._support import day, print_json
from mediator.domain.enums import Category, Satisfaction
from mediator.domain.grid import Urgency

_URGENCY = {u.label: u for u in Urgency} | {u.value: u for u in Urgency}
_SATISFACTION = {s.label: s for s in Satisfaction} | {s.value: s for s in Satisfaction}


def _choice(table: dict, what: str):
    def parse(text: str):
        if text not in table:
            raise argparse.ArgumentTypeError(f"{what}“{text}”无效，可选：{'、'.join(k for k in table)}")
        return table[text]
    return parse


def register(sub, common: argparse.ArgumentParser) -> None:
    grid = sub.add_parser("grid", parents=[common], help="网格事件上报、待分流与分派、网格内化解")
    what = grid.add_subparsers(dest="grid_command", required=True, metavar="子命令")

    report = what.add_parser("report", parents=[common], help="上报网格事件（简易表单）")
    report.add_argument("--village", metavar="CODE", required=True, help="所在村（社区）12位区划代码")
    report.add_argument("--grid", metavar="NAME", required=True, help="网格名称")
    report.add_argument("--parties", required=True, help="当事人姓名（多人用顿号分隔）")
    report.add_argument("--phone", help="联系电话")
    report.add_argument("--place", required=True, help="事发地点")
    report.add_argument("--summary", required=True, help="事件简要情况")
    report.add_argument("--urgency", type=_choice(_URGENCY, "紧急程度"), default=Urgency.NORMAL,
                        help="紧急程度：一般、较急、紧急（默认一般）")
    report.add_argument("--on", type=day, help="上报日期（默认今天）")
    report.set_defaults(handler=_report)

    queue = what.add_parser("queue", parents=[common], help="待分流的网格上报")
    queue.add_argument("--all", action="store_true", help="也列出已分派和网格内化解的上报")
    queue.add_argument("--json", action="store_true", help="以JSON输出")
    queue.set_defaults(handler=_queue)

    dispatch = what.add_parser("dispatch", parents=[common], help="分派：由上报登记案件，交调解组织办理")
    dispatch.add_argument("id", type=int, help="上报编号")
    dispatch.add_argument("--org", required=True, help="承办的调解组织名称")
    dispatch.add_argument("--mediator", action="append", required=True, help="调解员姓名（可重复）")
    dispatch.add_argument("--category", choices=[c.value for c in Category], default=Category.OTHER.value,
                          help="纠纷类型（默认其他）")
    dispatch.add_argument("--acknowledge", action="store_true",
                          help="调解员可能需要回避（同姓同村等）时，已知悉，仍然指派")
    dispatch.set_defaults(handler=_dispatch)

    resolve = what.add_parser("resolve", parents=[common], help="网格内化解：记录化解情况并办结")
    resolve.add_argument("id", type=int, help="上报编号")
    resolve.add_argument("--note", required=True, help="化解情况")
    resolve.set_defaults(handler=_resolve)

    feedback = what.add_parser("feedback", parents=[common], help="评价反馈：记录当事人满意度")
    feedback.add_argument("id", type=int, help="上报编号")
    feedback.add_argument("--satisfaction", type=_choice(_SATISFACTION, "满意度"), required=True,
                          help="满意、基本满意、不满意")
    feedback.add_argument("--note", default="", help="回访情况")
    feedback.set_defaults(handler=_feedback)

    stats = what.add_parser("stats", parents=[common], help="各层级化解数及不出网格、社区、乡镇的比例")
    stats.add_argument("--from", dest="date_from", type=day, required=True, help="统计期间起（含）")
    stats.add_argument("--to", dest="date_to", type=day, required=True, help="统计期间止（含）")
    stats.add_argument("--json", action="store_true", help="以JSON输出")
    stats.set_defaults(handler=_stats)


def _report(ctx, args: argparse.Namespace) -> int:
    from mediator.services.grid.intake import GridReportInput, report_event

    found = report_event(ctx, GridReportInput(
        parties=args.parties, phone=args.phone, place=args.place, summary=args.summary,
        urgency=args.urgency, reported_on=args.on, village_code=args.village, grid=args.grid))
    print(f"已上报，编号{found.id}（待分流）")
    return 0


def _queue(ctx, args: argparse.Namespace) -> int:
    from mediator.services.grid.dispatch import grid_queue

    rows = grid_queue(ctx, pending_only=not args.all)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        tail = f"  {r.result}" if r.result else ""
        print(f"  {r.id}  {r.reported_on.isoformat()}  {r.urgency_label}  {r.status_label}  "
              f"{r.village}{r.grid}  {r.parties}  {r.summary}{tail}")
    print(f"共{len(rows)}件" + ("" if args.all else "待分流"))
    return 0


def _dispatch(ctx, args: argparse.Namespace) -> int:
    from mediator.services.cases.read import case_detail
    from mediator.services.grid.dispatch import dispatch_report

    found = dispatch_report(ctx, args.id, args.org, args.mediator, category=Category(args.category),
                            acknowledge_conflicts=args.acknowledge)
    print(f"已分派：{case_detail(ctx, found.id).number}（{args.org}）")
    return 0


def _resolve(ctx, args: argparse.Namespace) -> int:
    from mediator.services.grid.dispatch import resolve_in_grid

    resolve_in_grid(ctx, args.id, args.note)
    print(f"上报{args.id}已记录为网格内化解")
    return 0


def _feedback(ctx, args: argparse.Namespace) -> int:
    from mediator.services.grid.intake import record_feedback

    record_feedback(ctx, args.id, args.satisfaction, args.note)
    print(f"上报{args.id}已记录评价：{args.satisfaction.label}")
    return 0


def _stats(ctx, args: argparse.Namespace) -> int:
    from mediator.services.reports.resolution import resolution_by_level
    from mediator.services.reports.statistics import Period

    found = resolution_by_level(ctx, Period.custom(args.date_from, args.date_to))
    if args.json:
        print_json(found.as_json())
        return 0
    print_resolution(found)
    return 0


def print_resolution(found) -> None:
    """The 化解层级 lines of ``grid stats`` and ``report stats``."""
    from mediator.domain.enums import Level

    for level in Level:
        print(f"  {level.label}化解：{found.by_level[level.value]}件")
    for label, share in (("不出网格", found.share_in_grid), ("不出村（社区）", found.share_in_village),
                         ("不出乡镇（街道）", found.share_in_township)):
        print(f"  {label}：{'—' if share is None else f'{share * 100:.1f}%'}")
