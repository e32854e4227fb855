"""Adding attempts exported from another store (`quiz import`), matched by id.

An identical attempt already here is left alone; a different one with the same id is
reported and kept as it is. A finished attempt is stored with the verdict its answers
give (quiz.storage.exchange.recompute), whatever its file said.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quiz.storage import summaries
from quiz.storage.attempt_rows import INSERT_ANSWER, find_detail
from quiz.storage.attempts import AttemptDetail
from quiz.storage.codec import encode_response, offset_ds, pack_ints, seconds_to_ms, to_ms
from quiz.storage.interning import Ids

if TYPE_CHECKING:  # read by the import only: the app never loads it
    from quiz.storage import exchange

IMPORT_BATCH = 1000
"""Attempts imported per transaction (so a big import does not hold the file for long:
a second or so each)."""


@dataclass(frozen=True)
class ImportOutcome:
    """What `import_attempts` did, by attempt id."""

    imported: tuple[str, ...] = ()
    present: tuple[str, ...] = ()  # already in the store, identical
    conflicting: tuple[str, ...] = ()  # in the store with different content: kept as it was
    in_progress: tuple[str, ...] = ()  # still running where they came from: not imported
    recomputed: tuple[exchange.RecomputedVerdict, ...] = ()
    """Imported attempts whose file's verdict disagreed with their answers: the
    recomputed one was stored."""


@dataclass
class ImportTally:
    """An `ImportOutcome` as it is gathered, batch by batch."""

    imported: list[str] = field(default_factory=list)
    present: list[str] = field(default_factory=list)
    conflicting: list[str] = field(default_factory=list)
    in_progress: list[str] = field(default_factory=list)
    recomputed: list[exchange.RecomputedVerdict] = field(default_factory=list)
    asked: dict[tuple[object, ...], int] = field(default_factory=dict)
    """asked_question rows by course and question, found or added by this import (the
    digest of each is worked out once)."""
    added: list[int] = field(default_factory=list)
    """Rows of the attempts added in the current transaction, for the summaries."""

    def outcome(self) -> ImportOutcome:
        return ImportOutcome(
            imported=tuple(self.imported),
            present=tuple(self.present),
            conflicting=tuple(self.conflicting),
            in_progress=tuple(self.in_progress),
            recomputed=tuple(self.recomputed),
        )


def import_batch(
    connection: sqlite3.Connection, ids: Ids, details: Iterable[AttemptDetail], tally: ImportTally
) -> None:
    """Add exported attempts inside the caller's write transaction (one by one, and
    then the summaries of those added, all at once)."""
    tally.added.clear()
    for detail in details:
        import_one(connection, ids, detail, tally)
    _summarise(connection, tally.added)
    tally.added.clear()


def _summarise(connection: sqlite3.Connection, rowids: list[int]) -> None:
    """Add attempts just inserted to the summaries, as `summaries.apply_attempt` does
    one by one (the sums add up and the bests and latests are kept if better, so
    together is the same as one after another)."""
    if not rowids:
        return
    wanted = set(rowids)
    # Rows inserted in this transaction: their ids are above every other row's.
    found = summaries._attempts(connection, "t.id BETWEEN ? AND ?", (min(wanted), max(wanted)))
    attempts = {rowid: attempt for rowid, attempt in found.items() if rowid in wanted}
    if not attempts:
        return
    versions = summaries.read_versions(connection, (v for a in attempts.values() for v in a.items))
    totals = summaries._total(connection, attempts, versions)
    totals.write_shared(connection, 1)
    totals.write_learners(connection)


def import_one(
    connection: sqlite3.Connection, ids: Ids, detail: AttemptDetail, tally: ImportTally
) -> None:
    """Add one exported attempt (inside the caller's write transaction), or say why not.
    Its summaries are left to the caller (`import_batch`), by `tally.added`."""
    from quiz.storage import exchange

    summary = detail.summary
    here = connection.execute("SELECT 1 FROM attempt WHERE uuid = ?", (summary.id,)).fetchone()
    stored = None if here is None else find_detail(connection, ids, summary.id)
    if stored is not None:
        if _same_apart_from_passed(stored, detail):
            tally.present.append(summary.id)
        else:
            tally.conflicting.append(summary.id)
        return
    outcome = exchange.recompute(detail)
    if outcome is None:  # still in progress
        tally.in_progress.append(summary.id)
        return
    refs = _refs(connection, ids, detail, tally)
    started = to_ms(summary.started_at)
    learner = ids.learner(connection, summary.learner_key, summary.learner)
    cursor = connection.execute(
        """INSERT INTO attempt (uuid, learner, learner_name, course_version, mode, exam,
               sections, seed, started_at, time_limit, deadline_at, pass_mark, items,
               status, finished_at, correct, total, percent, passed)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)""",
        (
            summary.id,
            learner,
            ids.spelling(connection, learner, summary.learner),
            refs.version,
            str(summary.mode),
            summary.exam,
            refs.sections,
            summary.seed,
            started,
            summary.time_limit_seconds,
            to_ms(summary.deadline_at) if summary.deadline_at else None,
            summary.pass_mark,
            refs.items,
            str(summary.status),
            to_ms(summary.finished_at) if summary.finished_at else None,
            outcome.correct,
            summary.total,
            outcome.percent,
            None if outcome.passed is None else int(outcome.passed),
        ),
    )
    rowid = cursor.lastrowid
    assert rowid is not None
    revs: dict[int, int] = {}
    rows = []
    for entry in detail.history:
        rev = revs.get(entry.position, 0)
        revs[entry.position] = rev + 1
        rows.append(
            (
                rowid,
                entry.position,
                rev,
                encode_response(detail.items[entry.position].question, entry.response),
                int(entry.correct),
                seconds_to_ms(entry.seconds),
                offset_ds(entry.answered_at, started),
            )
        )
    connection.executemany(INSERT_ANSWER, rows)
    tally.added.append(rowid)
    tally.imported.append(summary.id)
    change = exchange.disagreement(detail, outcome)
    if change is not None:
        tally.recomputed.append(change)


@dataclass(frozen=True)
class _Refs:
    version: int
    sections: bytes
    items: bytes


def _refs(
    connection: sqlite3.Connection, ids: Ids, detail: AttemptDetail, tally: ImportTally
) -> _Refs:
    """What `Ids.attempt_refs` gives, each question version looked up once per import."""
    summary = detail.summary
    course = ids.row(connection, "course", code=summary.course)
    items = []
    for question in detail.questions:
        key = (  # where it was asked aside
            summary.course,
            question.question_id,
            question.section,
            question.type,
            question.prompt,
            question.choices,
            question.answer,
            question.critical,
        )
        asked = tally.asked.get(key)
        if asked is None:
            asked = tally.asked[key] = ids.asked(connection, course, summary.course, question)
        items.append(asked)
    return _Refs(
        version=ids.row(connection, "course_version", course=course, hash=summary.course_version),
        sections=pack_ints(
            [ids.row(connection, "section", course=course, code=s) for s in summary.sections]
        ),
        items=pack_ints(items),
    )


def _same_apart_from_passed(stored: AttemptDetail, imported: AttemptDetail) -> bool:
    """The same attempt, leaving `passed` out: the import recomputes it, so a file that
    leaves it out (or an older store's) is no conflict."""
    mine, theirs = stored.to_export_dict(), imported.to_export_dict()
    del mine["passed"], theirs["passed"]
    return mine == theirs
