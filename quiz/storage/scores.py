"""ScoreStore: every attempt and every answer, saved as it happens. The only place SQL lives.

The schema is described in `quiz.storage.db`. One ScoreStore holds one SQLite
connection, opened with `check_same_thread=False` and used under a lock, so it may
be called from any thread (the app calls it from its store thread).

Each answer is its own `BEGIN IMMEDIATE` transaction of one INSERT (plus, at most
every HEARTBEAT_SECONDS, a heartbeat UPDATE); the ids it needs are cached when the
attempt starts, so no SELECT runs per answer. When a write fails a StoreError is
raised and nothing is half-written: the caller keeps the answer and tries again.

Opening a store closes the attempts left in progress by processes that are gone
(quiz.storage.liveness): `timed_out` at the deadline if it has passed, otherwise
`abandoned`, graded from their saved answers (which stay) by quiz.domain.grading.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz.domain.grading import verdict
from quiz.domain.model import QuestionType
from quiz.domain.records import (
    AnswerRecord,
    AskedQuestion,
    AttemptResult,
    AttemptStart,
    AttemptStatus,
    Mode,
)
from quiz.domain.text import learner_key
from quiz.storage import db, liveness, summaries
from quiz.storage.attempts import (
    AnswerEntry,
    AttemptDetail,
    AttemptItem,
    AttemptSummary,
    SectionResult,
    order_history,
)
from quiz.storage.codec import (
    asked_digest,
    decode_response,
    dump_texts,
    encode_response,
    from_ms,
    from_offset_ds,
    load_texts,
    local_day_start_ms,
    offset_ds,
    pack_ints,
    seconds_to_ms,
    to_ms,
    unpack_ints,
)
from quiz.storage.errors import StoreError, translate

if TYPE_CHECKING:  # imported by the methods that use them: the app never needs them
    from quiz.storage import exchange, learners, reports

__all__ = [
    "AnswerEntry",
    "AttemptDetail",
    "AttemptItem",
    "AttemptSummary",
    "ImportOutcome",
    "ScoreStore",
    "SectionResult",
    "StoreError",
    "backup",
    "set_aside",
]

HEARTBEAT_SECONDS = 30.0
"""An answer also refreshes the attempt's heartbeat when the last one is this old."""

IMPORT_BATCH = 200
"""Attempts imported per transaction (so a big import does not hold the file for long)."""

