"""The store's own settings, shared by every computer that uses the store: the pause
limit (how long a paused attempt without a deadline waits to be resumed; see
quiz.domain.pausing). One row of `store_settings` (quiz.storage.schema); none: the defaults.

Kept in the store, not in each account's settings, because whoever opens the store ends
the paused attempts past the limit (crash recovery): every process must agree on it.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass

from quiz.domain.pausing import DEFAULT_PAUSE_LIMIT_SECONDS


@dataclass(frozen=True)
class StoreSettings:
    pause_limit_seconds: int = DEFAULT_PAUSE_LIMIT_SECONDS


DEFAULTS = StoreSettings()


def read_settings(connection: sqlite3.Connection) -> StoreSettings:
    """The settings (the defaults in a store older than version 6, as tests make)."""
    try:
        row = connection.execute("SELECT pause_limit FROM store_settings WHERE id = 1").fetchone()
    except sqlite3.OperationalError as error:
        if "no such table" in str(error):
            return DEFAULTS
        raise
    return DEFAULTS if row is None else StoreSettings(pause_limit_seconds=int(row[0]))


def write_settings(connection: sqlite3.Connection, settings: StoreSettings) -> None:
    """Keep `settings` (inside the caller's write transaction)."""
    if settings.pause_limit_seconds <= 0:
        raise ValueError("the pause limit must be above zero")
    connection.execute(
        "INSERT OR REPLACE INTO store_settings (id, pause_limit) VALUES (1, ?)",
        (settings.pause_limit_seconds,),
    )
