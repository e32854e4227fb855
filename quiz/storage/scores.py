"""ScoreStore: every attempt and every answer, saved as it happens; the store's facade.

The schema is described in `quiz.storage.db`. One ScoreStore holds one SQLite
connection, opened with `check_same_thread=False` and used under a lock, so it may
be called from any thread (the app calls it from its store thread). The app and the
commands use only this class; its concerns are modules beside it (see the class).

Each answer is its own `BEGIN IMMEDIATE` transaction of one INSERT (plus, at most
every HEARTBEAT_SECONDS, a heartbeat UPDATE); the ids it needs are cached when the
attempt starts, so no SELECT runs per answer. When a write fails a StoreError is
raised and nothing is half-written: the caller keeps the answer and tries again.
Opening a store leaves the attempts whose process is gone as that process would have
(paused, mostly), and ends the paused ones whose time is up (quiz.storage.recovery).
A paused attempt is offered, taken up again or given up through quiz.storage.paused.
"""

from __future__ import annotations

import os
import sqlite3
import threading
import time
import uuid
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.domain.pausing import PausedAttempt, expiry
from quiz.domain.records import AnswerRecord, AttemptResult, AttemptStart, AttemptStatus
from quiz.domain.text import learner_key
from quiz.storage import (
    attempt_rows,
    card_queries,
    cards,
    db,
    liveness,
    paused,
    recovery,
    store_settings,
    summaries,
)
from quiz.storage.attempt_rows import INSERT_ANSWER
from quiz.storage.attempts import AttemptDetail, AttemptSummary
from quiz.storage.card_model import (
    DueCard,
    LearnerDue,
    RebuildProgress,
    SchedulerSettings,
    SectionDue,
)
from quiz.storage.codec import encode_response, from_ms, offset_ds, seconds_to_ms, to_ms
from quiz.storage.errors import StoreError, translate
from quiz.storage.files import backup, set_aside
from quiz.storage.importing import ImportOutcome
from quiz.storage.interning import Ids
from quiz.storage.live import LiveAttempt, end_attempt, pause_attempt, read_live
from quiz.storage.store_settings import StoreSettings

if TYPE_CHECKING:  # imported by the methods that use them: the app never needs them
    from quiz.storage import learners, reports

__all__ = ["ImportOutcome", "ScoreStore", "StoreError", "backup", "set_aside"]

HEARTBEAT_SECONDS = 30.0
"""An answer also refreshes the attempt's heartbeat when the last one is this old."""


