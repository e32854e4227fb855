"""Learners' flags on questions (schema version 9; quiz.domain.flags says what a flag is).

A flag is kept as it was raised, append-only: nothing here updates or deletes one (a
trigger refuses an UPDATE). The one way a flag leaves the store is with its attempt
(ON DELETE CASCADE), which only `quiz learners forget` deletes. The flag points at
its attempt and at the question version as asked there (asked_question: prompt,
choices in the order shown, the right answer), so an author reads the question the
learner saw, whatever the bank says now. The learner is the attempt's: renaming or
merging learners moves attempts, and their flags with them.

Reading (`shown_flags`, `flag_counts`) applies the exam rule (quiz.domain.flags.
flag_shown) in SQL: the flags of an exam still open are left out.

`migrate` is a step for quiz.storage.db's list of migrations. The
functions take a sqlite3 connection: the caller holds the transaction.
"""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from quiz.domain.flags import (
    HIDDEN_MODE,
    HIDDEN_STATUSES,
    NOTE_MAX_LENGTH,
    FlagRecord,
    note_problem,
)
from quiz.domain.kinds import UnknownKind
from quiz.domain.records import AskedQuestion
from quiz.domain.versions import content_version
from quiz.storage.attempts import AttemptFlag
from quiz.storage.codec import content_key, from_ms, load_texts, to_ms, unpack_ints

# flag(id, uuid UNIQUE, attempt, item, asked_question, flagged_at, note): uuid is the
# flag's id everyone else sees (export, import, the central store); item the question's
# position in the attempt and asked_question its version there; flagged_at (ms, the
# app's clock); note one line (quiz.domain.flags.clean_note), may be empty.
_TABLE = f"""
CREATE TABLE flag (
    id INTEGER PRIMARY KEY,
    uuid TEXT NOT NULL UNIQUE,
    attempt INTEGER NOT NULL REFERENCES attempt(id) ON DELETE CASCADE,
    item INTEGER NOT NULL CHECK (item >= 0),
    asked_question INTEGER NOT NULL REFERENCES asked_question(id),
    flagged_at INTEGER NOT NULL,
    note TEXT NOT NULL CHECK (length(note) <= {NOTE_MAX_LENGTH})
)"""
_TRIGGER = """
CREATE TRIGGER flag_kept_as_raised BEFORE UPDATE ON flag
BEGIN
    SELECT RAISE(ABORT, 'a flag is kept as it was raised: it is never changed');
END"""


def migrate(connection: sqlite3.Connection) -> None:
    """The schema step that adds the flags (quiz.storage.db.FLAGS_VERSION); one statement
    at a time, since the trigger's body holds a `;`."""
    for statement in (
        _TABLE,
        "CREATE INDEX flag_attempt ON flag(attempt)",
        "CREATE INDEX flag_asked ON flag(asked_question)",
        _TRIGGER,
    ):
        connection.execute(statement)


_SHOWN = (
    f"(a.mode <> '{HIDDEN_MODE}' OR a.status NOT IN "
    f"({', '.join(repr(status) for status in HIDDEN_STATUSES)}))"
)
"""quiz.domain.flags.flag_shown in SQL, over the flag's attempt `a`."""


@dataclass(frozen=True)
class StoredFlag:
    """A flag as `quiz flags` shows it: the question as asked, who, when, the note."""

    id: str  # the flag's uuid
    course: str
    question_id: str
    content_version: str  # quiz.domain.versions.content_version of the question as asked
    section: str
    type: str
    prompt: str
    choices: tuple[str, ...]  # in the order shown
    answer: tuple[str, ...]
    learner: str  # the name as typed for the attempt
    attempt_id: str
    mode: str
    position: int
    flagged_at: datetime  # UTC
    note: str


def available(connection: sqlite3.Connection) -> bool:
    """Whether the store has the flag table (quiz.storage.db.FLAGS_VERSION; a store of
    an older version is only read as it is by tests and `connect(upto=...)`)."""
    found = connection.execute(
        "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'flag'"
    ).fetchone()
    return found is not None


def add_flag(
    connection: sqlite3.Connection,
    attempt_rowid: int,
    items: bytes,
    flag: FlagRecord,
    *,
    flag_id: str | None = None,
) -> str:
    """Keep `flag` on the attempt (`items`: its packed question versions); its uuid.
    A flag of the same uuid already kept is left as it is (an import read twice).
    Raises ValueError for a note that is not one clean line or a position the
    attempt does not have."""
    problem = note_problem(flag.note)
    if problem is not None:
        raise ValueError(problem)
    asked_ids = unpack_ints(items)
    if not 0 <= flag.position < len(asked_ids):
        raise ValueError(f"the attempt has no question at position {flag.position}")
    flag_id = flag_id or str(uuid.uuid4())
    connection.execute(
        """INSERT INTO flag (uuid, attempt, item, asked_question, flagged_at, note)
           VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (uuid) DO NOTHING""",
        (
            flag_id,
            attempt_rowid,
            flag.position,
            asked_ids[flag.position],
            to_ms(flag.flagged_at),
            flag.note,
        ),
    )
    return flag_id


def _shown_where(course: str | None, since_ms: int | None) -> tuple[list[str], list[object]]:
    """The conditions on `flag f` (joined to its attempt and course as `c`) of the flags
    that may be shown, of `course` only, raised at or after `since_ms`, if given."""
    conditions = [_SHOWN]
    parameters: list[object] = []
    if course is not None:
        conditions.append("c.code = ?")
        parameters.append(course)
    if since_ms is not None:
        conditions.append("f.flagged_at >= ?")
        parameters.append(since_ms)
    return conditions, parameters


