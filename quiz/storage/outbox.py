"""The outbox: attempts of this store still to be sent to the central store (issue 16).

Every answer is saved locally first, in its own transaction, as before; in that same
transaction the attempt is marked pending (`mark_pending`). A sender (the app's
background thread, `quiz sync`) lists what is pending (`pending`), sends each attempt
whole, and clears its mark only if nothing changed meanwhile (`clear_sent`): every mark
bumps the attempt's `version`, so an answer saved while the attempt was on its way
leaves it pending for the next round. Forgetting a learner deletes their attempts, and
the marks go with them (ON DELETE CASCADE).

Forgetting also leaves a tombstone (`add_tombstone`): a hash of the learner key and
the clinic, and the day, no name; sync carries the tombstones both ways.

The SQL is MIGRATION_SQL, a step for quiz.storage.db's list of migrations. The
functions take a sqlite3 connection: the caller holds the transaction.
"""

from __future__ import annotations

import hashlib
import sqlite3
from dataclasses import dataclass

MIGRATION_SQL = """
CREATE TABLE outbox (
    attempt INTEGER PRIMARY KEY REFERENCES attempt(id) ON DELETE CASCADE,
    version INTEGER NOT NULL,
    marked_at INTEGER NOT NULL
);
CREATE TABLE tombstone (
    hash BLOB PRIMARY KEY,
    forgotten_on TEXT NOT NULL,
    sent INTEGER NOT NULL DEFAULT 0 CHECK (sent IN (0, 1))
) WITHOUT ROWID;
CREATE TABLE sync_state (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    last_success_at INTEGER,
    last_failure_at INTEGER,
    last_failure TEXT
);
"""
"""outbox(attempt, version, marked_at): an attempt to send; version counts its marks,
marked_at (ms) the latest. tombstone(hash, forgotten_on, sent): a forgotten learner
(sha256 of clinic code, newline, learner key; the day as YYYY-MM-DD), sent once the
central store has it. sync_state: one row, when a sync last succeeded and last failed
(ms, this computer's clock), and why (a message naming the server, no password)."""


def tombstone_hash(clinic: str, key: str) -> bytes:
    """A tombstone's hash: sha256 of the clinic's code, a newline and the learner key
    (quiz.domain.text.learner_key). The central store's quiz.tombstone_hash is the same
    (tests/central/test_central_pull.py compares them)."""
    return hashlib.sha256(f"{clinic}\n{key}".encode()).digest()


@dataclass(frozen=True)
class Pending:
    """An attempt waiting to be sent, as read: clear it with this version."""

    rowid: int
    attempt_id: str  # the attempt's uuid
    version: int


def mark_pending(connection: sqlite3.Connection, attempt_rowid: int, now_ms: int) -> None:
    """Mark an attempt pending (again), inside the caller's write transaction."""
    connection.execute(
        """INSERT INTO outbox (attempt, version, marked_at) VALUES (?, 1, ?)
           ON CONFLICT (attempt) DO UPDATE
           SET version = version + 1, marked_at = excluded.marked_at""",
        (attempt_rowid, now_ms),
    )


def pending(connection: sqlite3.Connection, limit: int | None = None) -> list[Pending]:
    """The attempts waiting to be sent, oldest mark first."""
    rows = connection.execute(
        """SELECT o.attempt, a.uuid, o.version FROM outbox o JOIN attempt a ON a.id = o.attempt
           ORDER BY o.marked_at, o.attempt LIMIT ?""",
        (-1 if limit is None else limit,),
    ).fetchall()
    return [Pending(int(r[0]), str(r[1]), int(r[2])) for r in rows]


def pending_count(connection: sqlite3.Connection) -> int:
    row = connection.execute("SELECT count(*) FROM outbox").fetchone()
    return int(row[0])


def clear_sent(connection: sqlite3.Connection, sent: Pending) -> bool:
    """Clear the mark of an attempt that was sent, only if it is still the version that
    was read (nothing saved meanwhile); whether it was cleared."""
    cursor = connection.execute(
        "DELETE FROM outbox WHERE attempt = ? AND version = ?", (sent.rowid, sent.version)
    )
    return cursor.rowcount == 1


def add_tombstone(connection: sqlite3.Connection, hash_: bytes, forgotten_on: str) -> None:
    """Keep a tombstone (inside the caller's transaction: the one that forgets)."""
    connection.execute(
        "INSERT OR IGNORE INTO tombstone (hash, forgotten_on) VALUES (?, ?)",
        (hash_, forgotten_on),
    )


def tombstones_to_send(connection: sqlite3.Connection) -> list[tuple[bytes, str]]:
    return [
        (bytes(r[0]), str(r[1]))
        for r in connection.execute(
            "SELECT hash, forgotten_on FROM tombstone WHERE sent = 0 ORDER BY hash"
        )
    ]


def mark_tombstone_sent(connection: sqlite3.Connection, hash_: bytes) -> None:
    connection.execute("UPDATE tombstone SET sent = 1 WHERE hash = ?", (hash_,))


def is_tombstoned(connection: sqlite3.Connection, hash_: bytes) -> bool:
    """Whether a learner (by tombstone hash) was forgotten here: import and pull refuse
    their attempts."""
    return (
        connection.execute("SELECT 1 FROM tombstone WHERE hash = ?", (hash_,)).fetchone()
        is not None
    )


@dataclass(frozen=True)
class SyncState:
    last_success_ms: int | None
    last_failure_ms: int | None
    last_failure: str | None


def record_success(connection: sqlite3.Connection, now_ms: int) -> None:
    connection.execute(
        """INSERT INTO sync_state (id, last_success_at) VALUES (1, ?)
           ON CONFLICT (id) DO UPDATE SET last_success_at = excluded.last_success_at""",
        (now_ms,),
    )


def record_failure(connection: sqlite3.Connection, now_ms: int, message: str) -> None:
    connection.execute(
        """INSERT INTO sync_state (id, last_failure_at, last_failure) VALUES (1, ?, ?)
           ON CONFLICT (id) DO UPDATE
           SET last_failure_at = excluded.last_failure_at, last_failure = excluded.last_failure""",
        (now_ms, message),
    )


def sync_state(connection: sqlite3.Connection) -> SyncState:
    row = connection.execute(
        "SELECT last_success_at, last_failure_at, last_failure FROM sync_state"
    ).fetchone()
    if row is None:
        return SyncState(None, None, None)
    return SyncState(row[0], row[1], row[2])