class ScoreStore:
    """The score store: open with `ScoreStore.open(path)`, close with `close()`.

    Each concern is a module beside it: quiz.storage.attempt_rows (reading attempts
    back), .interning (ids), .live (attempts in progress), .recovery, .paused (paused
    attempts), .importing, .reports, .learners, .cards (the drill's cards; .scheduling
    runs FSRS over them), .store_settings and .files (setting a damaged store aside,
    backups).
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self._connection = connection
        self._lock = threading.RLock()
        self._ids = Ids(path)
        self._live: dict[str, LiveAttempt] = {}
        self._card_versions = cards.Versions()
        """Question versions as the cards need them: the rows never change (nor are
        they deleted), so they are read once per store."""

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
                self._ids.forget()
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
        """Save a new attempt with its questions as asked; returns its id (a UUID). A
        new practice or drill round gives up the learner's paused one of the same kind
        and course (quiz.domain.pausing)."""
        key = learner_key(start.learner)
        if not key:
            raise ValueError("an attempt needs a learner name")
        question_ids = [q.question_id for q in start.questions]
        if len(set(question_ids)) != len(question_ids):
            raise ValueError("a question appears twice in the attempt")
        attempt_id = str(uuid.uuid4())
        now = liveness.now_ms()
        with self._writing("starting an attempt") as connection:
            learner = self._ids.learner(connection, key, start.learner)
            spelling = self._ids.spelling(connection, learner, start.learner)
            refs = self._ids.attempt_refs(
                connection, start.course_id, start.course_version, start.sections, start.questions
            )
            host = self._ids.row(connection, "host", name=liveness.this_host())
            cursor = connection.execute(
                """INSERT INTO attempt (uuid, learner, learner_name, course_version, mode, exam,
                       sections, seed, started_at, time_limit, deadline_at, pass_mark, items,
                       status, total, pid, host, heartbeat_at)
                   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?)""",
                (
                    attempt_id,
                    learner,
                    spelling,
                    refs.version,
                    str(start.mode),
                    start.exam,
                    refs.sections,
                    start.seed,
                    to_ms(start.started_at),
                    start.time_limit_seconds,
                    to_ms(start.deadline_at) if start.deadline_at else None,
                    start.pass_mark,
                    refs.items,
                    len(start.questions),
                    os.getpid(),
                    host,
                    now,
                ),
            )
            rowid = cursor.lastrowid
            assert rowid is not None
            paused.supersede(connection, self._ids, rowid)
        self._live[attempt_id] = LiveAttempt(
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
                    connection.execute(INSERT_ANSWER, row)
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
        """Save the outcome of an attempt (and add it to the report summaries); a result
        `paused` leaves it paused at `result.finished_at`, to be taken up again."""
        if result.status is AttemptStatus.IN_PROGRESS:
            raise ValueError("an attempt cannot finish in progress")
        if result.status is AttemptStatus.PAUSED:
            with self._writing("pausing the attempt") as connection:
                pause_attempt(
                    connection, self._rowid(connection, attempt_id), to_ms(result.finished_at)
                )
            self._live.pop(attempt_id, None)
            return
        with self._writing("saving the result") as connection:
            rowid = self._rowid(connection, attempt_id)
            summaries.apply_attempt(connection, rowid, -1)  # if it was closed before
            end_attempt(
                connection,
                rowid,
                result.status,
                to_ms(result.finished_at),
                correct=result.correct,
                percent=result.percent,
                passed=result.passed,
                total=result.total,
                versions=self._card_versions,
            )
        self._live.pop(attempt_id, None)

    # --- reading (quiz.storage.attempt_rows) ---------------------------------------------

    def list_attempts(
        self,
        *,
        learner: str | None = None,
        since: date | None = None,
        course: str | None = None,
    ) -> list[AttemptSummary]:
        """Attempts, newest first. `learner` matches by learner_key; `since` is a local date."""
        with self._reading("listing attempts") as connection:
            return attempt_rows.list_attempts(
                connection, self._ids, learner=learner, since=since, course=course
            )

    def get_attempt(self, attempt_id: str) -> AttemptDetail | None:
        """The attempt with its questions as asked, the answers that count and the history."""
        with self._reading("reading an attempt") as connection:
            return attempt_rows.find_detail(connection, self._ids, attempt_id)

    def iter_details(self, attempts: Iterable[AttemptSummary]) -> Iterator[AttemptDetail]:
        """The details of many attempts, one at a time (for an export)."""
        for summary in attempts:
            detail = self.get_attempt(summary.id)
            if detail is not None:
                yield detail

    def export_texts(
        self, *, learner: str | None = None, since: date | None = None
    ) -> Iterator[str]:
        """The export (`quiz scores --format json`) of the attempts `list_attempts`
        gives, one attempt's JSON text at a time, read as it is written."""
        with self._reading("exporting attempts") as connection:
            yield from attempt_rows.export_texts(
                connection, self._ids, learner=learner, since=since
            )

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

        with (
            self._reading("forgetting a learner") as connection,
            learners.pages_overwritten(connection),
            self._writing("forgetting a learner") as writing,
        ):
            return learners.forget_learner(writing, plan)

    # --- the drill's cards (quiz.storage.cards) ------------------------------------------
    # A drill attempt is started like any other: start_attempt with Mode.DRILL. A miss
    # brought back in the same round is another answer to the same question
    # (record_answer again): only the first answer of each question is a review.

    def due_questions(
        self,
        learner: str,
        *,
        now: datetime,
        course: str | None = None,
        sections: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[DueCard]:
        """The learner's questions due at `now` (the app's clock), critical ones first,
        then the least likely to be remembered now; of `sections` only, if given; at
        most `limit` of them, if given. Loads fsrs (retrievability)."""
        with self._reading("reading the questions due") as connection:
            return card_queries.due_questions(
                connection, learner, now, course=course, sections=sections, limit=limit
            )

    def due_counts(
        self, learner: str, *, now: datetime, course: str | None = None
    ) -> list[SectionDue]:
        """Per section, the learner's questions due at `now` and within the week after."""
        with self._reading("counting the questions due") as connection:
            return card_queries.due_counts(connection, learner, now, course=course)

    def next_due(self, learner: str, *, course: str | None = None) -> datetime | None:
        """When the learner's next question falls due (None: no cards yet)."""
        with self._reading("reading the questions due") as connection:
            return card_queries.next_due(connection, learner, course=course)

    def staff_due(self, *, now: datetime, course: str | None = None) -> list[LearnerDue]:
        """Every learner with cards: questions due at `now`, and leeches."""
        with self._reading("reading the questions due") as connection:
            return card_queries.staff_due(connection, now, course=course)

    def due_list(
        self,
        *,
        now: datetime,
        within: timedelta = timedelta(0),
        learner: str | None = None,
        course: str | None = None,
    ) -> list[DueCard]:
        """`quiz due`: per learner, the questions due by `now + within`, and the leeches."""
        with self._reading("reading the questions due") as connection:
            return card_queries.due_list(
                connection, now, within=within, learner=learner, course=course
            )

    def scheduler_settings(self) -> SchedulerSettings:
        with self._reading("reading the scheduler settings") as connection:
            return cards.read_settings(connection)

    def change_scheduler_settings(self, settings: SchedulerSettings) -> bool:
        """Keep new settings; True when the cards must be made again (then every
        learner is listed for `rebuild_cards`)."""
        with self._writing("changing the scheduler settings") as connection:
            return cards.write_settings(connection, settings)

    def cards_to_rebuild(self, learner: str | None = None) -> int:
        """Learners whose cards wait for `rebuild_cards` (after the upgrade that made
        the cards, a settings change, an import); 0 or 1 for a `learner` named."""
        with self._reading("reading the drill's cards") as connection:
            return cards.stale_count(connection, self._learner_ids(connection, learner))

    def rebuild_cards(
        self,
        progress: Callable[[RebuildProgress], None] | None = None,
        learner: str | None = None,
    ) -> RebuildProgress:
        """Make the cards of the learners listed for it (only `learner`'s, if named: the
        app, for the learner at hand) again from the answer log, a few learners per
        transaction (each well under a second), calling `progress` after each; other
        terminals save answers in between. Raises StoreError."""
        total = self.cards_to_rebuild(learner)
        done = reviews = 0
        rebuild = cards.Rebuild()
        while True:
            with self._writing("rebuilding the drill's cards") as connection:
                learners, replayed = cards.rebuild_stale_batch(
                    connection, rebuild, learners=self._learner_ids(connection, learner)
                )
            if not learners:
                return RebuildProgress(done, max(total, done), reviews)
            done += learners
            reviews += replayed
            if progress is not None:
                progress(RebuildProgress(done, max(total, done), reviews))

    @staticmethod
    def _learner_ids(connection: sqlite3.Connection, learner: str | None) -> list[int] | None:
        """The learner rows of the learner named `learner` (None: every learner)."""
        return None if learner is None else cards.learners_keyed(connection, learner_key(learner))

    # --- crash recovery (quiz.storage.recovery) -----------------------------------------

    def recover(self) -> list[str]:
        """Leave the attempts in progress whose process is gone as quiz.domain.pausing
        says (paused, mostly), and end the paused ones whose time is up; returns the
        ids of the attempts changed."""
        now = liveness.now_ms()
        with self._reading("looking for unfinished attempts") as connection:
            found = recovery.unfinished(connection)
        changed = []
        for attempt in found:
            if attempt.attempt_id in self._live:
                continue  # started through this store: certainly alive
            if not attempt.is_gone(now):
                continue
            with self._writing("closing an attempt left unfinished") as connection:
                if recovery.close_gone(connection, self._ids, attempt.rowid, now) is not None:
                    changed.append(attempt.attempt_id)
        with self._reading("looking for paused attempts") as connection:
            limit = store_settings.read_settings(connection).pause_limit_seconds
            waiting = recovery.paused(connection)
        for held in waiting:
            deadline = from_ms(held.deadline_at) if held.deadline_at is not None else None
            ends = expiry(
                paused_at=from_ms(held.paused_at),
                deadline_at=deadline,
                now=from_ms(now),
                limit_seconds=limit,
            )
            if ends is None:
                continue  # checked again below, under the write lock, when it is not
            with self._writing("ending a paused attempt") as connection:
                ended = recovery.end_expired(connection, self._ids, held.rowid, now, limit)
                if ended is not None:
                    changed.append(held.attempt_id)
        return changed

    # --- paused attempts (quiz.storage.paused; the rules: quiz.domain.pausing) -----------

    def paused_attempts(self, learner: str, *, course: str | None = None) -> list[PausedAttempt]:
        """`learner`'s paused attempts (of `course` only, if given), with every answer
        given so far. Which to offer is quiz.domain.pausing's `offered`."""
        with self._reading("reading the paused attempts") as connection:
            return paused.learner_paused(connection, self._ids, learner, course)

    def resume_attempt(self, attempt_id: str) -> PausedAttempt | None:
        """Take paused attempt `attempt_id` up again in this process (in progress once
        more); it as it was paused, or None if it is paused no longer (taken up in
        another terminal, or ended, meanwhile)."""
        with self._writing("taking up a paused attempt") as connection:
            found = paused.take_up(connection, self._ids, attempt_id, liveness.now_ms())
        self._live.pop(attempt_id, None)  # read again: other answers may have come since
        return found

    def give_up_attempt(self, attempt_id: str) -> bool:
        """End paused attempt `attempt_id` as abandoned (an exam the learner declined to
        resume); False if it is paused no longer."""
        with self._writing("giving up a paused attempt") as connection:
            return paused.give_up(connection, self._ids, attempt_id)

    # --- the store's settings (quiz.storage.store_settings) ------------------------------

    def store_settings(self) -> StoreSettings:
        with self._reading("reading the store's settings") as connection:
            return store_settings.read_settings(connection)

    def change_store_settings(self, settings: StoreSettings) -> None:
        with self._writing("changing the store's settings") as connection:
            store_settings.write_settings(connection, settings)

    # --- moving attempts between stores (quiz.storage.importing) ------------------------

    def import_attempts(self, details: Sequence[AttemptDetail]) -> ImportOutcome:
        """Add attempts exported elsewhere, matched by id: an identical one already here
        is left alone, a different one with the same id is reported and kept as it is.

        A finished attempt is stored with the verdict its answers give (correct,
        percent, passed: `exchange.recompute`), whatever its file said; those whose file
        said otherwise are in the outcome's `recomputed`. `passed` is not compared with
        an attempt already here (the file's may be missing or stale, and is not used)."""
        from quiz.storage import importing

        tally = importing.ImportTally()
        for start in range(0, len(details), importing.IMPORT_BATCH):
            batch = details[start : start + importing.IMPORT_BATCH]
            with self._writing("importing attempts") as connection:
                importing.import_batch(connection, self._ids, batch, tally)
        return tally.outcome()

    # --- attempts in progress (quiz.storage.live) ---------------------------------------

    def _rowid(self, connection: sqlite3.Connection, attempt_id: str) -> int:
        live = self._live.get(attempt_id)
        if live is not None:
            return live.rowid
        row = connection.execute("SELECT id FROM attempt WHERE uuid = ?", (attempt_id,)).fetchone()
        if row is None:
            raise ValueError(f"there is no attempt {attempt_id} in {self.path}")
        return int(row[0])

    def _load_live(self, attempt_id: str) -> LiveAttempt:
        with self._reading("reading an attempt") as connection:
            found = read_live(connection, self._ids, attempt_id)
        if found is None:
            raise ValueError(f"there is no attempt {attempt_id} in {self.path}")
        self._live[attempt_id] = found
        return found
