"""`mediator-cli audit verify` and `mediator-cli audit list`."""
from __future__ import annotations

from mediator.commands._support import print_json


def register(sub, common) -> None:
    audit = sub.add_parser("audit", parents=[common], help="审计日志")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="子命令")
    verify = audit_sub.add_parser("verify", parents=[common], help="校验审计日志链，发现被改动或删除的记录")
    verify.set_defaults(handler=_verify)
    listing = audit_sub.add_parser("list", parents=[common], help="列出最近的审计记录")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)


def _verify(ctx, args) -> int:
    from mediator.services.audit import verify

    problems = verify(ctx)
    if not problems:
        print("审计日志完整，未发现改动。")
        return 0
    for p in problems:
        print(p.message)
    print(f"审计日志校验未通过：{len(problems)}处问题。")
    return 2


def _list(ctx, args) -> int:
    from mediator.services.audit import entries

    rows = entries(ctx, limit=args.limit)
    if args.json:
        print_json([{"id": r.id, "at": r.at.isoformat(), "user": r.username, "action": r.action,
                     "target": r.target, "detail": r.detail} for r in rows])
    else:
        for r in rows:
            print(f"{r.id:>6}  {r.at:%Y-%m-%d %H:%M:%S}  {r.username}  {r.action}  {r.target}")
    return 0
