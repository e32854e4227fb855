"""The core every part of ScoreStore shares: one SQLite connection used under a lock,
its write and read transactions (a failed one a StoreError that says what to do), the
outbox marks a write adds, and what one open store caches (ids, the attempts in
progress, question versions).

ScoreStore (quiz.storage.scores) is one class made of parts by concern, each a subclass
of StoreCore in a module of its own: store_reading (attempts read back, flags),
store_learners (reports and learners), store_cards (the drill's cards), store_sync (the
outbox, sync and import) and store_identity (PINs, managers, verification codes); the
attempt as it happens, recovery and paused attempts are scores itself. The parts are
methods of one object, so no call goes through another object: an answer's commit
costs what it did when the store was one module.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path

from quiz.storage import db, liveness, outbox
from quiz.storage.card_reviews import Versions
from quiz.storage.errors import translate
from quiz.storage.interning import Ids
from quiz.storage.live import LiveAttempt, read_live


class StoreCore:
    """What the parts of ScoreStore share (see the module): made through ScoreStore."""

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
        self._card_versions = Versions()
        """Question versions as the cards need them: the rows never change (nor are
        they deleted), so they are read once per store."""

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

    def _read_only(self) -> bool:
        """Whether writing is ruled out: the connection is query-only, or the file is
        not writable."""
        return bool(self._connection.execute("PRAGMA query_only").fetchone()[0]) or (
            not os.access(self.path, os.W_OK)
        )

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
