"""The app as a child process in a real pseudo-terminal (shared by the pty tests)."""

from __future__ import annotations

import fcntl
import os
import pty
import select
import signal
import struct
import sys
import termios
import time
from collections.abc import Callable
from pathlib import Path

from tests.support.paths import REPO


class PtyApp:
    """`python -m quiz ARGS` in its own pseudo-terminal (80x24), whose output we keep.
    With `clock`, the app reads the time from that file (tests.support.clock_app)."""

    def __init__(
        self, args: list[str], *, size: tuple[int, int] = (80, 24), clock: Path | None = None
    ) -> None:
        env = dict(os.environ, TERM="xterm-256color", COLUMNS=str(size[0]), LINES=str(size[1]))
        env.pop("NO_COLOR", None)
        winsize = struct.pack("HHHH", size[1], size[0], 0, 0)
        pid, fd = pty.fork()
        if pid == 0:  # the child: size its terminal, then become the app
            try:
                fcntl.ioctl(0, termios.TIOCSWINSZ, winsize)
                os.chdir(REPO)
                program = ["-m", "quiz"]
                if clock is not None:
                    program = ["-m", "tests.support.clock_app", str(clock)]
                os.execve(sys.executable, [sys.executable, *program, *args], env)
            finally:
                os._exit(127)
        self.pid = pid
        self.fd: int | None = fd
        self.output = bytearray()
        self.status: int | None = None

    def _read(self, timeout: float) -> None:
        if self.fd is None:
            return
        ready, _, _ = select.select([self.fd], [], [], timeout)
        if ready:
            try:
                data = os.read(self.fd, 65536)
            except OSError:  # the child closed its side
                data = b""
            if not data:
                os.close(self.fd)
                self.fd = None
            self.output += data

    def wait_for(self, found: Callable[[bytes], bool], timeout: float = 20.0) -> None:
        """Read output until `found(output)` is true; fail after `timeout` seconds."""
        deadline = time.monotonic() + timeout
        while not found(bytes(self.output)):
            if time.monotonic() > deadline or self.fd is None:
                tail = bytes(self.output[-2000:])
                raise AssertionError(f"timed out waiting; the screen ended with {tail!r}")
            self._read(0.05)

    def wait_for_text(self, text: bytes, count: int = 1, timeout: float = 20.0) -> None:
        self.wait_for(lambda out: out.count(text) >= count, timeout)

    def send(self, keys: bytes) -> None:
        assert self.fd is not None
        os.write(self.fd, keys)

    def close_terminal(self) -> None:
        """Close our side of the terminal, as closing a terminal window does (SIGHUP)."""
        assert self.fd is not None
        os.close(self.fd)
        self.fd = None

    def exit_code(self, timeout: float = 20.0) -> int:
        deadline = time.monotonic() + timeout
        while True:
            self._read(0.05)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                self.status = status
                return os.waitstatus_to_exitcode(status)
            if time.monotonic() > deadline:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
                raise AssertionError("the app did not exit")

    def signal(self, signum: int) -> int:
        """Send `signum` to the app and wait for it to end; its exit code (-N: killed)."""
        os.kill(self.pid, signum)
        return self.exit_code()

    def kill(self) -> None:
        if self.status is None:
            try:
                os.kill(self.pid, signal.SIGKILL)
                os.waitpid(self.pid, 0)
            except (ProcessLookupError, ChildProcessError):
                pass
        if self.fd is not None:
            os.close(self.fd)
            self.fd = None
