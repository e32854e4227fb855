"""Paused attempts through real pseudo-terminals: an exam killed mid-way is paused (not
written off by another process's `quiz scores`), then resumed and submitted as one
attempt; a resumed exam times out at its first deadline; a round paused eight days ago
is abandoned at the next opening; an attempt running in another terminal is never
offered. The apps read the time from a file the test moves (tests.support.clock_app);
keys go in one write()."""

from __future__ import annotations

import json
import re
import signal
import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.records import AttemptStatus
from quiz.storage.scores import ScoreStore
from tests.support.clock_app import move_clock
from tests.support.paths import MINI, REPO
from tests.support.pty_app import PtyApp

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]

CTRL_Q = b"\x11"
DAY = 86400


def answers_saved(db: Path) -> int:
    """Answers in the store now (read-only: no recovery runs)."""
    if not db.exists():
        return 0
    connection = sqlite3.connect(f"{db.as_uri()}?mode=ro", uri=True)
    try:
        return int(connection.execute("SELECT count(*) FROM answer").fetchone()[0])
    except sqlite3.OperationalError:  # not made yet
        return 0
    finally:
        connection.close()


def scores(db: Path) -> list[dict[str, Any]]:
    """`quiz scores --format json` in another process (its opening runs recovery)."""
    done = subprocess.run(
        [sys.executable, "-m", "quiz", "scores", "--db", str(db), "--format", "json"],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=60,
        check=True,
    )
    listed: list[dict[str, Any]] = json.loads(done.stdout)
    return listed


def time_left(output: bytes) -> int:
    """The last "Time left m:ss" the app drew, in seconds."""
    found = re.findall(rb"Time left (\d+):(\d\d)", output)
    assert found, "no countdown drawn"
    minutes, seconds = found[-1]
    return int(minutes) * 60 + int(seconds)


def when(text: str) -> datetime:
    return datetime.fromisoformat(text)


def base(db: Path) -> list[str]:
    return ["--questions", str(MINI), "--db", str(db)]


def exam_args(learner: str, limit: str = "10m") -> list[str]:
    return ["--mode", "exam", "--learner", learner, "--count", "4", "--time-limit", limit]


def killed_mid_exam(db: Path, clock: Path, answers: int, limit: str = "10m") -> None:
    """Kim's exam started, `answers` questions answered (each "a" then Enter), then the
    process killed (SIGKILL: no chance to save or say anything)."""
    app = PtyApp([*base(db), *exam_args("Kim", limit), "--seed", "3"], clock=clock)
    try:
        app.wait_for_text(b"Question 1 of 4")
        app.send(b"a\r" * answers)
        app.wait_for(lambda _output: answers_saved(db) == answers)
        assert app.signal(signal.SIGKILL) == -signal.SIGKILL
    finally:
        app.kill()


def test_a_killed_exam_is_paused_then_resumed_with_its_time_left_and_submitted_once(
    tmp_path: Path,
) -> None:
    db, clock = tmp_path / "scores.sqlite3", tmp_path / "clock"
    killed_mid_exam(db, clock, answers=2)

    (paused,) = scores(db)  # a manager's `quiz scores` in another terminal
    assert paused["status"] == "paused" and paused["finished_at"] is None
    assert paused["passed"] is None

    move_clock(clock, 120)  # two minutes away: the exam's clock ran on
    app = PtyApp(base(db), clock=clock)  # the home screen; Kim's name remembered
    try:
        app.wait_for_text(b"Your exam is waiting")
        app.wait_for_text(b"Time left")
        assert time_left(bytes(app.output)) <= 600 - 120
        app.send(b"r")
        app.wait_for_text(b"Question 3 of 4")  # the first unanswered
        # The last two, then Enter on the last asks to submit, and y says yes.
        app.send(b"a\ra\ry")
        app.wait_for_text(b"Your result is saved")
        app.send(CTRL_Q)
        assert app.exit_code() == 0
    finally:
        app.kill()

    with ScoreStore.open(db) as store:
        (summary,) = store.list_attempts()
        detail = store.get_attempt(summary.id)
    assert detail is not None
    assert summary.id == paused["id"] and summary.status is AttemptStatus.COMPLETED
    assert [entry.position for entry in detail.history] == [0, 1, 2, 3]  # before and after
    # The first start (the export gives whole seconds).
    assert summary.started_at.replace(microsecond=0) == when(paused["started_at"])
    assert summary.finished_at is not None
    assert summary.finished_at - summary.started_at >= timedelta(seconds=120)


