"""`mediator-cli demo`, `import FILE` and `export cases …`: the demo county and mediator-case/1 files."""
from __future__ import annotations

import argparse
from pathlib import Path

from mediator.commands._support import day


def register(sub, common: argparse.ArgumentParser) -> None:
    demo = sub.add_parser("demo", parents=[common], help="载入虚构的示范县（河湾县）和示例案件")
    demo.add_argument("--cases", type=int, default=500, help="示例案件数（默认500）")
    demo.add_argument("--seed", type=int, default=1, help="随机种子（默认1）")
    demo.set_defaults(handler=_demo)

    imp = sub.add_parser("import", parents=[common], help="导入 mediator-case/1 格式的JSON文件")
    imp.add_argument("file", type=Path)
    imp.set_defaults(handler=_import)

    exp = sub.add_parser("export", parents=[common], help="导出")
    exp_sub = exp.add_subparsers(dest="what", required=True, metavar="对象")
    exp_cases = exp_sub.add_parser("cases", parents=[common], help="导出案件（mediator-case/1）")
    exp_cases.add_argument("--from", dest="date_from", type=day, help="收案日期起")
    exp_cases.add_argument("--to", dest="date_to", type=day, help="收案日期止")
    exp_cases.add_argument("-o", "--output", type=Path, required=True, help="输出文件")
    exp_cases.set_defaults(handler=_export)


def _demo(ctx, args: argparse.Namespace) -> int:
    from mediator.services.exchange.demo import load_demo

    result = load_demo(ctx, cases=args.cases, seed=args.seed)
    print(f"示范县已载入：{result.summary()}")
    return 0


def _import(ctx, args: argparse.Namespace) -> int:
    from mediator.services.exchange.importer import import_file

    print(import_file(ctx, args.file).summary())
    return 0


def _export(ctx, args: argparse.Namespace) -> int:
    from mediator.services.exchange.export import export_file

    n = export_file(ctx, args.output, date_from=args.date_from, date_to=args.date_to)
    print(f"已导出案件{n}件到{args.output}")
    return 0
