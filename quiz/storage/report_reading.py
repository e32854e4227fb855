"""Reading a report's raw material: ids to names, and the counted attempts with their answers.

Both ways of computing a report (quiz.storage.report_from_summaries and
quiz.storage.report_from_attempts) name rows through `Names`; the attempts are read
by `counted_attempts`, which folds the answers that count into two bitmasks per
attempt (right, answered) so that 2 million answers are never objects.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import NamedTuple

from quiz.domain.text import learner_key
from quiz.storage.codec import (
    content_key,
    from_ms,
    is_choice_mask,
    load_texts,
    local_day_start_ms,
    unpack_ints,
)
from quiz.storage.report_model import ReportFilter, UnverifiedPass
from quiz.storage.summaries import COUNTED_STATUSES, kept

MASK_ITEMS = 62
"""Items below this position have their answers folded into an integer bitmask in SQL."""
_VARINT = re.compile(rb"[\x80-\xff]*[\x00-\x7f]")  # one packed integer (codec.pack_ints)


@dataclass
class Version:
    """An asked_question row, as the report needs it."""

    question: int
    section: int
    type: str
    choices: str  # JSON, parsed only when needed
    answer: str
    critical: bool  # a miss fails an exam (quiz.domain.grading)

    @cached_property
    def content(self) -> int:
        """Its content key (codec.content_key): the statistics keep versions apart by it."""
        return content_key(self.type, self.choices, self.answer)

    def wrong_choices(self) -> list[tuple[int, str]]:
        """(position shown, text) of each wrong choice; none unless a response of its
        kind is a mask over the choices shown (codec.is_choice_mask: single, multiple)."""
        if not is_choice_mask(self.type):
            return []
        right = set(load_texts(self.answer))
        return [(p, c) for p, c in enumerate(load_texts(self.choices)) if c not in right]


@dataclass
class ReportAttempt:
    """A counted attempt, with which of its items were answered (right)."""

    rowid: int
    uuid: str
    learner: int
    exam: bool
    exam_id: str | None
    started_at: int
    pass_mark: int | None
    passed: bool | None
    percent: float | None
    items: list[int]
    right: int = 0  # bit per item position: the answer that counts is right
    answered: int = 0  # bit per item position: answered
    latest_rev: dict[int, int] = field(default_factory=dict)  # items answered more than once


class Names:
    """Ids to codes and names, read once per report."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.courses = dict(connection.execute("SELECT id, code FROM course").fetchall())
        self.sections: dict[int, tuple[int, str]] = {
            rowid: (course, code)
            for rowid, course, code in connection.execute("SELECT id, course, code FROM section")
        }
        self.questions: dict[int, tuple[int, str]] = {
            rowid: (course, code)
            for rowid, course, code in connection.execute("SELECT id, course, code FROM question")
        }
        self.learners: dict[int, tuple[str, str]] = {
            rowid: (key, name)
            for rowid, key, name in connection.execute("SELECT id, key, name FROM learner")
        }
        self.versions: dict[int, Version] = {
            rowid: Version(question, section, kind, choices, answer, bool(critical))
            for rowid, question, section, kind, choices, answer, critical in connection.execute(
                "SELECT id, question, section, type, choices, answer, critical FROM asked_question"
            )
        }
        self.version_section = {rowid: v.section for rowid, v in self.versions.items()}
        self._packed: dict[bytes, int] = {}

    def unpack(self, packed: bytes) -> list[int]:
        """codec.unpack_ints, quicker for the many lists of a big store: each packed
        integer's bytes are decoded once."""
        cache = self._packed
        return [
            cache[chunk] if chunk in cache else self._decode(chunk)
            for chunk in _VARINT.findall(packed)
        ]

    def _decode(self, chunk: bytes) -> int:
        value = self._packed[chunk] = unpack_ints(chunk)[0]
        return value

    def section(self, rowid: int) -> tuple[str, str]:
        course, code = self.sections.get(rowid, (0, f"#{rowid}"))
        return self.courses.get(course, "?"), code

    def question(self, rowid: int) -> tuple[str, str]:
        course, code = self.questions.get(rowid, (0, f"#{rowid}"))
        return self.courses.get(course, "?"), code


