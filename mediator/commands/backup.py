"""`mediator-cli backup FILE` and `mediator-cli restore FILE` (SQLite)."""
from __future__ import annotations

from pathlib import Path


def register(sub, common) -> None:
    backup = sub.add_parser("backup", parents=[common], help="备份数据库（SQLite，运行中也可一致备份）")
    backup.add_argument("file", type=Path, help="备份文件或文件夹")
    backup.add_argument("--keep", type=int, default=0, help="备份到文件夹时保留最近几份（0：全部保留）")
    backup.set_defaults(handler=_backup)
    restore = sub.add_parser("restore", parents=[common], help="从备份恢复数据库（先检查完整性和版本）")
    restore.add_argument("file", type=Path, help="备份文件")
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
    from mediator.services.safety.backup import restore_from

    restore_from(ctx, args.file)
    print(f"已从{args.file}恢复；原数据库文件已另存")
    return 0
