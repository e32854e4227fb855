"""Attempts written through the store at the times of a clock the test moves, for the
drill's cards; and the cards a store keeps, beside the ones a replay of its log makes."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from dataclasses import replace
from datetime import timedelta
from typing import Any

from quiz.domain.records import (
    AnswerRecord,
    AskedQuestion,
    AttemptResult,
    AttemptStatus,
    Mode,
)
from quiz.storage import cards
from quiz.storage.scores import ScoreStore
from tests.support.fakes import FixedClock
from tests.support.store_records import QUESTIONS, RIGHT, WRONG, make_start

Given = bool | Sequence[bool] | None
"""Per question: right or wrong, a list of answers in the order given, or None (left
unanswered)."""


def response(question: AskedQuestion, right: bool) -> object:
    position = next(i for i, q in enumerate(QUESTIONS) if q.question_id == question.question_id)
    return RIGHT[position] if right else WRONG[position]


def take(
    store: ScoreStore,
    clock: FixedClock,
    given: Sequence[Given],
    *,
    learner: str = "Ana Ruiz",
    mode: Mode = Mode.PRACTICE,
    status: AttemptStatus = AttemptStatus.COMPLETED,
    questions: tuple[AskedQuestion, ...] = QUESTIONS,
    finish: bool = True,
) -> str:
    """An attempt of `questions` at the clock's time, answered as `given` (ten seconds an
    answer, the clock moving on), finished with `status`; returns its id."""
    start = make_start(
        learner,
        mode=mode,
        started_at=clock.now(),
        time_limit_seconds=900 if mode is Mode.EXAM else None,
        questions=tuple(replace(q, position=i) for i, q in enumerate(questions)),
    )
    attempt_id = store.start_attempt(start)
    right = 0
    for question, answers in zip(questions, given, strict=True):
        if answers is None:
            continue
        sequence = [answers] if isinstance(answers, bool) else list(answers)
        for correct in sequence:
            clock.advance(10)
            store.record_answer(
                attempt_id,
                AnswerRecord(
                    question.question_id,
                    response(question, correct),  # type: ignore[arg-type]
                    correct,
                    6.5,
                    clock.now(),
                ),
            )
        right += sequence[-1]
    clock.advance(5)
    if finish:
        total = len(questions)
        store.finish_attempt(
            attempt_id,
            AttemptResult(
                status=status,
                finished_at=clock.now(),
                correct=right,
                total=total,
                percent=round(100.0 * right / total, 2),
                passed=(100.0 * right / total >= 75) if mode is Mode.EXAM else None,
            ),
        )
    return attempt_id


def card_rows(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
    return sorted(connection.execute("SELECT * FROM card").fetchall())


def replayed_rows(connection: sqlite3.Connection) -> list[tuple[Any, ...]]:
    """The card rows a full replay of the log makes (rolled back: the store is unchanged)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        connection.execute("DELETE FROM card")
        cards.rebuild_all(connection)
        return card_rows(connection)
    finally:
        connection.execute("ROLLBACK")


def assert_cards_are_replayed_ones(store: ScoreStore) -> None:
    """The cards kept as attempts ended equal, row for row, those a replay makes."""
    connection = store._connection
    kept = card_rows(connection)
    assert kept == replayed_rows(connection)


def due_ids(store: ScoreStore, clock: FixedClock, learner: str = "Ana Ruiz") -> list[str]:
    return [c.question_id for c in store.due_questions(learner, now=clock.now())]


DAY = timedelta(days=1).total_seconds()
WEEK = timedelta(days=7)
