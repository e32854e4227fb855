"""The score store: what goes in comes back, answers are appended, recovery, the schema.

The tests taking `backend` run against the SQLite store and the central store (a
terminal's attempts sent, then read back from the mirror: tests/support/backends.py)."""

from __future__ import annotations

import dataclasses
import os
import sqlite3
import subprocess
import sys
import threading
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from quiz.domain.records import AttemptResult, AttemptStatus, Mode
from quiz.storage import codec, db, liveness, summaries
from quiz.storage.reports import ReportFilter
from quiz.storage.scores import ScoreStore
from tests.support.backends import StoreBackend
from tests.support.store_records import (
    QUESTIONS,
    T0,
    WRONG,
    answer,
    completed,
    fill_store,
    make_start,
)
from tests.support.summaries import assert_summaries_are_rebuilt_ones, summary_rows


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as opened:
        yield opened


def test_an_attempt_comes_back_as_it_was_saved(backend: StoreBackend) -> None:
    start = make_start()
    with backend.open() as store:
        attempt_id = store.start_attempt(start)
        for position in (0, 1, 2, 3):
            store.record_answer(attempt_id, answer(position))
        store.finish_attempt(attempt_id, completed(4))
    with backend.reading() as read:
        detail = read.get_attempt(attempt_id)
    assert detail is not None
    summary = detail.summary
    assert (summary.learner, summary.learner_key) == ("Ana Ruiz", "ana ruiz")
    assert (summary.course, summary.course_version) == (start.course_id, start.course_version)
    assert (summary.mode, summary.exam, summary.seed) == (Mode.EXAM, "staff-check", 1234)
    assert summary.sections == ("swelling", "bruising", "drugs-pregnancy")
    assert summary.started_at == T0 and summary.deadline_at == start.deadline_at
    assert summary.time_limit_seconds == 900 and summary.pass_mark == 75
    assert summary.status is AttemptStatus.COMPLETED
    assert (summary.correct, summary.total, summary.percent, summary.passed) == (4, 4, 100.0, True)
    assert detail.questions == QUESTIONS
    assert [item.response for item in detail.items] == [
        "One to three days",
        ["It may be tender", "It eases in days"],  # in the order shown
        True,
        "accutane",
    ]
    assert all(item.correct for item in detail.items)
    assert detail.history[0].seconds == 7.4
    assert detail.history[0].answered_at == T0 + timedelta(seconds=10)
    assert [(s.section, s.correct, s.total) for s in detail.section_results()] == [
        ("swelling", 2, 2),
        ("bruising", 1, 1),
        ("drugs-pregnancy", 1, 1),
    ]


def test_a_changed_answer_is_appended_and_the_latest_counts(store: ScoreStore) -> None:
    attempt_id = store.start_attempt(make_start())
    store.record_answer(attempt_id, answer(0, right=False))
    store.record_answer(attempt_id, answer(1))
    store.record_answer(attempt_id, answer(0, at=T0 + timedelta(seconds=60)))
    detail = store.get_attempt(attempt_id)
    assert detail is not None
    assert [(h.question_id, h.correct) for h in detail.history] == [
        ("swelling-01", False),
        ("swelling-04", True),
        ("swelling-01", True),
    ]
    assert detail.items[0].response == "One to three days" and detail.items[0].correct
    assert detail.items[2].answer is None and detail.items[3].response is None
    exported = detail.to_export_dict()
    assert exported["correct"] == 2 and exported["status"] == "in_progress"
    first = exported["answers"][0]
    assert first["history"] == [
        {
            "response": "A few hours",
            "correct": False,
            "seconds": 7.4,
            "answered_at": "2026-11-23T10:00:10Z",
        }
    ]
    assert exported["answers"][2]["response"] is None
    assert exported["answers"][2]["correct"] is False


