"""Checked attempts kept in a temporary file a batch at a time (`Spill`), and read
back from it (`ExportedAttempts`), so an import's memory stays bounded however big its
file. The attempts are written with marshal (PreparedAttempt's fields are plain values).

A file read in two parts at once (quiz.storage.exchange.halves) is kept in two
temporary files, one a part (`SpilledPart`); the second part's questions were numbered
on their own, and are numbered as the first part's as they are read back.
"""

from __future__ import annotations

import marshal
import tempfile
from bisect import bisect_right
from collections.abc import Sequence
from typing import IO, Any, NamedTuple, overload

from quiz.domain.gc_pause import gc_paused
from quiz.storage.attempts import AttemptDetail
from quiz.storage.exchange.batch import PreparedBatch
from quiz.storage.exchange.records import PreparedAttempt, QuestionVersions

SPILL_BATCH = 5000
"""Attempts kept together in the temporary file (read back together: quiz.storage.
importing.IMPORT_BATCH is the same, so each transaction reads one)."""


_QUESTIONS = PreparedAttempt._fields.index("questions")


class SpilledPart(NamedTuple):
    """Attempts kept in one temporary file, SPILL_BATCH a batch (the last may hold fewer)."""

    file: IO[bytes]
    offsets: list[int]  # where each batch starts, and where the last ends
    attempts: int  # how many
    renumbered: list[int] | None = None
    """The number its questions have in the file's QuestionVersions, by the number they
    were given in this part (None: they have it already)."""


class ExportedAttempts(Sequence[AttemptDetail]):
    """The attempts of an export file, every one checked, kept in temporary files a batch
    at a time (`SpilledPart`s, in the file's order). A slice is a PreparedBatch read back
    from them (one read per batch when it is a batch); close it (or use `with`) to
    delete the files."""

    def __init__(self, parts: Sequence[SpilledPart], versions: QuestionVersions) -> None:
        self._parts = list(parts)
        self.versions = versions
        # Each batch kept: its part, its place in the part, and its first attempt.
        self._batches: list[tuple[SpilledPart, int]] = []
        self._firsts: list[int] = []
        first = 0
        for part in self._parts:
            for index in range(len(part.offsets) - 1):
                self._batches.append((part, index))
                self._firsts.append(first + index * SPILL_BATCH)
            first += part.attempts
        self._count = first
        self._loaded: tuple[int, list[PreparedAttempt]] = (-1, [])

    def close(self) -> None:
        for part in self._parts:
            part.file.close()

    def __enter__(self) -> ExportedAttempts:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> AttemptDetail: ...

    @overload
    def __getitem__(self, index: slice) -> PreparedBatch: ...

    def __getitem__(self, index: int | slice) -> AttemptDetail | PreparedBatch:
        if isinstance(index, slice):
            wanted = range(self._count)[index]
            if wanted.step == 1:
                attempts = self._range(wanted.start, wanted.stop)
            else:
                attempts = [self._range(i, i + 1)[0] for i in wanted]
            return PreparedBatch(attempts, self.versions)
        position = range(self._count)[index]  # IndexError when out of range
        return PreparedBatch(self._range(position, position + 1), self.versions)[0]

    def _range(self, start: int, stop: int) -> list[PreparedAttempt]:
        attempts: list[PreparedAttempt] = []
        while start < stop:
            batch = bisect_right(self._firsts, start) - 1
            offset = start - self._firsts[batch]
            taken = self._batch(batch)[offset : offset + stop - start]
            attempts.extend(taken)
            start += len(taken)
        return attempts

    def _batch(self, batch: int) -> list[PreparedAttempt]:
        if self._loaded[0] != batch:
            part, index = self._batches[batch]
            start, end = part.offsets[index : index + 2]
            part.file.seek(start)
            with gc_paused():  # thousands of tuples (no cycles), as in reading
                rows = marshal.loads(part.file.read(end - start))  # (marshal.load is slow)
                if part.renumbered is None:
                    attempts = [PreparedAttempt._make(row) for row in rows]
                else:
                    number = part.renumbered.__getitem__
                    attempts = [
                        PreparedAttempt._make(
                            (
                                *row[:_QUESTIONS],
                                tuple(map(number, row[_QUESTIONS])),
                                *row[_QUESTIONS + 1 :],
                            )
                        )
                        for row in rows
                    ]
                self._loaded = (batch, attempts)
        return self._loaded[1]


class Spill:
    """Checked attempts written to a temporary file (`file`, or a new one), SPILL_BATCH at
    a time."""

    def __init__(self, file: IO[bytes] | None = None) -> None:
        self.file = file or new_spill_file()
        self.offsets: list[int] = [0]
        self.pending: list[tuple[Any, ...]] = []
        self.count = 0

    def add(self, attempt: PreparedAttempt) -> None:
        self.pending.append(tuple(attempt))  # marshal takes plain tuples only
        self.count += 1
        if len(self.pending) == SPILL_BATCH:
            self._flush()

    def _flush(self) -> None:
        if self.pending:
            self.file.write(marshal.dumps(tuple(self.pending)))
            self.offsets.append(self.file.tell())
            self.pending = []

    def part(self) -> SpilledPart:
        """What is written, all of it."""
        self._flush()
        return SpilledPart(self.file, self.offsets, self.count)

    def done(self, versions: QuestionVersions) -> ExportedAttempts:
        part = self.part()
        versions.done_reading()
        return ExportedAttempts([part], versions)


def new_spill_file() -> IO[bytes]:
    """A temporary file for checked attempts (deleted when closed)."""
    return tempfile.TemporaryFile(prefix="quiz-import-")
