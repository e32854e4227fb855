"""Is the process that runs an attempt still there? Used by crash recovery.

On this computer: its pid must be running, not a zombie, not started after the
attempt began (a reused pid), and the computer must not have restarted since the
attempt's last heartbeat. On another computer (a store on a shared folder) only the
heartbeat can tell: an attempt whose heartbeat is older than STALE_AFTER_SECONDS is
taken as gone.
"""

from __future__ import annotations

import os
import socket
import time
from pathlib import Path

STALE_AFTER_SECONDS = 10 * 60
"""Heartbeats come every ~30 s; ten minutes of silence from another computer means gone."""

_PROC = Path("/proc")


def this_host() -> str:
    return socket.gethostname() or "localhost"


def is_gone(
    *,
    pid: int | None,
    host: str | None,
    started_at_ms: int,
    heartbeat_at_ms: int | None,
    now_ms: int,
) -> bool:
    """Whether the process that ran an in-progress attempt has ended."""
    last_sign = max(started_at_ms, heartbeat_at_ms or 0)
    if host != this_host():
        return now_ms - last_sign > STALE_AFTER_SECONDS * 1000
    if pid is None or pid <= 0:
        return True
    if pid == os.getpid():
        return False
    boot = _boot_time_ms()
    if boot is not None and last_sign < boot:
        return True  # the computer restarted since: every process of then is gone
    if not _pid_running(pid):
        return True
    process_start = _process_start_ms(pid, boot)
    # A process that started after the attempt did is another one that reuses the pid
    # (two seconds of slack for clock rounding).
    return process_start is not None and process_start > started_at_ms + 2000


def _pid_running(pid: int) -> bool:
    if os.name == "nt":  # os.kill(pid, 0) would end the process on Windows
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it exists, under another user
    except OSError:
        return True
    return _proc_state(pid) != "Z"  # a zombie has ended; its parent has not reaped it


def _proc_stat_fields(pid: int) -> list[str] | None:
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    # The command name (field 2) is in parentheses and may hold spaces.
    closing = text.rfind(")")
    if closing < 0:
        return None
    return text[closing + 2 :].split()


def _proc_state(pid: int) -> str | None:
    fields = _proc_stat_fields(pid)
    return fields[0] if fields else None


def _boot_time_ms() -> int | None:
    try:
        for line in (_PROC / "stat").read_text().splitlines():
            if line.startswith("btime "):
                return int(line.split()[1]) * 1000
    except (OSError, ValueError):
        return None
    return None


def _process_start_ms(pid: int, boot_ms: int | None) -> int | None:
    fields = _proc_stat_fields(pid)
    if fields is None or boot_ms is None or len(fields) < 20:
        return None
    try:
        ticks = int(fields[19])  # field 22 of /proc/pid/stat: start time in clock ticks
        per_second = os.sysconf("SC_CLK_TCK")
    except (ValueError, OSError):
        return None
    return boot_ms + ticks * 1000 // per_second


def now_ms() -> int:
    return time.time_ns() // 1_000_000
