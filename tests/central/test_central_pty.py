"""The app in a real terminal, connected to the central store (QUIZ_CENTRAL): its
background sender sends the exam as it goes; with the server stopped mid-exam the exam
goes on, the status line says "(not sent yet)" and nothing else; once the server is
back the result reaches it, once."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from quiz.ui.saving import NOT_SENT_MARK
from tests.support.central import Central
from tests.support.paths import MINI
from tests.support.postgres import Cluster
from tests.support.pty_app import PtyApp


def _until(check: object, what: str, timeout: float = 60.0) -> None:
    """Wait for a state of the server (read again and again), or fail naming it."""
    assert callable(check)
    deadline = time.monotonic() + timeout
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.05)


def test_server_down_mid_exam_in_a_real_terminal(
    central: Central, pg_cluster: Cluster, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("QUIZ_CENTRAL", central.url(central.terminal("lisbon")))
    monkeypatch.setenv("QUIZ_CLINIC", "lisbon")
    db = tmp_path / "scores.sqlite3"
    app = PtyApp(
        [
            *("--questions", str(MINI), "--db", str(db), "--mode", "exam", "--count", "2"),
            *("--time-limit", "10m", "--learner", "Hal", "--seed", "1"),
        ],
        size=(140, 30),  # the status line unwrapped
    )
    try:
        app.wait_for_text(b"Question 1 of 2")
        _until(
            lambda: central.rows("SELECT status FROM quiz.attempt") == [("in_progress",)],
            "the exam's start on the server",
        )
        pg_cluster.stop_server()
        app.send(b"a\r")
        app.wait_for_text(NOT_SENT_MARK.encode(), timeout=30)
        app.send(b"a\r")
        app.send(b"\x13")  # ctrl+s: submit
        app.wait_for_text(b"Submit the exam?")
        app.send(b"y")
        app.wait_for_text(b"Your result is saved.", timeout=30)
        assert b"Traceback" not in app.output and b"could not be reached" not in app.output
        pg_cluster.restart_server()
        _until(
            lambda: central.rows("SELECT status, total FROM quiz.attempt") == [("completed", 2)],
            "the result on the server",
        )
        app.send(b"\x11")  # ctrl+q
        assert app.exit_code() == 0
    finally:
        app.kill()
        if not pg_cluster.is_running():
            pg_cluster.restart_server()
    answers = central.rows("SELECT count(*) FROM quiz.answer")
    assert answers == [(2,)]
