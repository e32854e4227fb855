"""ScoreStore's part that reads attempts back (quiz.storage.attempt_rows) and keeps the
learners' flags on their questions (quiz.storage.flags); see quiz.storage.store_core."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import date

from quiz.domain.flags import FlagRecord
from quiz.domain.text import learner_key
from quiz.storage import attempt_rows, flags
from quiz.storage.attempts import AttemptDetail, AttemptSummary
from quiz.storage.codec import local_day_start_ms
from quiz.storage.store_core import StoreCore


class AttemptReading(StoreCore):
    """Attempts listed, read back and exported; an attempt found by the start of its id;
    the flags on questions."""

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