def version_months(connection: sqlite3.Connection) -> dict[tuple[int, int], int]:
    """(question id, content key) -> the latest month (YYYYMM) with a counted attempt
    that asked that version, for every version with counted answers in the store,
    whatever a report's filter (from question_stats: the summaries hold every month).
    Which version of a question is current is decided from it
    (report_rows.current_versions). None known in a store whose summaries are not
    kept (summaries.kept: an older version, made by tests)."""
    if not kept(connection):
        return {}
    return {
        (question, content): month
        for question, content, month in connection.execute(
            """SELECT question, content, max(month) FROM question_stats
               WHERE asked > 0 GROUP BY question, content"""
        )
    }


def identified_column(connection: sqlite3.Connection) -> str:
    """The SQL of attempt.identified: the column, or 'typed' in a store older than
    version 8 (tests make them; every attempt then was a typed name)."""
    columns = {row[1] for row in connection.execute("PRAGMA table_info(attempt)")}
    return "identified" if "identified" in columns else "'typed'"


def conditions(report_filter: ReportFilter, *, drill: bool = False) -> tuple[str, list[object]]:
    """SQL conditions on `attempt t` for the counted attempts the filter covers (the
    drill rounds among them instead, with `drill`: the report counts them apart)."""
    statuses = ",".join(f"'{s}'" for s in COUNTED_STATUSES)
    where = [f"t.status IN ({statuses})", "t.mode = 'drill'" if drill else "t.mode != 'drill'"]
    parameters: list[object] = []
    if report_filter.learner is not None:
        where.append("t.learner = (SELECT id FROM learner WHERE key = ?)")
        parameters.append(learner_key(report_filter.learner))
    if report_filter.clinic is not None:
        where.append("t.clinic = ?")
        parameters.append(report_filter.clinic)
    if report_filter.since is not None:
        where.append("t.started_at >= ?")
        parameters.append(local_day_start_ms(report_filter.since))
    if report_filter.course is not None:
        where.append(
            "t.course_version IN (SELECT v.id FROM course_version v "
            "JOIN course c ON c.id = v.course WHERE c.code = ?)"
        )
        parameters.append(report_filter.course)
    return " AND ".join(where), parameters


def answer_scope(report_filter: ReportFilter) -> tuple[str, list[object]]:
    """A condition on `answer` rows for the filtered attempts ('1' for the whole store:
    reading every answer is quicker than looking each attempt up, and the rows of
    attempts that do not count are dropped in Python)."""
    if report_filter.whole_store:
        return "1", []
    where, parameters = conditions(report_filter)
    return f"attempt IN (SELECT t.id FROM attempt t WHERE {where})", parameters


def counted_attempts(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: Names
) -> dict[int, ReportAttempt]:
    """The counted attempts, oldest first, with which of their items were answered right."""
    where, parameters = conditions(report_filter)
    unpack = names.unpack
    attempts = {
        row[0]: ReportAttempt(
            rowid=row[0],
            uuid=row[1],
            learner=row[2],
            exam=bool(row[3]),
            exam_id=row[4],
            started_at=row[5],
            pass_mark=row[6],
            passed=None if row[7] is None else bool(row[7]),
            percent=row[8],
            items=unpack(row[9]),
        )
        for row in connection.execute(
            f"""SELECT t.id, t.uuid, t.learner, t.mode = 'exam', t.exam, t.started_at,
                       t.pass_mark, t.passed, t.percent, t.items
                FROM attempt t WHERE {where} ORDER BY t.started_at, t.id""",
            parameters,
        )
    }
    if not attempts:
        return attempts
    scope, scope_parameters = answer_scope(report_filter)
    # First answers of the first MASK_ITEMS items, as bitmasks summed in SQL (most answers)...
    for attempt, right, answered in connection.execute(
        f"""SELECT attempt, sum(correct << item), sum((response IS NOT NULL) << item)
            FROM answer WHERE rev = 0 AND item < {MASK_ITEMS} AND {scope}
            GROUP BY attempt""",
        scope_parameters,
    ):
        found = attempts.get(attempt)
        if found is not None:
            found.right, found.answered = right, answered
    # ...then the rest, in order, so an answer given again replaces the earlier one.
    for attempt, item, rev, correct, given in connection.execute(
        f"""SELECT attempt, item, rev, correct, response IS NOT NULL FROM answer
            WHERE (rev > 0 OR item >= {MASK_ITEMS}) AND {scope}
            ORDER BY attempt, item, rev""",
        scope_parameters,
    ):
        found = attempts.get(attempt)
        if found is None:
            continue
        bit = 1 << item
        found.right = found.right | bit if correct else found.right & ~bit
        found.answered = found.answered | bit if given else found.answered & ~bit
        if rev:
            found.latest_rev[item] = rev
    return attempts


