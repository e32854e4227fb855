"""Paused attempts: read back to be offered, taken up again, given up, or superseded by a
new round. When an attempt is paused and how it ends are quiz.domain.pausing's rules;
leaving one paused is quiz.storage.live's `pause_attempt`; ending those whose time is
up is quiz.storage.recovery's.

Every function here runs inside the caller's transaction (ScoreStore's `_writing` or
`_reading`).
"""

from __future__ import annotations

import os
import sqlite3

from quiz.domain.pausing import PausedAttempt, superseded_by_new
from quiz.domain.records import AnswerRecord, AttemptStatus, Mode
from quiz.domain.text import learner_key
from quiz.storage import liveness
from quiz.storage.attempt_rows import find_detail
from quiz.storage.codec import from_ms
from quiz.storage.interning import Ids
from quiz.storage.recovery import close_from_answers


def learner_paused(
    connection: sqlite3.Connection, ids: Ids, learner: str, course: str | None = None
) -> list[PausedAttempt]:
    """The paused attempts of `learner` (by learner_key), of `course` only if given."""
    sql = """SELECT a.uuid FROM attempt a
             JOIN course_version v ON v.id = a.course_version JOIN course c ON c.id = v.course
             WHERE a.status = 'paused'
               AND a.learner = (SELECT id FROM learner WHERE key = ?)"""
    parameters: list[object] = [learner_key(learner)]
    if course is not None:
        sql += " AND c.code = ?"
        parameters.append(course)
    found = []
    for (attempt_id,) in connection.execute(sql + " ORDER BY a.id", parameters).fetchall():
        attempt = read_paused(connection, ids, attempt_id)
        if attempt is not None:
            found.append(attempt)
    return found


def read_paused(connection: sqlite3.Connection, ids: Ids, attempt_id: str) -> PausedAttempt | None:
    """The attempt of id `attempt_id` with every answer given so far, if it is paused."""
    row = connection.execute(
        """SELECT a.status, coalesce(a.heartbeat_at, a.started_at), h.name
           FROM attempt a LEFT JOIN host h ON h.id = a.host WHERE a.uuid = ?""",
        (attempt_id,),
    ).fetchone()
    if row is None or row[0] != AttemptStatus.PAUSED:
        return None
    _status, paused_at, host = row
    detail = find_detail(connection, ids, attempt_id)
    if detail is None:
        return None
    summary = detail.summary
    return PausedAttempt(
        attempt_id=summary.id,
        learner=summary.learner,
        course_id=summary.course,
        course_version=summary.course_version,
        mode=summary.mode,
        exam=summary.exam,
        sections=summary.sections,
        seed=summary.seed,
        started_at=summary.started_at,
        paused_at=from_ms(paused_at),
        time_limit_seconds=summary.time_limit_seconds,
        deadline_at=summary.deadline_at,
        pass_mark=summary.pass_mark,
        started_here=host == liveness.this_host(),
        questions=detail.questions,
        answers=tuple(
            (
                entry.position,
                AnswerRecord(
                    question_id=entry.question_id,
                    response=entry.response,
                    correct=entry.correct,
                    seconds=entry.seconds,
                    answered_at=entry.answered_at,
                ),
            )
            for entry in detail.history
        ),
    )


def take_up(
    connection: sqlite3.Connection, ids: Ids, attempt_id: str, now_ms: int
) -> PausedAttempt | None:
    """Put paused attempt `attempt_id` back in progress, run by this process; it as it
    was paused, or None if it is not paused (taken up in another terminal meanwhile, or
    ended)."""
    attempt = read_paused(connection, ids, attempt_id)
    if attempt is None:
        return None
    host = ids.row(connection, "host", name=liveness.this_host())
    connection.execute(
        """UPDATE attempt SET status = 'in_progress', pid = ?, host = ?, heartbeat_at = ?
           WHERE uuid = ? AND status = 'paused'""",
        (os.getpid(), host, now_ms, attempt_id),
    )
    return attempt


def give_up(connection: sqlite3.Connection, ids: Ids, attempt_id: str) -> bool:
    """End paused attempt `attempt_id` as abandoned, at the time it was paused (its last
    sign of life), graded from its answers; False if it is not paused."""
    row = connection.execute(
        "SELECT id, status, coalesce(heartbeat_at, started_at) FROM attempt WHERE uuid = ?",
        (attempt_id,),
    ).fetchone()
    if row is None or row[1] != AttemptStatus.PAUSED:
        return False
    close_from_answers(connection, ids, int(row[0]), AttemptStatus.ABANDONED, int(row[2]))
    return True


def supersede(connection: sqlite3.Connection, ids: Ids, rowid: int) -> list[str]:
    """Attempt `rowid` has just started: give up its learner's paused rounds of the same
    mode and course, when a new round supersedes them (quiz.domain.pausing); their ids."""
    learner, mode, course = connection.execute(
        """SELECT a.learner, a.mode, v.course FROM attempt a
           JOIN course_version v ON v.id = a.course_version WHERE a.id = ?""",
        (rowid,),
    ).fetchone()
    if not superseded_by_new(Mode(mode)):
        return []
    rows = connection.execute(
        """SELECT a.uuid FROM attempt a JOIN course_version v ON v.id = a.course_version
           WHERE a.status = 'paused' AND a.learner = ? AND a.mode = ? AND v.course = ?
             AND a.id != ?""",
        (learner, mode, course, rowid),
    ).fetchall()
    given_up = [str(attempt_id) for (attempt_id,) in rows]
    for attempt_id in given_up:
        give_up(connection, ids, attempt_id)
    return given_up
