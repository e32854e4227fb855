"""Without a terminal the app does not start: it says what to run instead and exits 2."""

from __future__ import annotations

import os
import pty
import subprocess
import sys
from pathlib import Path

from tests.support.paths import REPO


def _quiz(
    args: list[str], tmp_path: Path, *, stdin: int, stdout: int
) -> subprocess.CompletedProcess[bytes]:
    """`python -m quiz ARGS` with these standard streams, its store in `tmp_path`."""
    env = dict(os.environ, QUIZ_DB=str(tmp_path / "scores.sqlite3"))
    return subprocess.run(
        [sys.executable, "-m", "quiz", *args],
        cwd=REPO,
        env=env,
        stdin=stdin,
        stdout=stdout,
        stderr=subprocess.PIPE,
        timeout=60,
        check=False,
    )


def test_output_into_a_pipe_exits_2_with_the_commands_that_print(tmp_path: Path) -> None:
    done = _quiz(
        ["--exam", "staff-check"], tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE
    )
    assert done.returncode == 2
    assert done.stdout == b"", "nothing painted into the pipe"
    message = done.stderr.decode()
    assert "needs a terminal" in message
    assert "quiz scores" in message and "quiz report" in message
    assert "\x1b" not in message
    assert not (tmp_path / "scores.sqlite3").exists(), "no store opened"


def test_input_from_a_pipe_exits_2_even_with_a_terminal_for_output(tmp_path: Path) -> None:
    controller, terminal = pty.openpty()
    try:
        done = _quiz([], tmp_path, stdin=subprocess.PIPE, stdout=terminal)
    finally:
        os.close(terminal)
        os.close(controller)
    assert done.returncode == 2
    assert "needs a terminal" in done.stderr.decode()


def test_commands_that_print_still_work_into_a_pipe(tmp_path: Path) -> None:
    done = _quiz(["check"], tmp_path, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE)
    assert done.returncode in (0, 1)  # the course's own state; never the terminal refusal
    assert b"needs a terminal" not in done.stderr
