"""ScoreStore's part that moves attempts between stores: the outbox of attempts to send
to the central store, the tombstones both ways and the sync state (quiz.storage.outbox),
and the import of exports (quiz.storage.importing); see quiz.storage.store_core."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from quiz.domain.text import learner_key
from quiz.storage import attempt_rows, liveness, outbox
from quiz.storage.attempts import AttemptDetail
from quiz.storage.codec import from_ms
from quiz.storage.importing import ImportOutcome
from quiz.storage.store_learners import ReportsAndLearners


class CentralSync(ReportsAndLearners):
    """The outbox, tombstones and sync state; the import. A tombstone received forgets
    its learner here (ReportsAndLearners)."""

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
