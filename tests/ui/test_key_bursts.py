"""Keys that reach the terminal together all count, in order.

Each test starts the app in a real pseudo-terminal, writes a whole sequence of keys in
ONE `write()` (as a fast typist, a paste or an SSH link delivers them), and then reads
what the score store holds. The questions and their choice order are worked out here
from the same seed, so each test knows which letters are the right ones.
"""

from __future__ import annotations

import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.domain.answers import response_for, right_indexes
from quiz.domain.clock import SystemClock
from quiz.domain.kinds.base import letter
from quiz.domain.loader import load_course
from quiz.domain.records import AskedQuestion, AttemptStatus, Mode
from quiz.domain.selection import drill_selection, pick_questions
from quiz.domain.session import QuizSession
from quiz.storage.attempts import AttemptDetail
from quiz.storage.scores import ScoreStore
from tests.support.app import wrong_index
from tests.support.paths import FIXTURES
from tests.support.pty_app import PtyApp

KEYS = FIXTURES / "keys"
COUNT = 8  # every question of the fixture: 3 single, 2 multiple, 2 true/false, 1 typed
TYPED = "collagen"
RIGHT, LEFT = b"\x1b[C", b"\x1b[D"
CTRL_S, CTRL_Q, ENTER = b"\x13", b"\x11", b"\r"

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pseudo-terminal"),
]


def asked(mode: Mode, seed: int) -> tuple[AskedQuestion, ...]:
    """The questions the app will ask for this seed, in order, with their shown choices."""
    course = load_course(KEYS).course
    assert course is not None
    selection = pick_questions(course, seed=seed, count=COUNT, mode=mode)
    return QuizSession(course, selection, mode=mode, seed=seed, clock=SystemClock()).asked


def answer_keys(question: AskedQuestion) -> bytes:
    """The keys that give the right answer: its letters, or the typed word."""
    if question.type == "short":
        return TYPED.encode()
    return b"".join(letter(i).lower().encode() for i in sorted(right_indexes(question)))


def run(tmp_path: Path, args: list[str], burst: bytes, *, done: bytes) -> AttemptDetail:
    """Start the app, write `burst` in one go, wait for `done` on screen, quit, read the store."""
    db = tmp_path / "scores.sqlite3"
    app = PtyApp(["--questions", str(KEYS), "--db", str(db), "--learner", "Kay", *args])
    try:
        app.wait_for_text(b"Question 1 of 8")
        app.send(burst)
        app.wait_for_text(done)
        app.send(CTRL_Q)
        assert app.exit_code() == 0
    finally:
        app.kill()

    store = ScoreStore.open(db)
    try:
        (summary,) = store.list_attempts()
        detail = store.get_attempt(summary.id)
    finally:
        store.close()
    assert detail is not None
    return detail


def assert_all_right(detail: AttemptDetail, questions: tuple[AskedQuestion, ...]) -> None:
    by_position = {item.question.position: item for item in detail.items}
    for question in questions:
        item = by_position[question.position]
        assert item.answer is not None, f"question {question.position + 1} lost its answer"
        assert item.answer.correct, (
            f"question {question.position + 1} ({question.question_id}) saved "
            f"{item.answer.response!r}"
        )
    assert detail.summary.correct == COUNT
    assert detail.summary.status is AttemptStatus.COMPLETED


def exam_saves(questions: tuple[AskedQuestion, ...]) -> int:
    """How many answer records an exam keeps: one a pick (each toggle of a multiple
    answer is saved as it is made), one a typed answer."""
    return sum(1 if q.type == "short" else len(right_indexes(q)) for q in questions)


EXAM = ["--mode", "exam", "--count", str(COUNT), "--time-limit", "10m"]


@pytest.mark.parametrize("seed", [3, 11])
def test_exam_letters_and_enter_in_one_burst(tmp_path: Path, seed: int) -> None:
    questions = asked(Mode.EXAM, seed)
    # Enter on the last question asks to submit; "y" says yes.
    burst = b"".join(answer_keys(q) + ENTER for q in questions) + b"y"
    detail = run(tmp_path, [*EXAM, "--seed", str(seed)], burst, done=b"PASS")
    assert_all_right(detail, questions)
    # Nothing more was saved: no key went to the wrong question on the way.
    assert len(detail.history) == exam_saves(questions)


