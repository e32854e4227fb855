"""Attempt rows read back as `AttemptSummary` and `AttemptDetail` (quiz.storage.attempts).

The SQL of `quiz scores`, My scores, a review and an export: which columns make a
summary, the joins that name them, the filters and order of a listing, and the answers
of one attempt in order; and the one INSERT of an answer (recording one, importing many).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from quiz.domain.identity import Identification
from quiz.domain.kinds import UnknownKind, kind_names, kind_of
from quiz.domain.records import AskedQuestion, AttemptStatus, Mode
from quiz.domain.text import learner_key
from quiz.storage.attempts import (
    AnswerEntry,
    AttemptDetail,
    AttemptItem,
    AttemptSummary,
    order_history,
)
from quiz.storage.codec import (
    decode_response,
    from_ms,
    from_offset_ds,
    local_day_start_ms,
    to_ms,
    unpack_ints,
)
from quiz.storage.errors import StoreError
from quiz.storage.flags import attempt_flags
from quiz.storage.interning import Ids

SUMMARY_COLUMNS = """
    a.uuid, n.name, l.key, c.code, v.hash, a.mode, a.exam, a.sections, a.seed,
    a.status, a.started_at, a.finished_at, a.time_limit, a.deadline_at, a.pass_mark,
    a.correct, a.total, a.percent, a.passed, a.identified, a.verify_code, a.clinic,
    a.utc_offset
"""
DETAIL_COLUMNS = f"{SUMMARY_COLUMNS}, a.id, a.items"
_LATER_COLUMNS = {
    "clinic": "NULL",
    "utc_offset": "NULL",
    "identified": "'typed'",
    "verify_code": "NULL",
}
"""What a store older than versions 7 and 8 (tests make them) gives for the attempt
columns it lacks: what those versions give every older attempt."""


def columns_of(connection: sqlite3.Connection, columns: str) -> str:
    """`columns` (SUMMARY_COLUMNS or DETAIL_COLUMNS) as this store can give them."""
    present = {
        row[0] for row in connection.execute("SELECT name FROM pragma_table_info('attempt')")
    }
    for column, stand_in in _LATER_COLUMNS.items():
        if column not in present:
            columns = columns.replace(f"a.{column}", stand_in)
    return columns


INSERT_ANSWER = (
    "INSERT INTO answer (attempt, item, rev, response, correct, ms, at_ds) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
SUMMARY_FROM = """
    FROM attempt a
    JOIN learner l ON l.id = a.learner
    JOIN learner_name n ON n.id = a.learner_name
    JOIN course_version v ON v.id = a.course_version
    JOIN course c ON c.id = v.course
