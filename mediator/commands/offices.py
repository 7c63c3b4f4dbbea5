"""`mediator-cli office list|approve|refuse`: the offices (司法所) on a county server and the
requests of new ones to join, approved by an administrator named with ``--as``."""
from __future__ import annotations

from mediator.commands._support import print_json


def register(sub, common) -> None:
    office = sub.add_parser("office", parents=[common], help="县级服务器上的司法所及加入申请")
    office_sub = office.add_subparsers(dest="office_command", required=True, metavar="子命令")
    listing = office_sub.add_parser("list", parents=[common], help="列出司法所（含待批准的申请）")
    listing.add_argument("--pending", action="store_true", help="只列待批准的申请")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    for name, helptext, handler in (("approve", "批准司法所加入", _approve), ("refuse", "拒绝司法所加入申请", _refuse)):
        command = office_sub.add_parser(name, parents=[common], help=helptext)
        command.add_argument("name", help="司法所名称（单位名称或调解组织名称）")
        _add_as(common, command)
        command.set_defaults(handler=handler)
    _add_as(common, listing)
    shown = office_sub.add_parser("settings", parents=[common], help="列出一个司法所的设置（本所值或县级默认值）")
    shown.add_argument("name", help="司法所名称")
    shown.set_defaults(handler=_settings)
    change = office_sub.add_parser("set", parents=[common], help="修改一个司法所自己的设置")
    change.add_argument("name", help="司法所名称")
    change.add_argument("key", help="设置项，如 office.seal_text")
    change.add_argument("value", help="新值")
    change.set_defaults(handler=_set)
    export = office_sub.add_parser("form-export", parents=[common], help="导出本所在用的文书模板文件")
    export.add_argument("form", help="文书编号，如 agreement")
    export.add_argument("path", help="导出到的文件")
    _add_as(common, export)
    export.set_defaults(handler=_form_export)
    take = office_sub.add_parser("form-import", parents=[common], help="导入文书模板文件作为本所模板（先检查）")
    take.add_argument("form", help="文书编号，如 agreement")
    take.add_argument("path", help="模板文件（.toml）")
    _add_as(common, take)
    take.set_defaults(handler=_form_import)


def _add_as(common, parser) -> None:
    # ``--as`` may come to every command (the common options); until then it is this command's.
    if "--as" not in common._option_string_actions:
        parser.add_argument("--as", dest="as_user", metavar="管理员用户名", help="以该管理员身份操作")


def _acting_if_named(ctx, args) -> None:
    if getattr(args, "as_user", None) or getattr(args, "as_", None):
        _acting(ctx, args)


def _acting(ctx, args) -> None:
    from mediator.domain.errors import PermissionDenied
    from mediator.services.offices import acting_admin

    username = getattr(args, "as_user", None) or getattr(args, "as_", None)
    if not username:
        raise PermissionDenied("请用 --as 指明批准人（本服务器上的管理员用户名）")
    ctx.user = acting_admin(ctx, username)
    ctx.actor = ctx.user.display_name


def _list(ctx, args) -> int:
    from mediator.services.offices import office_rows

    _acting_if_named(ctx, args)
    rows = office_rows(ctx, pending_only=args.pending)
    if args.json:
        print_json([{"name": r.name, "organization": r.organization, "short": r.short, "township": r.township,
                     "status": r.status, "admins": list(r.admins)} for r in rows])
    elif not rows:
        print("没有待批准的申请" if args.pending else "没有司法所")
    else:
        for r in rows:
            print(f"{r.name}\t{r.short}\t{r.township}\t{r.status_label}\t管理员：{'、'.join(r.admins) or '无'}")
    return 0


def _approve(ctx, args) -> int:
    from mediator.services.offices import approve_office

    _acting(ctx, args)
    approve_office(ctx, args.name)
    print(f"已批准“{args.name}”加入，其管理员现在可以登录")
    return 0


def _refuse(ctx, args) -> int:
    from mediator.services.offices import refuse_office

    _acting(ctx, args)
    refuse_office(ctx, args.name)
    print(f"已拒绝“{args.name}”的加入申请")
    return 0


def _form_export(ctx, args) -> int:
    from pathlib import Path

    from mediator.services.documents.office_forms import export_form

    _acting_if_named(ctx, args)  # --as: that administrator's office; else the county's forms
    print(f"已导出：{export_form(ctx, args.form, Path(args.path))}")
    return 0


def _form_import(ctx, args) -> int:
    from pathlib import Path

    from mediator.services.documents.office_forms import import_form

    _acting_if_named(ctx, args)
    import_form(ctx, args.form, Path(args.path))
    print(f"已导入“{args.form}”为本所文书模板（各电脑登录时取用）")
    return 0


def _settings(ctx, args) -> int:
    from mediator.services.offices import office_id
    from mediator.services.settings import SETTINGS, all_settings, is_office_setting

    values = all_settings(ctx, office_id(ctx, args.name))
    for key, spec in SETTINGS.items():
        if is_office_setting(key):
            print(f"{key}\t{spec.label}\t{spec.shown(values[key])}")
    return 0


def _set(ctx, args) -> int:
    from mediator.domain.errors import ValidationError
    from mediator.services.offices import office_id
    from mediator.services.settings import is_office_setting, set_setting, spec_of

    spec = spec_of(args.key)
    if not is_office_setting(args.key):
        raise ValidationError(args.key, f"“{spec.label}”为全县统一设置，请用 mediator-cli settings set")
    value = spec.parse(args.value)
    set_setting(ctx, args.key, value, office_id(ctx, args.name))
    print(f"已将{args.name}的“{spec.label}”设为：{spec.shown(value)}")
    return 0