def shown_flags(
    connection: sqlite3.Connection, *, course: str | None = None, since_ms: int | None = None
) -> list[StoredFlag]:
    """The flags that may be shown (not those of an exam still open), by course,
    question and time; of `course` only, raised at or after `since_ms`, if given."""
    conditions, parameters = _shown_where(course, since_ms)
    rows = connection.execute(
        f"""SELECT f.uuid, c.code, q.code, s.code, aq.type, aq.prompt, aq.choices, aq.answer,
                   n.name, a.uuid, a.mode, f.item, f.flagged_at, f.note
            FROM flag f
            JOIN attempt a ON a.id = f.attempt
            JOIN learner_name n ON n.id = a.learner_name
            JOIN asked_question aq ON aq.id = f.asked_question
            JOIN question q ON q.id = aq.question
            JOIN section s ON s.id = aq.section
            JOIN course c ON c.id = q.course
            WHERE {" AND ".join(conditions)}
            ORDER BY c.code, q.code, f.flagged_at, f.id""",
        parameters,
    )
    return [_stored(row) for row in rows]


def _stored(row: tuple[object, ...]) -> StoredFlag:
    (flag_id, course, question, section, kind, prompt, choices, answer) = row[:8]
    (learner, attempt, mode, item, flagged_at, note) = row[8:]
    asked = AskedQuestion(
        position=int(str(item)),
        question_id=str(question),
        section=str(section),
        type=str(kind),
        prompt=str(prompt),
        choices=load_texts(str(choices)),
        answer=load_texts(str(answer)),
    )
    return StoredFlag(
        id=str(flag_id),
        course=str(course),
        question_id=asked.question_id,
        content_version=_version(asked),
        section=asked.section,
        type=asked.type,
        prompt=asked.prompt,
        choices=asked.choices,
        answer=asked.answer,
        learner=str(learner),
        attempt_id=str(attempt),
        mode=str(mode),
        position=asked.position,
        flagged_at=from_ms(int(str(flagged_at))),
        note=str(note),
    )


def _version(asked: AskedQuestion) -> str:
    try:
        return content_version(asked)
    except UnknownKind:  # a kind this program does not know: its content is not ours to read
        return ""


def flag_counts(
    connection: sqlite3.Connection, *, course: str | None = None, since_ms: int | None = None
) -> dict[tuple[str, str, int], int]:
    """How many flags may be shown per (course, question id, content key: codec.
    content_key, as the report's statistics keep versions apart), as `shown_flags`
    reads them."""
    conditions, parameters = _shown_where(course, since_ms)
    rows = connection.execute(
        f"""SELECT c.code, q.code, aq.type, aq.choices, aq.answer, count(*)
            FROM flag f
            JOIN attempt a ON a.id = f.attempt
            JOIN asked_question aq ON aq.id = f.asked_question
            JOIN question q ON q.id = aq.question
            JOIN course c ON c.id = q.course
            WHERE {" AND ".join(conditions)}
            GROUP BY f.asked_question""",
        parameters,
    )
    counts: dict[tuple[str, str, int], int] = {}
    for course_code, code, kind, choices, answer, count in rows:
        key = (str(course_code), str(code), content_key(str(kind), choices, answer))
        counts[key] = counts.get(key, 0) + int(count)
    return counts


def attempt_flags(
    connection: sqlite3.Connection, attempt_rowids: Sequence[int]
) -> dict[int, list[AttemptFlag]]:
    """The flags of these attempts that may be shown (none of an exam still open), by
    attempt rowid, in the order raised; attempts without any are left out (and a store
    without the flag table has none)."""
    if not attempt_rowids or not available(connection):
        return {}
    found: dict[int, list[AttemptFlag]] = {}
    marks = ",".join("?" * len(attempt_rowids))
    rows = connection.execute(
        f"""SELECT f.attempt, f.uuid, f.item, q.code, f.flagged_at, f.note
            FROM flag f
            JOIN attempt a ON a.id = f.attempt
            JOIN asked_question aq ON aq.id = f.asked_question
            JOIN question q ON q.id = aq.question
            WHERE f.attempt IN ({marks}) AND {_SHOWN}
            ORDER BY f.attempt, f.flagged_at, f.id""",
        list(attempt_rowids),
    )
    for attempt, flag_id, item, question, flagged_at, note in rows:
        found.setdefault(int(attempt), []).append(
            AttemptFlag(str(flag_id), int(item), str(question), from_ms(int(flagged_at)), note)
        )
    return found


def import_flags(
    connection: sqlite3.Connection, attempt_id: str, given: Sequence[AttemptFlag]
) -> int:
    """Add the flags of an imported attempt (in the store: new, or the same as the
    file's) that are not here yet (by id); how many were added. A flag naming a
    question the attempt does not have at its position is left out (and counted not)."""
    row = connection.execute(
        "SELECT id, items FROM attempt WHERE uuid = ?", (attempt_id,)
    ).fetchone()
    if row is None or not given:
        return 0
    rowid, items = row
    added = 0
    for flag in given:
        asked = connection.execute(
            """SELECT q.code FROM asked_question aq JOIN question q ON q.id = aq.question
               WHERE aq.id = asked_at(?, ?)""",
            (items, flag.position),
        ).fetchone()
        if asked is None or asked[0] != flag.question_id:
            continue
        record = FlagRecord(flag.question_id, flag.position, flag.note, flag.flagged_at)
        before = connection.total_changes
        add_flag(connection, rowid, items, record, flag_id=flag.id)
        added += connection.total_changes - before
    return added
