"""Adding attempts exported from another store (`quiz import`), matched by id.

An identical attempt already here is left alone; a different one with the same id is
reported and kept as it is. A finished attempt is stored with the verdict its answers
give (quiz.storage.exchange.recompute), whatever its file said.

A batch is written set by set, not attempt by attempt: which of its ids are here
already is one query; the rows the new attempts name (learners, spellings, question
versions) are found once each; their attempt rows and answer rows are two
`executemany`s (the attempts take the ids after the highest, inside the transaction);
their summaries are added from the rows in hand (as `summaries.add_attempts` adds
them, the attempts answered once an item summed from their columns:
quiz.storage.import_totals), not read back. The collector is paused for a batch.
The attempts come in the form the store writes them (exchange.PreparedBatch, as
read from a file); other AttemptDetails are put in that form first.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import TYPE_CHECKING

from quiz.domain.gc_pause import gc_paused
from quiz.storage import cards, flags, summaries
from quiz.storage.attempt_rows import INSERT_ANSWER, find_detail
from quiz.storage.attempts import AttemptDetail, AttemptFlag
from quiz.storage.codec import from_ms, pack_ints
from quiz.storage.import_totals import ImportTotals
from quiz.storage.interning import Ids

if TYPE_CHECKING:  # read by the import only: the app never loads it
    from quiz.storage import exchange

IMPORT_BATCH = 5000
"""Attempts imported per transaction: so a big import does not hold the file for long
(a second or so each), and what a transaction holds in memory stays small."""

_LOOKUP_CHUNK = 500
"""Ids per `IN (...)` list: well below SQLite's limit on parameters."""

_INSERT_ATTEMPT = """INSERT INTO attempt (id, uuid, learner, learner_name, course_version,
        mode, exam, sections, seed, started_at, time_limit, deadline_at, pass_mark, items,
        status, finished_at, correct, total, percent, passed, identified, clinic, utc_offset)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_SET_CODE = "UPDATE OR IGNORE attempt SET verify_code = ? WHERE id = ?"
"""An imported verification code is kept as it is, unless another attempt has it
already (a copy of an attempt under another id): then the newcomer keeps none."""


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
        _write(connection, ids, batch, new, tally)
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


def _write(
    connection: sqlite3.Connection,
    ids: Ids,
    batch: exchange.PreparedBatch,
    new: list[exchange.PreparedAttempt],
    tally: ImportTally,
) -> None:
    """Insert the new attempts of a batch, their answers and their summaries."""
    (highest,) = connection.execute("SELECT coalesce(max(id), 0) FROM attempt").fetchone()
    refs = _Refs(connection, ids, batch, tally)
    attempt_rows = []
    answer_rows: list[Iterator[tuple[object, ...]]] = []  # each attempt's, made as inserted
    counted: list[_Counted] = []
    codes: list[tuple[str, int]] = []
    for offset, attempt in enumerate(new, start=1):
        rowid = highest + offset
        learner = refs.learner(attempt.learner_key, attempt.learner)
        course, version = refs.course(attempt.course, attempt.course_version)
        items = refs.items(attempt.course, course, attempt.questions)
        assert attempt.verdict is not None  # finished: see import_batch
        correct, percent, passed = attempt.verdict
        attempt_rows.append(
            (
                rowid,
                attempt.id,
                learner,
                refs.spelling(learner, attempt.learner),
                version,
                attempt.mode,
                attempt.exam,
                refs.sections(attempt.course, course, attempt.sections),
                attempt.seed,
                attempt.started_ms,
                attempt.time_limit_seconds,
                attempt.deadline_ms,
                attempt.pass_mark,
                b"".join(map(tally.packed.__getitem__, items)),  # codec.pack_ints
                attempt.status,
                attempt.finished_ms,
                correct,
                attempt.total,
                percent,
                None if passed is None else int(passed),
                attempt.identified,
                attempt.clinic,
                attempt.utc_offset_minutes,
            )
        )
        if attempt.verify_code is not None:
            codes.append((attempt.verify_code, rowid))
        positions, revs, right, ms, at_ds, _ = attempt.columns()
        stored = attempt.stored
        answer_rows.append(zip(repeat(rowid), positions, revs, stored, right, ms, at_ds))
        if summaries.counts(attempt.status, attempt.mode):
            # The answer that counts to each item (its last), as summaries._answer_rows
            # reads it: answered, right, ms, and a wrong answer's response stored as an
            # integer.
            answered = repeat(1) if None not in stored else [int(v is not None) for v in stored]
            masks = [
                v if not good and type(v) is int else None
                for v, good in zip(stored, right, strict=True)
            ]
            counted_attempt = summaries.CountedAttempt(
                rowid,
                learner,
                course,
                1 if attempt.mode == "exam" else 0,
                attempt.started_ms,
                attempt.pass_mark,
                items,
            )
            if len(positions) == len(items) and positions == _in_order(len(items)):
                # One answer to each item (most attempts): summed from the columns.
                counted.append((counted_attempt, None, (answered, right, ms, masks)))
            else:
                latest = zip(repeat(rowid), positions, answered, right, ms, masks)
                counted.append((counted_attempt, dict(zip(positions, latest, strict=True)), None))
        tally.imported.append(attempt.id)
        change = batch.disagreement(attempt)
        if change is not None:
            tally.recomputed.append(change)
    connection.executemany(_INSERT_ATTEMPT, attempt_rows)
    connection.executemany(_SET_CODE, codes)
    connection.executemany(INSERT_ANSWER, chain.from_iterable(answer_rows))
    wanted = {asked for attempt, _, _ in counted for asked in attempt.items}
    tally.versions.update(summaries.read_versions(connection, wanted - tally.versions.keys()))
    _add_summaries(connection, counted, tally.versions)
    # The drill's cards of the learners whose reviews came in: made again from the log
    # after the import (quiz.storage.cards; ScoreStore.rebuild_cards).
    cards.mark_stale(
        connection,
        (row[2] for row in attempt_rows if row[14] in summaries.COUNTED_STATUSES),
    )


_Counted = tuple[
    summaries.CountedAttempt,
    dict[int, summaries.AnswerRow] | None,
    tuple[Iterable[int], Sequence[int], Iterable[int], Iterable[int | None]] | None,
]
"""An attempt `_write` adds to the summaries: with its answers that count by item
(`Totals.add`), or, when it has one answer to each item, its answers' columns
(`ImportTotals.add_plain`): answered, right, ms, a wrong pick's mask."""

