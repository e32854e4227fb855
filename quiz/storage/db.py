"""Opening the score store file, and its schema (versioned with `PRAGMA user_version`).

The store is one SQLite file, in WAL mode with `synchronous=FULL`: a commit is on disk
when `COMMIT` returns. Every write is one `BEGIN IMMEDIATE` transaction on a connection
with a busy timeout, so two terminals on one file wait for each other instead of failing
with "database is locked". A new file is built under a temporary name and linked into
place, so a crash never leaves a half-made store behind; it is owner-only (0600).

The tables are described, and the DDL of each version kept as it was applied, in
quiz.storage.schema; the steps that are more than DDL (the table rebuilds) are
quiz.storage.migration_steps.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

from quiz.storage import flags, schema, summaries
from quiz.storage.codec import unpack_ints
from quiz.storage.errors import (
    BUSY_TIMEOUT_SECONDS,
    StoreError,
    newer_format,
    not_a_database,
    translate,
)
from quiz.storage.migration_steps import script, to_v4, to_v5, to_v6

QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024
"""Opening runs SQLite's quick_check (a read of every page) on stores up to this size
(about a million answers; ~0.2 s). Bigger ones get the light probe only, and damage
is reported when a statement meets it."""

APPLICATION_ID = 0x5155495A  # "QUIZ", so a file of another program is not mistaken for ours
SQLITE_HEADER = b"SQLite format 3\x00"


# MIGRATIONS[n] takes a store of version n to version n + 1, all of them in one
# transaction with foreign keys off (a step may rebuild a table, and SQLite cannot turn
# them off inside a transaction): a step that could break them checks them itself.
# The summaries are not built by a step: `_migrate` builds them all once, after the
# last step, when the upgrade starts below SUMMARIES_VERSION (with the code of now,
# which writes the tables of now). A store made with `upto` below SUMMARIES_VERSION,
# as tests do, has its summary tables empty.
MIGRATIONS: list[Callable[[sqlite3.Connection], None]] = [
    script(schema.V1),
    script(schema.V2),
    script(schema.V3),
    to_v4,
    to_v5,
    to_v6,
    script(schema.V7),
    script(schema.V8),
    flags.migrate,
    script(schema.V10),
]
SCHEMA_VERSION = len(MIGRATIONS)
CLINIC_VERSION = 7
"""The version that added the outbox and attempt.clinic and utc_offset."""
IDENTITY_VERSION = 8
"""The version that added attempt.identified and verify_code, the learners' PINs, the
managers and the wrong-PIN counters (issue 18)."""
FLAGS_VERSION = 9
"""The version that added the learners' flags on questions (quiz.storage.flags)."""
VERSIONED_STATS_VERSION = summaries.TABLES_VERSION
"""The version that keyed question_stats and choice_stats by content version too (10)."""
SUMMARIES_VERSION = VERSIONED_STATS_VERSION
"""The version that made the summary tables as they are now (a later version that
changes them, or what they hold, raises it; 3 before VERSIONED_STATS_VERSION)."""


