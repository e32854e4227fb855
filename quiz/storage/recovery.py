"""Crash recovery, and the paused attempts whose time is up: closing attempts nobody is
taking any more.

Opening a store calls `ScoreStore.recover`, which does both:

- it lists the attempts in progress and asks quiz.storage.liveness whether each one's
  process is gone. `close_gone` leaves one as its process would have if it could
  (quiz.domain.pausing, `Leaving.GONE`): `timed_out` at its deadline if that has
  passed; otherwise `paused` at its last sign of life, to be resumed (a practice or
  drill round with nothing left to ask: `completed`);
- it lists the paused attempts and ends those whose time is up (`end_expired`,
  quiz.domain.pausing's `expiry`): an exam past its deadline `timed_out`, one without a
  deadline paused longer than the store's pause limit `abandoned`.

An attempt that ends here is graded from its saved answers (which stay) by
quiz.domain.grading (`close_from_answers`) and added to the report summaries and the
drill's cards; a paused one counts in neither until it ends.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from quiz.domain.grading import verdict
from quiz.domain.pausing import Leaving, expiry, status_on_leaving
from quiz.domain.records import AttemptStatus, Mode
from quiz.domain.rounds import round_order
from quiz.storage import liveness
from quiz.storage.codec import from_ms, to_ms, unpack_ints
from quiz.storage.interning import Ids
from quiz.storage.live import end_attempt, pause_attempt


class Unfinished(NamedTuple):
    """An attempt in progress, and what tells whether its process is still running."""

    rowid: int
    attempt_id: str
    pid: int | None
    host: str | None
    started_at: int
    heartbeat_at: int | None

    def is_gone(self, now_ms: int) -> bool:
        return liveness.is_gone(
            pid=self.pid,
            host=self.host,
            started_at_ms=self.started_at,
            heartbeat_at_ms=self.heartbeat_at,
            now_ms=now_ms,
        )


def unfinished(connection: sqlite3.Connection) -> list[Unfinished]:
    """The attempts in progress (whoever runs them)."""
    return [
        Unfinished(*row)
        for row in connection.execute(
            """SELECT a.id, a.uuid, a.pid, h.name, a.started_at, a.heartbeat_at
               FROM attempt a LEFT JOIN host h ON h.id = a.host
               WHERE a.status = 'in_progress'"""
        )
    ]


class _Answers(NamedTuple):
    """What an attempt's saved answers say about it."""

    latest: dict[int, tuple[bool, int]]  # item -> (right, at_ds) of the answer that counts
    given: list[tuple[int, bool]]  # every answer (not those taken back): (item, right)
    last_ms: int  # when the last one was given (0: none)


def _answers(connection: sqlite3.Connection, rowid: int, started_at: int) -> _Answers:
    latest: dict[int, tuple[bool, int]] = {}
    given: list[tuple[int, bool]] = []
    last = 0
    for item, correct, at_ds, taken_back in connection.execute(
        """SELECT item, correct, at_ds, response IS NULL FROM answer WHERE attempt = ?
           ORDER BY item, rev""",
        (rowid,),
    ):
        last = max(last, started_at + at_ds * 100)
        if taken_back:
            latest.pop(item, None)
            continue
        latest[item] = (bool(correct), at_ds)
        given.append((item, bool(correct)))
    return _Answers(latest, given, last)


def close_gone(
    connection: sqlite3.Connection, ids: Ids, rowid: int, now: int
) -> AttemptStatus | None:
    """Leave attempt `rowid`, whose process is gone, as quiz.domain.pausing says (inside
    the caller's write transaction); what it became, or None if another process closed
    it meanwhile."""
    row = connection.execute(
        """SELECT status, mode, started_at, heartbeat_at, deadline_at, items
           FROM attempt WHERE id = ?""",
        (rowid,),
    ).fetchone()
    if row is None or row[0] != AttemptStatus.IN_PROGRESS:
        return None  # another process closed it meanwhile
    _status, mode_text, started_at, heartbeat_at, deadline_at, packed = row
    mode = Mode(mode_text)
    answers = _answers(connection, rowid, started_at)
    order = round_order(mode, len(unpack_ints(packed)), answers.given)
    expired = deadline_at is not None and now >= deadline_at
    status = status_on_leaving(
        mode, Leaving.GONE, expired=expired, nothing_left=len(order) <= len(answers.given)
    )
    last_sign = max(started_at, heartbeat_at or 0, answers.last_ms)
    if status is AttemptStatus.PAUSED:
        pause_attempt(connection, rowid, last_sign)
        return status
    finished = deadline_at if status is AttemptStatus.TIMED_OUT else last_sign
    close_from_answers(connection, ids, rowid, status, finished)
    return status


class Paused(NamedTuple):
    """A paused attempt, and what tells whether its time is up."""

    rowid: int
    attempt_id: str
    paused_at: int
    deadline_at: int | None


def paused(connection: sqlite3.Connection) -> list[Paused]:
    """The paused attempts (whoever paused them)."""
    return [
        Paused(*row)
        for row in connection.execute(
            """SELECT id, uuid, coalesce(heartbeat_at, started_at), deadline_at
               FROM attempt WHERE status = 'paused'"""
        )
    ]


def end_expired(
    connection: sqlite3.Connection, ids: Ids, rowid: int, now: int, limit_seconds: int
) -> AttemptStatus | None:
    """End paused attempt `rowid` if its time is up (quiz.domain.pausing's `expiry`;
    inside the caller's write transaction): what it became, or None if it may still be
    resumed (or another process took it up or closed it meanwhile)."""
    row = connection.execute(
        "SELECT status, coalesce(heartbeat_at, started_at), deadline_at FROM attempt WHERE id = ?",
        (rowid,),
    ).fetchone()
    if row is None or row[0] != AttemptStatus.PAUSED:
        return None
    _status, paused_at, deadline_at = row
    ended = expiry(
        paused_at=from_ms(paused_at),
        deadline_at=from_ms(deadline_at) if deadline_at is not None else None,
        now=from_ms(now),
        limit_seconds=limit_seconds,
    )
    if ended is None:
        return None
    status, finished = ended
    close_from_answers(connection, ids, rowid, status, to_ms(finished))
    return status


def close_from_answers(
    connection: sqlite3.Connection, ids: Ids, rowid: int, status: AttemptStatus, finished: int
) -> None:
    """End attempt `rowid` as `status` at `finished` (ms), graded from its saved answers
    (inside the caller's write transaction): its outcome, the report summaries and the
    drill's cards (quiz.storage.live.end_attempt)."""
    started_at, pass_mark, packed = connection.execute(
        "SELECT started_at, pass_mark, items FROM attempt WHERE id = ?", (rowid,)
    ).fetchone()
    items = unpack_ints(packed)
    answers = _answers(connection, rowid, started_at)
    right = {item for item, (correct, _at) in answers.latest.items() if correct}
    critical = [
        ids.asked_question(connection, asked, item).critical for item, asked in enumerate(items)
    ]
    outcome = verdict(critical, right, pass_mark, abandoned=status is AttemptStatus.ABANDONED)
    end_attempt(
        connection,
        rowid,
        status,
        finished,
        correct=outcome.correct,
        percent=outcome.percent,
        passed=outcome.passed,
    )
