"""A local SQLite mirror of what the connecting role may read on the central store.

The mirror is an ordinary score store (so `quiz report`, `scores`, `learners` run
their tuned SQLite code on it), in the user cache folder, one per server and role
(`mirror_path`). A pull reads the ended attempts the server's row-level security lets
the role see and adds them with the import's own code (ScoreStore.import_attempts):
checked, verdicts recomputed, summaries and cards kept, as for any import. They are
put in the form the import takes (exchange.PreparedAttempt) straight from their rows
(quiz.storage.central.fill), the import's reader checking each question as asked once,
and reading the export (`quiz scores --format json`) rebuilt from an attempt's rows
where anything is out of the ordinary. Only ended attempts come: the import leaves
running ones out, and an ended attempt never changes on the server (its status only
moves forward).

Pulls are incremental. Attempt ids alone cannot say what is new: an attempt is first
sent in progress and ends later, and transactions commit out of id order. So each
attempt row carries the transaction that last changed it (changed_xid), and a pull
reads, in one REPEATABLE READ snapshot, the rows changed by transactions at or after
the previous pull's snapshot xmin (every transaction before it had ended when that
pull ran, so nothing is missed; a row read twice is found present by the import).

Forgetting reaches the mirror as tombstones: a tombstone (sha256 of clinic code and
learner key) matching a learner of the mirror forgets that learner here too (their
attempts at other clinics come back at the next pull, which then reads everything).
The mirror's own bookkeeping is in tables named central_* of the mirror file. What a
pull reads from the server, and how each attempt is checked, is in
quiz.storage.central.pull_reading.
"""

from __future__ import annotations

import hashlib
import sqlite3
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz import paths
from quiz.storage import db
from quiz.storage.central.errors import CentralError, ServerName
from quiz.storage.central.pull_reading import read_server
from quiz.storage.codec import from_ms
from quiz.storage.liveness import now_ms
from quiz.storage.outbox import tombstone_hash

if TYPE_CHECKING:
    import psycopg

    from quiz.storage.scores import ScoreStore


MIRROR_STATE_SQL = """
CREATE TABLE IF NOT EXISTS central_pull (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server TEXT NOT NULL,
    watermark TEXT NOT NULL,
    pulled_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS central_tombstone (
    hash BLOB PRIMARY KEY
) WITHOUT ROWID;
"""
"""The mirror's bookkeeping: the server it mirrors, the snapshot xmin of the last pull
(as text: an xid8) and when it ended (ms, this computer's clock: only to say how old the
mirror is), and the tombstones already applied."""


@dataclass(frozen=True)
class PullOutcome:
    """What a pull did."""

    read: int  # attempts read from the server
    imported: int  # new in the mirror
    conflicting: tuple[str, ...]  # ids whose copy differs from the mirror's (kept as it was)
    forgotten: int  # learners of the mirror forgotten by a tombstone
    pulled_at: datetime


def mirror_path(server: ServerName) -> Path:
    """The mirror of `server` (as its role), in the user cache folder."""
    digest = hashlib.sha256(str(server).encode("utf-8")).hexdigest()[:20]
    return paths.cache_dir() / "central" / f"mirror-{digest}.sqlite3"


def is_mirror(path: Path) -> bool:
    """Whether `path` is a mirror (in the folder `mirror_path` puts them)."""
    return path.parent == paths.cache_dir() / "central" and path.name.startswith("mirror-")


def last_pulled(mirror: Path) -> datetime | None:
    """When the mirror was last brought up to date (None: never)."""
    if not mirror.exists():
        return None
    with closing(db.connect(mirror, create=False)) as connection:
        _state_tables(connection)
        row = connection.execute("SELECT pulled_at FROM central_pull").fetchone()
    return None if row is None else from_ms(int(row[0]))


