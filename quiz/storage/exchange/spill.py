"""Checked attempts kept in a temporary file a batch at a time (`Spill`), and read
back from it (`ExportedAttempts`), so an import's memory stays bounded however big its
file. The attempts are written with marshal (PreparedAttempt's fields are plain values).
"""

from __future__ import annotations

import marshal
import tempfile
from collections.abc import Sequence
from typing import IO, Any, overload

from quiz.domain.gc_pause import gc_paused
from quiz.storage.attempts import AttemptDetail
from quiz.storage.exchange.batch import PreparedBatch
from quiz.storage.exchange.records import PreparedAttempt, QuestionVersions

SPILL_BATCH = 5000
"""Attempts kept together in the temporary file (read back together: quiz.storage.
importing.IMPORT_BATCH is the same, so each transaction reads one)."""


class ExportedAttempts(Sequence[AttemptDetail]):
    """The attempts of an export file, every one checked, kept in a temporary file a
    batch at a time. A slice is a PreparedBatch read back from it (one read per batch
    when it is a batch); close it (or use `with`) to delete the file."""

    def __init__(
        self, spill: IO[bytes], offsets: list[int], count: int, versions: QuestionVersions
    ) -> None:
        self._spill = spill
        self._offsets = offsets  # where each batch of SPILL_BATCH attempts starts, and ends
        self._count = count
        self.versions = versions
        self._loaded: tuple[int, list[PreparedAttempt]] = (-1, [])

    def close(self) -> None:
        self._spill.close()

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
            group, offset = divmod(start, SPILL_BATCH)
            taken = self._group(group)[offset : offset + stop - start]
            attempts.extend(taken)
            start += len(taken)
        return attempts

    def _group(self, group: int) -> list[PreparedAttempt]:
        if self._loaded[0] != group:
            start, end = self._offsets[group : group + 2]
            self._spill.seek(start)
            with gc_paused():  # thousands of tuples (no cycles), as in reading
                rows = marshal.loads(self._spill.read(end - start))  # (marshal.load is slow)
                self._loaded = (group, [PreparedAttempt._make(row) for row in rows])
        return self._loaded[1]


class Spill:
    """Checked attempts written to a temporary file, SPILL_BATCH at a time."""

    def __init__(self) -> None:
        self.file = tempfile.TemporaryFile(prefix="quiz-import-")  # noqa: SIM115 (closed by ExportedAttempts)
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

    def done(self, versions: QuestionVersions) -> ExportedAttempts:
        self._flush()
        versions.done_reading()
        return ExportedAttempts(self.file, self.offsets, self.count, versions)
