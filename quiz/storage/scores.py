"""ScoreStore: every attempt and every answer, saved as it happens; the store's facade.

The schema is described in `quiz.storage.db`. One ScoreStore holds one SQLite
connection, opened with `check_same_thread=False` and used under a lock, so it may
be called from any thread (the app calls it from its store thread). The app and the
commands use only this class; its concerns are modules beside it (see the class).

Each answer is its own `BEGIN IMMEDIATE` transaction of one INSERT (plus, at most
every HEARTBEAT_SECONDS, a heartbeat UPDATE, and, in a store opened with `outbox`
because a central store is configured, the attempt's mark in quiz.storage.outbox); the
ids it needs are cached when the attempt starts, so no SELECT runs per answer. When a
write fails a StoreError is raised and nothing is half-written: the caller keeps the
answer and tries again.
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

from quiz.domain.flags import FlagRecord
from quiz.domain.identity import Identification, PinCheck
from quiz.domain.pausing import PausedAttempt, expiry
from quiz.domain.records import AnswerRecord, AttemptResult, AttemptStart, AttemptStatus
from quiz.domain.text import learner_key
from quiz.domain.verification import ExamRecord
from quiz.storage import (
    attempt_rows,
    card_queries,
    cards,
    db,
    flags,
    liveness,
    outbox,
    paused,
    pins,
    recovery,
    store_settings,
    summaries,
    verification,
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
from quiz.storage.codec import (
    encode_response,
    from_ms,
    local_day_start_ms,
    offset_ds,
    seconds_to_ms,
    to_ms,
)
from quiz.storage.errors import StoreError, translate
from quiz.storage.files import backup, set_aside
from quiz.storage.importing import ImportOutcome
from quiz.storage.interning import Ids
from quiz.storage.live import LiveAttempt, end_attempt, pause_attempt, read_live
from quiz.storage.store_settings import StoreSettings

if TYPE_CHECKING:  # imported by the methods that use them: the app never needs them
    from quiz.storage import learners, reports
    from quiz.storage.report_model import PassValidity, RecertificationDue, ValidPreset

__all__ = ["ImportOutcome", "ScoreStore", "StoreError", "backup", "set_aside"]

_INSERT_ATTEMPT_V6 = """INSERT INTO attempt (uuid, learner, learner_name, course_version, mode,
    exam, sections, seed, started_at, time_limit, deadline_at, pass_mark, items, status,
    total, pid, host, heartbeat_at)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?)"""
_INSERT_ATTEMPT = """INSERT INTO attempt (uuid, learner, learner_name, course_version, mode,
    exam, sections, seed, started_at, time_limit, deadline_at, pass_mark, items, status,
    total, pid, host, heartbeat_at, clinic, utc_offset)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'in_progress', ?, ?, ?, ?, ?, ?)"""


class EnvironmentKey:
    """The type of FROM_ENVIRONMENT."""


FROM_ENVIRONMENT = EnvironmentKey()
"""ScoreStore.open's default signing key: the file QUIZ_SIGNING_KEY names, if set."""

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

    def __init__(
        self,
        path: Path,
        connection: sqlite3.Connection,
        *,
        outbox: bool = False,
        clinic: str | None = None,
        signing_key: bytes | None = None,
    ) -> None:
        self.path = path
        self._connection = connection
        self.signing_key = signing_key
        """The manager's signing key: each exam that finishes gets an HMAC code under
        it (None: a plain hash; quiz.domain.verification)."""
        self.outbox = outbox
        """Whether a central store is configured for this store: then every write that
        changes an attempt marks it pending in the same transaction (quiz.storage.outbox).
        Off, an answer's commit is the one INSERT it always was."""
        self.clinic = clinic
        """This terminal's clinic code, recorded on every attempt it starts (None: no
        clinic configured; the attempts keep none)."""
        self._lock = threading.RLock()
        self._ids = Ids(path)
        self._live: dict[str, LiveAttempt] = {}
        self._clinic_columns = (
            connection.execute("PRAGMA user_version").fetchone()[0] >= db.CLINIC_VERSION
        )
        """Whether attempt has its clinic and utc_offset: false only for a store of an
        older version written as it is (tests building old files do)."""
        self._card_versions = cards.Versions()
        """Question versions as the cards need them: the rows never change (nor are
        they deleted), so they are read once per store."""

    # --- opening and closing ------------------------------------------------------------

    @classmethod
    def open(
        cls,
        path: Path,
        *,
        create: bool = True,
        outbox: bool = False,
        clinic: str | None = None,
        signing_key: bytes | EnvironmentKey | None = FROM_ENVIRONMENT,
    ) -> ScoreStore:
        """Open (and, with `create`, make) the store at `path`: probe it, upgrade its
        schema, close attempts whose process is gone. Raises StoreError.

        With `create` false (the commands) a missing file is an error, and a store that
        can only be read is opened for reading. `outbox`: a central store is configured,
        so changed attempts are marked to be sent; `clinic`: this terminal's clinic;
        `signing_key`: the key of the verification codes (by default the file
        QUIZ_SIGNING_KEY names, if set: one that cannot be used is a StoreError).
        """
        if isinstance(signing_key, EnvironmentKey):
            signing_key = verification.signing_key_from_environment()
        connection = db.connect(path, create=create)
        store = cls(path, connection, outbox=outbox, clinic=clinic, signing_key=signing_key)
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

    def _mark(self, connection: sqlite3.Connection, *rowids: int) -> None:
        """Mark attempts pending for the central store (inside the caller's write
        transaction), when one is configured; nothing otherwise."""
        if self.outbox:
            now = liveness.now_ms()
            for rowid in rowids:
                outbox.mark_pending(connection, rowid, now)

    def _mark_ids(self, connection: sqlite3.Connection, attempt_ids: Iterable[str]) -> None:
        if self.outbox:
            for attempt_id in attempt_ids:
                self._mark(connection, self._rowid(connection, attempt_id))

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
                _INSERT_ATTEMPT if self._clinic_columns else _INSERT_ATTEMPT_V6,
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
                    *(
                        (self.clinic, utc_offset_minutes(start.started_at))
                        if self._clinic_columns
                        else ()
                    ),
                ),
            )
            rowid = cursor.lastrowid
            assert rowid is not None
            if start.identified is not Identification.TYPED:  # the column's default
                connection.execute(
                    "UPDATE attempt SET identified = ? WHERE id = ?",
                    (str(start.identified), rowid),
                )
            given_up = paused.supersede(connection, self._ids, rowid)
            self._mark(connection, rowid)
            self._mark_ids(connection, given_up)
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
                    self._mark(connection, live.rowid)
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
                rowid = self._rowid(connection, attempt_id)
                pause_attempt(connection, rowid, to_ms(result.finished_at))
                self._mark(connection, rowid)
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
            verification.assign(connection, self._ids, rowid, self.signing_key)
            self._mark(connection, rowid)
        self._live.pop(attempt_id, None)

    # --- reading (quiz.storage.attempt_rows) ---------------------------------------------

    def list_attempts(
        self,
        *,
        learner: str | None = None,
        since: date | None = None,
        course: str | None = None,
        clinic: str | None = None,
    ) -> list[AttemptSummary]:
        """Attempts, newest first. `learner` matches by learner_key; `since` is a local
        date; `clinic` keeps those taken at that clinic."""
        with self._reading("listing attempts") as connection:
            return attempt_rows.list_attempts(
                connection, self._ids, learner=learner, since=since, course=course, clinic=clinic
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
        self, *, learner: str | None = None, since: date | None = None, clinic: str | None = None
    ) -> Iterator[str]:
        """The export (`quiz scores --format json`) of the attempts `list_attempts`
        gives, one attempt's JSON text at a time, read as it is written."""
        with self._reading("exporting attempts") as connection:
            yield from attempt_rows.export_texts(
                connection, self._ids, learner=learner, since=since, clinic=clinic
            )

    def learner_clinics(self, learner: str) -> list[str]:
        """The clinics `learner` (by learner_key) has attempts at, in order (one name at
        two clinics may be two people: the commands then ask for --clinic)."""
        with self._reading("reading a learner's clinics") as connection:
            return [
                str(row[0])
                for row in connection.execute(
                    """SELECT DISTINCT a.clinic FROM attempt a JOIN learner l ON l.id = a.learner
                       WHERE l.key = ? AND a.clinic IS NOT NULL ORDER BY a.clinic""",
                    (learner_key(learner),),
                )
            ]

    # --- learners' flags on questions (quiz.storage.flags) ------------------------------

    def record_flag(self, attempt_id: str, flag: FlagRecord) -> str:
        """Keep a learner's flag on a question of the attempt; its id. Never changes a
        score. Raises ValueError if the attempt has no such question, StoreError if it
        is not saved."""
        with self._writing("saving a flag") as connection:
            row = connection.execute(
                """SELECT a.id, a.items, q.code FROM attempt a
                   LEFT JOIN asked_question aq ON aq.id = asked_at(a.items, ?)
                   LEFT JOIN question q ON q.id = aq.question
                   WHERE a.uuid = ?""",
                (flag.position, attempt_id),
            ).fetchone()
            if row is None:
                raise ValueError(f"there is no attempt {attempt_id} in {self.path}")
            rowid, items, question = row
            if question != flag.question_id:
                raise ValueError(
                    f"question {flag.question_id!r} is not at position {flag.position} "
                    f"of attempt {attempt_id}"
                )
            flag_id = flags.add_flag(connection, rowid, items, flag)
            self._mark(connection, rowid)
        return flag_id

    def shown_flags(
        self, *, course: str | None = None, since: date | None = None
    ) -> list[flags.StoredFlag]:
        """The flags that may be shown (quiz.domain.flags.flag_shown), by question; of
        `course` only, raised on or after the local date `since`, if given."""
        since_ms = local_day_start_ms(since) if since is not None else None
        with self._reading("reading the flags") as connection:
            return flags.shown_flags(connection, course=course, since_ms=since_ms)

    # --- reports and learners (quiz.storage.reports, quiz.storage.learners) ----------

    def report(self, report_filter: reports.ReportFilter | None = None) -> reports.Report:
        """The manager's report: staff by section, questions, sections."""
        from quiz.storage import reports

        with self._reading("making the report") as connection, reports.snapshot(connection):
            return reports.build_report(connection, report_filter or reports.ReportFilter())

    def recertification_due(
        self, presets: Sequence[ValidPreset], now: datetime, learner: str | None = None
    ) -> tuple[RecertificationDue, ...]:
        """Who is due for recertification at `now` in each of `presets` (see
        quiz.storage.recertification)."""
        from quiz.storage import recertification, reports

        with self._reading("making the report") as connection, reports.snapshot(connection):
            return recertification.due_for_recertification(connection, presets, now, learner)

    def learner_passes(
        self, learner: str, presets: Sequence[ValidPreset], now: datetime
    ) -> tuple[PassValidity, ...]:
        """`learner`'s last pass of each of `presets`, and until when it holds."""
        from quiz.storage import recertification, reports

        with self._reading("reading the scores") as connection, reports.snapshot(connection):
            return recertification.learner_passes(connection, presets, learner, now)

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
            clinics = learners.clinics_of(writing, plan.learner_id)
            forgotten = learners.forget_learner(writing, plan)
            self._add_tombstones(writing, plan.key, {*clinics, self.clinic})
            return forgotten

    def _add_tombstones(
        self, connection: sqlite3.Connection, key: str, clinics: Iterable[str | None]
    ) -> None:
        """A tombstone for a forgotten learner at each clinic they are known at here
        (their attempts' clinics and this terminal's): sync carries it to the central
        store, and import refuses their attempts from then on."""
        day = from_ms(liveness.now_ms()).strftime("%Y-%m-%d")
        for clinic in sorted(c for c in clinics if c):
            outbox.add_tombstone(connection, outbox.tombstone_hash(clinic, key), day)

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
        clinic: str | None = None,
    ) -> list[DueCard]:
        """`quiz due`: per learner, the questions due by `now + within`, and the leeches
        (`clinic`: of the learners with an attempt at that clinic)."""
        with self._reading("reading the questions due") as connection:
            return card_queries.due_list(
                connection, now, within=within, learner=learner, course=course, clinic=clinic
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
                    verification.assign(connection, self._ids, attempt.rowid, self.signing_key)
                    self._mark(connection, attempt.rowid)
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
                    verification.assign(connection, self._ids, held.rowid, self.signing_key)
                    self._mark(connection, held.rowid)
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
            if found is not None:
                self._mark_ids(connection, [attempt_id])
        self._live.pop(attempt_id, None)  # read again: other answers may have come since
        return found

    def give_up_attempt(self, attempt_id: str) -> bool:
        """End paused attempt `attempt_id` as abandoned (an exam the learner declined to
        resume); False if it is paused no longer."""
        with self._writing("giving up a paused attempt") as connection:
            given_up = paused.give_up(connection, self._ids, attempt_id)
            if given_up:
                self._mark_ids(connection, [attempt_id])
            return given_up

    # --- the store's settings (quiz.storage.store_settings) ------------------------------

    def store_settings(self) -> StoreSettings:
        with self._reading("reading the store's settings") as connection:
            return store_settings.read_settings(connection)

    def change_store_settings(self, settings: StoreSettings) -> None:
        with self._writing("changing the store's settings") as connection:
            store_settings.write_settings(connection, settings)

    # --- PINs and managers (quiz.storage.pins; the rules: quiz.domain.identity) ---------

    def learner_has_pin(self, name: str) -> bool:
        with self._reading("reading whether a learner has a PIN") as connection:
            return pins.learner_has_pin(connection, name)

    def set_learner_pin(self, name: str, pin: str, *, by: pins.Role, now: datetime) -> None:
        """Give `name` the PIN `pin` (hashed). Raises PinRefused for a PIN that breaks
        the rules."""
        with self._writing("setting a PIN") as connection:
            pins.set_learner_pin(connection, name, pin, by=by, now=now)

    def clear_learner_pin(self, name: str) -> bool:
        with self._writing("clearing a PIN") as connection:
            return pins.clear_learner_pin(connection, name)

    def check_learner_pin(self, name: str, pin: str, *, now: datetime) -> PinCheck:
        """Check `name`'s PIN at `now` (a wrong one is counted; waits: identity)."""
        with self._writing("checking a PIN") as connection:
            return pins.check_learner_pin(connection, name, pin, now=now)

    def has_managers(self) -> bool:
        with self._reading("reading the managers") as connection:
            return pins.has_managers(connection)

    def list_managers(self) -> list[pins.ManagerInfo]:
        with self._reading("reading the managers") as connection:
            return pins.list_managers(connection)

    def add_manager(self, name: str, pin: str, *, now: datetime) -> bool:
        """Add manager `name` (or give her a new PIN); whether she is new."""
        with self._writing("adding a manager") as connection:
            return pins.add_manager(connection, name, pin, now=now)

    def remove_manager(self, name: str) -> str:
        """Remove manager `name`; raises pins.UnknownManager."""
        with self._writing("removing a manager") as connection:
            return pins.remove_manager(connection, name)

    def check_manager_pin(self, name: str, pin: str, *, now: datetime) -> PinCheck:
        with self._writing("checking a manager's PIN") as connection:
            return pins.check_manager_pin(connection, name, pin, now=now)

    # --- the outbox: what is still to be sent to the central store (quiz.storage.outbox) --

    def pending_count(self) -> int:
        with self._reading("counting the attempts not sent yet") as connection:
            return outbox.pending_count(connection)

    def pending_attempts(self, limit: int | None = None) -> list[outbox.Pending]:
        """The attempts waiting to be sent, oldest mark first."""
        with self._reading("listing the attempts not sent yet") as connection:
            return outbox.pending(connection, limit)

    def outgoing(self, pending: outbox.Pending) -> tuple[dict[str, object], int | None] | None:
        """What sending `pending` sends: its export dict and the UTC offset (minutes)
        its terminal had when it started; None if it is gone (forgotten meanwhile)."""
        with self._reading("reading an attempt to send") as connection:
            detail = attempt_rows.find_detail(connection, self._ids, pending.attempt_id)
            row = connection.execute(
                "SELECT utc_offset FROM attempt WHERE id = ?", (pending.rowid,)
            ).fetchone()
        if detail is None or row is None:
            return None
        return detail.to_export_dict(), row[0]

    def clear_sent(self, sent: outbox.Pending) -> bool:
        """Clear the mark of an attempt sent, if nothing changed since it was read."""
        with self._writing("noting an attempt as sent") as connection:
            return outbox.clear_sent(connection, sent)

    def clear_sent_all(self, sent: Sequence[outbox.Pending]) -> int:
        """`clear_sent` for several attempts, in one transaction (one commit, not one
        per attempt: a backlog's); how many marks were cleared."""
        with self._writing("noting attempts as sent") as connection:
            return sum(outbox.clear_sent(connection, pending) for pending in sent)

    def tombstones_to_send(self) -> list[tuple[bytes, str]]:
        with self._reading("reading the forgotten learners") as connection:
            return outbox.tombstones_to_send(connection)

    def tombstone_sent(self, hash_: bytes) -> None:
        with self._writing("noting a forgotten learner as sent") as connection:
            outbox.mark_tombstone_sent(connection, hash_)

    def receive_tombstones(self, clinic: str, received: Sequence[tuple[bytes, str]]) -> int:
        """Keep tombstones of `clinic` read from the central store, and forget the
        learners of this store they name; how many were forgotten. One with an attempt
        running now is left for the next sync."""
        from quiz.storage import learners

        with self._reading("reading the forgotten learners") as connection:
            known = {bytes(row[0]) for row in connection.execute("SELECT hash FROM tombstone")}
        received = [(hash_, day) for hash_, day in received if hash_ not in known]
        if not received:  # the usual round: nothing new, nothing written or read again
            return 0
        with self._writing("keeping the forgotten learners") as connection:
            for hash_, day in received:
                outbox.add_tombstone(connection, hash_, day)
                outbox.mark_tombstone_sent(connection, hash_)
        wanted = {hash_ for hash_, _ in received}
        forgotten = 0
        for learner in self.list_learners():
            hash_ = outbox.tombstone_hash(clinic, learner.key)
            if hash_ not in wanted:
                continue
            try:
                self.forget_learner(self.forget_plan(learner.name))
            except learners.LearnerProblem:  # running now: taken again at the next sync
                with self._writing("keeping the forgotten learners") as connection:
                    connection.execute("DELETE FROM tombstone WHERE hash = ?", (hash_,))
                continue
            forgotten += 1
        return forgotten

    def is_forgotten(self, clinic: str, learner: str) -> bool:
        """Whether `learner` was forgotten at `clinic` (a tombstone here)."""
        with self._reading("reading the forgotten learners") as connection:
            return outbox.is_tombstoned(
                connection, outbox.tombstone_hash(clinic, learner_key(learner))
            )

    def sync_state(self) -> outbox.SyncState:
        with self._reading("reading when the store was last sent") as connection:
            return outbox.sync_state(connection)

    def record_sync(self, failure: str | None = None) -> None:
        """Note a sync that succeeded (`failure` None) or failed, and why."""
        with self._writing("noting the sync") as connection:
            if failure is None:
                outbox.record_success(connection, liveness.now_ms())
            else:
                outbox.record_failure(connection, liveness.now_ms(), failure)

    def courses_used(self) -> list[tuple[str, str, datetime]]:
        """Per course, the version of this store's latest attempt and when it started:
        the course versions this terminal uses."""
        with self._reading("reading the course versions used") as connection:
            rows = connection.execute(
                """SELECT c.code, v.hash, max(a.started_at) FROM attempt a
                   JOIN course_version v ON v.id = a.course_version
                   JOIN course c ON c.id = v.course
                   GROUP BY c.code, v.hash"""
            ).fetchall()
        latest: dict[str, tuple[str, int]] = {}
        for code, version, started in rows:
            if code not in latest or started > latest[code][1]:
                latest[code] = (str(version), int(started))
        return [(code, v, from_ms(ms)) for code, (v, ms) in sorted(latest.items())]

    # --- verification codes (quiz.storage.verification) --------------------------------

    def check_code(self, code: str) -> verification.Check | None:
        """`quiz verify CODE`: the finished exam whose stored code is `code` (in its
        stored form: quiz.domain.verification.normalise_code), its record recomputed
        now; None when no attempt has that code."""
        with self._reading("checking a verification code") as connection:
            attempt_id = verification.find(connection, code)
            if attempt_id is None:
                return None
            return verification.check(connection, self._ids, attempt_id, self.signing_key)

    def check_codes(self) -> list[verification.Check]:
        """`quiz verify --store`: every finished exam's code against its record now."""
        with self._reading("checking the verification codes") as connection:
            return list(verification.check_all(connection, self._ids, self.signing_key))

    def attempt_ids_starting(self, prefix: str, limit: int = 6) -> list[str]:
        """The ids (UUIDs) of the attempts whose id starts with `prefix` (lower case),
        at most `limit` (a person types the first characters of an id)."""
        with self._reading("finding an attempt") as connection:
            return [
                str(row[0])
                for row in connection.execute(
                    "SELECT uuid FROM attempt WHERE substr(uuid, 1, ?) = ? ORDER BY uuid LIMIT ?",
                    (len(prefix), prefix.lower(), limit),
                )
            ]

    def certified_record(self, attempt_id: str) -> tuple[ExamRecord, str | None] | None:
        """A finished exam's record and its stored code, for its certificate; an exam
        that finished before codes existed gets one now (from its record as it is now).
        None when `attempt_id` is not a finished exam. The code is None only in a store
        that cannot be written or has no codes yet (an older version)."""
        with self._reading("reading an exam's record") as connection:
            record = verification.read_record(connection, self._ids, attempt_id)
            if record is None:
                return None
            code = verification.stored_code(connection, attempt_id)
        if code is None and not self._read_only():
            with self._writing("giving an exam its verification code") as connection:
                code = verification.stored_code(connection, attempt_id)  # another process?
                if code is None:
                    rowid = self._rowid(connection, attempt_id)
                    code = verification.assign(connection, self._ids, rowid, self.signing_key)
                    self._mark(connection, rowid)
        return record, code

    def _read_only(self) -> bool:
        return bool(self._connection.execute("PRAGMA query_only").fetchone()[0]) or (
            not os.access(self.path, os.W_OK)
        )

    # --- moving attempts between stores (quiz.storage.importing) ------------------------

    def import_attempts(
        self, details: Sequence[AttemptDetail], *, clinic: str | None = None
    ) -> ImportOutcome:
        """Add attempts exported elsewhere, matched by id: an identical one already here
        is left alone, a different one with the same id is reported and kept as it is.
        `clinic` is recorded on the attempts added (an old export's clinic: `quiz import
        --clinic`); the attempts of a learner forgotten at that clinic or this
        terminal's (a tombstone) are refused (the outcome's `forgotten`).

        A finished attempt is stored with the verdict its answers give (correct,
        percent, passed: `exchange.recompute`), whatever its file said; those whose file
        said otherwise are in the outcome's `recomputed`. `passed` is not compared with
        an attempt already here (the file's may be missing or stale, and is not used)."""
        from quiz.storage import importing

        tally = importing.ImportTally(
            clinic=clinic,
            tombstone_clinics=tuple(sorted({c for c in (clinic, self.clinic) if c})),
        )
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


def utc_offset_minutes(moment: datetime) -> int | None:
    """This computer's offset from UTC at `moment`, in whole minutes (None when the
    moment has no time zone: then it is not known)."""
    if moment.tzinfo is None:
        return None
    offset = moment.astimezone().utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)
