"""`mediator-cli ledger import FILE.xlsx`: an office's old Excel 台账 imported as cases.

Exit status: 0 when rows were imported (or all had been imported before), 1 when no row could be
imported because of its problems, 2 when the file cannot be read or the import cannot start.
"""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from mediator.commands._support import print_json

EXIT_NOTHING_IMPORTED = 1


def register(sub, common: argparse.ArgumentParser) -> None:
    ledger = sub.add_parser("ledger", parents=[common], help="旧台账（Excel）")
    ledger_sub = ledger.add_subparsers(dest="ledger_command", required=True, metavar="子命令")
    imp = ledger_sub.add_parser("import", parents=[common], help="导入本单位的旧Excel台账",
                                description="逐行检查后导入；有问题的行跳过并逐行报告；"
                                            "同一台账再次导入不会重复。")
    imp.add_argument("file", type=Path, help="台账文件（.xlsx/.xls）")
    imp.add_argument("--org", help="导入到的调解组织名称（默认：系统设置中的本单位调解组织）")
    imp.add_argument("--village", metavar="CODE", help="台账未写村（社区）时所属的村（社区）区划代码")
    imp.add_argument("--dry-run", action="store_true", help="只检查，不写入")
    imp.add_argument("--json", action="store_true", help="以JSON输出")
    ledger.set_defaults(handler=_ledger)


def _ledger(ctx, args: argparse.Namespace) -> int:
    from mediator.services.exchange.old_ledger import import_ledger, open_ledger

    plan = open_ledger(ctx, args.file)
    result = import_ledger(ctx, plan.sheet, plan.mapping, organization=args.org,
                           village_code=args.village, dry_run=args.dry_run)
    if args.json:
        print_json(result.as_json())
    else:
        mapped = "沿用上次保存的列对应关系" if plan.saved else "按表头自动识别列"
        print(f"工作表“{plan.sheet.name}”，表头在第{plan.sheet.header_row}行，{mapped}")
        for p in result.problems:
            print(p.line(), file=sys.stderr)
        print(result.summary())
    if result.imported == 0 and result.already == 0 and result.rows:
        return EXIT_NOTHING_IMPORTED
    return 0
