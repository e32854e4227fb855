"""What can go wrong that a person must be told, and the exit codes: one home for both.

Every error meant for a user derives from `QuizError`, whose `message` says what went
wrong and what to do. No module here imports sqlite3, YAML or Textual, so the UI can
catch the store's errors by type without loading the store.
"""

from __future__ import annotations

from enum import IntEnum
from pathlib import Path
from typing import Literal


class ExitCode(IntEnum):
    """The process exit codes of every command and of the app."""

    OK = 0
    PROBLEM = 1  # a course or the score store is unusable (said how), or an internal error
    USAGE = 2  # a usage error, or the app asked to run without a terminal
    SIGNAL_BASE = 128  # 128 + N after signal N (answers saved first)


class QuizError(Exception):
    """An error a person can act on. `message` names what and says what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


StoreErrorKind = Literal["corrupt", "not_a_database", "readonly", "full", "locked", "other"]


class StoreError(QuizError):
    """A problem with the score store file (raised by quiz.storage)."""

    def __init__(self, kind: StoreErrorKind, path: Path, message: str) -> None:
        super().__init__(message)
        self.kind: StoreErrorKind = kind
        self.path = path


class SelectionError(QuizError, ValueError):
    """The questions asked for cannot be picked (unknown section or preset, empty pool)."""
