"""A child that backs up or restores the database over and over until it is killed.

    python -m tests.procs.restorer sqlite:///path/to.db --backup-to FOLDER --prefix K03
    python -m tests.procs.restorer sqlite:///path/to.db --restore FILE

Backing up, it registers a case before each backup and prints ``committed case <ref>`` and
``committed backup <file>``; restoring, it prints ``committed restore <kept copy>`` after each
restore. It says ``started`` once the database is open, so the parent's clock starts at the work.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from mediator.services.cases import lifecycle as uc
from mediator.services.safety.backup import backup_to
from mediator.services.safety.restore import restore_from
from tests.helpers import case_input
from tests.procs.child import arguments, emit, open_context, wait_for_go


def main(argv: list[str] | None = None) -> None:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--backup-to", type=Path, default=None, help="folder of the backups")
    parser.add_argument("--prefix", default="B", help="start of every ref this child makes")
    parser.add_argument("--restore", type=Path, default=None, help="the backup to restore")
    args = parser.parse_args(argv)
    ctx = open_context(args, actor="恢复进程")
    wait_for_go(args)
    emit("started")
    n = 0
    while True:
        n += 1
        if args.restore is not None:
            result = restore_from(ctx, args.restore, "崩溃测试")
            emit(f"committed restore {result.kept_copy}")
        else:
            ref = f"{args.prefix}-{n:03d}"
            uc.register_case(ctx, case_input(ref=ref))
            emit(f"committed case {ref}")
            info = backup_to(ctx, args.backup_to / f"{args.prefix}-{n:03d}.db")
            emit(f"committed backup {info.path}")


if __name__ == "__main__":
    main()
