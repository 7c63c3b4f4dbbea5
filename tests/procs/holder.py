"""A child that has the database open as a named user and does nothing until told to end.

    python -m tests.procs.holder sqlite:///path/to.db --user 张三

It opens the database as the app does (``Database``: the presence lock), says ``held`` and waits
for any line on stdin; a restore elsewhere must see it and name it.
"""
from __future__ import annotations

import sys
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from tests.procs.child import arguments, emit, open_context, wait_for_go


def main(argv: list[str] | None = None) -> None:
    parser = arguments("hold the database open")
    parser.add_argument("--user", default="张三")
    args = parser.parse_args(argv)
    wait_for_go(args)
    ctx = open_context(args, actor=args.user)
    ctx.db.announce(args.user)
    emit("held")
    sys.stdin.readline()
    ctx.db.dispose()


if __name__ == "__main__":
    main()
