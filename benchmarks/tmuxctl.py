"""A tmux server of our own, driven through one control-mode client.

Measuring through a real terminal means: start a program in a tmux pane, send it
keys, and read the screen as tmux shows it. Spawning `tmux capture-pane` for each
poll costs a few milliseconds of process start-up, as much as what is measured;
a control-mode client (`tmux -C`) takes commands on its stdin and answers in
`%begin`/`%end` blocks, so one poll is a round trip of well under a millisecond.

The server has its own socket (`-L`) and no config file, so the user's tmux and
its settings are never touched; it is killed on `close()`.
"""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import time
from collections.abc import Mapping, Sequence
from pathlib import Path


class TmuxError(RuntimeError):
    pass


class Tmux:
    """A private tmux server and a control client attached to an idle session."""

    def __init__(self, *, width: int = 80, height: int = 24) -> None:
        self.socket = f"quizbench-{os.getpid()}"
        self.width = width
        self.height = height
        env = dict(os.environ)
        env.pop("TMUX", None)
        self._client = subprocess.Popen(
            [
                "tmux",
                "-L",
                self.socket,
                "-f",
                "/dev/null",
                "-C",
                "new-session",
                "-s",
                "ctl",
                "sleep 1000000",
            ],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            env=env,
        )
        assert self._client.stdin is not None and self._client.stdout is not None
        self._in = self._client.stdin
        self._out = self._client.stdout
        self._read_block()  # the reply to new-session itself
        for option in (
            "set-option -g status off",
            "set-option -g escape-time 0",
            "set-option -g remain-on-exit off",
            "set-option -g default-terminal tmux-256color",
            f"set-option -g default-size {width}x{height}",
        ):
            self.command(option)

    # --- the control protocol ---------------------------------------------------------

    def _read_block(self) -> list[str]:
        """The lines of the next %begin..%end block; notifications are skipped."""
        lines: list[str] | None = None
        while True:
            raw = self._out.readline()
            if not raw:
                raise TmuxError("the tmux control client closed")
            line = raw.decode("utf-8", errors="replace").rstrip("\n")
            if lines is None:
                if line.startswith("%begin "):
                    lines = []
                continue  # a notification (%output, %session-changed, ...)
            if line.startswith("%end ") or line.startswith("%error "):
                if line.startswith("%error "):
                    raise TmuxError("\n".join(lines) or line)
                return lines
            lines.append(line)

    def command(self, text: str) -> list[str]:
        """Run one tmux command; its output lines."""
        self._in.write(text.encode() + b"\n")
        self._in.flush()
        return self._read_block()

    # --- panes ------------------------------------------------------------------------

    def start(
        self,
        name: str,
        argv: Sequence[str],
        *,
        env: Mapping[str, str] | None = None,
        cwd: Path | None = None,
        size: tuple[int, int] | None = None,
    ) -> int:
        """Start `argv` in a new detached session `name`; returns the program's pid.

        The shell tmux starts execs `env ... argv`, so the pane's pid is the program's.
        """
        words = ["exec", "env", *(f"{k}={v}" for k, v in (env or {}).items()), *argv]
        shell_command = " ".join(shlex.quote(w) for w in words)
        where = f"-c {shlex.quote(str(cwd))} " if cwd else ""
        width, height = size or (self.width, self.height)
        self.command(
            f"new-session -d -s {name} -x {width} -y {height} {where}" + shlex.quote(shell_command)
        )
        return int(self.command(f"display-message -p -t {name} '#{{pane_pid}}'")[0])

    def capture(self, name: str) -> str:
        return "\n".join(self.command(f"capture-pane -p -t {name}"))

    def send(self, name: str, *keys: str, literal: bool = False) -> None:
        flag = "-l " if literal else ""
        self.command(f"send-keys -t {name} {flag}" + " ".join(shlex.quote(k) for k in keys))

    def wait_for(
        self,
        name: str,
        texts: Sequence[str],
        *,
        timeout: float = 30.0,
        poll: float = 0.005,
        start: float | None = None,
    ) -> tuple[float, str]:
        """Poll the screen until one of `texts` is on it.

        Returns (seconds since `start`, or since the call, until it was seen; the screen).
        """
        begin = time.perf_counter() if start is None else start
        deadline = begin + timeout
        while True:
            screen = self.capture(name)
            now = time.perf_counter()
            if any(t in screen for t in texts):
                return now - begin, screen
            if now > deadline:
                raise TmuxError(f"{texts!r} did not appear in {timeout:.0f} s; screen:\n{screen}")
            time.sleep(poll)

    def kill(self, name: str, pid: int | None = None, *, timeout: float = 10.0) -> None:
        """End the session (its program gets SIGHUP) and wait for the program to exit."""
        try:
            self.command(f"kill-session -t {name}")
        except TmuxError:
            pass
        if pid is None:
            return
        deadline = time.monotonic() + timeout
        while _alive(pid):
            if time.monotonic() > deadline:
                os.kill(pid, signal.SIGKILL)
                break
            time.sleep(0.01)

    def close(self) -> None:
        try:
            self.command("kill-server")
        except (TmuxError, OSError, ValueError):
            pass
        try:
            self._client.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self._client.kill()
        # tmux may leave its socket file behind when the server is killed
        folder = Path(os.environ.get("TMUX_TMPDIR", "/tmp")) / f"tmux-{os.getuid()}"
        (folder / self.socket).unlink(missing_ok=True)

    def __enter__(self) -> Tmux:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
            return handle.read().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):  # gone, possibly between open() and read()
        return False


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process `pid` (all its threads) so far."""
    with open(f"/proc/{pid}/stat", encoding="ascii") as handle:
        fields = handle.read().rsplit(") ", 1)[1].split()
    ticks = os.sysconf("SC_CLK_TCK")
    return (int(fields[11]) + int(fields[12])) / ticks  # utime, stime (fields 14, 15)


def peak_rss_mib(pid: int) -> float:
    """VmHWM: the peak resident set size of `pid`, in MiB."""
    with open(f"/proc/{pid}/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    raise TmuxError(f"no VmHWM for {pid}")
