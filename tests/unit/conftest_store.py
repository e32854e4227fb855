"""Shared helpers for the score store tests: records as the app hands them over.

Imported by the store tests (not a pytest conftest, so it is not collected), and run
as a script by nothing: the child process helper is `_store_child.py`.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

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
from quiz.storage import summaries
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
    return AttemptResult(
        status=AttemptStatus.COMPLETED,
        finished_at=T0 + timedelta(minutes=5),
        correct=correct,
        total=total,
        percent=round(100.0 * correct / total, 2),
        passed=passed,
    )


def fill_store(path: Path) -> list[str]:
    """A store with two finished attempts of two learners (an exam, then practice)."""
    ids = []
    with ScoreStore.open(path) as store:
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


# --- the report summaries ---------------------------------------------------------------

SUMMARY_TABLES = (*summaries.SHARED_TABLES, *summaries.LEARNER_TABLES)


def summary_rows(connection: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every summary table, in key order."""
    return {
        table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall())
        for table in SUMMARY_TABLES
    }


def rebuilt_summary_rows(connection: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """What `summaries.rebuild` makes of the store (rolled back: the store is unchanged)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        summaries.rebuild(connection)
        return summary_rows(connection)
    finally:
        connection.execute("ROLLBACK")


def assert_same_summaries(
    kept: dict[str, list[tuple[Any, ...]]], rebuilt: dict[str, list[tuple[Any, ...]]]
) -> None:
    """Equal row for row; sums of fractions (question_stats.r_*) to rounding."""
    assert kept.keys() == rebuilt.keys()
    for table in kept:
        assert len(kept[table]) == len(rebuilt[table]), table
        for mine, theirs in zip(kept[table], rebuilt[table], strict=True):
            assert mine == pytest.approx(theirs, rel=1e-9, abs=1e-9), (table, mine, theirs)


def assert_summaries_are_rebuilt_ones(connection: sqlite3.Connection) -> None:
    """The summaries the store kept as attempts came and went equal a rebuild's."""
    assert_same_summaries(summary_rows(connection), rebuilt_summary_rows(connection))