_INSERT_ANSWER = (
    "INSERT INTO answer (attempt, item, rev, response, correct, ms, at_ds) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
_SUMMARY_COLUMNS = """
    a.uuid, n.name, l.key, c.code, v.hash, a.mode, a.exam, a.sections, a.seed,
    a.status, a.started_at, a.finished_at, a.time_limit, a.deadline_at, a.pass_mark,
    a.correct, a.total, a.percent, a.passed
"""
_SUMMARY_FROM = """
    FROM attempt a
    JOIN learner l ON l.id = a.learner
    JOIN learner_name n ON n.id = a.learner_name
    JOIN course_version v ON v.id = a.course_version
    JOIN course c ON c.id = v.course
"""


@dataclass
class _Live:
    """What record_answer needs about an attempt, read once."""

    rowid: int
    started_ms: int
    items: dict[str, AskedQuestion]  # by question id
    next_rev: dict[int, int]  # by item (position): the rev of its next answer
    last_heartbeat: float  # monotonic


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_attempts` did, by attempt id."""

    imported: tuple[str, ...] = ()
    present: tuple[str, ...] = ()  # already in the store, identical
    conflicting: tuple[str, ...] = ()  # in the store with different content: kept as it was
    in_progress: tuple[str, ...] = ()  # still running where they came from: not imported
    recomputed: tuple[exchange.RecomputedVerdict, ...] = ()
    """Imported attempts whose file's verdict disagreed with their answers: the
    recomputed one was stored."""


@dataclass
class _ImportTally:
    imported: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    conflicting: list[str] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)
    recomputed: list[exchange.RecomputedVerdict] = field(default_factory=list)


class ScoreStore:
    """The score store: open with `ScoreStore.open(path)`, close with `close()`."""

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.RLock()
        self._ids: dict[tuple[Any, ...], int] = {}  # (table, key...) -> rowid
        self._asked: dict[int, AskedQuestion] = {}  # asked_question id -> the question
        self._sections: dict[bytes, tuple[str, ...]] = {}  # packed ids -> section codes
        self._live: dict[str, _Live] = {}

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(cls, path: Path, *, create: bool = True) -> ScoreStore:
        """Open (and, with `create`, make) the store at `path`: probe it, upgrade its
        schema, close attempts whose process is gone. Raises StoreError.

        With `create` false (the commands) a missing file is an error, and a store that
        can only be read is opened for reading.
        """
        connection = db.connect(path, create=create)
        store = cls(path, connection)
        try:
            if create:
                store._check_writable()
            store.recover()
        except StoreError as error:
            if create or error.kind != "readonly":
                store.close()
                raise
        return store

    def close(self) -> None:
        with self._lock:
            self._live.clear()
            try:
                self._connection.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> ScoreStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _check_writable(self) -> None:
        # BEGIN IMMEDIATE alone succeeds on a file SQLite opened read-only; a statement
        # that would write (and changes nothing) does not.
        with self._writing("checking that the store can be written") as connection:
            connection.execute("DELETE FROM host WHERE 0")

    # --- transactions -------------------------------------------------------------------

    @contextmanager
    def _writing(self, doing: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                with db.write_transaction(self._connection) as connection:
                    yield connection
            except BaseException as error:
                # Ids cached inside a transaction that rolled back may not exist.
                self._ids.clear()
                if isinstance(error, sqlite3.Error | OSError):
                    raise translate(error, self.path, doing) from error
                raise

    @contextmanager
    def _reading(self, doing: str) -> Iterator[sqlite3.Connection]:
        with self._lock:
            try:
                yield self._connection
            except (sqlite3.Error, OSError) as error:
                raise translate(error, self.path, doing) from error

    # --- an attempt, as it happens ------------------------------------------------------

    def start_attempt(self, start: AttemptStart) -> str:
        """Save a new attempt with its questions as asked; returns its id (a UUID)."""
        key = learner_key(start.learner)
        if not key:
            raise ValueError("an attempt needs a learner name")
        question_ids = [q.question_id for q in start.questions]
        if len(set(question_ids)) != len(question_ids):
            raise ValueError("a question appears twice in the attempt")
        attempt_id = str(uuid.uuid4())
        now = liveness.now_ms()
        with self._writing("starting an attempt") as connection:
            learner = self._learner_id(connection, key, start.learner)
            spelling = self._spelling_id(connection, learner, start.learner)
            course = self._id(connection, "course", code=start.course_id)
            version = self._id(
                connection, "course_version", course=course, hash=start.course_version
            )
            sections = [
                self._id(connection, "section", course=course, code=s) for s in start.sections
            ]
            asked_ids = [
                self._asked_id(connection, course, start.course_id, q) for q in start.questions
            ]
            host = self._id(connection, "host", name=liveness.this_host())
            cursor = connection.execute(
                """INSERT INTO attempt (uuid, learner, learner_name, course_version, mode, exam,
                       sections, seed, started_at, time_limit, deadline_at, pass_mark, items,
                       status, total, pid, host, heartbeat_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?)""",
                (
                    attempt_id,
                    learner,
                    spelling,
                    version,
                    str(start.mode),
                    start.exam,
                    pack_ints(sections),
                    start.seed,
                    to_ms(start.started_at),
                    start.time_limit_seconds,
                    to_ms(start.deadline_at) if start.deadline_at else None,
                    start.pass_mark,
                    pack_ints(asked_ids),
                    len(start.questions),
                    os.getpid(),
                    host,
                    now,
                ),
            )
            rowid = cursor.lastrowid
            assert rowid is not None
        self._live[attempt_id] = _Live(
            rowid=rowid,
            started_ms=to_ms(start.started_at),
            items={
                q.question_id: q if q.position == i else replace(q, position=i)
                for i, q in enumerate(start.questions)
            },
            next_rev={},
            last_heartbeat=time.monotonic(),
        )
        return attempt_id

    def record_answer(self, attempt_id: str, answer: AnswerRecord) -> None:
        """Save one answer in its own transaction. Raises StoreError if it is not saved."""
        with self._lock:
            live = self._live.get(attempt_id) or self._load_live(attempt_id)
            try:
                asked = live.items[answer.question_id]
            except KeyError:
                raise ValueError(
                    f"question {answer.question_id!r} is not part of attempt {attempt_id}"
                ) from None
            item = asked.position
            rev = live.next_rev.get(item, 0)
            row = (
                live.rowid,
                item,
                rev,
                encode_response(asked, answer.response),
                int(answer.correct),
                seconds_to_ms(answer.seconds),
                offset_ds(answer.answered_at, live.started_ms),
            )
            now = time.monotonic()
            beat = now - live.last_heartbeat >= HEARTBEAT_SECONDS
            try:
                with self._writing("saving an answer") as connection:
                    connection.execute(_INSERT_ANSWER, row)
                    if beat:
                        connection.execute(
                            "UPDATE attempt SET heartbeat_at = ? WHERE id = ?",
                            (liveness.now_ms(), live.rowid),
                        )
            except StoreError:
                # Read the attempt again next time: whether this commit happened is unsure.
                self._live.pop(attempt_id, None)
                raise
            live.next_rev[item] = rev + 1
            if beat:
                live.last_heartbeat = now

    def heartbeat(self, attempt_id: str) -> None:
        """Say the attempt's process is alive (the app calls this every ~30 seconds)."""
        with self._lock:
            live = self._live.get(attempt_id) or self._load_live(attempt_id)
            with self._writing("saving a heartbeat") as connection:
                connection.execute(
                    "UPDATE attempt SET heartbeat_at = ? WHERE id = ? AND status = 'in_progress'",
                    (liveness.now_ms(), live.rowid),
                )
            live.last_heartbeat = time.monotonic()

    def finish_attempt(self, attempt_id: str, result: AttemptResult) -> None:
        """Save the outcome of an attempt (and add it to the report summaries)."""
        if result.status is AttemptStatus.IN_PROGRESS:
            raise ValueError("an attempt cannot finish in progress")
        with self._writing("saving the result") as connection:
            rowid = self._rowid(connection, attempt_id)
            summaries.apply_attempt(connection, rowid, -1)  # if it was closed before
            connection.execute(
                """UPDATE attempt SET status = ?, finished_at = ?, correct = ?, total = ?,
                       percent = ?, passed = ?, heartbeat_at = NULL WHERE id = ?""",
                (
                    str(result.status),
                    to_ms(result.finished_at),
                    result.correct,
                    result.total,
                    result.percent,
                    None if result.passed is None else int(result.passed),
                    rowid,
                ),
            )
            summaries.apply_attempt(connection, rowid, 1)
        self._live.pop(attempt_id, None)

    # --- reading ------------------------------------------------------------------------

    def list_attempts(
        self,
        *,
        learner: str | None = None,
        since: date | None = None,
        course: str | None = None,
    ) -> list[AttemptSummary]:
        """Attempts, newest first. `learner` matches by learner_key; `since` is a local date."""
        where: list[str] = []
        parameters: list[Any] = []
        if learner is not None:
            where.append("l.key = ?")
            parameters.append(learner_key(learner))
        if since is not None:
            where.append("a.started_at >= ?")
            parameters.append(local_day_start_ms(since))
        if course is not None:
            where.append("c.code = ?")
            parameters.append(course)
        sql = f"SELECT {_SUMMARY_COLUMNS} {_SUMMARY_FROM}"
        if where:
            sql += " WHERE " + " AND ".join(where)
        sql += " ORDER BY a.started_at DESC, a.id DESC"
        with self._reading("listing attempts") as connection:
            rows = connection.execute(sql, parameters).fetchall()
            return [self._summary(connection, row) for row in rows]

    def get_attempt(self, attempt_id: str) -> AttemptDetail | None:
        """The attempt with its questions as asked, the answers that count and the history."""
        with self._reading("reading an attempt") as connection:
            row = connection.execute(
                f"SELECT {_SUMMARY_COLUMNS}, a.id, a.items {_SUMMARY_FROM} WHERE a.uuid = ?",
                (attempt_id,),
            ).fetchone()
            if row is None:
                return None
            return self._detail(connection, row)

    def iter_details(self, attempts: Iterable[AttemptSummary]) -> Iterator[AttemptDetail]:
        """The details of many attempts, one at a time (for an export)."""
        for summary in attempts:
            detail = self.get_attempt(summary.id)
            if detail is not None:
                yield detail

    # --- reports and learners (quiz.storage.reports, quiz.storage.learners) ----------

    def report(self, report_filter: reports.ReportFilter | None = None) -> reports.Report:
        """The manager's report: staff by section, questions, sections."""
        from quiz.storage import reports

        with self._reading("making the report") as connection, reports.snapshot(connection):
            return reports.build_report(connection, report_filter or reports.ReportFilter())

    def section_trends(
        self, learner: str, course: str | None = None
    ) -> tuple[reports.SectionTrend, ...]:
        """A learner's percent in each section, attempt by attempt."""
        from quiz.storage import reports

        with self._reading("reading the scores") as connection, reports.snapshot(connection):
            return reports.section_trends(connection, learner, course)

    def list_learners(self) -> list[learners.LearnerInfo]:
        from quiz.storage import learners, reports

        with self._reading("listing learners") as connection, reports.snapshot(connection):
            return learners.list_learners(connection)

    def rename_learner(self, old: str, new: str) -> learners.RenameOutcome:
        """Rename OLD, or merge OLD into NEW when NEW is another learner (by learner_key).
        Raises learners.LearnerProblem (UnknownLearner) or StoreError."""
        from quiz.storage import learners

        with self._writing("renaming a learner") as connection:
            return learners.rename_learner(connection, old, new)

    def forget_plan(self, name: str) -> learners.ForgetPlan:
        """What forgetting `name` would delete. Raises learners.UnknownLearner."""
        from quiz.storage import learners, reports

        with self._reading("reading a learner") as connection, reports.snapshot(connection):
            return learners.forget_plan(connection, name)

    def forget_learner(self, plan: learners.ForgetPlan) -> learners.ForgetPlan:
        """Delete the learner of `plan` with every attempt and answer of theirs; deleted
        pages are overwritten (secure_delete) and the write-ahead log emptied."""
        from quiz.storage import learners

        with self._lock:
            connection = self._connection
            try:
                previous = connection.execute("PRAGMA secure_delete").fetchone()[0]
                connection.execute("PRAGMA secure_delete = ON")
            except sqlite3.Error as error:
                raise translate(error, self.path, "forgetting a learner") from error
            try:
                with self._writing("forgetting a learner") as writing:
                    done = learners.forget_learner(writing, plan)
                try:  # copy the overwritten pages into the file and empty the log
                    connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
                except sqlite3.Error:
                    pass  # another program is reading; the log is emptied later
            finally:
                try:
                    connection.execute(f"PRAGMA secure_delete = {int(previous)}")
                except sqlite3.Error:
                    pass
        return done

    # --- crash recovery -----------------------------------------------------------------

    def recover(self) -> list[str]:
        """Close the attempts in progress whose process is gone; returns their ids."""
        now = liveness.now_ms()
        with self._reading("looking for unfinished attempts") as connection:
            rows = connection.execute(
                """SELECT a.id, a.uuid, a.pid, h.name, a.started_at, a.heartbeat_at
                   FROM attempt a LEFT JOIN host h ON h.id = a.host
                   WHERE a.status = 'in_progress'"""
            ).fetchall()
        closed = []
        for rowid, attempt_id, pid, host, started_at, heartbeat_at in rows:
            if attempt_id in self._live:
                continue  # started through this store: certainly alive
            gone = liveness.is_gone(
                pid=pid,
                host=host,
                started_at_ms=started_at,
                heartbeat_at_ms=heartbeat_at,
                now_ms=now,
            )
            if gone and self._close_gone(rowid, now):
                closed.append(attempt_id)
        return closed

    def _close_gone(self, rowid: int, now: int) -> bool:
        with self._writing("closing an attempt left unfinished") as connection:
            row = connection.execute(
                """SELECT status, started_at, heartbeat_at, deadline_at, pass_mark, items
                   FROM attempt WHERE id = ?""",
                (rowid,),
            ).fetchone()
            if row is None or row[0] != "in_progress":
                return False  # another process closed it meanwhile
            _status, started_at, heartbeat_at, deadline_at, pass_mark, packed = row
            items = unpack_ints(packed)
            latest: dict[int, tuple[bool, int]] = {}  # item -> (right, at_ds) of its last answer
            for item, correct, at_ds in connection.execute(
                "SELECT item, correct, at_ds FROM answer WHERE attempt = ? ORDER BY item, rev",
                (rowid,),
            ):
                latest[item] = (bool(correct), at_ds)
            right = {item for item, (correct, _at) in latest.items() if correct}
            if deadline_at is not None and now >= deadline_at:
                status, finished = AttemptStatus.TIMED_OUT, deadline_at
            else:
                last_answer = max((started_at + at * 100 for _c, at in latest.values()), default=0)
                status = AttemptStatus.ABANDONED
                finished = max(started_at, heartbeat_at or 0, last_answer)
            critical = [
                self._asked_question(connection, asked, item).critical
                for item, asked in enumerate(items)
            ]
            outcome = verdict(
                critical, right, pass_mark, abandoned=status is AttemptStatus.ABANDONED
            )
            connection.execute(
                """UPDATE attempt SET status = ?, finished_at = ?, correct = ?, percent = ?,
                       passed = ?, heartbeat_at = NULL WHERE id = ?""",
                (
                    str(status),
                    finished,
                    outcome.correct,
                    outcome.percent,
                    None if outcome.passed is None else int(outcome.passed),
                    rowid,
                ),
            )
            summaries.apply_attempt(connection, rowid, 1)
        return True

    # --- moving attempts between stores -------------------------------------------------

    def import_attempts(self, details: Sequence[AttemptDetail]) -> ImportOutcome:
        """Add attempts exported elsewhere, matched by id: an identical one already here
        is left alone, a different one with the same id is reported and kept as it is.

        A finished attempt is stored with the verdict its answers give (correct,
        percent, passed: `exchange.recompute`), whatever its file said; those whose file
        said otherwise are in the outcome's `recomputed`. `passed` is not compared with
        an attempt already here (the file's may be missing or stale, and is not used)."""
        tally = _ImportTally()
        for start in range(0, len(details), IMPORT_BATCH):
            batch = details[start : start + IMPORT_BATCH]
            with self._writing("importing attempts") as connection:
                for detail in batch:
                    self._import_one(connection, detail, tally)
        return ImportOutcome(
            imported=tuple(tally.imported),
            present=tuple(tally.present),
            conflicting=tuple(tally.conflicting),
            in_progress=tuple(tally.in_progress),
            recomputed=tuple(tally.recomputed),
        )

    def _import_one(
        self, connection: sqlite3.Connection, detail: AttemptDetail, tally: _ImportTally
    ) -> None:
        from quiz.storage import exchange

        summary = detail.summary
        row = connection.execute(
            f"SELECT {_SUMMARY_COLUMNS}, a.id, a.items {_SUMMARY_FROM} WHERE a.uuid = ?",
            (summary.id,),
        ).fetchone()
        if row is not None:
            if _same_apart_from_passed(self._detail(connection, row), detail):
                tally.present.append(summary.id)
            else:
                tally.conflicting.append(summary.id)
            return
        outcome = exchange.recompute(detail)
        if outcome is None:  # still in progress
            tally.in_progress.append(summary.id)
            return
        course = self._id(connection, "course", code=summary.course)
        version = self._id(connection, "course_version", course=course, hash=summary.course_version)
        sections = [
            self._id(connection, "section", course=course, code=s) for s in summary.sections
        ]
        asked_ids = [
            self._asked_id(connection, course, summary.course, q) for q in detail.questions
        ]
        started = to_ms(summary.started_at)
        learner = self._learner_id(connection, summary.learner_key, summary.learner)
        cursor = connection.execute(
            """INSERT INTO attempt (uuid, learner, learner_name, course_version, mode, exam,
                   sections, seed, started_at, time_limit, deadline_at, pass_mark, items,
                   status, finished_at, correct, total, percent, passed)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
            (
                summary.id,
                learner,
                self._spelling_id(connection, learner, summary.learner),
                version,
                str(summary.mode),
                summary.exam,
                pack_ints(sections),
                summary.seed,
                started,
                summary.time_limit_seconds,
                to_ms(summary.deadline_at) if summary.deadline_at else None,
                summary.pass_mark,
                pack_ints(asked_ids),
                str(summary.status),
                to_ms(summary.finished_at) if summary.finished_at else None,
                outcome.correct,
                summary.total,
                outcome.percent,
                None if outcome.passed is None else int(outcome.passed),
            ),
        )
        rowid = cursor.lastrowid
        assert rowid is not None
        revs: dict[int, int] = {}
        rows = []
        for entry in detail.history:
            rev = revs.get(entry.position, 0)
            revs[entry.position] = rev + 1
            rows.append(
                (
                    rowid,
                    entry.position,
                    rev,
                    encode_response(detail.items[entry.position].question, entry.response),
                    int(entry.correct),
                    seconds_to_ms(entry.seconds),
                    offset_ds(entry.answered_at, started),
                )
            )
        connection.executemany(_INSERT_ANSWER, rows)
        summaries.apply_attempt(connection, rowid, 1)
        tally.imported.append(summary.id)
        change = exchange.disagreement(detail, outcome)
        if change is not None:
            tally.recomputed.append(change)

    # --- ids, read once and cached ------------------------------------------------------

    def _id(self, connection: sqlite3.Connection, table: str, **key: Any) -> int:
        """The rowid of the row of `table` with these values, inserted if missing.

        Cached: only for the tables whose rows are never deleted or changed (course,
        course_version, section, question, host). Learners and their spellings are
        merged and forgotten, by other processes too: `_learner_id`, `_spelling_id`."""
        cache_key = (table, *key.values())
        cached = self._ids.get(cache_key)
        if cached is not None:
            return cached
        columns = list(key)
        condition = " AND ".join(f"{c} = ?" for c in columns)
        row = connection.execute(
            f"SELECT id FROM {table} WHERE {condition}", tuple(key.values())
        ).fetchone()
        if row is not None:
            rowid = int(row[0])
        else:
            marks = ", ".join("?" * len(columns))
            cursor = connection.execute(
                f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})",
                tuple(key.values()),
            )
            assert cursor.lastrowid is not None
            rowid = cursor.lastrowid
        self._ids[cache_key] = rowid
        return rowid

    def _spelling_id(self, connection: sqlite3.Connection, learner: int, name: str) -> int:
        """The learner_name row of this spelling, inserted if missing. Read every time,
        never cached: another process may have moved or deleted it (a merge, a forget),
        and its id may since name another spelling."""
        row = connection.execute(
            "SELECT id FROM learner_name WHERE learner = ? AND name = ?", (learner, name)
        ).fetchone()
        if row is not None:
            return int(row[0])
        cursor = connection.execute(
            "INSERT INTO learner_name (learner, name) VALUES (?, ?)", (learner, name)
        )
        assert cursor.lastrowid is not None
        return cursor.lastrowid

    def _learner_id(self, connection: sqlite3.Connection, key: str, name: str) -> int:
        row = connection.execute("SELECT id, name FROM learner WHERE key = ?", (key,)).fetchone()
        if row is None:
            cursor = connection.execute(
                "INSERT INTO learner (key, name) VALUES (?, ?)", (key, name)
            )
            assert cursor.lastrowid is not None
            return cursor.lastrowid
        if row[1] != name:  # the name as it was last typed
            connection.execute("UPDATE learner SET name = ? WHERE id = ?", (name, row[0]))
        return int(row[0])

    def _asked_id(
        self, connection: sqlite3.Connection, course: int, course_code: str, asked: AskedQuestion
    ) -> int:
        digest = asked_digest(course_code, asked)
        cache_key = ("asked_question", digest)
        cached = self._ids.get(cache_key)
        if cached is not None:
            return cached
        row = connection.execute(
            "SELECT id FROM asked_question WHERE digest = ?", (digest,)
        ).fetchone()
        if row is not None:
            rowid = int(row[0])
        else:
            cursor = connection.execute(
                """INSERT INTO asked_question (digest, question, section, type, critical, prompt,
                       choices, answer) VALUES (?, ?, ?, ?, ?, ?, ?, ?)""",
                (
                    digest,
                    self._id(connection, "question", course=course, code=asked.question_id),
                    self._id(connection, "section", course=course, code=asked.section),
                    str(asked.type),
                    int(asked.critical),
                    asked.prompt,
                    dump_texts(asked.choices),
                    dump_texts(asked.answer),
                ),
            )
            assert cursor.lastrowid is not None
            rowid = cursor.lastrowid
        self._ids[cache_key] = rowid
        return rowid

    def _rowid(self, connection: sqlite3.Connection, attempt_id: str) -> int:
        live = self._live.get(attempt_id)
        if live is not None:
            return live.rowid
        row = connection.execute("SELECT id FROM attempt WHERE uuid = ?", (attempt_id,)).fetchone()
        if row is None:
            raise ValueError(f"there is no attempt {attempt_id} in {self.path}")
        return int(row[0])

    def _load_live(self, attempt_id: str) -> _Live:
        with self._reading("reading an attempt") as connection:
            row = connection.execute(
                "SELECT id, started_at, items FROM attempt WHERE uuid = ?", (attempt_id,)
            ).fetchone()
            if row is None:
                raise ValueError(f"there is no attempt {attempt_id} in {self.path}")
            rowid, started_at, packed = row
            items = {}
            for position, asked_id in enumerate(unpack_ints(packed)):
                asked = self._asked_question(connection, asked_id, position)
                items[asked.question_id] = asked
            next_rev = dict(
                connection.execute(
                    "SELECT item, max(rev) + 1 FROM answer WHERE attempt = ? GROUP BY item",
                    (rowid,),
                ).fetchall()
            )
        live = _Live(rowid, started_at, items, next_rev, time.monotonic())
        self._live[attempt_id] = live
        return live

    def _asked_question(
        self, connection: sqlite3.Connection, asked_id: int, position: int
    ) -> AskedQuestion:
        question = self._asked.get(asked_id)
        if question is None:
            row = connection.execute(
                """SELECT q.code, s.code, a.type, a.critical, a.prompt, a.choices, a.answer
                   FROM asked_question a
                   JOIN question q ON q.id = a.question
                   JOIN section s ON s.id = a.section
                   WHERE a.id = ?""",
                (asked_id,),
            ).fetchone()
            if row is None:
                raise StoreError(
                    "corrupt",
                    self.path,
                    f"{self.path} is damaged: an attempt names a question version "
                    f"({asked_id}) that is not there. The file was not changed.",
                )
            code, section, kind, critical, prompt, choices, answer = row
            question = AskedQuestion(
                position=position,
                question_id=code,
                section=section,
                type=QuestionType(kind),
                prompt=prompt,
                choices=load_texts(choices),
                answer=load_texts(answer),
                critical=bool(critical),
            )
            self._asked[asked_id] = question
        return question if question.position == position else replace(question, position=position)

    def _section_codes(self, connection: sqlite3.Connection, packed: bytes) -> tuple[str, ...]:
        codes = self._sections.get(packed)
        if codes is None:
            found = dict(connection.execute("SELECT id, code FROM section").fetchall())
            codes = tuple(str(found.get(s, f"#{s}")) for s in unpack_ints(packed))
            self._sections[packed] = codes
        return codes

    # --- rows to objects ----------------------------------------------------------------

    def _summary(self, connection: sqlite3.Connection, row: Sequence[Any]) -> AttemptSummary:
        (
            attempt_id,
            learner_name,
            key,
            course,
            version,
            mode,
            exam,
            sections,
            seed,
            status,
            started_at,
            finished_at,
            time_limit,
            deadline_at,
            pass_mark,
            correct,
            total,
            percent,
            passed,
        ) = row[:19]
        return AttemptSummary(
            id=attempt_id,
            learner=learner_name,
            learner_key=key,
            course=course,
            course_version=version,
            mode=Mode(mode),
            exam=exam,
            sections=self._section_codes(connection, sections),
            seed=seed,
            status=AttemptStatus(status),
            started_at=from_ms(started_at),
            finished_at=from_ms(finished_at) if finished_at is not None else None,
            time_limit_seconds=time_limit,
            deadline_at=from_ms(deadline_at) if deadline_at is not None else None,
            pass_mark=pass_mark,
            correct=correct,
            total=total,
            percent=float(percent) if percent is not None else None,
            passed=None if passed is None else bool(passed),
        )

    def _detail(self, connection: sqlite3.Connection, row: Sequence[Any]) -> AttemptDetail:
        summary = self._summary(connection, row)
        rowid, packed = row[19], row[20]
        started = to_ms(summary.started_at)
        questions = [
            self._asked_question(connection, asked_id, position)
            for position, asked_id in enumerate(unpack_ints(packed))
        ]
        by_item: dict[int, list[AnswerEntry]] = {}
        for item, response, correct, ms, at_ds in connection.execute(
            """SELECT item, response, correct, ms, at_ds FROM answer WHERE attempt = ?
               ORDER BY item, rev""",
            (rowid,),
        ):
            if not 0 <= item < len(questions):
                continue  # an answer to a question not in the attempt: cannot be shown
            question = questions[item]
            by_item.setdefault(item, []).append(
                AnswerEntry(
                    position=item,
                    question_id=question.question_id,
                    response=decode_response(question, response),
                    correct=bool(correct),
                    seconds=ms / 1000,
                    answered_at=from_offset_ds(at_ds, started),
                )
            )
        latest = {item: entries[-1] for item, entries in by_item.items()}
        history = order_history(by_item)
        items = tuple(AttemptItem(question=q, answer=latest.get(q.position)) for q in questions)
        return AttemptDetail(summary=summary, items=items, history=history)


def _same_apart_from_passed(stored: AttemptDetail, imported: AttemptDetail) -> bool:
    """The same attempt, leaving `passed` out: the import recomputes it, so a file that
    leaves it out (or an older store's) is no conflict."""
    mine, theirs = stored.to_export_dict(), imported.to_export_dict()
    del mine["passed"], theirs["passed"]
    return mine == theirs


# --- files ------------------------------------------------------------------------------

SIBLING_SUFFIXES = ("-wal", "-journal", "-shm")


def set_aside(path: Path) -> list[Path]:
    """Rename a damaged store and its -wal/-journal/-shm files with a timestamp, so a new
    store can start at `path`. Returns the new paths (the store first). Only the app
    calls this, after the learner agrees; nothing is deleted."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.name}.set-aside-{stamp}")
    counter = 1
    while any(os.path.lexists(f"{base}{suffix}") for suffix in ("", *SIBLING_SUFFIXES)):
        counter += 1
        base = path.with_name(f"{path.name}.set-aside-{stamp}-{counter}")
    moved: list[Path] = []
    try:
        # Siblings first: a -wal left beside a new store of the same name would be
        # replayed into it.
        for suffix in SIBLING_SUFFIXES:
            sibling = Path(f"{path}{suffix}")
            if os.path.lexists(sibling):
                target = Path(f"{base}{suffix}")
                _rename_new(sibling, target)
                moved.append(target)
        if os.path.lexists(path):
            _rename_new(path, base)
            moved.insert(0, base)
    except OSError as error:
        raise translate(error, path, "setting the damaged store aside") from error
    return moved


def _rename_new(source: Path, target: Path) -> None:
    """Rename, never replacing an existing file."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(source, target)
        return
    os.unlink(source)


def backup(path: Path, dest: Path) -> None:
    """Copy the store at `path` to the new file `dest` with SQLite's backup API."""
    if os.path.lexists(dest):
        raise StoreError(
            "other", dest, f"{dest} already exists; choose a new file name for the backup."
        )
    try:
        source = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as error:
        raise translate(error, path, "opening the store for a backup") from error
    try:
        db.backup_connection(source, dest)
    except (sqlite3.Error, OSError) as error:
        raise translate(error, path, "making a backup") from error
    finally:
        source.close()
