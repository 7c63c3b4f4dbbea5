"""`mediator-cli user …`: the office's accounts (add, list, set-role, reset-password, deactivate, unlock)."""
from __future__ import annotations

import argparse
import sys

from mediator.commands._support import print_json

# The command line's short role names.
ROLES = {"admin": "admin", "head": "head", "mediator": "mediator", "advisor": "advisor",
         "grid": "grid_worker", "readonly": "readonly"}


def register(sub: argparse._SubParsersAction, common: argparse.ArgumentParser) -> None:
    user = sub.add_parser("user", parents=[common], help="人员与账号：新增、列表、角色、重置密码、停用、解锁")
    what = user.add_subparsers(dest="user_command", required=True, metavar="子命令")

    add = what.add_parser("add", parents=[common], help="新增账号（密码从标准输入读取）")
    add.add_argument("username", help="用户名（字母、数字或 . _ -）")
    add.add_argument("--name", required=True, help="姓名（显示名）")
    add.add_argument("--role", required=True, choices=list(ROLES), help="角色")
    add.add_argument("--org", metavar="ORG_NAME", help="所属调解组织名称")
    link = add.add_mutually_exclusive_group()
    link.add_argument("--mediator", metavar="NAME", help="对应的调解员（本组织）")
    link.add_argument("--advisor", metavar="NAME", help="对应的法律顾问（角色 advisor 必填）")
    link.add_argument("--grid", metavar="NAME", help="所在网格（角色 grid 必填；重名时写“村名/网格名”）")
    add.add_argument("--password-stdin", action="store_true", required=True, help="从标准输入读取密码")
    add.set_defaults(handler=_add)

    lst = what.add_parser("list", parents=[common], help="账号列表")
    lst.add_argument("--json", action="store_true", help="以JSON输出")
    lst.set_defaults(handler=_list)

    role = what.add_parser("set-role", parents=[common], help="修改账号的角色")
    role.add_argument("username")
    role.add_argument("role", choices=list(ROLES))
    role.set_defaults(handler=_set_role)

    reset = what.add_parser("reset-password", parents=[common], help="重置密码（下次登录须修改）")
    reset.add_argument("username")
    reset.add_argument("--password-stdin", action="store_true", required=True, help="从标准输入读取新密码")
    reset.set_defaults(handler=_reset)

    for name, helptext, handler in (("deactivate", "停用账号", "_deactivate"), ("activate", "启用账号", "_activate"),
                                    ("unlock", "解除登录锁定", "_unlock")):
        p = what.add_parser(name, parents=[common], help=helptext)
        p.add_argument("username")
        p.set_defaults(handler=globals()[handler])


# The service's field names as the command line spells them.
FLAGS = {"username": "USERNAME", "display_name": "--name", "role": "--role", "organization_id": "--org",
         "mediator_id": "--mediator", "advisor_id": "--advisor", "grid_id": "--grid", "org": "--org",
         "mediator": "--mediator", "advisor": "--advisor", "grid": "--grid", "password": "密码"}


def _as_flags(fn):
    """Run ``fn``; a refusal names the command line's options instead of the service's fields."""
    from mediator.domain.errors import ValidationError, ValidationErrors

    try:
        return fn()
    except ValidationErrors as e:
        raise ValidationErrors([ValidationError(FLAGS.get(x.path, x.path), x.message) for x in e.errors]) from None


def _password() -> str:
    return sys.stdin.readline().rstrip("\r\n")


def _add(ctx, args: argparse.Namespace) -> int:
    from mediator.services.safety.accounts import account_input, add_account

    password = _password()
    data = _as_flags(lambda: account_input(
        ctx, username=args.username, display_name=args.name, role=ROLES[args.role], organization=args.org,
        mediator=args.mediator, advisor=args.advisor, grid=args.grid, password=password))
    _as_flags(lambda: add_account(ctx, data))
    print(f"已新增账号 {data.username}（{data.display_name}，{data.role.label}）")
    return 0


def _list(ctx, args: argparse.Namespace) -> int:
    from mediator.services.safety.accounts import account_rows

    rows = account_rows(ctx)
    if args.json:
        print_json([r.as_json() for r in rows])
        return 0
    for r in rows:
        print(f"{r.username:<16} {r.display_name}  {r.role.label}  {r.organization}  {r.acts_as}  {r.state_label}")
    print(f"共{len(rows)}个账号")
    return 0


def _set_role(ctx, args: argparse.Namespace) -> int:
    from mediator.domain.permissions import Role
    from mediator.services.safety.accounts import set_role

    role = Role(ROLES[args.role])
    _as_flags(lambda: set_role(ctx, args.username, role))
    print(f"账号 {args.username} 的角色已改为{role.label}")
    return 0


def _reset(ctx, args: argparse.Namespace) -> int:
    from mediator.services.safety.accounts import find_account, reset_password

    password = _password()
    _as_flags(lambda: reset_password(ctx, find_account(ctx, args.username).id, None, password))
    print(f"已重置账号 {args.username} 的密码，下次登录时须修改")
    return 0


def _deactivate(ctx, args: argparse.Namespace) -> int:
    return _set_active(ctx, args.username, False)


def _activate(ctx, args: argparse.Namespace) -> int:
    return _set_active(ctx, args.username, True)


def _set_active(ctx, username: str, active: bool) -> int:
    from mediator.services.safety.accounts import find_account, set_active

    set_active(ctx, find_account(ctx, username).id, None, active)
    print(f"账号 {username} 已{'启用' if active else '停用'}")
    return 0


def _unlock(ctx, args: argparse.Namespace) -> int:
    from mediator.services.safety.accounts import find_account, unlock_account

    unlock_account(ctx, find_account(ctx, args.username).id)
    print(f"账号 {args.username} 已解锁")
    return 0
