"""A flag typed in one burst with the answers around it (ctrl+f, the note, Enter, then
the next keys), in a real pseudo-terminal: every key counts, in order."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from quiz.domain.records import Mode
from quiz.storage.scores import ScoreStore
from tests.support.pty_app import PtyApp
from tests.ui.test_key_bursts import COUNT, CTRL_Q, ENTER, KEYS, answer_keys, asked

CTRL_F = b"\x06"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def test_a_flag_typed_in_one_burst_with_the_answers(tmp_path: Path) -> None:
    # A seed whose first question is typed: the focus is in its field when ctrl+f comes.
    seed = next(s for s in range(1, 300) if asked(Mode.PRACTICE, s)[0].type == "short")
    questions = asked(Mode.PRACTICE, seed)
    note = b"answer 3 is right too, <b>"
    # Flag question 1 (with the note), answer it; answer the rest, flag the last one
    # after its answer (empty note), then go on to the results.
    burst = CTRL_F + note + ENTER + answer_keys(questions[0]) + ENTER + ENTER
    for question in questions[1:-1]:
        burst += answer_keys(question) + ENTER + ENTER
    burst += answer_keys(questions[-1]) + ENTER + CTRL_F + ENTER + ENTER
    db = tmp_path / "scores.sqlite3"
    args = ["--mode", "practice", "--count", str(COUNT), "--seed", str(seed)]
    app = PtyApp(["--questions", str(KEYS), "--db", str(db), "--learner", "Kay", *args])
    try:
        app.wait_for_text(b"Question 1 of 8")
        app.send(burst)
        app.wait_for_text(b"8 of 8")
        app.send(CTRL_Q)
        assert app.exit_code() == 0
    finally:
        app.kill()
    with ScoreStore.open(db) as store:
        (summary,) = store.list_attempts()
        detail = store.get_attempt(summary.id)
        flags = store.shown_flags()
    assert detail is not None
    assert detail.summary.correct == COUNT  # no key of the note reached an answer
    assert len(detail.history) == COUNT
    assert [(f.position, f.note) for f in flags] == [
        (0, note.decode()),
        (COUNT - 1, ""),
    ]
    assert flags[0].question_id == questions[0].question_id
