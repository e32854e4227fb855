"""Who sat it in a real terminal: a witnessed exam's manager name, PIN and Enter typed
in one burst, then the learner's PIN, and the exam starts identified as witnessed."""

from __future__ import annotations

import shutil
import sys
import time
from pathlib import Path

import pytest

from quiz.domain.identity import Identification
from quiz.storage.scores import ScoreStore
from tests.support.fakes import START
from tests.support.paths import MINI
from tests.support.pty_app import PtyApp

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def _wait_for_one_attempt(db: Path, timeout: float = 20.0) -> None:
    """Wait until the app's store thread has saved the attempt it started."""
    deadline = time.monotonic() + timeout
    while True:
        with ScoreStore.open(db) as store:
            if store.list_attempts():
                return
        if time.monotonic() > deadline:
            raise AssertionError(f"no attempt was saved in {timeout:.0f} s")
        time.sleep(0.05)


def test_a_witness_types_name_pin_and_enter_in_one_burst(tmp_path: Path) -> None:
    course = tmp_path / "witnessed"
    shutil.copytree(MINI, course)
    text = (course / "course.yaml").read_text(encoding="utf-8")
    (course / "course.yaml").write_text(
        text.replace("    pass_mark: 80\n", "    pass_mark: 80\n    witness: true\n")
    )
    db = tmp_path / "scores.sqlite3"
    with ScoreStore.open(db) as store:
        store.add_manager("Mia Boss", "4711", now=START)
        store.set_learner_pin("Ann", "2580", by="manager", now=START)
    app = PtyApp(
        ["--questions", str(course), "--db", str(db), "--exam", "check", "--learner", "Ann"]
    )
    try:
        app.wait_for_text(b"A manager must witness this exam")
        app.send(b"Mia Boss\r4711\r")  # one write: the name, Enter, the PIN, Enter
        app.wait_for_text(b"PIN for Ann")
        app.send(b"2580\r")
        app.wait_for_text(b"Question 1 of 3")
        assert b"4711" not in app.output and b"2580" not in app.output  # masked
        _wait_for_one_attempt(db)  # saved by the store thread, maybe after the screen showed
    finally:
        app.kill()
    with ScoreStore.open(db) as store:
        (attempt,) = store.list_attempts()
    assert attempt.identified is Identification.WITNESSED


def test_enter_and_the_pin_typed_in_one_burst_reach_the_pin_dialog(tmp_path: Path) -> None:
    """Enter on the home screen looks up (on the store thread) whether a paused exam
    waits and whether the name has a PIN before the PIN dialog opens: the PIN typed
    in the same burst waits for the dialog, and is not typed into the name field."""
    db = tmp_path / "scores.sqlite3"
    with ScoreStore.open(db) as store:
        store.set_learner_pin("Ann", "2580", by="manager", now=START)
    app = PtyApp(["--questions", str(MINI), "--db", str(db)])
    try:
        app.wait_for_text(b"What to take")
        app.send(b"Ann\t")  # the name is known when the field is left
        app.wait_for_text(b"nothing due for you now")  # and the store is open
        app.send(b"\x1b[Z\r2580\r")  # one write: back to the name, Enter, the PIN, Enter
        app.wait_for_text(b"Question 1 of")
        assert b"2580" not in app.output  # masked, and not in the name field
        _wait_for_one_attempt(db)
    finally:
        app.kill()
    with ScoreStore.open(db) as store:
        (attempt,) = store.list_attempts()
    assert attempt.learner == "Ann"
    assert attempt.identified is Identification.PIN
