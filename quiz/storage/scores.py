"""ScoreStore: every attempt and every answer, saved as it happens; the store's facade.

The schema is described in `quiz.storage.schema`. One ScoreStore holds one SQLite
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
import time
import uuid
from dataclasses import replace
from datetime import datetime
from pathlib import Path

from quiz.domain.identity import Identification
from quiz.domain.pausing import PausedAttempt, expiry
from quiz.domain.records import AnswerRecord, AttemptResult, AttemptStart, AttemptStatus
from quiz.domain.text import learner_key
from quiz.storage import db, liveness, paused, recovery, store_settings, summaries, verification
from quiz.storage.attempt_rows import INSERT_ANSWER
from quiz.storage.codec import encode_response, from_ms, offset_ds, seconds_to_ms, to_ms
from quiz.storage.errors import StoreError
from quiz.storage.files import backup, set_aside
from quiz.storage.importing import ImportOutcome
from quiz.storage.live import LiveAttempt, end_attempt, pause_attempt
from quiz.storage.store_cards import DrillCards
from quiz.storage.store_identity import IdentityAndCodes
from quiz.storage.store_reading import AttemptReading
from quiz.storage.store_settings import StoreSettings
from quiz.storage.store_sync import CentralSync

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


class ScoreStore(AttemptReading, CentralSync, DrillCards, IdentityAndCodes):
    """The score store: open with `ScoreStore.open(path)`, close with `close()`.

    One object made of parts by concern (quiz.storage.store_core: the connection, its
    transactions and caches), each calling the modules of its concern:
    .store_reading (attempts read back: .attempt_rows; flags: .flags), .store_learners
    (.reports, .learners), .store_cards (the drill's cards: .cards, .card_queries;
    .scheduling runs FSRS over them), .store_sync (.outbox, .importing) and
    .store_identity (.pins, .verification). Here: opening and closing, the attempt as it
    happens (.interning for ids, .live), crash recovery (.recovery), paused attempts
    (.paused) and the store's settings (.store_settings); .files sets a damaged store
    aside and makes backups.
    """

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


def utc_offset_minutes(moment: datetime) -> int | None:
    """This computer's offset from UTC at `moment`, in whole minutes (None when the
    moment has no time zone: then it is not known)."""
    if moment.tzinfo is None:
        return None
    offset = moment.astimezone().utcoffset()
    return None if offset is None else int(offset.total_seconds() // 60)
