"""`mediator-cli db grant-app-role ROLE`: the PostgreSQL application role's privileges."""
from __future__ import annotations


def register(sub, common) -> None:
    db = sub.add_parser("db", parents=[common], help="数据库管理（PostgreSQL，须以建库账号连接）")
    db_sub = db.add_subparsers(dest="db_command", required=True, metavar="子命令")
    grant = db_sub.add_parser("grant-app-role", parents=[common],
                              help="授予程序使用的数据库角色所需权限：各表可读写，审计日志表只能读和追加")
    grant.add_argument("role", help="程序连接数据库所用的角色名")
    grant.set_defaults(handler=_grant)


def _grant(ctx, args) -> int:
    from mediator.services.opening import grant_app_role

    for statement in grant_app_role(ctx, args.role):
        print(statement)
    print(f"已授权角色 {args.role.strip()}：各表可读写，审计日志表只能读和追加。每次 init 升级后请再运行一次。")
    return 0
