"""`mediator-cli` / `python -m mediator`: the case core from the command line."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mediator.commands import command_modules
from mediator.commands._support import day, print_json
from mediator.config import database_url
from mediator.domain.enums import CaseStatus, Track
from mediator.domain.errors import DomainError, ValidationErrors

EXIT_USAGE, EXIT_INVALID = 1, 2





def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="数据库地址（sqlite:///文件 或 postgresql+psycopg://…）；"
                             "默认取环境变量 MEDIATOR_DATABASE_URL，再默认用户数据目录中的 SQLite 文件")
    common.add_argument("--user", default=argparse.SUPPRESS, help="记入流转记录的操作人（默认：命令行）")
    p = argparse.ArgumentParser(prog="mediator-cli", parents=[common],
                                description="调解通：矛盾纠纷调解案件管理（命令行）")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    sub.add_parser("init", parents=[common], help="创建或升级数据库结构")
    demo = sub.add_parser("demo", parents=[common], help="载入虚构的示范县（河湾县）和示例案件")
    demo.add_argument("--cases", type=int, default=500, help="示例案件数（默认500）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子（默认1）")

    imp = sub.add_parser("import", parents=[common], help="导入 mediator-case/1 格式的JSON文件")
    imp.add_argument("file", type=Path)

    exp = sub.add_parser("export", parents=[common], help="导出")
    exp_sub = exp.add_subparsers(dest="what", required=True, metavar="对象")
    exp_cases = exp_sub.add_parser("cases", parents=[common], help="导出案件（mediator-case/1）")
    exp_cases.add_argument("--from", dest="date_from", type=day, help="收案日期起")
    exp_cases.add_argument("--to", dest="date_to", type=day, help="收案日期止")
    exp_cases.add_argument("-o", "--output", type=Path, required=True, help="输出文件")

    case = sub.add_parser("case", parents=[common], help="查看案件")
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

    dl = sub.add_parser("deadlines", parents=[common], help="某日正在计算的期限")
    dl.add_argument("--on", type=day, help="日期（默认今天）")
    dl.add_argument("--json", action="store_true", help="以JSON输出")
    for module in command_modules():
        module.register(sub, common)
    return p


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        return _run(args)
    except ValidationErrors as e:
        for line in e.lines():
            print(line, file=sys.stderr)
        print(f"共{len(e.errors)}处问题，未写入任何数据。", file=sys.stderr)
        return EXIT_INVALID
    except DomainError as e:
        print(str(e), file=sys.stderr)
        return EXIT_INVALID


def _context(args: argparse.Namespace, *, check_schema: bool = True):
    from mediator.services.opening import open_context

    return open_context(database_url(getattr(args, "db", None)), actor=getattr(args, "user", "命令行"),
                        check_schema=check_schema)


def _run(args: argparse.Namespace) -> int:
    if args.command == "init":
        from mediator.services.opening import initialize

        print(f"数据库已就绪：{initialize(_context(args, check_schema=False))}")
        return 0
    ctx = _context(args)
    handler = getattr(args, "handler", None)
    if handler is not None:
        return handler(ctx, args)
    if args.command == "demo":
        from mediator.services.exchange.demo import load_demo

        result = load_demo(ctx, cases=args.cases, seed=args.seed)
        print(f"示范县已载入：{result.summary()}")
        return 0
    if args.command == "import":
        from mediator.services.exchange.importer import import_file

        result = import_file(ctx, args.file)
        print(result.summary())
        return 0
    if args.command == "export":
        from mediator.services.exchange.importer import export_file

        n = export_file(ctx, args.output, date_from=args.date_from, date_to=args.date_to)
        print(f"已导出案件{n}件到{args.output}")
        return 0
    if args.command == "case":
        return _case(ctx, args)
    if args.command == "deadlines":
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
    return EXIT_USAGE


def _case(ctx, args: argparse.Namespace) -> int:
    from mediator.services.cases.read import CaseFilter, case_detail, find_case_id, list_cases

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
        print_json(detail)
    else:
        print(f"{detail['number']}  {detail['track_label']}  {detail['status_label']}  {detail['level_label']}")
        print(f"当事人：{'、'.join(p['name'] for p in detail['parties'])}")
        print(f"纠纷简要情况：{detail['summary']}")
        for e in detail["timeline"]:
            print(f"  {e['on']}  {e['label']}  {e['note']}")
        for d in detail["deadlines"]:
            print(f"  期限 {d['label']}：{d['due']}（{d['state']}）")
    return 0


if __name__ == "__main__":
    sys.exit(main())