@contextmanager
def write_transaction(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """`BEGIN IMMEDIATE` ... `COMMIT`, rolled back if anything in it fails."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        yield connection
    except BaseException:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass  # the transaction is gone already (SQLite rolled it back itself)
        raise
    try:
        connection.execute("COMMIT")
    except BaseException:
        try:
            connection.execute("ROLLBACK")
        except sqlite3.Error:
            pass
        raise


def connect(path: Path, *, create: bool = True, upto: int = SCHEMA_VERSION) -> sqlite3.Connection:
    """A configured connection to the store at `path`, probed and migrated to `upto`.

    Creates the file (and its folder) when it is missing and `create` is true. Never
    changes a file that is not a quiz store, or is damaged. Raises StoreError. An `upto`
    below SCHEMA_VERSION is for tests making files of an older version: their summary
    tables are left empty (MIGRATIONS).
    """
    try:
        exists = _exists(path)
        if not exists:
            if not create:
                raise StoreError(
                    "other",
                    path,
                    f"{path} does not exist. Nothing has been saved there yet; check the "
                    "path given with --db or QUIZ_DB.",
                )
            _create(path, upto)
        else:
            _check_header(path)
        connection = _open(path)
    except (OSError, sqlite3.Error) as error:
        raise translate(error, path, "opening the score store") from error
    try:
        _probe(connection, path)  # before anything that could write to the file
        _use_wal(connection)
        _migrate(connection, path, upto)
    except BaseException as error:
        connection.close()
        if isinstance(error, OSError | sqlite3.Error):
            raise translate(error, path, "opening the score store") from error
        raise
    return connection


def _exists(path: Path) -> bool:
    try:
        os.stat(path)
    except FileNotFoundError:
        return False
    return True


def _check_header(path: Path) -> None:
    if path.is_dir():
        raise not_a_database(path, "it is a folder")
    with open(path, "rb") as handle:
        header = handle.read(len(SQLITE_HEADER))
    if not header:
        raise not_a_database(path, "it is empty: 0 bytes")
    if header != SQLITE_HEADER:
        raise not_a_database(path)


def _open(path: Path) -> sqlite3.Connection:
    # mode=rw: SQLite must never create (or re-create) the file; _create does that.
    uri = path.absolute().as_uri() + "?mode=rw"
    connection = sqlite3.connect(
        uri,
        uri=True,
        timeout=BUSY_TIMEOUT_SECONDS,
        isolation_level=None,  # transactions are explicit: BEGIN IMMEDIATE ... COMMIT
        check_same_thread=False,  # ScoreStore serialises use with a lock
    )
    try:
        connection.execute("PRAGMA foreign_keys = ON")
        connection.execute("PRAGMA synchronous = FULL")
        register_functions(connection)
    except BaseException:
        connection.close()
        raise
    return connection


def register_functions(connection: sqlite3.Connection) -> None:
    """SQL functions for queries over the store: asked_at(items, item) is the
    asked_question id of an attempt's item (NULL if there is no such item)."""

    def asked_at(items: bytes | None, item: int | None) -> int | None:
        if items is None or item is None:
            return None
        ids = unpack_ints(items)
        return ids[item] if 0 <= item < len(ids) else None

    connection.create_function("asked_at", 2, asked_at, deterministic=True)


def _use_wal(connection: sqlite3.Connection) -> None:
    """WAL mode (kept in the file), once the file is known to be a quiz store."""
    try:
        connection.execute("PRAGMA journal_mode = WAL").fetchone()
    except sqlite3.OperationalError as error:
        if "readonly" not in str(error) and "read-only" not in str(error):
            raise
        # A read-only file can still be read; writes will say why they fail.


def _probe(connection: sqlite3.Connection, path: Path) -> None:
    """Read the header and the schema now: SQLite only notices a bad file at first use."""
    tables = {row[0] for row in connection.execute("SELECT name FROM sqlite_schema")}
    application_id = connection.execute("PRAGMA application_id").fetchone()[0]
    if application_id != APPLICATION_ID and (application_id or tables):
        raise not_a_database(path, "it is a database of another program")
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version > SCHEMA_VERSION:
        raise newer_format(path, version, SCHEMA_VERSION)
    if path.stat().st_size > QUICK_CHECK_MAX_BYTES:
        return
    check = connection.execute("PRAGMA quick_check(1)").fetchone()[0]
    if check != "ok":
        raise StoreError(
            "corrupt",
            path,
            f"{path} is damaged ({check}). The file was not changed. Keep it: its answers "
            "may still be rescued (sqlite3's .recover command). Open the quiz app to set it "
            "aside and start a new store, or choose another file with --db PATH.",
        )


def _migrate(connection: sqlite3.Connection, path: Path, upto: int) -> None:
    version = connection.execute("PRAGMA user_version").fetchone()[0]
    if version >= upto:
        return
    if version > 0:
        _backup_before_upgrade(connection, path, version)
    # A no-op inside a transaction, so around it (SQLite's table rebuild procedure).
    enforced = connection.execute("PRAGMA foreign_keys").fetchone()[0]
    connection.execute("PRAGMA foreign_keys = OFF")
    try:
        with write_transaction(connection):
            # Read again under the write lock: another process may have upgraded meanwhile.
            version = connection.execute("PRAGMA user_version").fetchone()[0]
            if version >= upto:
                return
            if version == 0:
                connection.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            for step in range(version, upto):
                MIGRATIONS[step](connection)
            if version < SUMMARIES_VERSION <= upto:
                summaries.rebuild(connection)  # every summary table, those of version 2 too
            connection.execute(f"PRAGMA user_version = {upto}")
    finally:
        if enforced:
            connection.execute("PRAGMA foreign_keys = ON")


def _backup_before_upgrade(connection: sqlite3.Connection, path: Path, version: int) -> None:
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    if _exists(target):
        return
    backup_connection(connection, target)


def backup_connection(source: sqlite3.Connection, target: Path) -> None:
    """Copy a store with SQLite's backup API into a new file (never over an existing one)."""
    descriptor = os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.close(descriptor)
    destination = sqlite3.connect(target)
    try:
        source.backup(destination)
    finally:
        destination.close()


def _create(path: Path, upto: int) -> None:
    """Build a new store under a temporary name, then link it into place."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.new-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        descriptor = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except OSError as error:  # name the folder, not the temporary file
        raise OSError(error.errno, error.strerror, str(path.parent)) from error
    os.close(descriptor)
    try:
        connection = sqlite3.connect(temporary, isolation_level=None)
        try:
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA journal_mode = WAL")
            _migrate(connection, temporary, upto)
        finally:
            connection.close()  # checkpoints and removes the -wal: one complete file
        _fsync(temporary)
        try:
            os.link(temporary, path)  # fails if another process created it meanwhile
        except FileExistsError:
            pass
        except OSError:
            # No hard links here (some network or FAT file systems): rename, unless a
            # store appeared meanwhile.
            if not _exists(path):
                os.replace(temporary, path)
        _fsync_folder(path.parent)
    finally:
        for leftover in (temporary, Path(f"{temporary}-wal"), Path(f"{temporary}-shm")):
            try:
                os.unlink(leftover)
            except FileNotFoundError:
                pass


def _fsync(path: Path) -> None:
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _fsync_folder(folder: Path) -> None:
    if os.name != "posix":
        return
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