@pytest.mark.parametrize("seed", [3, 11])
def test_practice_letters_and_enter_in_one_burst(tmp_path: Path, seed: int) -> None:
    questions = asked(Mode.PRACTICE, seed)
    # Enter submits, Enter again goes on (to the results after the last question).
    burst = b"".join(answer_keys(q) + ENTER + ENTER for q in questions)
    args = ["--mode", "practice", "--count", str(COUNT), "--seed", str(seed)]
    detail = run(tmp_path, args, burst, done=b"8 of 8")
    assert_all_right(detail, questions)
    assert len(detail.history) == COUNT


def test_exam_letters_then_arrows_in_one_burst(tmp_path: Path) -> None:
    seed = 5
    questions = asked(Mode.EXAM, seed)
    # Forward with → after each answer (→ on the last question stays there), then
    # back with ← over the last two, changing nothing, then submit.
    burst = b"".join(answer_keys(q) + RIGHT for q in questions) + LEFT + LEFT + CTRL_S + b"y"
    detail = run(tmp_path, [*EXAM, "--seed", str(seed)], burst, done=b"PASS")
    assert_all_right(detail, questions)
    assert len(detail.history) == exam_saves(questions)


def test_exam_letter_then_submit_in_one_burst(tmp_path: Path) -> None:
    seed = 9
    questions = asked(Mode.EXAM, seed)
    *first, last = questions
    burst = b"".join(answer_keys(q) + ENTER for q in first) + answer_keys(last) + CTRL_S + b"y"
    detail = run(tmp_path, [*EXAM, "--seed", str(seed)], burst, done=b"PASS")
    assert_all_right(detail, questions)


def test_typed_answer_then_enter_then_letters(tmp_path: Path) -> None:
    # A seed whose typed question is not the last: the letters after its Enter belong
    # to the next question, not to the text field.
    seed = next(
        s
        for s in range(1, 200)
        if [q.type for q in asked(Mode.EXAM, s)].index("short") in range(1, COUNT - 1)
    )
    questions = asked(Mode.EXAM, seed)
    burst = b"".join(answer_keys(q) + ENTER for q in questions) + b"y"
    detail = run(tmp_path, [*EXAM, "--seed", str(seed)], burst, done=b"PASS")
    assert_all_right(detail, questions)
    typed = next(item for item in detail.items if item.question.type == "short")
    assert typed.answer is not None and typed.answer.response == TYPED


def test_drill_letters_and_enter_in_one_burst(tmp_path: Path) -> None:
    """A drill (its questions the store's due ones, worked out here from the store)
    answered in one write: every answer counts, right, and nothing more is saved."""
    course = load_course(KEYS).course
    assert course is not None
    db = tmp_path / "scores.sqlite3"
    # A practice round with every answer wrong: all eight are due for a drill.
    practice = QuizSession(
        course,
        pick_questions(course, seed=3, count=COUNT, mode=Mode.PRACTICE),
        mode=Mode.PRACTICE,
        seed=3,
        clock=SystemClock(),
    )
    with ScoreStore.open(db) as store:
        attempt_id = store.start_attempt(practice.attempt_start("Kay"))
        for question in practice.asked:
            response = (
                "not it"
                if question.type == "short"
                else response_for(question, [wrong_index(question)])
            )
            store.record_answer(attempt_id, practice.answer(question.position, response))
        store.finish_attempt(attempt_id, practice.finish())
        # A miss is due at once, at its answer's stored time, which is kept to a tenth of
        # a second (rounded): one answered in the last 50 ms can fall due up to 50 ms from
        # now. The app asks later than that (it has yet to start); ask as late here.
        later = datetime.now(UTC) + timedelta(seconds=1)
        due = [c.question_id for c in store.due_questions("Kay", now=later)]
    assert len(due) == COUNT
    drill = QuizSession(
        course, drill_selection(course, due), mode=Mode.DRILL, seed=4, clock=SystemClock()
    )
    burst = b"".join(answer_keys(q) + ENTER + ENTER for q in drill.asked)
    drill_args = ["--learner", "Kay", "--mode", "drill", "--seed", "4"]
    app = PtyApp(["--questions", str(KEYS), "--db", str(db), *drill_args])
    try:
        app.wait_for_text(b"Question 1 of 8")
        app.send(burst)
        app.wait_for_text(b"Drill: finished")
        app.send(CTRL_Q)
        assert app.exit_code() == 0
    finally:
        app.kill()
    with ScoreStore.open(db) as store:
        (summary,) = [s for s in store.list_attempts() if s.mode is Mode.DRILL]
        detail = store.get_attempt(summary.id)
    assert detail is not None
    assert_all_right(detail, drill.asked)
    assert len(detail.history) == COUNT
