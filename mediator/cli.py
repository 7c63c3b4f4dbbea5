"""`mediator-cli` / `python -m mediator`: the case core from the command line."""
from __future__ import annotations

import argparse
import getpass
import os
import sys

from mediator.commands import command_modules
from mediator.config import database_url
from mediator.domain.errors import DATABASE_WAITING, DomainError, ValidationErrors
from mediator.version import version_line

EXIT_USAGE, EXIT_INVALID = 1, 2
PASSWORD_ENV = "MEDIATOR_PASSWORD"  # the password of the --as account


def _parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--db", metavar="URL", default=argparse.SUPPRESS,
                        help="数据库地址（sqlite:///文件 或 postgresql+psycopg://…）；"
                             "默认取环境变量 MEDIATOR_DATABASE_URL，再默认用户数据目录中的 SQLite 文件")
    common.add_argument("--user", default=argparse.SUPPRESS, help="记入流转记录的操作人（默认：命令行）")
    common.add_argument("--as", dest="as_user", metavar="USERNAME", default=argparse.SUPPRESS,
                        help="以该账号身份操作（权限、可见范围、脱敏同程序中登录；审计记在其名下）；"
                             "密码取环境变量 MEDIATOR_PASSWORD，否则提示输入。连接 PostgreSQL 时必填")
    p = argparse.ArgumentParser(prog="mediator-cli", parents=[common],
                                description="调解通：矛盾纠纷调解案件管理（命令行）")
    p.add_argument("--version", action="version", version=version_line("mediator-cli"), help="显示版本号并退出")
    sub = p.add_subparsers(dest="command", required=True, metavar="命令")

    sub.add_parser("init", parents=[common], help="创建或升级数据库结构")
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

    ctx = open_context(database_url(getattr(args, "db", None)), actor=getattr(args, "user", "命令行"),
                       check_schema=check_schema)
    ctx.db.on_wait = _tell_waiting
    return ctx


def _tell_waiting(waiting: bool) -> None:
    """A write that waits for another program's write lock says so (stdout stays the result)."""
    if waiting:
        print(DATABASE_WAITING, file=sys.stderr, flush=True)


def _log_in(ctx, args: argparse.Namespace) -> None:
    """``--as``: run the command as that account; on PostgreSQL a command must name one."""
    from mediator.services.opening import NAMED_ACTOR_NEEDED, act_as, needs_named_actor

    username = getattr(args, "as_user", None)
    if username is None:
        if needs_named_actor(ctx, args.command, getattr(args, f"{args.command}_command", None)):
            raise DomainError(NAMED_ACTOR_NEEDED)
        return
    password = os.environ.get(PASSWORD_ENV)
    if password is None:
        password = getpass.getpass(f"{username} 的密码：")
    act_as(ctx, username, password)


def _run(args: argparse.Namespace) -> int:
    standalone = getattr(args, "standalone", None)
    if standalone is not None:  # a command that touches no database (idcard): no context, no login
        return standalone(args)
    if args.command == "init":
        from mediator.services.opening import initialize

        print(f"数据库已就绪：{initialize(_context(args, check_schema=False))}")
        return 0
    # A restore brings its own schema: onto a new path or a new PC there is nothing to check yet.
    ctx = _context(args, check_schema=args.command != "restore")
    try:
        _log_in(ctx, args)
        handler = getattr(args, "handler", None)
        if handler is not None:
            return handler(ctx, args)
        return EXIT_USAGE
    finally:
        ctx.db.dispose()  # a county's PostgreSQL: close the connections, the command is done


if __name__ == "__main__":
    sys.exit(main())
