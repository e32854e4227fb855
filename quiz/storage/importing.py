"""Adding attempts exported from another store (`quiz import`), matched by id.

An identical attempt already here is left alone; a different one with the same id is
reported and kept as it is. A finished attempt is stored with the verdict its answers
give (quiz.storage.exchange.recompute), whatever its file said.

A batch is sorted set by set, not attempt by attempt: which of its ids are here
already is one query; its new attempts are written together (quiz.storage.
import_writing). The collector is paused for a batch. The attempts come in the form
the store writes them (exchange.PreparedBatch, as read from a file); other
AttemptDetails are put in that form first.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quiz.domain.gc_pause import gc_paused
from quiz.storage import flags, summaries
from quiz.storage.attempt_rows import find_detail
from quiz.storage.attempts import AttemptDetail, AttemptFlag
from quiz.storage.codec import from_ms
from quiz.storage.import_writing import write_new
from quiz.storage.interning import Ids

if TYPE_CHECKING:  # read by the import only: the app never loads it
    from quiz.storage import exchange

IMPORT_BATCH = 5000
"""Attempts imported per transaction: so a big import does not hold the file for long
(a second or so each), and what a transaction holds in memory stays small."""

_LOOKUP_CHUNK = 500
"""Ids per `IN (...)` list: well below SQLite's limit on parameters."""


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_attempts` did, by attempt id."""

    imported: tuple[str, ...] = ()
    present: tuple[str, ...] = ()  # already in the store, identical
    conflicting: tuple[str, ...] = ()  # in the store with different content: kept as it was
    in_progress: tuple[str, ...] = ()  # running or paused where they came from: not imported
    forgotten: tuple[str, ...] = ()  # of a learner forgotten here (a tombstone): refused
    recomputed: tuple[exchange.RecomputedVerdict, ...] = ()
    """Imported attempts whose file's verdict disagreed with their answers: the
    recomputed one was stored."""
    flags: int = 0
    """Learners' flags on questions added (of the attempts imported or already here;
    a flag here already is not added again)."""


@dataclass
class ImportTally:
    """An `ImportOutcome` as it is gathered, batch by batch, and what the batches of
    one import share: rows that are never changed or deleted, found once."""

    imported: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    conflicting: list[str] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)
    forgotten: list[str] = field(default_factory=list)
    recomputed: list[exchange.RecomputedVerdict] = field(default_factory=list)
    flags: int = 0
    clinic: str | None = None
    """The clinic recorded on the attempts imported (`quiz import --clinic`; None: none)."""
    tombstone_clinics: tuple[str, ...] = ()
    """The clinics whose tombstones refuse a learner's attempts (the import's clinic and
    this terminal's)."""
    tombstones: set[bytes] | None = None
    """The store's tombstones, read once per import."""
    versions: dict[int, summaries.Version] = field(default_factory=dict)
    """asked_question rows as the summaries need them, read once."""
    asked: dict[tuple[object, ...], int] = field(default_factory=dict)
    """asked_question rows by course and question as asked (exchange.question_identity),
    found or added by this import (the digest of each is worked out once)."""
    sections: dict[tuple[str, tuple[str, ...]], bytes] = field(default_factory=dict)
    """Packed section ids by course and section codes."""
    courses: dict[tuple[str, str], tuple[int, int]] = field(default_factory=dict)
    """course and course_version rows by course code and version."""
    packed: dict[int, bytes] = field(default_factory=dict)
    """Each asked_question row of `asked`, packed (codec.pack_ints)."""

    def outcome(self) -> ImportOutcome:
        return ImportOutcome(
            imported=tuple(self.imported),
            present=tuple(self.present),
            conflicting=tuple(self.conflicting),
            in_progress=tuple(self.in_progress),
            forgotten=tuple(self.forgotten),
            recomputed=tuple(self.recomputed),
            flags=self.flags,
        )


def import_batch(
    connection: sqlite3.Connection, ids: Ids, details: Iterable[AttemptDetail], tally: ImportTally
) -> None:
    """Add exported attempts inside the caller's write transaction, or say why not."""
    # The collector paused for the batch: it makes hundreds of thousands of objects (no
    # cycles), and its passes over them were a third of the writing (10k attempts:
    # 3.1 s of CPU with it, 2.1 s without).
    with gc_paused():
        _import_batch(connection, ids, details, tally)


def _import_batch(
    connection: sqlite3.Connection, ids: Ids, details: Iterable[AttemptDetail], tally: ImportTally
) -> None:
    from quiz.storage import exchange

    batch = (
        details
        if isinstance(details, exchange.PreparedBatch)
        else exchange.PreparedBatch.of(details)
    )
    here = _stored_ids(connection, [attempt.id for attempt in batch.attempts])
    if tally.tombstones is None:
        tally.tombstones = (
            {bytes(row[0]) for row in connection.execute("SELECT hash FROM tombstone")}
            if tally.tombstone_clinics
            else set()
        )
    new: list[exchange.PreparedAttempt] = []
    adding: dict[str, int] = {}  # index in the batch, by id
    flagged: list[exchange.PreparedAttempt] = []  # with learners' flags to add
    for index, attempt in enumerate(batch.attempts):
        if attempt.id in here:
            stored = find_detail(connection, ids, attempt.id)
            _compare(stored, batch[index], tally)
            if attempt.flags and tally.present and tally.present[-1] == attempt.id:
                flagged.append(attempt)  # the same attempt: its flags may be new here
            continue
        if attempt.id in adding:  # twice in one batch (not from a file: it says so)
            _compare(batch[adding[attempt.id]], batch[index], tally)
            continue
        if attempt.verdict is None:  # not ended (in progress or paused) where it came from
            tally.in_progress.append(attempt.id)
            continue
        if tally.tombstones and _forgotten(attempt.learner_key, tally):
            tally.forgotten.append(attempt.id)
            continue
        adding[attempt.id] = index
        new.append(attempt)
        if attempt.flags:
            flagged.append(attempt)
    if new:
        write_new(connection, ids, batch, new, tally)
        if tally.clinic is not None:
            connection.executemany(
                "UPDATE attempt SET clinic = ? WHERE uuid = ? AND clinic IS NULL",
                [(tally.clinic, attempt.id) for attempt in new],
            )
    for attempt in flagged:
        tally.flags += flags.import_flags(
            connection,
            attempt.id,
            [
                AttemptFlag(flag_id, position, question_id, from_ms(flagged_ms), note)
                for flag_id, position, question_id, flagged_ms, note in attempt.flags
            ],
        )


def _forgotten(key: str, tally: ImportTally) -> bool:
    """Whether the learner `key` was forgotten at one of the import's clinics."""
    from quiz.storage.outbox import tombstone_hash

    assert tally.tombstones is not None
    return any(tombstone_hash(c, key) in tally.tombstones for c in tally.tombstone_clinics)


def _stored_ids(connection: sqlite3.Connection, wanted: list[str]) -> set[str]:
    """Those of the attempt ids `wanted` that are in the store."""
    found: set[str] = set()
    for start in range(0, len(wanted), _LOOKUP_CHUNK):
        chunk = wanted[start : start + _LOOKUP_CHUNK]
        marks = ",".join("?" * len(chunk))
        found.update(
            row[0]
            for row in connection.execute(
                f"SELECT uuid FROM attempt WHERE uuid IN ({marks})", chunk
            )
        )
    return found


def _compare(stored: AttemptDetail | None, imported: AttemptDetail, tally: ImportTally) -> None:
    if stored is not None and _same_apart_from_passed(stored, imported):
        tally.present.append(imported.id)
    else:
        tally.conflicting.append(imported.id)


def _same_apart_from_passed(stored: AttemptDetail, imported: AttemptDetail) -> bool:
    """The same attempt, leaving `passed` out: the import recomputes it, so a file that
    leaves it out (or an older store's) is no conflict. `verify_code` is left out too:
    it is derived from the rest (quiz.storage.verification), and an older export has
    none."""
    mine, theirs = stored.to_export_dict(), imported.to_export_dict()
    del mine["passed"], theirs["passed"], mine["verify_code"], theirs["verify_code"]
    # Where it was taken is not what was answered: an older export names no clinic or
    # offset, and `quiz import --clinic` may have given one here.
    for where in ("clinic", "utc_offset_minutes"):
        del mine[where], theirs[where]
    return mine == theirs