def test_an_answer_is_one_insert_in_one_immediate_transaction(store: ScoreStore) -> None:
    attempt_id = store.start_attempt(make_start())
    statements: list[str] = []
    store._connection.set_trace_callback(statements.append)
    store.record_answer(attempt_id, answer(0))
    store.record_answer(attempt_id, answer(1))
    store._connection.set_trace_callback(None)
    assert [s.split()[0] for s in statements] == ["BEGIN", "INSERT", "COMMIT"] * 2
    assert statements[0] == "BEGIN IMMEDIATE"


def test_the_store_is_durable_and_versioned(store: ScoreStore, tmp_path: Path) -> None:
    pragma = store._connection.execute
    assert pragma("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert pragma("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert pragma("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
    assert pragma("PRAGMA application_id").fetchone()[0] == db.APPLICATION_ID
    assert pragma("PRAGMA busy_timeout").fetchone()[0] >= 1000


def test_answers_can_be_saved_from_another_thread(store: ScoreStore) -> None:
    attempt_id = store.start_attempt(make_start())
    errors: list[BaseException] = []

    def work() -> None:
        try:
            for position in range(4):
                store.record_answer(attempt_id, answer(position))
        except BaseException as error:
            errors.append(error)

    worker = threading.Thread(target=work)
    worker.start()
    worker.join(timeout=30)
    assert not errors and not worker.is_alive()
    detail = store.get_attempt(attempt_id)
    assert detail is not None and len(detail.history) == 4


def test_answers_to_an_attempt_started_by_another_store(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as first:
        attempt_id = first.start_attempt(make_start())
        first.record_answer(attempt_id, answer(0, right=False))
        with ScoreStore.open(path) as second:  # same process: the attempt is alive
            second.record_answer(attempt_id, answer(0))
            second.heartbeat(attempt_id)
            second.finish_attempt(attempt_id, completed(1, passed=False))
        detail = first.get_attempt(attempt_id)
    assert detail is not None
    assert [h.correct for h in detail.history] == [False, True]
    assert detail.summary.status is AttemptStatus.COMPLETED


def test_unknown_attempts_and_questions_are_programming_errors(store: ScoreStore) -> None:
    assert store.get_attempt("no-such-attempt") is None
    with pytest.raises(ValueError):
        store.record_answer("no-such-attempt", answer(0))
    attempt_id = store.start_attempt(make_start(questions=QUESTIONS[:1]))
    with pytest.raises(ValueError):
        store.record_answer(attempt_id, answer(1))
    with pytest.raises(ValueError):
        store.start_attempt(make_start(questions=(QUESTIONS[0], QUESTIONS[0])))
    with pytest.raises(ValueError):
        store.start_attempt(make_start(learner="   "))


def test_list_attempts_newest_first_with_filters(backend: StoreBackend) -> None:
    exam_id, practice_id = fill_store(backend.path, backend.open_store)
    with backend.reading() as store:
        assert [a.id for a in store.list_attempts()] == [practice_id, exam_id]
        # The learner key: trimmed, NFC, case folded.
        assert [a.id for a in store.list_attempts(learner="  ANA RUIZ ")] == [exam_id]
        assert store.list_attempts(learner="Nobody") == []
        assert store.list_attempts(course="other-course") == []
        day = T0.astimezone().date()
        assert len(store.list_attempts(since=day)) == 2
        assert store.list_attempts(since=day + timedelta(days=1)) == []


def test_since_is_a_local_date(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        late = datetime(2026, 3, 1, 23, 30).astimezone()  # 23:30 local time
        store.start_attempt(make_start(started_at=late.astimezone(UTC)))
        assert len(store.list_attempts(since=date(2026, 3, 1))) == 1
        assert store.list_attempts(since=date(2026, 3, 2)) == []


def test_the_learner_name_is_kept_as_typed(backend: StoreBackend) -> None:
    with backend.open() as store:
        first = store.start_attempt(make_start("Zoë Ng"))
        second = store.start_attempt(make_start("ZOË NG", started_at=T0 + timedelta(hours=1)))
        for attempt_id in (first, second):
            store.record_answer(attempt_id, answer(0))
            store.finish_attempt(attempt_id, completed(1))
    with backend.reading() as read:
        names = {a.id: a.learner for a in read.list_attempts(learner="zoë ng")}
    assert names == {first: "Zoë Ng", second: "ZOË NG"}


# --- recovery ---------------------------------------------------------------------------


def _ended_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _set(path: Path, attempt_id: str, **columns: object) -> None:
    connection = sqlite3.connect(path)
    for column, value in columns.items():
        if column == "host":
            connection.execute("INSERT OR IGNORE INTO host (name) VALUES (?)", (value,))
            value = connection.execute("SELECT id FROM host WHERE name = ?", (value,)).fetchone()[0]
        connection.execute(f"UPDATE attempt SET {column} = ? WHERE uuid = ?", (value, attempt_id))
    connection.commit()
    connection.close()


def test_recovery_pauses_attempts_whose_process_is_gone_and_times_out_those_past_the_deadline(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scores.sqlite3"
    now = datetime.now(UTC)
    with ScoreStore.open(path) as store:
        paused = store.start_attempt(make_start(started_at=now))
        store.record_answer(paused, answer(0, at=now + timedelta(seconds=5)))
        timed_out = store.start_attempt(make_start(started_at=now - timedelta(hours=1)))
        store.record_answer(timed_out, answer(3, at=now - timedelta(minutes=55)))
        alive = store.start_attempt(make_start(started_at=now))
        far_fresh = store.start_attempt(make_start(started_at=now))
        far_stale = store.start_attempt(make_start(started_at=now - timedelta(hours=2)))
    gone = _ended_pid()
    _set(path, paused, pid=gone)
    _set(path, timed_out, pid=gone)
    _set(path, far_fresh, host="another-computer", heartbeat_at=codec.to_ms(now))
    stale = now - timedelta(seconds=liveness.STALE_AFTER_SECONDS + 60)
    _set(path, far_stale, host="another-computer", heartbeat_at=codec.to_ms(stale))
    _set(path, far_stale, deadline_at=None)

    with ScoreStore.open(path) as store:
        status = {a.id: a for a in store.list_attempts()}
        detail = store.get_attempt(timed_out)
        waiting = {p.attempt_id: p for p in store.paused_attempts("Ana Ruiz")}
    # An exam before its deadline whose process is gone: paused, not ended, no verdict.
    assert status[paused].status is AttemptStatus.PAUSED
    assert status[paused].finished_at is None and status[paused].correct is None
    assert status[paused].passed is None
    assert waiting[paused].paused_at >= now + timedelta(seconds=4.9)  # its last answer
    assert waiting[paused].answered == 1 and waiting[paused].started_here
    assert status[timed_out].status is AttemptStatus.TIMED_OUT
    assert status[timed_out].finished_at == status[timed_out].deadline_at
    # 1 of 4 right, and the critical question right: below the pass mark of 75.
    assert status[timed_out].passed is False and status[timed_out].percent == 25.0
    assert detail is not None and detail.items[3].correct
    assert status[alive].status is AttemptStatus.IN_PROGRESS  # this process: alive
    assert status[far_fresh].status is AttemptStatus.IN_PROGRESS
    # Silent on another computer for too long: paused there at its last heartbeat.
    assert status[far_stale].status is AttemptStatus.PAUSED
    assert abs(waiting[far_stale].paused_at - stale) < timedelta(milliseconds=2)
    assert not waiting[far_stale].started_here
    assert set(waiting) == {paused, far_stale}


@pytest.mark.skipif(not Path("/proc/stat").exists(), reason="process start times need /proc")
def test_a_reused_pid_or_a_restart_does_not_keep_an_attempt_alive() -> None:
    here = liveness.this_host()
    parent = os.getppid()  # a live process
    boot = liveness._boot_time_ms()
    parent_start = liveness._process_start_ms(parent, boot)
    assert boot is not None and parent_start is not None
    now = liveness.now_ms()
    # The attempt began after the process did: that process may be running it.
    assert not liveness.is_gone(
        pid=parent, host=here, started_at_ms=parent_start + 5000, heartbeat_at_ms=now, now_ms=now
    )
    # The attempt began before the process: the pid was reused, its own process is gone.
    if parent_start - boot > 20_000:
        before = parent_start - 10_000
        assert liveness.is_gone(
            pid=parent, host=here, started_at_ms=before, heartbeat_at_ms=before, now_ms=now
        )
    # Its last heartbeat came before the computer started: gone, whatever runs now.
    assert liveness.is_gone(
        pid=parent, host=here, started_at_ms=boot - 5000, heartbeat_at_ms=boot - 4000, now_ms=now
    )
    assert not liveness.is_gone(
        pid=os.getpid(), host=here, started_at_ms=now, heartbeat_at_ms=now, now_ms=now
    )


# --- summaries and migrations -----------------------------------------------------------


def test_summaries_match_a_computation_from_the_answers(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    exam_id, _practice = fill_store(path)
    with ScoreStore.open(path) as store:
        # Finishing twice (the app retrying) must not count the attempt twice.
        store.finish_attempt(exam_id, completed(4))
        connection = store._connection
        kept = connection.execute("SELECT * FROM question_stats ORDER BY 1, 2, 3, 4").fetchall()
        sections = connection.execute(
            "SELECT * FROM learner_section_stats ORDER BY 1, 2, 3, 4"
        ).fetchall()
        with db.write_transaction(connection):
            summaries.rebuild(connection)
        assert (
            connection.execute("SELECT * FROM question_stats ORDER BY 1, 2, 3, 4").fetchall()
            == kept
        )
        assert (
            connection.execute("SELECT * FROM learner_section_stats ORDER BY 1, 2, 3, 4").fetchall()
            == sections
        )
    with ScoreStore.open(path) as store:  # the same figures straight from the answers
        raw = store._connection.execute(
            """SELECT q.question, t.mode = 'exam', count(*), sum(a.correct)
               FROM answer a JOIN attempt t ON t.id = a.attempt
               JOIN asked_question q ON q.id = asked_at(t.items, a.item)
               GROUP BY 1, 2"""
        ).fetchall()
    # Rows: question, content, month, exam, asked, answered, right, ...
    assert sorted(raw) == sorted((r[0], r[3], r[5], r[6]) for r in kept if r[5])
    by_exam = {row[3]: row for row in kept if row[0] == 1}  # swelling-01, in both attempts
    assert by_exam[1][4:7] == (1, 1, 1)  # exam: asked, answered, right
    assert by_exam[0][4:7] == (1, 1, 0)  # practice: answered wrongly
    month = codec.local_month_number(codec.to_ms(T0))
    assert all(row[2] == month for row in kept)
    assert {(row[1], row[4:8]) for row in sections if row[3] == 1} == {
        (1, (1, 2, 2, 2)),  # Ana, swelling: 1 attempt, 2 asked, 2 answered, 2 right
        (2, (1, 1, 1, 1)),
        (3, (1, 1, 1, 1)),
    }


def test_a_store_of_the_first_version_is_upgraded(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    db.connect(path, upto=1).close()
    connection = sqlite3.connect(path)
    connection.executescript(
        """
        INSERT INTO learner VALUES (1, 'ana ruiz', 'Ana Ruiz');
        INSERT INTO learner_name VALUES (1, 1, 'Ana Ruiz');
        INSERT INTO course VALUES (1, 'laser-skin-tightening');
        INSERT INTO course_version VALUES (1, 1, 'sha256:ab');
        INSERT INTO section VALUES (1, 1, 'swelling');
        INSERT INTO question VALUES (1, 1, 'swelling-02');
        INSERT INTO asked_question VALUES (1, x'01', 1, 1, 'true_false', 0,
            'The treated area may be tender.', '[]', '["true"]');
        INSERT INTO attempt (id, uuid, learner, learner_name, course_version, mode, exam,
            sections, seed, started_at, items, status, finished_at, correct, total, percent,
            passed)
            VALUES (1, 'a1', 1, 1, 1, 'practice', NULL, x'01', 5, 1795428000000, x'01',
            'completed', 1795428060000, 1, 1, 100.0, NULL);
        INSERT INTO answer VALUES (1, 0, 0, 1, 1, 4200, 42);
        """
    )
    connection.commit()
    connection.close()

    with ScoreStore.open(path) as store:
        version = store._connection.execute("PRAGMA user_version").fetchone()[0]
        stats = store._connection.execute(
            "SELECT question, exam, asked, right, ms FROM question_stats"
        ).fetchall()
        detail = store.get_attempt("a1")
    assert version == db.SCHEMA_VERSION
    assert stats == [(1, 0, 1, 1, 4200)]
    assert detail is not None and detail.items[0].response is True
    assert detail.history[0].seconds == 4.2
    backups = list(tmp_path.glob("scores.sqlite3.v1-*.bak"))
    assert len(backups) == 1  # made with the backup API before upgrading


def test_a_store_of_the_second_version_is_upgraded(tmp_path: Path) -> None:
    """Version 3 adds summaries (and best results to learner_section_stats), built from
    the finished attempts already there; the version 2 summaries are made again too."""
    path = tmp_path / "scores.sqlite3"
    db.connect(path, upto=2).close()
    connection = sqlite3.connect(path)
    nov = 1795428000000  # 2026-11-23 10:00 UTC
    day = 86_400_000
    connection.executescript(
        f"""
        INSERT INTO learner VALUES (1, 'ana ruiz', 'Ana Ruiz');
        INSERT INTO learner_name VALUES (1, 1, 'Ana Ruiz');
        INSERT INTO course VALUES (1, 'laser-skin-tightening');
        INSERT INTO course_version VALUES (1, 1, 'sha256:ab');
        INSERT INTO section VALUES (1, 1, 'swelling'), (2, 1, 'bruising');
        INSERT INTO question VALUES (1, 1, 'swelling-01'), (2, 1, 'bruising-02');
        INSERT INTO asked_question VALUES (1, x'01', 1, 1, 'single', 0,
            'How long does swelling usually last?',
            '["About two weeks", "One to three days", "A few hours"]',
            '["One to three days"]');
        INSERT INTO asked_question VALUES (2, x'02', 2, 2, 'true_false', 0,
            'Capillaries are small blood vessels.', '[]', '["true"]');
        -- practice: "A few hours" (wrong), true (right)
        INSERT INTO attempt (id, uuid, learner, learner_name, course_version, mode, exam,
            sections, seed, started_at, items, status, finished_at, correct, total, percent,
            passed)
            VALUES (1, 'a1', 1, 1, 1, 'practice', NULL, x'0102', 5, {nov - 2 * day}, x'0102',
            'completed', {nov - 2 * day + 60000}, 1, 2, 50.0, NULL);
        INSERT INTO answer VALUES (1, 0, 0, 4, 0, 4200, 42), (1, 1, 0, 1, 1, 3000, 80);
        -- exam: "About two weeks" changed to the right answer; false (wrong)
        INSERT INTO attempt (id, uuid, learner, learner_name, course_version, mode, exam,
            sections, seed, started_at, time_limit, deadline_at, pass_mark, items, status,
            finished_at, correct, total, percent, passed)
            VALUES (2, 'a2', 1, 1, 1, 'exam', 'staff-check', x'0102', 6, {nov}, 900,
            {nov + 900000}, 75, x'0102', 'completed', {nov + 60000}, 1, 2, 50.0, 0);
        INSERT INTO answer VALUES (2, 0, 0, 1, 0, 2000, 20), (2, 0, 1, 2, 1, 2500, 45),
            (2, 1, 0, 0, 0, 1000, 60);
        -- abandoned: not counted
        INSERT INTO attempt (id, uuid, learner, learner_name, course_version, mode, exam,
            sections, seed, started_at, items, status, finished_at, correct, total, percent,
            passed)
            VALUES (3, 'a3', 1, 1, 1, 'practice', NULL, x'0102', 7, {nov + day}, x'0102',
            'abandoned', {nov + day + 9000}, 0, 2, 0.0, NULL);
        INSERT INTO answer VALUES (3, 0, 0, 4, 0, 900, 9);
        -- version 2 summaries, out of date
        INSERT INTO question_stats VALUES (1, 202611, 0, 9, 9, 9, 9, 9, 9, 9.0, 9.0, 9.0);
        INSERT INTO learner_section_stats VALUES (1, 1, 202611, 0, 9, 9, 9, 9, 9);
        """
    )
    connection.commit()
    connection.close()

    with ScoreStore.open(path) as store:
        connection = store._connection
        assert connection.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        kept = summary_rows(connection)
        assert_summaries_are_rebuilt_ones(connection)
        report = store.report(ReportFilter())
    assert len(list(tmp_path.glob("scores.sqlite3.v2-*.bak"))) == 1
    month = codec.local_month_number(nov)
    assert kept["learner_stats"] == [(1, 1, month, 0, 1), (1, 1, month, 1, 1)]
    assert kept["learner_latest"] == [(1, 1, 0, nov - 2 * day, 1), (1, 1, 1, nov, 2)]
    # swelling: 0/1 then 1/1; bruising: 1/1 then 0/1. Best per month and mode.
    assert [row[:2] + row[3:] for row in kept["learner_section_stats"]] == [
        (1, 1, 0, 1, 1, 1, 0, 4200, 1, 0),
        (1, 1, 1, 1, 1, 1, 1, 2500, 1, 1),
        (1, 2, 0, 1, 1, 1, 1, 3000, 1, 1),
        (1, 2, 1, 1, 1, 1, 0, 1000, 1, 0),
    ]
    assert kept["learner_section_latest"] == [
        (1, 1, nov, 2, 1, 1, 75),
        (1, 2, nov, 2, 1, 0, 75),
    ]
    assert kept["version_stats"] == [(1, month, 2), (2, month, 2)]
    # Keyed by content version too (version 10): each question here has one.
    swelling_content = codec.content_key(
        "single", '["About two weeks", "One to three days", "A few hours"]', '["One to three days"]'
    )
    bruising_content = codec.content_key("true_false", "[]", '["true"]')
    assert kept["choice_stats"] == [(1, swelling_content, month, 0, "A few hours", 1)]
    assert [row[:8] for row in kept["question_stats"]] == [
        (1, swelling_content, month, 0, 1, 1, 0, 4200),
        (1, swelling_content, month, 1, 1, 1, 1, 2500),
        (2, bruising_content, month, 0, 1, 1, 1, 3000),
        (2, bruising_content, month, 1, 1, 1, 0, 1000),
    ]
    assert (report.attempts, report.exams) == (2, 1)
    (ana,) = report.learners
    swelling, bruising = ana.sections
    assert (swelling.section, swelling.last_percent, swelling.best_percent) == (
        "swelling",
        100,
        100,
    )
    assert (bruising.section, bruising.last_percent, bruising.best_percent) == ("bruising", 0, 100)
    assert [s.section for s in ana.weak_sections] == ["bruising"]  # 0% < the exam's 75
    assert ana.latest_exam is not None and ana.latest_exam.percent == 50.0
    assert ana.latest_exam.passed is False
    choices = {q.question: q.wrong_choices for q in report.questions}
    assert [(c.choice, c.picks) for c in choices["swelling-01"]] == [
        ("A few hours", 1),
        ("About two weeks", 0),  # picked, then changed: the answer that counts was right
    ]


def test_an_attempt_recovery_closed_and_its_process_then_finished_counts_once(
    tmp_path: Path,
) -> None:
    """Recovery counts an attempt whose deadline passed as timed out; if its process
    was alive after all and finishes it, the summaries take the first ending away (the
    learner's best and latest are made again from their other attempts)."""
    path = tmp_path / "scores.sqlite3"
    fill_store(path)
    with ScoreStore.open(path) as store:
        later = store.start_attempt(make_start(started_at=T0 + timedelta(days=1)))
        for position in range(4):
            store.record_answer(later, answer(position, right=position != 1))
        store._live.clear()  # as if another process had started it
    _set(path, later, pid=_ended_pid())
    with ScoreStore.open(path) as store:  # recovery: timed out (its deadline passed)
        assert store.list_attempts()[0].status is AttemptStatus.TIMED_OUT
        timed_out = summary_rows(store._connection)
        assert_summaries_are_rebuilt_ones(store._connection)
        store.finish_attempt(later, completed(3, passed=True))
        assert store.list_attempts()[0].status is AttemptStatus.COMPLETED
        assert_summaries_are_rebuilt_ones(store._connection)
        assert summary_rows(store._connection) == timed_out  # counted once, not twice


def test_a_save_after_another_process_forgot_the_learner(tmp_path: Path) -> None:
    """Learner and spelling ids are not cached: another process may have deleted them,
    and a new learner may have the same id again."""
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as here, ScoreStore.open(path) as there:
        first = here.start_attempt(make_start("Ana Ruiz"))
        here.record_answer(first, answer(0))
        here.finish_attempt(first, completed(1))
        there.forget_learner(there.forget_plan("Ana Ruiz"))
        again = here.start_attempt(make_start("Ana Ruiz"))  # no StoreError
        here.record_answer(again, answer(0))
        here.finish_attempt(again, completed(1))
        attempts = there.list_attempts()
    assert [(a.id, a.learner) for a in attempts] == [(again, "Ana Ruiz")]


def test_a_save_after_another_process_merged_the_learner(tmp_path: Path) -> None:
    """A spelling another process moved to another learner is not reused for a new one."""
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as here, ScoreStore.open(path) as there:
        for name in ("Ana Ruiz", "Anne Ruiz"):
            attempt_id = here.start_attempt(make_start(name))
            here.finish_attempt(attempt_id, completed(0, passed=False))
        there.rename_learner("Anne Ruiz", "Ana Ruiz")  # Anne's spelling now Ana's
        again = here.start_attempt(make_start("Anne Ruiz"))  # a new learner again
        here.finish_attempt(again, completed(0, passed=False))
        detail = there.get_attempt(again)
        mismatched = there._connection.execute(
            """SELECT count(*) FROM attempt a JOIN learner_name n ON n.id = a.learner_name
               WHERE n.learner != a.learner"""
        ).fetchone()[0]
    assert detail is not None and detail.summary.learner_key == "anne ruiz"
    assert detail.summary.learner == "Anne Ruiz" and mismatched == 0


def test_finish_then_recover_keeps_the_result(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        attempt_id = store.start_attempt(make_start())
        store.finish_attempt(
            attempt_id,
            dataclasses.replace(completed(0, passed=False), status=AttemptStatus.ABANDONED),
        )
    _set(path, attempt_id, pid=_ended_pid())
    with ScoreStore.open(path) as store:
        summary = store.list_attempts()[0]
    assert summary.status is AttemptStatus.ABANDONED and summary.passed is False


def test_result_in_progress_is_refused(store: ScoreStore) -> None:
    attempt_id = store.start_attempt(make_start())
    with pytest.raises(ValueError):
        store.finish_attempt(
            attempt_id,
            AttemptResult(AttemptStatus.IN_PROGRESS, T0, 0, 4, 0.0, None),
        )


def test_codec_round_trips() -> None:
    values = [0, 1, 127, 128, 16383, 16384, 2**40]
    assert codec.unpack_ints(codec.pack_ints(values)) == values
    for question, response in zip(QUESTIONS, WRONG, strict=True):
        stored = codec.encode_response(question, response)
        assert codec.decode_response(question, stored) == response
    with pytest.raises(ValueError):
        codec.encode_response(QUESTIONS[0], "not a choice")
    with pytest.raises(ValueError):
        codec.encode_response(QUESTIONS[2], "true")
