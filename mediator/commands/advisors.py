"""`mediator-cli advisors …`: coverage of the villages, and the advisor sheet in and out of .xlsx."""
from __future__ import annotations

import argparse
from pathlib import Path

from mediator.commands._support import day, print_json


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    advisors = sub.add_parser("advisors", parents=[common], help="法律顾问：覆盖情况、名册导入导出")
    what = advisors.add_subparsers(dest="advisors_command", required=True, metavar="子命令")

    cov = what.add_parser("coverage", parents=[common],
                          help="各村（社区）的在聘法律顾问、无法律顾问的村、30天内届满的聘期")
    cov.add_argument("--on", type=day, help="日期（默认今天）")
    cov.add_argument("--json", action="store_true", help="以JSON输出")
    cov.set_defaults(handler=_coverage)

    imp = what.add_parser("import", parents=[common], help="从Excel（.xlsx）导入法律顾问及聘任")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_import)

    exp = what.add_parser("export", parents=[common], help="导出法律顾问及聘任到Excel（.xlsx）")
    exp.add_argument("-o", "--output", type=Path, required=True, help="输出文件")
    exp.set_defaults(handler=_export)

    summary = what.add_parser("summary", parents=[common], help="导出法律顾问年度服务汇总（.xlsx）")
    summary.add_argument("--year", type=int, required=True, help="年度")
    summary.add_argument("-o", "--output", type=Path, required=True, help="输出文件")
    summary.set_defaults(handler=_summary)


def _coverage(ctx, args: argparse.Namespace) -> int:
    from mediator.services.advisors.coverage import coverage

    report = coverage(ctx, args.on or ctx.today())
    if args.json:
        print_json(report.to_json())
        return 0
    print(f"法律顾问覆盖情况（{report.on.isoformat()}）")
    for v in report.villages:
        who = f"{v.advisor}（{v.firm}，聘期至{v.end.isoformat()}）" if v.covered else "【无法律顾问】"
        print(f"  {v.village_code or '':<12}  {v.township}{v.village}  {who}")
    print(f"共{len(report.villages)}个村（社区），无法律顾问{len(report.uncovered)}个"
          + (f"：{'、'.join(v.village for v in report.uncovered)}" if report.uncovered else ""))
    for e in report.ending:
        renewed = f"，已续聘{e.renewed_by}" if e.renewed_by else "，尚未续聘"
        print(f"  聘期将满：{e.village} {e.advisor} 至{e.end.isoformat()}（还有{e.days_left}天{renewed}）")
    return 0


def _import(ctx, args: argparse.Namespace) -> int:
    from mediator.services.advisors.sheets import import_advisors_xlsx

    print(import_advisors_xlsx(ctx, args.file).summary())
    return 0


def _export(ctx, args: argparse.Namespace) -> int:
    from mediator.services.advisors.sheets import export_advisors_xlsx

    export_advisors_xlsx(ctx, args.output)
    print(f"已导出法律顾问名册到{args.output}")
    return 0


def _summary(ctx, args: argparse.Namespace) -> int:
    from mediator.services.advisors.sheets import export_yearly_summary_xlsx

    export_yearly_summary_xlsx(ctx, args.year, args.output)
    print(f"已导出{args.year}年度法律顾问服务汇总到{args.output}")
    return 0
