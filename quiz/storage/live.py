"""An attempt in progress, as recording its answers needs it (read once, then cached),
and how one ends.

`ScoreStore.start_attempt` makes one; a store that did not start the attempt (the app
was restarted, or another store object records for it) reads it back with `read_live`.
`end_attempt` writes the outcome of an attempt that finished, or that recovery closed,
and keeps the report summaries and the drill's cards in the same transaction;
`pause_attempt` leaves one paused, to be taken up again (quiz.storage.paused), which
changes neither.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass

from quiz.domain.records import AskedQuestion, AttemptStatus
from quiz.storage import cards, summaries
from quiz.storage.card_reviews import Versions
from quiz.storage.codec import unpack_ints
from quiz.storage.interning import Ids


@dataclass
class LiveAttempt:
    """What record_answer needs about an attempt, read once."""

    rowid: int
    started_ms: int
    items: dict[str, AskedQuestion]  # by question id
    next_rev: dict[int, int]  # by item (position): the rev of its next answer
    last_heartbeat: float  # monotonic


def read_live(connection: sqlite3.Connection, ids: Ids, attempt_id: str) -> LiveAttempt | None:
    """The attempt of id (UUID) `attempt_id` with its questions and the rev each
    question's next answer gets; None if it is not in the store."""
    row = connection.execute(
        "SELECT id, started_at, items FROM attempt WHERE uuid = ?", (attempt_id,)
    ).fetchone()
    if row is None:
        return None
    rowid, started_at, packed = row
    items = {}
    for position, asked_id in enumerate(unpack_ints(packed)):
        asked = ids.asked_question(connection, asked_id, position)
        items[asked.question_id] = asked
    next_rev = dict(
        connection.execute(
            "SELECT item, max(rev) + 1 FROM answer WHERE attempt = ? GROUP BY item",
            (rowid,),
        ).fetchall()
    )
    return LiveAttempt(rowid, started_at, items, next_rev, time.monotonic())


def end_attempt(
    connection: sqlite3.Connection,
    rowid: int,
    status: AttemptStatus,
    finished_ms: int,
    *,
    correct: int,
    percent: float,
    passed: bool | None,
    total: int | None = None,
    versions: Versions | None = None,
) -> None:
    """Write attempt `rowid`'s outcome (inside the caller's write transaction; `total`
    None keeps the number asked), add it to the report summaries, if it counts, and
    review its cards (quiz.storage.cards; `versions`: the store's cache of question
    versions)."""
    before = connection.execute(
        "SELECT status, learner, mode, started_at, items FROM attempt WHERE id = ?", (rowid,)
    ).fetchone()
    connection.execute(
        """UPDATE attempt SET status = ?, finished_at = ?, correct = ?,
               total = coalesce(?, total), percent = ?, passed = ?, heartbeat_at = NULL
           WHERE id = ?""",
        (
            str(status),
            finished_ms,
            correct,
            total,
            percent,
            None if passed is None else int(passed),
            rowid,
        ),
    )
    summaries.apply_attempt(connection, rowid, 1)
    if before is None:
        return
    # Closed before (by recovery, in another process): its reviews may be in the cards.
    # A paused attempt had not ended: none of its answers were reviews yet.
    again = AttemptStatus(before[0]).ended
    row = (before[1], before[2], before[3], before[4], str(status))
    cards.apply_attempt(connection, rowid, again=again, versions=versions, row=row)


def pause_attempt(connection: sqlite3.Connection, rowid: int, paused_ms: int) -> bool:
    """Leave attempt `rowid` paused at `paused_ms`, its last sign of life (inside the
    caller's write transaction); False if it is not in progress (another process closed
    it meanwhile). It has not ended: no outcome, and nothing for the summaries or the
    cards until it does."""
    cursor = connection.execute(
        """UPDATE attempt SET status = 'paused', heartbeat_at = ?, finished_at = NULL,
               correct = NULL, percent = NULL, passed = NULL
           WHERE id = ? AND status = 'in_progress'""",
        (paused_ms, rowid),
    )
    return cursor.rowcount > 0
