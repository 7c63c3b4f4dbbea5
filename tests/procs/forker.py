"""A fork server: loads a child script's modules once, then forks one fresh process per run.

    python -m tests.procs.forker writer

Python needs about a second to import the application; fifty crash runs would spend most of
their time there. This process imports it once, says ``ready`` and then reads JSON commands:
``{"spawn": FIFO, "args": [...]}`` forks a process that runs the script's ``main(args)`` with its
output going to the named pipe FIFO, and answers ``pid N``; ``{"kill": N}`` SIGKILLs that process,
reaps it and answers ``dead <exit code>`` (-9 when the kill ended it). The forked process never
opened the database before: it connects on its own, like a freshly started program.
"""
from __future__ import annotations

import importlib
import json
import os
import signal
import sys
import traceback
from pathlib import Path

if __package__ in (None, ""):  # run by path: make the repository importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from sqlalchemy.orm import configure_mappers

from tests.procs.child import emit


def _run_forked(main, fd: int, args: list[str]) -> None:
    """In the forked process: write to the pipe ``fd`` and run the script; never return."""
    code = 0
    try:
        os.dup2(fd, sys.stdout.fileno())
        os.close(fd)
        main([*args, "--no-wait"])
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    except BaseException:
        traceback.print_exc()
        code = 1
    finally:
        sys.stdout.flush()
        sys.stderr.flush()
        os._exit(code)


def serve(script: str) -> None:
    main = importlib.import_module(f"tests.procs.{script}").main
    configure_mappers()
    children: set[int] = set()
    emit("ready")
    try:
        for line in sys.stdin:
            command = json.loads(line)
            if "spawn" in command:
                # Opened here, before the fork: the reader sees EOF only once the child is gone.
                fd = os.open(command["spawn"], os.O_WRONLY)
                pid = os.fork()
                if pid == 0:
                    _run_forked(main, fd, command["args"])
                os.close(fd)
                children.add(pid)
                emit(f"pid {pid}")
            elif "kill" in command:
                pid = command["kill"]
                os.kill(pid, signal.SIGKILL)  # a zombie takes the signal too: no race
                _, status = os.waitpid(pid, 0)
                children.discard(pid)
                emit(f"dead {os.waitstatus_to_exitcode(status)}")
    finally:
        for pid in children:  # the parent went away: leave nothing running
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)


if __name__ == "__main__":
    serve(sys.argv[1])
