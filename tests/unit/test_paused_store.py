"""Paused attempts in the score store: kept with every answer and counted nowhere, read
back, taken up once and finished as one attempt, given up, superseded by a new round,
ended when their time is up at the next opening, and the upgrade that allows them."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.domain.pausing import DEFAULT_PAUSE_LIMIT_SECONDS
from quiz.domain.records import AttemptResult, AttemptStatus, Mode
from quiz.storage import codec, db, liveness
from quiz.storage.scores import ScoreStore
from quiz.storage.store_settings import StoreSettings
from tests.support.cards import assert_cards_are_replayed_ones, take
from tests.support.cli import run_cli
from tests.support.fakes import FixedClock
from tests.support.store_records import QUESTIONS, RIGHT, answer, make_start
from tests.support.summaries import assert_summaries_are_rebuilt_ones, summary_rows

DAY = 86400.0


@pytest.fixture
def clock() -> FixedClock:
    """A clock at the real time now: the store ends paused attempts by the real time."""
    moved = FixedClock()
    moved.advance((datetime.now(UTC) - moved.now()).total_seconds())
    return moved


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as opened:
        yield opened


def status_of(store: ScoreStore, attempt_id: str) -> AttemptStatus:
    detail = store.get_attempt(attempt_id)
    assert detail is not None
    return detail.summary.status


def reopen(store: ScoreStore) -> ScoreStore:
    """The same file opened again (recovery runs), the old one closed."""
    store.close()
    return ScoreStore.open(store.path)


def test_a_paused_attempt_keeps_its_answers_and_counts_in_no_report_or_card(
    store: ScoreStore, clock: FixedClock
) -> None:
    paused = take(store, clock, [True, False, None, None], status=AttemptStatus.PAUSED)
    paused_at = clock.now()
    detail = store.get_attempt(paused)
    assert detail is not None
    assert detail.summary.status is AttemptStatus.PAUSED
    assert detail.summary.finished_at is None and detail.summary.correct is None
    assert len(detail.history) == 2
    report = store.report()
    assert report.attempts == 0 and report.learners == ()
    assert all(rows == [] for rows in summary_rows(store._connection).values())
    assert store._connection.execute("SELECT count(*) FROM card").fetchone()[0] == 0
    (read,) = store.paused_attempts("ana ruiz")  # matched by learner_key
    assert read.attempt_id == paused and read.mode is Mode.PRACTICE
    assert abs(read.paused_at - paused_at) < timedelta(milliseconds=1)
    assert read.started_here and read.questions == detail.questions
    assert [p for p, _record in read.answers] == [0, 1]
    assert (read.answered, read.left, read.to_ask) == (2, 2, 4)
    assert store.paused_attempts("Ana Ruiz", course="another-course") == []
    assert store.paused_attempts("Ben Ode") == []


def test_resumed_and_finished_it_is_one_attempt_counted_once(
    store: ScoreStore, clock: FixedClock
) -> None:
    paused = take(store, clock, [True, None, None, None], status=AttemptStatus.PAUSED)
    clock.advance(3600)
    taken = store.resume_attempt(paused)
    assert taken is not None and taken.answered == 1
    assert status_of(store, paused) is AttemptStatus.IN_PROGRESS
    row = store._connection.execute(
        "SELECT a.pid, h.name FROM attempt a JOIN host h ON h.id = a.host WHERE uuid = ?",
        (paused,),
    ).fetchone()
    assert row == (os.getpid(), liveness.this_host())
    assert store.resume_attempt(paused) is None  # taken up once
    assert store.paused_attempts("Ana Ruiz") == []
    for position in (1, 2, 3):
        clock.advance(10)
        store.record_answer(paused, answer(position, at=clock.now()))
    store.finish_attempt(
        paused,
        AttemptResult(
            AttemptStatus.COMPLETED, clock.now(), correct=4, total=4, percent=100.0, passed=None
        ),
    )
    (summary,) = store.list_attempts()
    assert summary.id == paused and summary.status is AttemptStatus.COMPLETED
    detail = store.get_attempt(paused)
    assert detail is not None and len(detail.history) == 4
    assert [item.correct for item in detail.items] == [True] * 4
    assert store.report().attempts == 1
    assert_summaries_are_rebuilt_ones(store._connection)
    assert_cards_are_replayed_ones(store)
    assert store._connection.execute("SELECT count(*) FROM card").fetchone()[0] == 4


def test_a_new_round_gives_up_the_paused_one_of_its_kind_and_course_only(
    store: ScoreStore, clock: FixedClock
) -> None:
    practice = take(store, clock, [True, None, None, None], status=AttemptStatus.PAUSED)
    paused_at = clock.now()
    drill = take(
        store, clock, [True, None, None, None], mode=Mode.DRILL, status=AttemptStatus.PAUSED
    )
    other = take(
        store, clock, [True, None, None, None], learner="Ben Ode", status=AttemptStatus.PAUSED
    )
    exam = take(store, clock, [True, None, None, None], mode=Mode.EXAM, status=AttemptStatus.PAUSED)
    elsewhere = store.start_attempt(
        replace(make_start(mode=Mode.PRACTICE, started_at=clock.now()), course_id="other-course")
    )
    assert status_of(store, practice) is AttemptStatus.PAUSED
    new = store.start_attempt(make_start(mode=Mode.PRACTICE, started_at=clock.now()))
    given_up = store.get_attempt(practice)
    assert given_up is not None
    assert given_up.summary.status is AttemptStatus.ABANDONED
    assert given_up.summary.correct == 1 and given_up.summary.passed is None
    finished = given_up.summary.finished_at
    assert finished is not None and abs(finished - paused_at) < timedelta(milliseconds=1)
    for kept in (drill, other, exam):
        assert status_of(store, kept) is AttemptStatus.PAUSED
    assert status_of(store, new) is AttemptStatus.IN_PROGRESS
    assert status_of(store, elsewhere) is AttemptStatus.IN_PROGRESS
    assert store.report().attempts == 0  # abandoned: counted nowhere either


def test_an_exam_declined_is_given_up(store: ScoreStore, clock: FixedClock) -> None:
    exam = take(store, clock, [True, True, None, None], mode=Mode.EXAM, status=AttemptStatus.PAUSED)
    assert store.give_up_attempt(exam)
    assert not store.give_up_attempt(exam)  # paused no longer
    detail = store.get_attempt(exam)
    assert detail is not None
    assert detail.summary.status is AttemptStatus.ABANDONED
    assert detail.summary.passed is None and detail.summary.correct == 2
    assert store.resume_attempt(exam) is None


def _paused_days_ago(store: ScoreStore, days: float, **kwargs: object) -> str:
    clock = FixedClock()
    clock.advance((datetime.now(UTC) - clock.now()).total_seconds() - days * DAY)
    return take(store, clock, [True, None, None, None], status=AttemptStatus.PAUSED, **kwargs)  # type: ignore[arg-type]


def test_the_next_opening_ends_rounds_paused_too_long_and_exams_past_their_deadline(
    store: ScoreStore,
) -> None:
    # Other learners each: a new round of a learner's would give up their paused one.
    old = _paused_days_ago(store, 8, learner="Old")
    recent = _paused_days_ago(store, 6, learner="Recent")
    exam = _paused_days_ago(store, 1, mode=Mode.EXAM)  # its 15 minutes are long gone
    fresh_exam = _paused_days_ago(store, 0, mode=Mode.EXAM, learner="Fresh")
    before = store.get_attempt(old)
    assert before is not None and before.summary.status is AttemptStatus.PAUSED
    store = reopen(store)
    try:
        after = store.get_attempt(old)
        assert after is not None and after.summary.status is AttemptStatus.ABANDONED
        assert after.summary.finished_at == before.history[-1].answered_at + timedelta(seconds=5)
        assert status_of(store, recent) is AttemptStatus.PAUSED
        timed_out = store.get_attempt(exam)
        assert timed_out is not None and timed_out.summary.status is AttemptStatus.TIMED_OUT
        assert timed_out.summary.finished_at == timed_out.summary.deadline_at
        assert timed_out.summary.passed is False  # 1 of 4: graded at its deadline
        assert status_of(store, fresh_exam) is AttemptStatus.PAUSED
        assert store.report().attempts == 1  # the timed-out exam counts; nothing else
        assert_summaries_are_rebuilt_ones(store._connection)
        # A shorter pause limit (a setting of the store) ends the six-day-old one too.
        assert store.store_settings() == StoreSettings(DEFAULT_PAUSE_LIMIT_SECONDS)
        store.change_store_settings(StoreSettings(pause_limit_seconds=int(5 * DAY)))
        assert store.recover() == [recent]
        assert status_of(store, recent) is AttemptStatus.ABANDONED
    finally:
        store.close()


def test_an_exam_without_a_time_limit_waits_the_pause_limit(store: ScoreStore) -> None:
    clock = FixedClock()
    clock.advance((datetime.now(UTC) - clock.now()).total_seconds() - 8 * DAY)
    start = make_start(started_at=clock.now(), time_limit_seconds=None)
    untimed = store.start_attempt(start)
    store.finish_attempt(untimed, AttemptResult(AttemptStatus.PAUSED, clock.now(), 0, 4, 0.0, None))
    store = reopen(store)
    try:
        assert status_of(store, untimed) is AttemptStatus.ABANDONED
    finally:
        store.close()


def test_a_version_five_store_is_upgraded_to_allow_paused_attempts(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    old = ScoreStore(path, db.connect(path, upto=5))
    try:
        clock = FixedClock()
        take(old, clock, [True, False, None, None])
        take(old, clock, [True, None, None, None], mode=Mode.DRILL, status=AttemptStatus.ABANDONED)
        rows = {
            table: old._connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("attempt", "answer", "card", "learner")
        }
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            old._connection.execute("UPDATE attempt SET status = 'paused'")
    finally:
        old.close()
    with ScoreStore.open(path) as store:
        connection = store._connection
        assert connection.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        for table, before in rows.items():
            after = connection.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            if table == "attempt":  # later versions add columns at the end
                width = len(before[0])
                # v7: clinic and utc_offset NULL, never guessed; v8: identified 'typed'
                # (names were typed on trust), verify_code NULL
                assert {row[width : width + 4] for row in after} == {(None, None, "typed", None)}
                after = [row[:width] for row in after]
            assert after == before
        indexes = {r[1] for r in connection.execute("PRAGMA index_list(attempt)")}
        assert {"attempt_live", "attempt_drill", "attempt_paused"} <= indexes
        assert {fk[2] for fk in connection.execute("PRAGMA foreign_key_list(answer)")} == {
            "attempt"
        }
        assert store.store_settings() == StoreSettings()
        assert_summaries_are_rebuilt_ones(connection)
        paused = take(store, clock, [True, None, None, None], status=AttemptStatus.PAUSED)
        assert store.get_attempt(paused) is not None
    assert len(list(tmp_path.glob("scores.sqlite3.v5-*.bak"))) == 1


# --- the commands ----------------------------------------------------------------------


def test_forget_deletes_a_paused_attempt_but_waits_for_a_running_one(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        take(store, clock, [True, True, True, True])
        take(store, clock, [True, None, None, None], status=AttemptStatus.PAUSED)
        take(store, clock, [True, None, None, None], learner="Ben Ode", finish=False)
    code, out, err = run_cli(["learners", "forget", "Ana Ruiz", "--yes", "--db", str(path)], capsys)
    assert (code, err) == (0, "")
    assert "1 of them paused" in out and "Deleted Ana Ruiz: 2 attempts" in out
    # Ben's attempt is in progress in this (running) process: forgetting him waits.
    code, out, err = run_cli(["learners", "forget", "Ben Ode", "--yes", "--db", str(path)], capsys)
    assert code == 1 and "has an attempt in progress" in err
    with ScoreStore.open(path) as store:
        assert [a.learner for a in store.list_attempts()] == ["Ben Ode"]


def test_a_paused_attempt_is_exported_as_paused_and_an_import_skips_it_until_it_ends(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "clinic.sqlite3", tmp_path / "manager.sqlite3"
    with ScoreStore.open(source) as store:
        paused = take(store, clock, [True, False, None, None], status=AttemptStatus.PAUSED)
    code, out, _err = run_cli(["scores", "--format", "json", "--db", str(source)], capsys)
    assert code == 0
    (exported,) = json.loads(out)
    assert exported["status"] == "paused" and exported["finished_at"] is None
    assert exported["passed"] is None and exported["correct"] == 1
    assert [a["response"] for a in exported["answers"]] == [
        RIGHT[0],
        ["It lasts months"],
        None,
        None,
    ]
    export = tmp_path / "clinic.json"
    export.write_text(out, encoding="utf-8")
    code, out, err = run_cli(["import", "--db", str(target), str(export)], capsys)
    assert code == 0, err
    assert "0 imported" in out and "1 skipped (still in progress or paused" in out
    code, out, _err = run_cli(["scores", "--db", str(target)], capsys)
    assert paused not in out
    # Taken up and finished where it began, it is exported again and comes in.
    with ScoreStore.open(source) as store:
        assert store.resume_attempt(paused) is not None
        store.record_answer(paused, answer(2, at=clock.now()))
        store.finish_attempt(
            paused, AttemptResult(AttemptStatus.COMPLETED, clock.now(), 2, 4, 50.0, None)
        )
    code, out, _err = run_cli(["scores", "--format", "json", "--db", str(source)], capsys)
    export.write_text(out, encoding="utf-8")
    code, out, err = run_cli(["import", "--db", str(target), str(export)], capsys)
    assert code == 0 and "1 imported" in out, err


def test_scores_lists_a_paused_attempt_as_paused(
    tmp_path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        take(store, clock, [True, None, None, None], status=AttemptStatus.PAUSED)
    code, out, _err = run_cli(["scores", "--db", str(path)], capsys)
    assert code == 0
    (row,) = out.splitlines()[1:]
    assert " practice " in row and " paused " in row


def test_settings_shows_and_changes_the_pause_limit(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    ScoreStore.open(path).close()
    code, out, _err = run_cli(["settings", "--db", str(path)], capsys)
    assert code == 0 and out.startswith("pause limit   7d ")
    code, out, _err = run_cli(["settings", "--pause-limit", "36h", "--db", str(path)], capsys)
    assert code == 0 and out.startswith("pause limit   1d12h ")
    with ScoreStore.open(path) as store:
        assert store.store_settings().pause_limit_seconds == 36 * 3600
    code, _out, err = run_cli(["settings", "--pause-limit", "soon", "--db", str(path)], capsys)
    assert code == 2 and "is not a duration" in err
    code, _out, err = run_cli(["settings", "--db", str(tmp_path / "none.sqlite3")], capsys)
    assert code == 1 and "does not exist yet" in err and "Traceback" not in err


def test_the_answers_of_a_paused_attempt_are_rebuilt_into_cards_only_once_it_ends(
    store: ScoreStore, clock: FixedClock
) -> None:
    paused = take(store, clock, [False, None, None, None], status=AttemptStatus.PAUSED)
    store.rebuild_cards()
    assert store._connection.execute("SELECT count(*) FROM card").fetchone()[0] == 0
    assert store.resume_attempt(paused) is not None
    store.finish_attempt(
        paused, AttemptResult(AttemptStatus.COMPLETED, clock.now(), 0, 4, 0.0, None)
    )
    assert_cards_are_replayed_ones(store)
    assert [c.question_id for c in store.due_questions("Ana Ruiz", now=clock.now())] == [
        QUESTIONS[0].question_id
    ]


def test_a_learner_listing_counts_paused_attempts_as_attempts(
    store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [True, None, None, None], status=AttemptStatus.PAUSED)
    (info,) = store.list_learners()
    assert (info.attempts, info.counted, info.in_progress) == (1, 0, 0)
    assert info.last_activity is not None
    assert abs(info.last_activity - codec.from_ms(codec.to_ms(clock.now()))) < timedelta(seconds=1)


@pytest.mark.parametrize(
    ("extra", "named"),
    [
        (["--mode", "practice"], "--mode"),
        (["--exam", "staff-check"], "--exam"),
        (["--count", "3", "--seed", "4"], "--count, --seed"),
        (["--time-limit", "10m"], "--time-limit"),
    ],
)
def test_resume_takes_up_an_attempt_as_it_was_and_refuses_a_new_ones_options(
    extra: list[str], named: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(["--resume", "--learner", "Ann", *extra], capsys)
    assert code == 2
    assert f"--resume takes up a paused attempt as it was: it cannot be used with {named}" in err
    code, _out, err = run_cli(["scores", "--resume"], capsys)
    assert code == 2 and "Traceback" not in err