def test_a_resumed_exam_whose_deadline_passes_while_open_times_out(tmp_path: Path) -> None:
    db, clock = tmp_path / "scores.sqlite3", tmp_path / "clock"
    killed_mid_exam(db, clock, answers=1, limit="2m")
    app = PtyApp([*base(db), "--resume", "--learner", "Kim"], clock=clock)
    try:
        app.wait_for_text(b"Question 2 of 4")
        move_clock(clock, 200)  # past the deadline, while it is open
        app.wait_for_text(b"Time ran out")
        app.wait_for_text(b"Your result is saved")
        app.send(CTRL_Q)
        assert app.exit_code() == 0
    finally:
        app.kill()
    with ScoreStore.open(db) as store:
        (summary,) = store.list_attempts()
        detail = store.get_attempt(summary.id)
    assert summary.status is AttemptStatus.TIMED_OUT
    assert summary.finished_at == summary.deadline_at
    assert detail is not None and len(detail.history) == 1


def test_a_practice_round_paused_eight_days_ago_is_abandoned_at_the_next_opening(
    tmp_path: Path,
) -> None:
    db, clock = tmp_path / "scores.sqlite3", tmp_path / "clock"
    move_clock(clock, -8 * DAY)  # the round was taken eight days ago
    args = ["--mode", "practice", "--learner", "Lu", "--count", "4", "--seed", "1"]
    app = PtyApp([*base(db), *args], clock=clock)
    try:
        app.wait_for_text(b"Question 1 of 4")
        app.send(b"a\r\r")
        app.wait_for_text(b"Question 2 of 4")
        app.wait_for(lambda _output: answers_saved(db) == 1)
        app.close_terminal()  # SIGHUP: paused, eight days ago by its clock
        assert app.exit_code() == 128 + signal.SIGHUP
    finally:
        app.kill()

    (abandoned,) = scores(db)  # the next opening, today
    assert abandoned["status"] == "abandoned"
    assert abandoned["finished_at"] is not None
    paused_for = datetime.now(tz=when(abandoned["finished_at"]).tzinfo) - when(
        abandoned["finished_at"]
    )
    assert paused_for > timedelta(days=7)
    assert [a["response"] is not None for a in abandoned["answers"]] == [True] + [False] * 3

    nothing = PtyApp([*base(db), "--resume", "--learner", "Lu"])
    try:
        nothing.wait_for_text(b"has no paused attempt to resume")
        assert nothing.exit_code() == 1
    finally:
        nothing.kill()


def test_only_the_paused_attempt_is_offered_while_another_runs_in_a_second_terminal(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.sqlite3"
    practice = ["--mode", "practice", "--learner", "Ana", "--count", "4", "--seed", "1"]
    first = PtyApp([*base(db), *practice])
    running = PtyApp([*base(db), *exam_args("Ana"), "--seed", "2"], clock=None)
    third: PtyApp | None = None
    try:
        first.wait_for_text(b"Question 1 of 4")
        first.send(b"a\r\r\x1b")  # answer, go on, then Esc: paused
        first.wait_for_text(b"Resume practice: 3 of 4 left")
        running.wait_for_text(b"Question 1 of 4")  # the exam runs in its own terminal
        running.send(b"a\r")
        running.wait_for(lambda _output: answers_saved(db) == 2)

        third = PtyApp(base(db))  # a third terminal on the home screen, Ana remembered
        third.wait_for_text(b"Resume practice: 3 of 4 left")
        third.send(b"\x13")  # ctrl+s: a waiting exam would be offered first
        third.wait_for_text(b"Question 2 of 4")
        assert b"Your exam is waiting" not in bytes(third.output)
        assert b"Exam \xc2\xb7" not in bytes(third.output)  # no exam screen either

        # The running exam was left alone, in progress, and still takes answers.
        with ScoreStore.open(db) as store:
            statuses = {a.mode: a.status for a in store.list_attempts()}
        assert statuses == {
            "practice": AttemptStatus.IN_PROGRESS,
            "exam": AttemptStatus.IN_PROGRESS,
        }
        running.send(b"a\r")
        running.wait_for(lambda _output: answers_saved(db) == 3)
    finally:
        for app in (first, running, third):
            if app is not None:
                app.kill()
