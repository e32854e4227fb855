"""The app as a child process in a real pseudo-terminal: closing the terminal saves the
answers given and pauses the round, which is resumed and finished as one attempt; keys
are answered while a large course loads."""

from __future__ import annotations

import signal
import sys
from pathlib import Path

import pytest

from quiz.domain.records import AttemptStatus
from tests.support.paths import MINI
from tests.support.pty_app import PtyApp

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def test_closing_the_terminal_after_two_answers_saves_both_and_the_round_resumes(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.sqlite3"
    app = PtyApp(
        [
            *("--questions", str(MINI), "--db", str(db), "--mode", "practice"),
            *("--learner", "Hal", "--sections", "medicines,swelling", "--count", "4"),
            *("--seed", "1"),
        ]
    )
    try:
        app.wait_for_text(b"Question 1 of 4")
        # Whatever the question, "a" picks or types something and Enter submits it.
        app.send(b"a\r")
        app.wait_for_text(b"s shows the passage")
        app.send(b"\r")
        app.wait_for_text(b"Question 2 of 4")
        app.send(b"a\r")
        # Feedback on the second question: the status line drawn after question 2 showed.
        app.wait_for(lambda out: b"s shows the passage" in out[out.index(b"Question 2 of 4") :])
        app.close_terminal()
        assert app.exit_code() == 128 + signal.SIGHUP
    finally:
        app.kill()

    from quiz.storage.scores import ScoreStore

    with ScoreStore.open(db) as store:
        (summary,) = store.list_attempts()
        detail = store.get_attempt(summary.id)
    assert detail is not None
    assert len(detail.history) == 2
    assert detail.summary.status is AttemptStatus.PAUSED

    # Taken up again where it was left, and finished: one attempt.
    again = PtyApp(["--questions", str(MINI), "--db", str(db), "--resume", "--learner", "Hal"])
    try:
        again.wait_for_text(b"Question 3 of 4")
        again.send(b"a\r\ra\r\r")  # answer, on; answer, on to the results
        again.wait_for_text(b"Your result is saved")
        again.send(b"\x11")  # ctrl+q
        assert again.exit_code() == 0
    finally:
        again.kill()
    with ScoreStore.open(db) as store:
        (finished,) = store.list_attempts()
        detail = store.get_attempt(finished.id)
    assert finished.id == summary.id and finished.status is AttemptStatus.COMPLETED
    assert detail is not None and len(detail.history) == 4
    assert [entry.position for entry in detail.history] == [0, 1, 2, 3]


def generate_course(folder: Path, questions: int, per_bank: int = 1000) -> Path:
    """A course of `questions` single-answer questions, at most `per_bank` a bank file."""
    folder.mkdir(parents=True, exist_ok=True)
    banks = (questions + per_bank - 1) // per_bank
    (folder / "course.yaml").write_text(
        "format: 1\nid: big\ntitle: Generated course\ndescription: Many questions.\n"
        "source: source.md\n",
        encoding="utf-8",
    )
    source = ["# Generated", ""]
    for bank in range(banks):
        source += [f"## Part {bank} {{#part-{bank}}}", ""]
        for p in range(10):
            source += [f"Paragraph {p} of part {bank} says fact number {p} about topic {bank}.", ""]
    (folder / "source.md").write_text("\n".join(source), encoding="utf-8")
    for bank in range(banks):
        lines = [f"format: 1\nsection: part-{bank}\ntitle: Part {bank}\nquestions:"]
        for q in range(min(per_bank, questions - bank * per_bank)):
            p = q % 10
            lines.append(
                f"  - id: q-{bank}-{q}\n    type: single\n"
                f"    prompt: Question {q} of part {bank}?\n"
                f"    choices: [Right {q}, Wrong {q}, Other {q}]\n"
                f"    answer: Right {q}\n"
                f"    explanation: Because of fact {p}.\n"
                f"    source: fact number {p} about topic {bank}\n"
            )
        (folder / f"part-{bank}.yaml").write_text("\n".join(lines), encoding="utf-8")
    return folder


def test_a_key_is_answered_while_a_large_course_loads(tmp_path: Path) -> None:
    course = generate_course(tmp_path / "big", 10_000)
    app = PtyApp(["--questions", str(course), "--db", str(tmp_path / "scores.sqlite3")])
    try:
        app.wait_for_text(b"Loading the course")
        app.send(b"Zed")
        app.wait_for_text(b"Zed")
        app.wait_for_text(b"Sections (Space")  # the form is built once the course has loaded
        output = bytes(app.output)
        assert output.index(b"Generated course") < output.index(b"Zed"), "named in the first frame"
        assert output.index(b"Zed") < output.index(b"Sections (Space"), (
            "the key was answered before the course finished loading"
        )
        app.send(b"\x11")  # ctrl+q
        assert app.exit_code() == 0
    finally:
        app.kill()