_IN_ORDER: list[array[int]] = []


def _in_order(count: int) -> array[int]:
    """array("q", range(count)) (kept)."""
    while len(_IN_ORDER) <= count:
        _IN_ORDER.append(array("q", range(len(_IN_ORDER))))
    return _IN_ORDER[count]


def _add_summaries(
    connection: sqlite3.Connection, counted: list[_Counted], versions: dict[int, summaries.Version]
) -> None:
    """summaries.add_attempts of the attempts `_write` added, in their order, the plain
    ones summed the faster way (quiz.storage.import_totals: the same figures)."""
    if not summaries.kept(connection):
        return
    totals = ImportTotals()
    for attempt, latest, columns in counted:
        if columns is None:
            assert latest is not None
            totals.add(attempt, latest, versions)
        else:
            totals.add_plain(attempt, *columns, versions)
    totals.write_shared(connection, 1)
    totals.write_learners(connection)


class _Refs:
    """The rows one batch's new attempts point at, each found (or added) once."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        ids: Ids,
        batch: exchange.PreparedBatch,
        tally: ImportTally,
    ) -> None:
        self.connection = connection
        self.ids = ids
        self.batch = batch
        self.tally = tally
        # Learners and spellings may be merged or forgotten by another process between
        # two transactions: kept for this one only.
        self._learners: dict[str, int] = {}  # by key
        self._names: dict[str, str] = {}  # the name last set, by key
        self._spellings: dict[tuple[int, str], int] = {}
        self._asked: dict[str, dict[int, int]] = {}  # course -> question number -> row

    def learner(self, key: str, name: str) -> int:
        """As `Ids.learner`: their name becomes the one typed last."""
        learner = self._learners.get(key)
        if learner is None:
            learner = self._learners[key] = Ids.learner(self.connection, key, name)
        elif self._names[key] != name:
            self.connection.execute("UPDATE learner SET name = ? WHERE id = ?", (name, learner))
        self._names[key] = name
        return learner

    def spelling(self, learner: int, name: str) -> int:
        row = self._spellings.get((learner, name))
        if row is None:
            row = self._spellings[(learner, name)] = Ids.spelling(self.connection, learner, name)
        return row

    def course(self, code: str, version: str) -> tuple[int, int]:
        """The course's row and its version's."""
        rows = self.tally.courses.get((code, version))
        if rows is None:
            course = self.ids.row(self.connection, "course", code=code)
            rows = (
                course,
                self.ids.row(self.connection, "course_version", course=course, hash=version),
            )
            self.tally.courses[(code, version)] = rows
        return rows

    def sections(self, code: str, course: int, sections: tuple[str, ...]) -> bytes:
        packed = self.tally.sections.get((code, sections))
        if packed is None:
            packed = pack_ints(
                [self.ids.row(self.connection, "section", course=course, code=s) for s in sections]
            )
            self.tally.sections[(code, sections)] = packed
        return packed

    def items(self, code: str, course: int, numbers: tuple[int, ...]) -> list[int]:
        """The asked_question rows of an attempt's questions (by their numbers)."""
        rows = self._asked.get(code)
        if rows is None:
            rows = self._asked[code] = {}
        try:
            return list(map(rows.__getitem__, numbers))
        except KeyError:  # a question first asked in this batch
            for number in numbers:
                if number not in rows:
                    rows[number] = self._asked_row(code, course, number)
            return list(map(rows.__getitem__, numbers))

    def _asked_row(self, code: str, course: int, number: int) -> int:
        from quiz.storage import exchange

        question = self.batch.versions.questions[number]
        key = (code, *exchange.question_identity(question))
        row = self.tally.asked.get(key)
        if row is None:
            row = self.tally.asked[key] = self.ids.asked(self.connection, course, code, question)
            self.tally.packed[row] = pack_ints([row])
        return row


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
