"""Adding attempts exported from another store (`quiz import`), matched by id.

An identical attempt already here is left alone; a different one with the same id is
reported and kept as it is. A finished attempt is stored with the verdict its answers
give (quiz.storage.exchange.recompute), whatever its file said.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quiz.storage import summaries
from quiz.storage.attempt_rows import INSERT_ANSWER, find_detail
from quiz.storage.attempts import AttemptDetail
from quiz.storage.codec import encode_response, offset_ds, seconds_to_ms, to_ms
from quiz.storage.interning import Ids

if TYPE_CHECKING:  # read by the import only: the app never loads it
    from quiz.storage import exchange

IMPORT_BATCH = 200
"""Attempts imported per transaction (so a big import does not hold the file for long)."""


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

    def outcome(self) -> ImportOutcome:
        return ImportOutcome(
            imported=tuple(self.imported),
            present=tuple(self.present),
            conflicting=tuple(self.conflicting),
            in_progress=tuple(self.in_progress),
            recomputed=tuple(self.recomputed),
        )


def import_one(
    connection: sqlite3.Connection, ids: Ids, detail: AttemptDetail, tally: ImportTally
) -> None:
    """Add one exported attempt (inside the caller's write transaction), or say why not."""
    from quiz.storage import exchange

    summary = detail.summary
    stored = find_detail(connection, ids, summary.id)
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
    refs = ids.attempt_refs(
        connection, summary.course, summary.course_version, summary.sections, detail.questions
    )
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
    summaries.apply_attempt(connection, rowid, 1)
    tally.imported.append(summary.id)
    change = exchange.disagreement(detail, outcome)
    if change is not None:
        tally.recomputed.append(change)


def _same_apart_from_passed(stored: AttemptDetail, imported: AttemptDetail) -> bool:
    """The same attempt, leaving `passed` out: the import recomputes it, so a file that
    leaves it out (or an older store's) is no conflict."""
    mine, theirs = stored.to_export_dict(), imported.to_export_dict()
    del mine["passed"], theirs["passed"]
    return mine == theirs
