"""Learners' flags in the score store: kept as raised (append-only), with the question as
asked; hidden while their exam is open; never a change of score; gone with `forget`;
added to an older store by its upgrade."""

from __future__ import annotations

import sqlite3
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.domain.flags import NOTE_MAX_LENGTH, FlagRecord, clean_note, flag_shown, note_problem
from quiz.domain.records import AskedQuestion, AttemptResult, AttemptStatus, Mode
from quiz.domain.versions import content_version
from quiz.storage import db
from quiz.storage.codec import content_key, dump_texts, version_label
from quiz.storage.scores import ScoreStore
from tests.support.store_records import (
    QUESTIONS,
    T0,
    answer,
    completed,
    fill_store,
    make_start,
)


def flag(position: int, note: str = "", minutes: int = 1) -> FlagRecord:
    return FlagRecord(
        question_id=QUESTIONS[position].question_id,
        position=position,
        note=note,
        flagged_at=T0 + timedelta(minutes=minutes),
    )


def test_a_flag_is_kept_with_the_question_as_asked_the_learner_and_the_time(
    tmp_path: Path,
) -> None:
    with ScoreStore.open(tmp_path / "scores.db") as store:
        attempt = store.start_attempt(make_start("Ana Ruiz", mode=Mode.PRACTICE))
        flag_id = store.record_flag(attempt, flag(1, "two answers are right"))
        [shown] = store.shown_flags()
    asked = QUESTIONS[1]
    assert shown.id == flag_id
    assert (shown.course, shown.question_id, shown.position) == (
        "laser-skin-tightening",
        "swelling-04",
        1,
    )
    assert shown.prompt == asked.prompt and shown.choices == asked.choices
    assert shown.answer == asked.answer
    assert shown.content_version == content_version(asked)
    assert (shown.learner, shown.attempt_id, shown.mode) == ("Ana Ruiz", attempt, "practice")
    assert shown.flagged_at == T0 + timedelta(minutes=1)
    assert shown.note == "two answers are right"


def test_flags_are_append_only_the_store_refuses_a_change(tmp_path: Path) -> None:
    path = tmp_path / "scores.db"
    with ScoreStore.open(path) as store:
        attempt = store.start_attempt(make_start(mode=Mode.PRACTICE))
        store.record_flag(attempt, flag(0, "first"))
        store.record_flag(attempt, flag(0, "second", minutes=2))
        assert [f.note for f in store.shown_flags()] == ["first", "second"]
        # The facade has no way to change or delete one.
        assert {name for name in dir(store) if "flag" in name} == {"record_flag", "shown_flags"}
    connection = db.connect(path)
    try:
        with pytest.raises(sqlite3.IntegrityError, match="kept as it was raised"):
            connection.execute("UPDATE flag SET note = 'changed'")
    finally:
        connection.close()


def test_a_flag_names_a_question_the_attempt_asked_and_a_clean_note(tmp_path: Path) -> None:
    with ScoreStore.open(tmp_path / "scores.db") as store:
        attempt = store.start_attempt(make_start(mode=Mode.PRACTICE))
        with pytest.raises(ValueError, match="not at position"):
            store.record_flag(attempt, _moved(flag(0), 2))
        with pytest.raises(ValueError, match="one line"):
            store.record_flag(attempt, flag(0, "two\nlines"))
        assert store.shown_flags() == []


def _moved(record: FlagRecord, position: int) -> FlagRecord:
    return FlagRecord(record.question_id, position, record.note, record.flagged_at)


def test_an_exams_flags_are_shown_to_nobody_until_it_is_over(tmp_path: Path) -> None:
    with ScoreStore.open(tmp_path / "scores.db") as store:
        exam = store.start_attempt(make_start("Ana Ruiz"))
        store.record_flag(exam, flag(2, "the text says otherwise"))
        assert store.shown_flags() == []  # in progress
        store.finish_attempt(
            exam,
            AttemptResult(AttemptStatus.PAUSED, T0 + timedelta(minutes=3), 0, 4, 0.0, None),
        )
        assert store.shown_flags() == []  # paused: not over
    for ending in (AttemptStatus.COMPLETED, AttemptStatus.TIMED_OUT, AttemptStatus.ABANDONED):
        assert flag_shown("exam", ending)
        assert not flag_shown("exam", "in_progress") and not flag_shown("exam", "paused")
        assert flag_shown("practice", "in_progress") and flag_shown("drill", "in_progress")
    with ScoreStore.open(tmp_path / "scores.db") as store:
        store.resume_attempt(exam)
        for position in range(4):
            store.record_answer(exam, answer(position))
        store.finish_attempt(exam, completed(4))
        [shown] = store.shown_flags()
        assert shown.note == "the text says otherwise"


