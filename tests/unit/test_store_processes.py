"""The store against real processes: one killed mid-attempt, two writing at once, a full disk."""

from __future__ import annotations

import json
import os
import selectors
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from quiz.domain.records import AttemptStatus
from quiz.storage.scores import ScoreStore
from tests.support.paths import REPO

CHILD = "tests.support.store_child"
LINE_TIMEOUT = 60.0

pytestmark = pytest.mark.slow


def _spawn(*args: str) -> subprocess.Popen[str]:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.Popen(
        [sys.executable, "-m", CHILD, *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
        env=env,
    )


_UNREAD: dict[int, bytearray] = {}
"""What each child (by pid) wrote that no `_read_line` has returned yet."""


def _read_line(process: subprocess.Popen[str]) -> str:
    """The child's next line, waiting at most LINE_TIMEOUT (a bounded poll, no sleep).

    Read from the pipe itself, keeping what follows the line here: read through the
    stream, a line that came in the same write as the one before it waited in the
    stream's buffer, where `select` does not see it (under load, "the child said
    nothing for a minute" though it had).
    """
    assert process.stdout is not None
    pipe = process.stdout.fileno()
    unread = _UNREAD.setdefault(process.pid, bytearray())
    deadline = time.monotonic() + LINE_TIMEOUT
    with selectors.DefaultSelector() as selector:
        selector.register(pipe, selectors.EVENT_READ)
        while b"\n" not in unread:
            left = deadline - time.monotonic()
            if left <= 0:
                process.kill()
                raise AssertionError("the child said nothing for a minute")
            if selector.select(timeout=left):
                chunk = os.read(pipe, 65536)
                if not chunk:
                    stderr = process.stderr.read() if process.stderr else ""
                    raise AssertionError(f"the child ended early:\n{stderr}")
                unread += chunk
    line, _, rest = unread.partition(b"\n")
    unread[:] = rest
    return line.decode().strip()


def _kill(process: subprocess.Popen[str]) -> None:
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=LINE_TIMEOUT)  # reaped: its pid is gone, not a zombie
    for stream in (process.stdin, process.stdout, process.stderr):
        if stream is not None:
            stream.close()


def _killed_child(db: Path, saved: int, *deadline: str) -> tuple[str, subprocess.Popen[str]]:
    child = _spawn("answer", str(db), str(saved), *deadline)
    attempt_id = _read_line(child).removeprefix("attempt ")
    for number in range(1, saved + 1):
        assert _read_line(child) == f"saved {number}"
    return attempt_id, child


def test_a_killed_process_keeps_every_committed_answer_and_its_attempt_is_paused(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.sqlite3"
    attempt_id, child = _killed_child(db, 3)
    try:
        # While the child lives, opening the store leaves its attempt alone.
        with ScoreStore.open(db) as store:
            assert store.recover() == []
            live = store.get_attempt(attempt_id)
            assert live is not None
            assert live.summary.status is AttemptStatus.IN_PROGRESS
            assert len(live.history) == 3
    finally:
        _kill(child)

    with ScoreStore.open(db) as store:
        detail = store.get_attempt(attempt_id)
        (paused,) = store.paused_attempts("Child Process")
    assert detail is not None
    # An exam whose process is gone before any deadline: paused, to be taken up again.
    assert detail.summary.status is AttemptStatus.PAUSED
    assert [item.response for item in detail.items] == ["One to three days"] * 3 + [None, None]
    assert len(detail.history) == 3
    assert detail.summary.total == 5 and detail.summary.correct is None
    assert detail.summary.passed is None and detail.summary.finished_at is None
    assert paused.attempt_id == attempt_id and paused.answered == 3 and paused.left == 2
    assert paused.paused_at >= detail.history[-1].answered_at


def test_a_killed_process_past_its_deadline_is_timed_out_at_the_deadline(tmp_path: Path) -> None:
    db = tmp_path / "scores.sqlite3"
    # A deadline already passed, so nothing has to wait for it.
    attempt_id, child = _killed_child(db, 2, "-1")
    _kill(child)
    with ScoreStore.open(db) as store:
        detail = store.get_attempt(attempt_id)
    assert detail is not None
    assert detail.summary.status is AttemptStatus.TIMED_OUT
    assert detail.summary.finished_at == detail.summary.deadline_at
    assert detail.summary.correct == 2
    assert detail.summary.percent == 50.0
    assert detail.summary.passed is True  # pass mark 50, no critical question


def test_two_processes_writing_at_once_lose_nothing(tmp_path: Path) -> None:
    db = tmp_path / "scores.sqlite3"
    ScoreStore.open(db).close()
    attempts, answers = 40, 10
    writers = [_spawn("writer", str(db), tag, str(attempts), str(answers)) for tag in "AB"]
    try:
        for writer in writers:  # both have the store open, then both go
            assert _read_line(writer) == "ready"
        for writer in writers:
            assert writer.stdin is not None
            writer.stdin.write("go\n")
            writer.stdin.flush()
        for writer in writers:
            assert _read_line(writer) == "done"
            assert writer.wait(timeout=LINE_TIMEOUT) == 0
    finally:
        for writer in writers:
            if writer.poll() is None:
                _kill(writer)
            for stream in (writer.stdin, writer.stdout, writer.stderr):
                if stream is not None:
                    stream.close()
    with ScoreStore.open(db) as store:
        listed = store.list_attempts()
        assert len(listed) == 2 * attempts
        for summary in listed:
            detail = store.get_attempt(summary.id)
            assert detail is not None
            assert len(detail.history) == answers


def test_a_full_disk_refuses_the_answer_with_a_message_and_keeps_the_ones_saved(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.sqlite3"
    ScoreStore.open(db).close()
    child = _spawn("fill", str(db), str(64 * 1024))
    outcome = json.loads(_read_line(child))
    assert child.wait(timeout=LINE_TIMEOUT) == 0
    for stream in (child.stdin, child.stdout, child.stderr):
        if stream is not None:
            stream.close()
    assert outcome["kind"] == "full"
    assert str(db) in outcome["message"] and "full" in outcome["message"]
    assert outcome["saved"] > 0
    with ScoreStore.open(db) as store:
        detail = store.get_attempt(outcome["attempt"])
        integrity = store._connection.execute("PRAGMA integrity_check").fetchone()[0]
    assert integrity == "ok"
    assert detail is not None
    assert len(detail.history) == outcome["saved"]
    assert detail.summary.status is AttemptStatus.PAUSED
