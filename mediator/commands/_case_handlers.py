"""`mediator-cli case reassign|recuse`: who handles a case (更换调解员, 回避)."""
from __future__ import annotations

import argparse
import sys

from mediator.domain.errors import ValidationError

EXIT_INVALID = 2


def add_commands(case_sub, common: argparse.ArgumentParser) -> None:
    reassign = case_sub.add_parser("reassign", parents=[common], help="更换案件的调解员")
    reassign.add_argument("ref", help="案号或导入时的ref")
    reassign.add_argument("--mediator", action="append", required=True, metavar="姓名",
                          help="今后承办的调解员（可多次指定，按顺序）")
    reassign.add_argument("--reason", required=True, help="更换理由")
    reassign.add_argument("--acknowledge", action="store_true", help="已知悉可能需要回避的情形，仍然指派")
    recuse = case_sub.add_parser("recuse", parents=[common], help="当事人申请调解员回避")
    recuse.add_argument("ref", help="案号或导入时的ref")
    recuse.add_argument("--mediator", required=True, metavar="姓名", help="申请回避的调解员")
    recuse.add_argument("--party", required=True, metavar="姓名", help="提出申请的当事人")
    recuse.add_argument("--reason", required=True, help="申请回避的理由")
    recuse.add_argument("--new", required=True, metavar="姓名", help="接替的调解员")
    recuse.add_argument("--acknowledge", action="store_true", help="已知悉可能需要回避的情形，仍然指派")


def run(ctx, args: argparse.Namespace) -> int:
    from mediator.services.cases.conflicts import AssignmentConflicts
    from mediator.services.cases.handlers import case_handlers, reassign_mediators, recuse_mediator
    from mediator.services.cases.read import case_detail, find_case_id

    case_id = find_case_id(ctx, args.ref)
    handlers = case_handlers(ctx, case_id)
    try:
        if args.case_command == "reassign":
            ids = [_mediator_id(handlers, name, f"mediator[{i}]") for i, name in enumerate(args.mediator)]
            reassign_mediators(ctx, case_id, ids, args.reason, acknowledge_conflicts=args.acknowledge)
        else:
            party = [pid for pid, name in handlers.parties if name == args.party.strip()]
            if not party:
                raise ValidationError("party", f"本案没有名为“{args.party}”的当事人")
            recuse_mediator(ctx, case_id, mediator_id=_mediator_id(handlers, args.mediator, "mediator"),
                            party_id=party[0], reason=args.reason,
                            new_mediator_id=_mediator_id(handlers, args.new, "new"),
                            acknowledge_conflicts=args.acknowledge)
    except AssignmentConflicts as exc:
        print("指派的调解员可能需要回避：", file=sys.stderr)
        for conflict in exc.conflicts:
            print(f"  {conflict.mediator}　{conflict.line()}", file=sys.stderr)
        print("如确认无妨，请加 --acknowledge 重新执行；未写入任何数据。", file=sys.stderr)
        return EXIT_INVALID
    detail = case_detail(ctx, case_id)
    print(f"{detail.number}  调解员：{'、'.join(detail.mediators)}")
    print(f"  {detail.timeline[-1].label}：{detail.timeline[-1].note}")
    return 0


def _mediator_id(handlers, name: str, path: str) -> int:
    found = [m.id for m in handlers.mediators if m.name == name.strip()]
    if not found:
        raise ValidationError(path, f"{handlers.organization}没有名为“{name}”的在职调解员")
    return found[0]