def test_a_flag_never_changes_a_score(tmp_path: Path) -> None:
    with ScoreStore.open(tmp_path / "a.db") as plain, ScoreStore.open(tmp_path / "b.db") as flagged:
        results = []
        for store, flags_on in ((plain, False), (flagged, True)):
            attempt = store.start_attempt(make_start("Ana Ruiz"))
            for position in range(4):
                store.record_answer(attempt, answer(position, right=position != 1))
                if flags_on:
                    store.record_flag(attempt, flag(position, "looks wrong"))
            store.finish_attempt(attempt, completed(3))
            detail = store.get_attempt(attempt)
            assert detail is not None
            report = store.report()
            results.append(
                (
                    detail.summary.correct,
                    detail.summary.percent,
                    detail.summary.passed,
                    [(q.question, q.asked, q.right, q.facility) for q in report.questions],
                )
            )
        assert len(flagged.shown_flags()) == 4
        assert {q.learner_flags for q in flagged.report().questions} == {1}
        assert {q.learner_flags for q in plain.report().questions} == {0}
    assert results[0] == results[1]


def test_forget_deletes_the_learners_flags_and_only_theirs(tmp_path: Path) -> None:
    path = tmp_path / "scores.db"
    ana, ben = fill_store(path)
    with ScoreStore.open(path) as store:
        store.record_flag(ana, flag(0, "Ana's"))
        store.record_flag(ben, flag(2, "Ben's"))
        plan = store.forget_plan("Ana Ruiz")
        store.forget_learner(plan)
        assert [f.note for f in store.shown_flags()] == ["Ben's"]
    connection = db.connect(path)
    try:
        assert connection.execute("SELECT count(*) FROM flag").fetchone()[0] == 1
    finally:
        connection.close()


def test_an_older_store_is_upgraded_with_an_empty_flag_table(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    db.connect(path, upto=db.FLAGS_VERSION - 1).close()
    connection = sqlite3.connect(path)
    try:
        tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_schema")}
        assert "flag" not in tables
    finally:
        connection.close()
    with ScoreStore.open(path) as store:
        attempt = store.start_attempt(make_start(mode=Mode.DRILL, exam=None))
        store.record_flag(attempt, flag(3))
        assert [f.question_id for f in store.shown_flags()] == ["drugs-pregnancy-03"]
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    finally:
        connection.close()


def test_since_and_course_narrow_the_flags(tmp_path: Path) -> None:
    with ScoreStore.open(tmp_path / "scores.db") as store:
        attempt = store.start_attempt(make_start(mode=Mode.PRACTICE))
        store.record_flag(attempt, flag(0, minutes=1))
        store.record_flag(attempt, flag(1, minutes=60 * 24 * 3))
        later = (T0 + timedelta(days=2)).astimezone().date()
        assert [f.question_id for f in store.shown_flags(since=later)] == ["swelling-04"]
        assert store.shown_flags(course="another-course") == []


def test_a_note_is_made_one_clean_line() -> None:
    assert clean_note("  two\nanswers \t are\x1b[31m right  ") == "two answers are [31m right"
    assert len(clean_note("x" * 500)) == NOTE_MAX_LENGTH
    assert note_problem('fine, with <b>, commas and "quotes"') is None
    assert note_problem("a\nb") is not None and note_problem(" a") is not None
    assert note_problem("x" * (NOTE_MAX_LENGTH + 1)) is not None


def test_the_report_counts_a_flag_on_the_version_it_was_raised_on(tmp_path: Path) -> None:
    changed = replace(QUESTIONS[0], choices=("About a month", "One to three days", "A few hours"))
    with ScoreStore.open(tmp_path / "scores.db") as store:
        for number, questions in enumerate(((QUESTIONS[0],), (changed,))):
            attempt = store.start_attempt(
                make_start(
                    f"Learner {number}",
                    mode=Mode.PRACTICE,
                    questions=questions,
                    started_at=T0 + timedelta(hours=number),
                )
            )
            store.record_answer(attempt, answer(0, at=T0 + timedelta(hours=number, seconds=5)))
            if number == 1:
                store.record_flag(attempt, flag(0, "the new choice is wrong"))
            store.finish_attempt(attempt, completed(1, 1, passed=None))
        rows = [q for q in store.report().questions if q.question == "swelling-01"]
    assert len(rows) == 2 and all(q.versions == 2 for q in rows)
    by_version = {q.version: q.learner_flags for q in rows}
    assert by_version[version_label(content_key(changed.type, *_stored(changed)))] == 1
    assert sorted(by_version.values()) == [0, 1]


def _stored(asked: AskedQuestion) -> tuple[str, str]:
    return dump_texts(asked.choices), dump_texts(asked.answer)
