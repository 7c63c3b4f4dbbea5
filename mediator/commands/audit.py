"""`mediator-cli audit verify`, `audit head` and `audit list`."""
from __future__ import annotations

from mediator.commands._support import print_json


def register(sub, common) -> None:
    audit = sub.add_parser("audit", parents=[common], help="审计日志")
    audit_sub = audit.add_subparsers(dest="audit_command", required=True, metavar="子命令")
    verify = audit_sub.add_parser("verify", parents=[common], help="校验审计日志链，发现被改动或删除的记录")
    anchor = verify.add_mutually_exclusive_group()
    anchor.add_argument("--anchor", metavar="COUNT:HASH",
                        help="另行保存的审计日志锚点（audit head 的末行）：日志须仍延续该锚点")
    anchor.add_argument("--anchor-backup", metavar="FILE", help="以该备份文件记下的锚点校验")
    verify.set_defaults(handler=_verify)
    head = audit_sub.add_parser("head", parents=[common],
                                help="显示审计日志锚点（条数:校验值），请抄录或另存，日后用 verify --anchor 核对")
    head.set_defaults(handler=_head)
    listing = audit_sub.add_parser("list", parents=[common], help="列出最近的审计记录")
    listing.add_argument("--limit", type=int, default=50)
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)


def _verify(ctx, args) -> int:
    from mediator.services.audit import parse_anchor, verify

    anchor = None
    if args.anchor is not None:
        anchor = parse_anchor(args.anchor, "--anchor")
    elif args.anchor_backup is not None:
        from mediator.services.safety.backup import backup_anchor

        anchor = backup_anchor(ctx, args.anchor_backup)
    problems = verify(ctx, anchor)
    if not problems:
        extends = f"，并延续锚点 {anchor}" if anchor is not None else ""
        print(f"审计日志完整{extends}，未发现改动。")
        return 0
    for p in problems:
        print(p.message)
    print(f"审计日志校验未通过：{len(problems)}处问题。")
    return 2


def _head(ctx, args) -> int:
    from mediator.services.audit import head

    current = head(ctx)
    print(f"审计日志现有{current.count}条。请将下一行抄录或保存在本数据库以外，"
          "日后用 audit verify --anchor 核对日志是否被清空、截断或重算：")
    print(current)
    return 0


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
