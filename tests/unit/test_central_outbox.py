"""The SQLite outbox (quiz.storage.outbox) on a real store: marked in the caller's
transaction, listed, cleared only if unchanged since read, gone with a forgotten
learner's attempts."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.storage import db, outbox
from quiz.storage.scores import ScoreStore
from tests.support.store_records import fill_store


@pytest.fixture
def store_file(tmp_path: Path) -> Iterator[tuple[Path, sqlite3.Connection, list[int]]]:
    path = tmp_path / "scores.sqlite3"
    fill_store(path)
    connection = db.connect(path)  # schema 7 holds the outbox's tables
    rowids = [int(r[0]) for r in connection.execute("SELECT id FROM attempt ORDER BY id")]
    yield path, connection, rowids
    connection.close()


def test_a_mark_is_part_of_the_callers_transaction(
    store_file: tuple[Path, sqlite3.Connection, list[int]],
) -> None:
    _, connection, (first, second) = store_file
    with pytest.raises(RuntimeError), db.write_transaction(connection):
        outbox.mark_pending(connection, first, 1000)
        raise RuntimeError("the answer's insert failed")
    assert outbox.pending(connection) == []
    with db.write_transaction(connection):
        outbox.mark_pending(connection, second, 1000)
        outbox.mark_pending(connection, first, 2000)
    listed = outbox.pending(connection)
    assert [(p.rowid, p.version) for p in listed] == [(second, 1), (first, 1)]
    assert outbox.pending_count(connection) == 2
    assert outbox.pending(connection, limit=1)[0].rowid == second


def test_a_mark_is_cleared_only_if_nothing_changed_since_it_was_read(
    store_file: tuple[Path, sqlite3.Connection, list[int]],
) -> None:
    _, connection, (first, _) = store_file
    with db.write_transaction(connection):
        outbox.mark_pending(connection, first, 1000)
    (read,) = outbox.pending(connection)
    with db.write_transaction(connection):  # an answer saved while it was being sent
        outbox.mark_pending(connection, first, 1500)
    with db.write_transaction(connection):
        assert outbox.clear_sent(connection, read) is False
    (again,) = outbox.pending(connection)
    assert again.version == 2
    with db.write_transaction(connection):
        assert outbox.clear_sent(connection, again) is True
    assert outbox.pending(connection) == []


def test_forgetting_a_learner_takes_their_marks_and_leaves_a_tombstone(
    store_file: tuple[Path, sqlite3.Connection, list[int]],
) -> None:
    path, connection, (first, second) = store_file
    with db.write_transaction(connection):
        outbox.mark_pending(connection, first, 1000)  # Ana Ruiz's
        outbox.mark_pending(connection, second, 1000)  # Ben Ode's
        outbox.add_tombstone(connection, b"\x01" * 32, "2026-12-01")
    with ScoreStore.open(path) as store:
        store.forget_learner(store.forget_plan("Ana Ruiz"))
    assert [p.rowid for p in outbox.pending(connection)] == [second]
    assert outbox.tombstones_to_send(connection) == [(b"\x01" * 32, "2026-12-01")]
    assert outbox.is_tombstoned(connection, b"\x01" * 32)
    with db.write_transaction(connection):
        outbox.mark_tombstone_sent(connection, b"\x01" * 32)
    assert outbox.tombstones_to_send(connection) == []


def test_the_sync_state_keeps_the_last_success_and_failure(
    store_file: tuple[Path, sqlite3.Connection, list[int]],
) -> None:
    _, connection, _ = store_file
    assert outbox.sync_state(connection) == outbox.SyncState(None, None, None)
    with db.write_transaction(connection):
        outbox.record_failure(connection, 5, "the central store x@h:5432/db could not be reached")
        outbox.record_success(connection, 9)
    assert outbox.sync_state(connection) == outbox.SyncState(
        9, 5, "the central store x@h:5432/db could not be reached"
    )
