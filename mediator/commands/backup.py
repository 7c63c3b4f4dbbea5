"""`mediator-cli backup FILE` and `mediator-cli restore FILE --reason …` (SQLite)."""
from __future__ import annotations

import os
from pathlib import Path

KEY_ENV = "MEDIATOR_DATABASE_KEY"  # the same variable that opens an encrypted database (store/cipher.py)


def register(sub, common) -> None:
    backup = sub.add_parser("backup", parents=[common], help="备份数据库（SQLite，运行中也可一致备份）")
    backup.add_argument("file", type=Path, help="备份文件或文件夹")
    backup.add_argument("--keep", type=int, default=0, help="备份到文件夹时保留最近几份（0：全部保留）")
    backup.set_defaults(handler=_backup)
    restore = sub.add_parser("restore", parents=[common],
                             help="从备份恢复数据库（仅管理员；先检查备份，原数据库完整另存，审计日志不丢）")
    restore.add_argument("file", type=Path, help="备份文件")
    restore.add_argument("--reason", default="", help="恢复原因（必填，记入审计日志）")
    restore.add_argument("--to", type=Path, default=None, metavar="NEWDB",
                         help="恢复为新的数据库文件（不替换当前数据库）；加密的备份须设置环境变量 "
                              f"{KEY_ENV} 为其密码")
    restore.set_defaults(handler=_restore)


def _backup(ctx, args) -> int:
    from mediator.services.safety.backup import backup_rotating, backup_to

    if args.file.is_dir() and args.keep:
        info = backup_rotating(ctx, args.file, keep=args.keep)
    else:
        info = backup_to(ctx, args.file)
    print(f"已备份到{info.path}（{info.size // 1024} KB）")
    return 0


def _restore(ctx, args) -> int:
    from mediator.services.safety.restore import restore_from, restore_into

    key = os.environ.get(KEY_ENV) or None
    if args.to is not None:
        result = restore_into(ctx, args.file, args.to, args.reason, key=key)
        print(f"已从{args.file}恢复为新的数据库：{result.database}")
        return 0
    result = restore_from(ctx, args.file, args.reason, key=key)
    print(f"已从{args.file}恢复；原数据库完整另存为{result.kept_copy}")
    if result.carried:
        print(f"原数据库在备份之后的{result.carried}条审计记录（第{result.lost_from}至{result.lost_to}条）"
              "已转入恢复后的审计日志；这些记录所对应的数据改动已随恢复撤回")
    return 0