def pull(connection: psycopg.Connection[Any], server: ServerName, mirror: Path) -> PullOutcome:
    """Bring the mirror at `mirror` up to date with what the connection's role may read.
    Raises CentralError (the server) or StoreError (the mirror file)."""
    import psycopg

    from quiz.storage.scores import ScoreStore

    # One connection to the mirror's bookkeeping for the whole pull, and the score store
    # opened only when there is something to add or forget: a report on a current mirror
    # pays for one opening of the file here, not three.
    with closing(db.connect(mirror)) as state:
        _state_tables(state)
        row = state.execute("SELECT server, watermark FROM central_pull").fetchone()
        if row is not None and row[0] != str(server):
            raise CentralError(
                "other",
                server,
                f"the mirror {mirror} holds {row[0]}'s attempts, not {server}'s; delete it "
                "(it is only a copy) and pull again.",
            )
        watermark = "0" if row is None else str(row[1])
        applied = {bytes(r[0]) for r in state.execute("SELECT hash FROM central_tombstone")}

        placed: dict[str, tuple[Any, Any]] = {}
        try:
            read, new_watermark, tombstones, exported = read_server(connection, watermark, placed)
        except psycopg.Error as error:
            from quiz.storage.central.push import ingest_error

            raise ingest_error(error, server, "(pull)") from None
        outcome, forgotten = None, 0
        with exported:
            if read or any(h not in applied for h, _ in tombstones):
                with ScoreStore.open(mirror) as store:
                    outcome = store.import_attempts(exported) if read else None
                    forgotten = _apply_tombstones(store, tombstones, applied)
        _place(mirror, placed)
        pulled = now_ms()
        _record_pull(state, str(server), "0" if forgotten else new_watermark, pulled, tombstones)
    return PullOutcome(
        read=read,
        imported=len(outcome.imported) if outcome else 0,
        conflicting=outcome.conflicting if outcome else (),
        forgotten=forgotten,
        pulled_at=from_ms(pulled),
    )


def _record_pull(
    state: sqlite3.Connection,
    server: str,
    watermark: str,
    pulled: int,
    tombstones: list[tuple[bytes, str]],
) -> None:
    """Keep where the pull got to, when it ended, and the tombstones it applied."""
    with db.write_transaction(state):
        state.execute(
            "INSERT OR REPLACE INTO central_pull (id, server, watermark, pulled_at) "
            "VALUES (1, ?, ?, ?)",
            (server, watermark, pulled),
        )
        state.executemany(
            "INSERT OR IGNORE INTO central_tombstone (hash) VALUES (?)",
            [(h,) for h, _ in tombstones],
        )


def _place(mirror: Path, placed: dict[str, tuple[Any, Any]]) -> None:
    """Record the server's clinic and UTC offset on the mirror's attempts (those that
    have none yet: an attempt's clinic never changes)."""
    if not placed:
        return
    with closing(db.connect(mirror)) as connection, db.write_transaction(connection):
        connection.executemany(
            "UPDATE attempt SET clinic = ?, utc_offset = ? WHERE uuid = ? AND clinic IS NULL",
            [(code, offset, uuid) for uuid, (code, offset) in placed.items()],
        )


def _state_tables(connection: sqlite3.Connection) -> None:
    present = connection.execute(
        "SELECT count(*) FROM sqlite_schema "
        "WHERE name IN ('central_pull', 'central_tombstone') AND type = 'table'"
    ).fetchone()[0]
    if present == 2:
        return  # made already: no write (and no commit to wait for) on every pull
    with db.write_transaction(connection):
        for statement in MIRROR_STATE_SQL.split(";"):
            if statement.strip():
                connection.execute(statement)


def _apply_tombstones(
    store: ScoreStore, tombstones: list[tuple[bytes, str]], applied: set[bytes]
) -> int:
    """Forget the mirror's learners a new tombstone names; how many."""
    from quiz.storage.learners import UnknownLearner

    new = {h: code for h, code in tombstones if h not in applied}
    if not new:
        return 0
    forgotten = 0
    for learner in store.list_learners():
        if not any(tombstone_hash(code, learner.key) == h for h, code in new.items()):
            continue
        try:
            plan = store.forget_plan(learner.name)
        except UnknownLearner:
            continue
        store.forget_learner(plan)
        forgotten += 1
    return forgotten
