"""StoreError: what went wrong with the score store file, said so a person can act on it."""

from __future__ import annotations

import errno
import os
import sqlite3
from pathlib import Path

from quiz.errors import StoreError as StoreError
from quiz.errors import StoreErrorKind as StoreErrorKind

BUSY_TIMEOUT_SECONDS = 10.0

_UNTOUCHED = "The file was not changed."
_ELSEWHERE = "or choose another file with --db PATH"


def not_a_database(path: Path, why: str = "it is not an SQLite database") -> StoreError:
    return StoreError(
        "not_a_database",
        path,
        f"{path} is not a quiz score store ({why}). {_UNTOUCHED} "
        f"Move it out of the way, {_ELSEWHERE}.",
    )


def newer_format(path: Path, found: int, known: int) -> StoreError:
    return StoreError(
        "other",
        path,
        f"{path} was written by a newer version of quiz (store format {found}; this one "
        f"reads up to {known}). {_UNTOUCHED} Update quiz, {_ELSEWHERE}.",
    )


def translate(error: BaseException, path: Path, doing: str) -> StoreError:
    """A StoreError for an sqlite3 or OS error met while `doing` something with `path`."""
    if isinstance(error, StoreError):
        return error
    if isinstance(error, sqlite3.Error):
        return _from_sqlite(error, path, doing)
    if isinstance(error, OSError):
        return _from_os(error, path, doing)
    return StoreError("other", path, f"{path}: {doing} failed: {error}")


def _from_sqlite(error: sqlite3.Error, path: Path, doing: str) -> StoreError:
    name = getattr(error, "sqlite_errorname", "") or ""
    detail = str(error)
    if name == "SQLITE_NOTADB" or "file is not a database" in detail:
        return not_a_database(path)
    if name.startswith("SQLITE_CORRUPT") or "malformed" in detail:
        return StoreError(
            "corrupt",
            path,
            f"{path} is damaged ({detail}). {_UNTOUCHED} Keep it: its answers may still be "
            "rescued (sqlite3's .recover command). Open the quiz app to set it aside and "
            f"start a new store, {_ELSEWHERE}.",
        )
    if name.startswith(("SQLITE_READONLY", "SQLITE_PERM", "SQLITE_AUTH")):
        return _readonly(path, doing)
    if name.startswith("SQLITE_CANTOPEN"):
        if not _can_create_in(path.parent):
            return _readonly(path, doing, path.parent)
        return StoreError(
            "other",
            path,
            f"{path} cannot be opened while {doing} ({detail}). Check that the file and its "
            f"folder exist and can be read and written, {_ELSEWHERE}.",
        )
    if name in ("SQLITE_FULL", "SQLITE_IOERR_WRITE", "SQLITE_IOERR_FSYNC", "SQLITE_IOERR_TRUNCATE"):
        return _full(path, doing)
    if name.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")):
        return StoreError(
            "locked",
            path,
            f"{path} is busy: another program has held it for more than "
            f"{BUSY_TIMEOUT_SECONDS:g} seconds while {doing}. Nothing was lost; close the "
            "other program (or wait) and try again.",
        )
    if name.startswith("SQLITE_IOERR"):
        return StoreError(
            "other",
            path,
            f"{path} could not be read or written while {doing} ({detail}). Check the disk, "
            f"then try again, {_ELSEWHERE}.",
        )
    return StoreError("other", path, f"{path}: {doing} failed ({detail}).")


def _can_create_in(folder: Path) -> bool:
    """Whether a file can be made in `folder` (os.access is no help to root, or with an
    immutable folder or a read-only mount): make one, and remove it."""
    probe = folder / f".quiz-write-probe-{os.getpid()}"
    try:
        descriptor = os.open(probe, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return True
    except OSError:
        return False
    os.close(descriptor)
    try:
        os.unlink(probe)
    except OSError:
        pass
    return True


def _from_os(error: OSError, path: Path, doing: str) -> StoreError:
    code = error.errno
    if code in (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", -1)):
        return _full(path, doing)
    if code in (errno.EACCES, errno.EPERM, errno.EROFS):
        return _readonly(path, doing, error.filename)
    where = error.filename or path
    return StoreError(
        "other",
        path,
        f"{where}: {error.strerror or error} while {doing}. Fix that, {_ELSEWHERE}.",
    )


def _readonly(path: Path, doing: str, filename: object = None) -> StoreError:
    if filename is not None and str(filename) != str(path):
        why = f"{filename} is read-only, or belongs to someone else"
    else:
        why = "the file or its folder is read-only, or belongs to someone else"
    return StoreError(
        "readonly",
        path,
        f"{path} cannot be written while {doing}: {why}. Make it writable, {_ELSEWHERE}.",
    )


def _full(path: Path, doing: str) -> StoreError:
    return StoreError(
        "full",
        path,
        f"{path} could not be written while {doing}: the disk is full (or a size or quota "
        "limit was reached). Everything saved before is safe; free some space and try again.",
    )
