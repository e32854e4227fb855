"""Crash recovery: closing the attempts left in progress by a process that is gone.

Opening a store calls `ScoreStore.recover`, which lists the attempts in progress and
asks quiz.storage.liveness whether each one's process is gone. `close_gone` closes
one: `timed_out` at its deadline if that has passed, otherwise `abandoned` at its
last sign of life, graded from its saved answers (which stay) by quiz.domain.grading,
and added to the report summaries.
"""

from __future__ import annotations

import sqlite3
from typing import NamedTuple

from quiz.domain.grading import verdict
from quiz.domain.records import AttemptStatus
from quiz.storage import liveness
from quiz.storage.codec import unpack_ints
from quiz.storage.interning import Ids
from quiz.storage.live import end_attempt


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


def close_gone(connection: sqlite3.Connection, ids: Ids, rowid: int, now: int) -> bool:
    """Close attempt `rowid` (inside the caller's write transaction); False if another
    process closed it meanwhile."""
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
    return True
