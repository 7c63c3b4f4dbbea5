"""`mediator-cli report stats …` (the statistics of a period) and `report ledger …` (the 台账)."""
from __future__ import annotations

import argparse
from pathlib import Path

from mediator.commands._support import day, print_json
from mediator.domain.enums import CaseStatus

STATUS_GROUPS = {"open": [CaseStatus.REGISTERED, CaseStatus.ACCEPTED, CaseStatus.MEDIATING]}


def register(sub, common: argparse.ArgumentParser) -> None:
    report = sub.add_parser("report", parents=[common], help="统计报表与台账")
    what = report.add_subparsers(dest="report_command", required=True, metavar="子命令")

    stats = what.add_parser("stats", parents=[common], help="某期间的统计数（月报、季报、年报）")
    stats.add_argument("--from", dest="date_from", type=day, required=True, help="统计期间起（含）")
    stats.add_argument("--to", dest="date_to", type=day, required=True, help="统计期间止（含）")
    scope = stats.add_mutually_exclusive_group()
    scope.add_argument("--org", metavar="NAME", help="只统计该调解组织的案件")
    scope.add_argument("--region", metavar="CODE", help="只统计该县或乡镇（街道）的案件（区划代码或名称）")
    stats.add_argument("--json", action="store_true", help="以JSON输出")
    stats.add_argument("-o", "--output", type=Path, help="同时导出统计表（.xlsx）")
    stats.set_defaults(handler=_stats)

    ledger = what.add_parser("ledger", parents=[common], help="导出矛盾纠纷排查调处台账（.xlsx）")
    ledger.add_argument("--from", dest="date_from", type=day, help="收案日期起")
    ledger.add_argument("--to", dest="date_to", type=day, help="收案日期止")
    ledger.add_argument("--status", choices=[s.value for s in CaseStatus] + list(STATUS_GROUPS),
                        help="案件状态（open = 办理中）")
    ledger.add_argument("--village", metavar="CODE", help="村（社区）12位区划代码")
    ledger.add_argument("--org", metavar="NAME", help="调解组织")
    ledger.add_argument("-o", "--output", type=Path, required=True, help="输出文件（.xlsx）")
    ledger.set_defaults(handler=_ledger)


def _stats(ctx, args: argparse.Namespace) -> int:
    from mediator.services.reports import statistics as reports
    from mediator.services.reports.statistics import Period, report_lines, to_json

    period = Period.custom(args.date_from, args.date_to).check()
    scope = reports.ALL
    if args.org:
        scope = reports.organization_scope(ctx, args.org)
    elif args.region:
        scope = reports.region_scope(ctx, args.region)
    if args.output:
        report = reports.export_report(ctx, period, scope, args.output)
    else:
        report = reports.period_stats(ctx, period, scope)
    if args.json:
        from mediator.services.reports.resolution import resolution_by_level

        print_json(to_json(report) | {"resolved_by_level": resolution_by_level(ctx, period, scope).as_json()})
        return 0
    print(f"{report.scope} {period.label}（{period.date_from.isoformat()}至{period.date_to.isoformat()}）")
    section = None
    for line in report_lines(report):
        if line.section != section:
            section = line.section
            print(f"【{section}】")
        print(f"  {line.label}：{line.value}{line.unit}")
    from mediator.commands.grid import print_resolution
    from mediator.services.reports.resolution import resolution_by_level

    print("【化解层级】")
    print_resolution(resolution_by_level(ctx, period, scope))
    if report.is_zero:
        print("本期无新发生矛盾纠纷（零上报）。")
    from mediator.services.reports.statistics import anchor_line

    print(anchor_line(report.audit_anchor))
    if args.output:
        print(f"统计表已导出到{args.output}")
    return 0


def _ledger(ctx, args: argparse.Namespace) -> int:
    from mediator.services.cases.read import CaseFilter
    from mediator.services.reports.case_ledger import export_ledger

    f = CaseFilter(date_from=args.date_from, date_to=args.date_to, village_code=args.village)
    if args.status:
        group = STATUS_GROUPS.get(args.status)
        f.status = [s.value for s in group] if group else [args.status]
    if args.org:
        from mediator.services.reports.statistics import organization_scope

        f.organization_id = organization_scope(ctx, args.org).id
    n = export_ledger(ctx, f, args.output)
    print(f"已导出台账{n}件到{args.output}")
    return 0
