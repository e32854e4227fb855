"""Records for the score store tests, as the app hands them over: a course's asked
questions, an attempt's start, answers right or wrong, a result; and a small store of
two learners' finished attempts."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quiz.domain.model import QuestionType
from quiz.domain.records import (
    AnswerRecord,
    AskedQuestion,
    AttemptResult,
    AttemptStart,
    AttemptStatus,
    Mode,
    Response,
)
from quiz.storage.scores import ScoreStore

T0 = datetime(2026, 11, 23, 10, 0, 0, tzinfo=UTC)
COURSE = "laser-skin-tightening"
VERSION = "sha256:" + "ab" * 32

QUESTIONS = (
    AskedQuestion(
        position=0,
        question_id="swelling-01",
        section="swelling",
        type=QuestionType.SINGLE,
        prompt="How long does swelling usually last?",
        choices=("About two weeks", "One to three days", "A few hours"),
        answer=("One to three days",),
    ),
    AskedQuestion(
        position=1,
        question_id="swelling-04",
        section="swelling",
        type=QuestionType.MULTIPLE,
        prompt="Which are true of swelling?",
        choices=("It lasts months", "It may be tender", "It eases in days"),
        answer=("It eases in days", "It may be tender"),
    ),
    AskedQuestion(
        position=2,
        question_id="bruising-02",
        section="bruising",
        type=QuestionType.TRUE_FALSE,
        prompt="Capillaries are small blood vessels.",
        choices=(),
        answer=("true",),
    ),
    AskedQuestion(
        position=3,
        question_id="drugs-pregnancy-03",
        section="drugs-pregnancy",
        type=QuestionType.SHORT,
        prompt="Name one acne medicine the course names.",
        choices=(),
        answer=("Accutane", "Retin-A"),
        critical=True,
    ),
)


def make_start(
    learner: str = "Ana Ruiz",
    *,
    mode: Mode = Mode.EXAM,
    started_at: datetime = T0,
    time_limit_seconds: int | None = 900,
    questions: tuple[AskedQuestion, ...] = QUESTIONS,
    exam: str | None = "staff-check",
) -> AttemptStart:
    """The start of an attempt of QUESTIONS (an exam unless `mode` says otherwise)."""
    deadline = started_at + timedelta(seconds=time_limit_seconds) if time_limit_seconds else None
    return AttemptStart(
        learner=learner,
        course_id=COURSE,
        course_version=VERSION,
        mode=mode,
        sections=tuple(dict.fromkeys(q.section for q in questions)),
        exam=exam if mode is Mode.EXAM else None,
        seed=1234,
        started_at=started_at,
        time_limit_seconds=time_limit_seconds,
        deadline_at=deadline,
        pass_mark=75 if mode is Mode.EXAM else None,
        questions=questions,
    )


# Right and wrong answers for QUESTIONS, in order.
RIGHT: tuple[Response, ...] = (
    "One to three days",
    ["It may be tender", "It eases in days"],
    True,
    "accutane",
)
WRONG: tuple[Response, ...] = ("A few hours", ["It lasts months"], False, "aspirin")


def answer(
    position: int,
    *,
    right: bool = True,
    seconds: float = 7.4,
    at: datetime | None = None,
) -> AnswerRecord:
    """A right (or wrong) answer to QUESTIONS[position], at `at` or 10 s a position after T0."""
    question = QUESTIONS[position]
    response = RIGHT[position] if right else WRONG[position]
    return AnswerRecord(
        question_id=question.question_id,
        response=response,
        correct=right,
        seconds=seconds,
        answered_at=at or T0 + timedelta(seconds=10 * (position + 1)),
    )


def completed(correct: int, total: int = 4, *, passed: bool | None = True) -> AttemptResult:
    """A completed attempt's result, `correct` of `total` right, five minutes after T0."""
    return AttemptResult(
        status=AttemptStatus.COMPLETED,
        finished_at=T0 + timedelta(minutes=5),
        correct=correct,
        total=total,
        percent=round(100.0 * correct / total, 2),
        passed=passed,
    )


def fill_store(path: Path, open_store: Callable[[Path], ScoreStore] = ScoreStore.open) -> list[str]:
    """A store with two finished attempts of two learners (an exam, then practice)."""
    ids = []
    with open_store(path) as store:
        first = store.start_attempt(make_start("Ana Ruiz"))
        for position in range(4):
            store.record_answer(first, answer(position))
        store.finish_attempt(first, completed(4))
        ids.append(first)
        second = store.start_attempt(
            make_start("Ben Ode", mode=Mode.PRACTICE, started_at=T0 + timedelta(hours=1))
        )
        store.record_answer(second, answer(0, right=False))
        store.record_answer(second, answer(2))
        store.finish_attempt(
            second,
            AttemptResult(
                status=AttemptStatus.COMPLETED,
                finished_at=T0 + timedelta(hours=1, minutes=3),
                correct=1,
                total=4,
                percent=25.0,
                passed=None,
            ),
        )
        ids.append(second)
    return ids
