"""The store file as a whole: setting a damaged one aside, and copying one.

Only the app sets a store aside, after the learner agrees; nothing here deletes a file.
"""

from __future__ import annotations

import os
import sqlite3
from datetime import datetime
from pathlib import Path

from quiz.storage import db
from quiz.storage.errors import StoreError, translate

SIBLING_SUFFIXES = ("-wal", "-journal", "-shm")


def set_aside(path: Path) -> list[Path]:
    """Rename a damaged store and its -wal/-journal/-shm files with a timestamp, so a new
    store can start at `path`. Returns the new paths (the store first). Only the app
    calls this, after the learner agrees; nothing is deleted."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    base = path.with_name(f"{path.name}.set-aside-{stamp}")
    counter = 1
    while any(os.path.lexists(f"{base}{suffix}") for suffix in ("", *SIBLING_SUFFIXES)):
        counter += 1
        base = path.with_name(f"{path.name}.set-aside-{stamp}-{counter}")
    moved: list[Path] = []
    try:
        # Siblings first: a -wal left beside a new store of the same name would be
        # replayed into it.
        for suffix in SIBLING_SUFFIXES:
            sibling = Path(f"{path}{suffix}")
            if os.path.lexists(sibling):
                target = Path(f"{base}{suffix}")
                _rename_new(sibling, target)
                moved.append(target)
        if os.path.lexists(path):
            _rename_new(path, base)
            moved.insert(0, base)
    except OSError as error:
        raise translate(error, path, "setting the damaged store aside") from error
    return moved


def _rename_new(source: Path, target: Path) -> None:
    """Rename, never replacing an existing file."""
    try:
        os.link(source, target)
    except FileExistsError:
        raise
    except OSError:
        if os.path.lexists(target):
            raise FileExistsError(target) from None
        os.rename(source, target)
        return
    os.unlink(source)


def backup(path: Path, dest: Path) -> None:
    """Copy the store at `path` to the new file `dest` with SQLite's backup API."""
    if os.path.lexists(dest):
        raise StoreError(
            "other", dest, f"{dest} already exists; choose a new file name for the backup."
        )
    try:
        source = sqlite3.connect(path.absolute().as_uri() + "?mode=ro", uri=True, timeout=10.0)
    except sqlite3.Error as error:
        raise translate(error, path, "opening the store for a backup") from error
    try:
        db.backup_connection(source, dest)
    except (sqlite3.Error, OSError) as error:
        raise translate(error, path, "making a backup") from error
    finally:
        source.close()
