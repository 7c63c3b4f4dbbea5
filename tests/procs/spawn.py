"""The parent side: start a child script, wait until it is ready, let it go, kill it or await it."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


class Child:
    """One child process (``python -m tests.procs.<module> …``) talking over its stdin/stdout."""

    def __init__(self, module: str, *args: str) -> None:
        self.stderr = tempfile.TemporaryFile()
        self._errors = ""
        env = dict(os.environ, PYTHONUNBUFFERED="1")
        env.pop("QT_QPA_PLATFORM", None)  # the children never touch Qt
        self.proc = subprocess.Popen(
            [sys.executable, "-m", f"tests.procs.{module}", *args], cwd=ROOT, env=env,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr, text=True,
        )

    def errors(self) -> str:
        """What the child wrote to stderr (a traceback, if it failed)."""
        if self.stderr.closed:
            return self._errors
        self.stderr.seek(0)
        return self.stderr.read().decode("utf-8", "replace")

    def wait_ready(self) -> None:
        line = self.proc.stdout.readline().strip()
        if line != "ready":
            self.discard()
            raise AssertionError(f"child did not start (said {line!r}):\n{self.errors()}")

    def go(self) -> None:
        self.proc.stdin.write("go\n")
        self.proc.stdin.flush()

    def next_line(self) -> str:
        """Wait for the child's next line (e.g. its first commit after ``go``)."""
        line = self.proc.stdout.readline().strip()
        if not line:
            self.discard()
            raise AssertionError(f"child ended without a word:\n{self.errors()}")
        return line

    def alive(self) -> bool:
        return self.proc.poll() is None

    def kill(self) -> list[str]:
        """SIGKILL the child; the lines it had printed (what it had committed by then)."""
        if not self.alive():
            self.discard()
            raise AssertionError(f"child ended before it was killed:\n{self.errors()}")
        os.kill(self.proc.pid, signal.SIGKILL)
        return self._finish(timeout=30)

    def result(self, timeout: float) -> list[str]:
        """Wait for the child to end by itself; its lines (fails if it failed)."""
        try:
            lines = self._finish(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.discard()
            raise AssertionError(f"child did not finish in {timeout:.0f} s:\n"
                                 f"{self.errors()}") from None
        if self.proc.returncode != 0:
            raise AssertionError(f"child failed ({self.proc.returncode}):\n{self.errors()}")
        return lines

    def _finish(self, timeout: float) -> list[str]:
        out, _ = self.proc.communicate(timeout=timeout)
        self._close()
        return [line for line in out.splitlines() if line and line != "ready"]

    def discard(self) -> None:
        """End a child that is no longer needed (e.g. after a failure); harmless when it ended."""
        if self.stderr.closed:
            return
        if self.alive():
            self.proc.kill()
        self.proc.wait()
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:  # unsent input to a dead process
                pass
        self._close()

    def _close(self) -> None:
        if not self.stderr.closed:
            self._errors = self.errors()
            self.stderr.close()


class ForkServer(Child):
    """tests/procs/forker.py for one script: a fresh process per run, without re-importing."""

    def __init__(self, script: str) -> None:
        super().__init__("forker", script)
        self.wait_ready()
        self.dir = tempfile.TemporaryDirectory(prefix="forker-")
        self.children: list[ForkedChild] = []

    def __enter__(self) -> ForkServer:
        return self

    def __exit__(self, *_exc: object) -> None:
        for child in self.children:
            child.out.close()
        if self.alive():
            # End of input: the server SIGKILLs any forked process still running, then exits.
            self.proc.stdin.close()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                pass
        self.discard()
        self.dir.cleanup()

    def _ask(self, command: dict) -> str:
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        return self.next_line()

    def spawn(self, *args: str) -> ForkedChild:
        """Fork a process running the script with ``args`` (it starts at once, without ``go``)."""
        fifo = Path(self.dir.name) / f"out{len(self.children)}"
        os.mkfifo(fifo)
        # Open the reading end first without blocking, so the server's open for writing returns.
        fd = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)
        try:
            answer = self._ask({"spawn": str(fifo), "args": list(args)})
        except BaseException:
            os.close(fd)
            raise
        os.set_blocking(fd, True)
        child = ForkedChild(self, int(answer.split()[1]), os.fdopen(fd, encoding="utf-8"))
        self.children.append(child)
        return child


class ForkedChild:
    """One forked run: read its lines, then SIGKILL it."""

    def __init__(self, server: ForkServer, pid: int, out) -> None:
        self.server = server
        self.pid = pid
        self.out = out

    def next_line(self) -> str:
        line = self.out.readline().strip()
        if not line:
            self.out.close()
            raise AssertionError(f"forked child ended without a word:\n{self.server.errors()}")
        return line

    def kill(self) -> list[str]:
        """SIGKILL it; the lines it had printed. Fails if it had ended by itself."""
        answer = self.server._ask({"kill": self.pid})
        with self.out:
            lines = [line.strip() for line in self.out if line.strip()]
        if answer != f"dead {-signal.SIGKILL}":
            raise AssertionError(f"forked child ended by itself ({answer}):\n"
                                 f"{self.server.errors()}")
        return lines