def section_counts(attempt: ReportAttempt, names: Names) -> dict[int, list[int]]:
    """Section id -> [asked, right] for one attempt."""
    sections = [names.version_section.get(version, -1) for version in attempt.items]
    counts = {section: [0, 0] for section in sections}
    for section in sections:
        counts[section][0] += 1
    right = attempt.right
    while right:
        lowest = right & -right
        position = lowest.bit_length() - 1
        if position < len(sections):
            counts[sections[position]][1] += 1
        right ^= lowest
    counts.pop(-1, None)
    return counts


class LatestPass(NamedTuple):
    """A learner's latest counted pass of an exam preset (`latest_passes`)."""

    learner: int  # learner row id
    course: str  # course id
    exam: str  # preset id
    attempt_id: str
    started_at: int  # ms
    finished_at: int  # ms
    utc_offset: int | None  # minutes, as the attempt recorded it (None before version 7)
    percent: float
    identified: str


def latest_passes(
    connection: sqlite3.Connection,
    report_filter: ReportFilter,
    exams: Sequence[str] | None = None,
) -> list[LatestPass]:
    """Each learner's latest pass (the last started) of each exam preset, among the
    counted attempts `report_filter` covers (of `exams` only, when given): the one rule
    for "a learner's pass" that the unverified passes and the recertification list
    (quiz.storage.recertification) both read. One scan of attempt, grouped: SQLite
    takes the other columns from the row of the latest start (its bare-column rule)."""
    where, parameters = conditions(report_filter)
    where += " AND t.mode = 'exam' AND t.passed = 1 AND t.exam IS NOT NULL"
    if exams is not None:
        where += f" AND t.exam IN ({','.join('?' * len(exams))})"
        parameters += list(exams)
    identified = identified_column(connection)
    columns = {row[1] for row in connection.execute("PRAGMA table_info(attempt)")}
    offset = "t.utc_offset" if "utc_offset" in columns else "NULL"
    courses = dict(
        connection.execute(
            "SELECT v.id, c.code FROM course_version v JOIN course c ON c.id = v.course"
        )
    )
    latest: dict[tuple[int, str, str], LatestPass] = {}
    for (
        learner,
        version,
        exam,
        finished,
        uuid,
        started,
        offset_minutes,
        percent,
        how,
    ) in connection.execute(
        f"""SELECT t.learner, t.course_version, t.exam, t.finished_at, t.uuid,
                   max(t.started_at), {offset}, t.percent, {identified}
            FROM attempt t WHERE {where}
            GROUP BY t.learner, t.course_version, t.exam""",
        parameters,
    ):
        course = courses[version]
        found = LatestPass(
            learner,
            course,
            exam,
            uuid,
            started,
            finished,
            offset_minutes,
            float(percent or 0),
            how,
        )
        key = (learner, course, exam)
        if key not in latest or latest[key].started_at < started:
            latest[key] = found  # the latest over the course's versions
    return list(latest.values())


def unverified_passes(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: Names
) -> tuple[UnverifiedPass, ...]:
    """Each learner's latest counted pass of each exam preset in the filter's period,
    where that pass's learner was known by a typed name only (no PIN, no witness):
    newest first. An older typed pass followed by a verified one is not listed."""
    found = []
    for latest in latest_passes(connection, report_filter):
        if latest.identified != "typed":
            continue
        key, name = names.learners.get(latest.learner, ("", f"#{latest.learner}"))
        found.append(
            UnverifiedPass(
                name,
                key,
                latest.course,
                latest.exam,
                latest.attempt_id,
                from_ms(latest.started_at),
                latest.percent,
            )
        )
    found.sort(key=lambda p: (-p.started_at.timestamp(), p.attempt_id))
    return tuple(found)
