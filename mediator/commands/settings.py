"""`mediator-cli settings list` and `mediator-cli settings set KEY VALUE`: the 系统 page's
settings, checked by the same specs (a refused value exits 2 with the Chinese message)."""
from __future__ import annotations

from mediator.commands._support import print_json


def register(sub, common) -> None:
    settings = sub.add_parser("settings", parents=[common], help="系统设置")
    settings_sub = settings.add_subparsers(dest="settings_command", required=True, metavar="子命令")
    listing = settings_sub.add_parser("list", parents=[common], help="列出全部设置及其当前值")
    listing.add_argument("--json", action="store_true")
    listing.set_defaults(handler=_list)
    change = settings_sub.add_parser("set", parents=[common], help="修改一项设置")
    change.add_argument("key", help="设置项，如 backup.daily_time")
    change.add_argument("value", help="新值；是否类填 1/0 或 是/否")
    change.set_defaults(handler=_set)


def _list(ctx, args) -> int:
    from mediator.services.settings import SETTINGS, all_settings

    values = all_settings(ctx)
    rows = [{"key": key, "label": spec.label, "kind": spec.kind, "value": values[key],
             "shown": spec.shown(values[key]), "default": spec.default,
             **({"minimum": spec.minimum, "maximum": spec.maximum} if spec.kind == "int" else {}),
             **({"choices": dict(spec.choices)} if spec.choices else {})}
            for key, spec in SETTINGS.items()]
    if args.json:
        print_json(rows)
    else:
        for row in rows:
            print(f"{row['key']}\t{row['label']}\t{row['shown']}")
    return 0


def _set(ctx, args) -> int:
    from mediator.services.settings import SETTINGS, set_setting, spec_of

    spec = spec_of(args.key)
    value = spec.parse(args.value)
    set_setting(ctx, args.key, value)
    print(f"已将“{SETTINGS[args.key].label}”设为：{spec.shown(value)}")
    return 0