"""


def list_attempts(
    connection: sqlite3.Connection,
    ids: Ids,
    *,
    learner: str | None = None,
    since: date | None = None,
    course: str | None = None,
    clinic: str | None = None,
) -> list[AttemptSummary]:
    """Attempts, newest first. `learner` matches by learner_key; `since` is a local date;
    `clinic` keeps the attempts taken at that clinic."""
    sql, parameters = filtered(
        columns_of(connection, SUMMARY_COLUMNS), learner, since, course, clinic
    )
    rows = connection.execute(sql, parameters).fetchall()
    return [summary(connection, ids, row) for row in rows]


def filtered(
    columns: str,
    learner: str | None,
    since: date | None,
    course: str | None,
    clinic: str | None = None,
) -> tuple[str, list[Any]]:
    """The SELECT of `list_attempts` (its filters and order) for `columns`."""
    where: list[str] = []
    parameters: list[Any] = []
    if learner is not None:
        where.append("l.key = ?")
        parameters.append(learner_key(learner))
    if clinic is not None:
        where.append("a.clinic = ?")
        parameters.append(clinic)
    if since is not None:
        where.append("a.started_at >= ?")
        parameters.append(local_day_start_ms(since))
    if course is not None:
        where.append("c.code = ?")
        parameters.append(course)
    sql = f"SELECT {columns} {SUMMARY_FROM}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY a.started_at DESC, a.id DESC", parameters


def find_detail(connection: sqlite3.Connection, ids: Ids, attempt_id: str) -> AttemptDetail | None:
    """The attempt of id (UUID) `attempt_id`, if it is in the store."""
    row = connection.execute(
        f"SELECT {columns_of(connection, DETAIL_COLUMNS)} {SUMMARY_FROM} WHERE a.uuid = ?",
        (attempt_id,),
    ).fetchone()
    return None if row is None else detail(connection, ids, row)


def summary(connection: sqlite3.Connection, ids: Ids, row: Sequence[Any]) -> AttemptSummary:
    """An attempt from a row of `SUMMARY_COLUMNS`."""
    (
        attempt_id,
        learner_name,
        key,
        course,
        version,
        mode,
        exam,
        sections,
        seed,
        status,
        started_at,
        finished_at,
        time_limit,
        deadline_at,
        pass_mark,
        correct,
        total,
        percent,
        passed,
        identified,
        verify_code,
        clinic,
        utc_offset,
    ) = row[:23]
    return AttemptSummary(
        id=attempt_id,
        learner=learner_name,
        learner_key=key,
        course=course,
        course_version=version,
        mode=Mode(mode),
        exam=exam,
        sections=ids.section_codes(connection, sections),
        seed=seed,
        status=AttemptStatus(status),
        started_at=from_ms(started_at),
        finished_at=from_ms(finished_at) if finished_at is not None else None,
        time_limit_seconds=time_limit,
        deadline_at=from_ms(deadline_at) if deadline_at is not None else None,
        pass_mark=pass_mark,
        correct=correct,
        total=total,
        percent=float(percent) if percent is not None else None,
        passed=None if passed is None else bool(passed),
        identified=Identification(identified),
        verify_code=verify_code,
        clinic=clinic,
        utc_offset_minutes=utc_offset,
    )


def detail(connection: sqlite3.Connection, ids: Ids, row: Sequence[Any]) -> AttemptDetail:
    """An attempt with its questions and answers, from a row of `DETAIL_COLUMNS`."""
    found = summary(connection, ids, row)
    rowid, packed = row[23], row[24]
    started = to_ms(found.started_at)
    questions = [
        ids.asked_question(connection, asked_id, position)
        for position, asked_id in enumerate(unpack_ints(packed))
    ]
    for question in questions:
        check_kind(ids, found.id, question)
    by_item: dict[int, list[AnswerEntry]] = {}
    for item, response, correct, ms, at_ds in connection.execute(
        """SELECT item, response, correct, ms, at_ds FROM answer WHERE attempt = ?
           ORDER BY item, rev""",
        (rowid,),
    ):
        if not 0 <= item < len(questions):
            continue  # an answer to a question not in the attempt: cannot be shown
        by_item.setdefault(item, []).append(
            stored_answer(questions[item], response, correct, ms, from_offset_ds(at_ds, started))
        )
    latest = {item: entries[-1] for item, entries in by_item.items()}
    history = order_history(by_item)
    items = tuple(AttemptItem(question=q, answer=latest.get(q.position)) for q in questions)
    flags = attempt_flags(connection, [rowid]).get(rowid, ())
    return AttemptDetail(summary=found, items=items, history=history, flags=tuple(flags))


def stored_answer(
    question: AskedQuestion, stored: int | str | None, right: int, ms: int, answered_at: datetime
) -> AnswerEntry:
    """An answer to `question` as the store keeps it (its response as stored, right 1/0,
    milliseconds taken), given back."""
    return AnswerEntry(
        position=question.position,
        question_id=question.question_id,
        response=decode_response(question, stored),
        correct=bool(right),
        seconds=ms / 1000,
        answered_at=answered_at,
    )


def check_kind(ids: Ids, attempt_id: str, question: AskedQuestion) -> None:
    """A StoreError unless this program knows the type `question` was asked as (its
    answers could not be read otherwise)."""
    try:
        kind_of(question.type)
    except UnknownKind:
        raise StoreError(
            "other",
            ids.path,
            f"{ids.path}: attempt {attempt_id} asked question {question.question_id!r} of "
            f"type {question.type!r}, which this program does not know (it knows "
            f"{', '.join(kind_names())}), so its answers cannot be read. The file was "
            "not changed. Use the program that saved it (with that question type).",
        ) from None
