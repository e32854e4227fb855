"""An export file read as JSON, in bounded memory (`read_export_file`).

The text is read a chunk at a time and its list parsed an attempt at a time (json's
raw_decode), each attempt checked as it comes (quiz.storage.exchange.reader). A file
that is not JSON, or not a list, is read again the plain way, so its message is json's
own for the whole document whatever the size; a problem with an attempt is said once
the rest of the file is known to be JSON (as that plain reading would). A big file is
checked in two parts at once where it can be (quiz.storage.exchange.halves).
"""

from __future__ import annotations

import codecs
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from quiz.storage.exchange.fields import ImportFileError, value_kind
from quiz.storage.exchange.halves import CheckPart, read_in_two
from quiz.storage.exchange.reader import check_entries, read_export_entries
from quiz.storage.exchange.records import QuestionVersions
from quiz.storage.exchange.spill import ExportedAttempts, Spill

CHUNK_BYTES = 1 << 22
"""Bytes of the file read at a time."""
AHEAD = 1 << 20
"""Characters kept read ahead of the next attempt (more than any attempt of a file)."""


def read_export_file(path: Path) -> ExportedAttempts:
    """Every attempt of the file, checked (see the module's docstring)."""
    try:
        handle = open(path, "rb")  # noqa: SIM115 (closed by the with below)
    except OSError as error:
        raise _unreadable(path, error) from None
    with handle:
        halves = read_in_two(path, handle.fileno(), _part_checker(path, handle.fileno()))
        if halves is not None:
            return halves
        try:
            return read_export_entries(path, _Entries(_Source(path, handle)))
        except ValueError:
            pass  # not a JSON list: said as the whole-document reading says it
    return read_export_entries(path, iter(_whole_document(path)))


def _unreadable(path: Path, error: OSError) -> ImportFileError:
    return ImportFileError(f"{path}: cannot be read ({error.strerror or error}).")


def _not_utf8(path: Path, byte: int) -> ImportFileError:
    return ImportFileError(
        f"{path}: is not UTF-8 text (byte {byte}); give a file written by "
        "'quiz scores --format json'."
    )


def _whole_document(path: Path) -> list[object]:
    """The file's list of attempts, read whole (for a file the streaming reading could
    not go through): its problem is said as json says it for the whole document."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise _unreadable(path, error) from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise _not_utf8(path, error.start) from None
    del data
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); give a file "
            "written by 'quiz scores --format json'."
        ) from None
    if not isinstance(document, list):
        raise ImportFileError(
            f"{path}: expected a list of attempts (a file written by "
            f"'quiz scores --format json'), found {value_kind(document)}."
        )
    return document


def _part_checker(path: Path, fd: int) -> CheckPart:
    """How halves.read_in_two checks a part of the file `fd`."""

    def check(
        start: int, stop: int, before: bytes, after: bytes, spill: Spill
    ) -> tuple[QuestionVersions, set[str]]:
        source = _Source(path, _Part(fd, start, stop, before, after))
        return check_entries(path, _Entries(source), spill)

    return check


class _Readable(Protocol):
    def read(self, size: int, /) -> bytes: ...


class _Part:
    """The bytes of the file `fd` from `start` to `stop`, `before` ahead of them and `after`
    behind, to read as a file (os.pread: the file's own position is left alone)."""

    def __init__(self, fd: int, start: int, stop: int, before: bytes, after: bytes) -> None:
        self.fd, self.start, self.stop = fd, start, stop
        self.before, self.after = before, after

    def read(self, size: int, /) -> bytes:
        if self.before:
            data, self.before = self.before, b""
            return data
        if self.start < self.stop:
            data = os.pread(self.fd, min(size, self.stop - self.start), self.start)
            self.start = self.start + len(data) if data else self.stop  # (shorter than it was)
            if data:
                return data
        data, self.after = self.after, b""
        return data


class _Source:
    """The file's text, a chunk at a time (a byte-order mark at the start is skipped)."""

    def __init__(self, path: Path, handle: _Readable) -> None:
        self.path = path
        self.handle = handle
        self.pending = b""  # the start of a character cut by the end of a chunk
        self.decoded = 0  # bytes decoded so far, after the mark
        self.started = False

    def read(self) -> str:
        """More of the text; "" at the end of the file."""
        while True:
            try:
                data = self.handle.read(CHUNK_BYTES)
            except OSError as error:
                raise _unreadable(self.path, error) from None
            if not self.started:
                self.started = True
                if data.startswith(codecs.BOM_UTF8):
                    data = data[len(codecs.BOM_UTF8) :]
            final = not data
            data = self.pending + data
            try:
                text, used = codecs.utf_8_decode(data, "strict", final)
            except UnicodeDecodeError as error:
                raise _not_utf8(self.path, self.decoded + error.start) from None
            self.decoded += used
            self.pending = data[used:]
            if text or final:
                return text


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


class _Entries:
    """The entries of the JSON list a file holds, one at a time. Raises ValueError for
    anything else (not JSON, not a list, something after it), left to json to say."""

    def __init__(self, source: _Source) -> None:
        self.source = source
        self.text = ""  # what is read and not yet parsed, from `at`
        self.at = 0
        self.start = 0  # where `text` starts in the whole text
        self.ended = False

    def __iter__(self) -> Iterator[object]:
        if self._next_character() != "[":
            raise ValueError("not a list")
        self.at += 1
        if self._next_character() == "]":
            self.at += 1
        else:
            while True:
                self._next_character()
                yield self._value()
                following = self._next_character()
                self.at += 1
                if following == "]":
                    break
                if following != ",":
                    raise ValueError("not a list")
        if self._next_character():
            raise ValueError("more after the list")

    def _more(self) -> bool:
        if self.ended:
            return False
        piece = self.source.read()
        if not piece:
            self.ended = True
            return False
        self.start += self.at
        self.text = self.text[self.at :] + piece
        self.at = 0
        return True

    def _next_character(self) -> str:
        """The next character that is not white space ("" at the end), not taken."""
        while True:
            self.at = _SPACE.match(self.text, self.at).end()  # type: ignore[union-attr]
            if self.at < len(self.text):
                return self.text[self.at]
            if not self._more():
                return ""

    def _value(self) -> object:
        if len(self.text) - self.at < AHEAD:
            self._more()  # a value cut off costs a failed parse (and json's message for it)
        failed_at = -1
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.at)
            except json.JSONDecodeError as error:
                # Cut off by the end of what was read, or wrong: the same place twice
                # (with more read after it) is wrong.
                where = self.start + error.pos
                if where == failed_at or not self._more():
                    raise ValueError(error.msg) from None
                failed_at = where
                continue
            if end == len(self.text) and self._more():
                continue  # a number or a word may go on in the next chunk
            self.at = end
            return value
