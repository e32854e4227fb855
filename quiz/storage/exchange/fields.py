"""An export's values checked one at a time, and the error that says what is wrong.

Every problem is an ImportFileError naming the file, the attempt and the field, so
`quiz import` can say exactly what is wrong. `FieldReader` keeps where in the file the
reading is (`where`) and checks one field there (its presence, type, a time, a list of
texts); the checks of an attempt's answers (quiz.storage.exchange.answers) and of the
attempt (.reader) build on it.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path
from typing import Any, NoReturn

from quiz.storage.codec import EPOCH, to_ms

NUMBERS = (int, float)
"""The types a JSON number is read as."""
MILLISECOND = timedelta(milliseconds=1)


class ImportFileError(Exception):
    """A file that is not a usable export. `message` names the file and the place."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def value_kind(value: object) -> str:
    """How a message names the kind of a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


def quick_ms(text: str) -> int:
    """A time with a timezone in milliseconds since the epoch (codec.to_ms); raises
    ValueError or TypeError for anything else (then `FieldReader.time` says what)."""
    moment = datetime.fromisoformat(text)
    if moment.tzinfo is None:
        raise ValueError(text)
    return (moment - EPOCH) // MILLISECOND


class FieldReader:
    """Checks the fields of one file's entries, saying a problem at `where`."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.where = ""

    def fail(self, message: str) -> NoReturn:
        raise ImportFileError(f"{self.path}: {self.where}: {message}")

    def field(self, obj: dict[str, Any], name: str, *types: type, optional: bool = False) -> Any:
        if name not in obj:
            if optional:
                return None
            self.fail(f"'{name}' is missing")
        value = obj[name]
        if value is None and optional:
            return None
        if isinstance(value, bool) and bool not in types:
            self.fail(f"'{name}' must be {self._names(types)}, not {value_kind(value)}")
        if not isinstance(value, types):
            self.fail(f"'{name}' must be {self._names(types)}, not {value_kind(value)}")
        return value

    @staticmethod
    def _names(types: tuple[type, ...]) -> str:
        names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
        names[list] = "a list"
        names[dict] = "an object"
        return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))

    def time(self, obj: dict[str, Any], name: str, *, optional: bool = False) -> int | None:
        """A time, in milliseconds since the epoch."""
        text = self.field(obj, name, str, optional=optional)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"'{name}' is not a time like 2026-11-23T10:00:00Z: {text!r}")
        if moment.tzinfo is None:
            self.fail(f"'{name}' has no timezone (end it with Z): {text!r}")
        return to_ms(moment)

    def texts(self, obj: dict[str, Any], name: str) -> tuple[str, ...]:
        values = self.field(obj, name, list)
        if not all(isinstance(v, str) for v in values):
            self.fail(f"'{name}' must be a list of texts")
        return tuple(values)
