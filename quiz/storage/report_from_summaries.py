"""A report from the report summaries (quiz.storage.summaries): any filter but a learner.

Whole months from `since`'s on come from the summary tables; when `since` is not the
first of a month, the part month before the first whole one comes from its attempts
(`summaries.compute`). What is latest (a learner's latest attempt, latest exam, latest
result in a section) comes from the latest tables: the period never ends before now,
so the latest attempt in it is the latest of all.
"""

from __future__ import annotations

import sqlite3
from datetime import date
from functools import partial

from quiz.domain.model import DEFAULT_PASS_MARK
from quiz.storage import summaries
from quiz.storage.codec import local_day_start_ms, unpack_ints
from quiz.storage.report_model import ExamResult, Report, ReportFilter
from quiz.storage.report_reading import (
    Names,
    identified_column,
    unverified_passes,
    version_months,
)
from quiz.storage.report_rows import QuestionFigures, Staff, Tally, exam_result, report_of


def report_from_summaries(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: Names
) -> Report:
    """The report of `report_filter`'s period (and course), from the summaries."""
    course: int | None = None
    if report_filter.course is not None:
        row = connection.execute(
            "SELECT id FROM course WHERE code = ?", (report_filter.course,)
        ).fetchone()
        if row is None:
            return Report.empty(report_filter)
        course = int(row[0])
    scope = _Scope(names, course)
    first_month, part_range = _period(report_filter.since)
    part = summaries.Totals()
    if part_range is not None:  # the part month: from its attempts
        part = summaries.compute(connection, since_ms=part_range[0], until_ms=part_range[1])
    staff, attempts, exams = _staff_from_summaries(connection, first_month, part, scope)
    figures = _question_figures_from_summaries(connection, first_month, part, scope)
    unverified = unverified_passes(connection, report_filter, names)
    return report_of(report_filter, attempts, exams, staff, figures, names, unverified)


def _period(since: date | None) -> tuple[int, tuple[int, int] | None]:
    """For a period from `since` on: the first month (YYYYMM) the summaries give whole,
    and the [start, end) milliseconds of the part month before it, if `since` is not
    the first of a month."""
    if since is None:
        return 0, None
    if since.day == 1:
        return since.year * 100 + since.month, None
    following = date(since.year + since.month // 12, since.month % 12 + 1, 1)
    part = (local_day_start_ms(since), local_day_start_ms(following))
    return following.year * 100 + following.month, part


class _Scope:
    """Which rows of the summaries a report covers: those of one course, or all."""

    def __init__(self, names: Names, course: int | None) -> None:
        self.names = names
        self.course = course

    def has_course(self, course: int) -> bool:
        return self.course is None or course == self.course

    def has_section(self, section: int) -> bool:
        return self.course is None or self.names.sections.get(section, (0, ""))[0] == self.course

    def has_question(self, question: int) -> bool:
        return self.course is None or self.names.questions.get(question, (0, ""))[0] == self.course

    def has_version(self, version: int) -> bool:
        info = self.names.versions.get(version)
        return self.course is None or (info is not None and self.has_question(info.question))


def _staff_from_summaries(
    connection: sqlite3.Connection, first_month: int, part: summaries.Totals, scope: _Scope
) -> tuple[Staff, int, int]:
    """The staff figures, and the counted attempts and exams of the period."""
    staff = Staff()
    counted = exams = 0
    with_exams: set[int] = set()
    rows: list[tuple[int, int, int, int]] = connection.execute(
        """SELECT learner, course, exam, sum(attempts) FROM learner_stats WHERE month >= ?
           GROUP BY learner, course, exam""",
        (first_month,),
    ).fetchall()
    rows += [(lr, c, exam, n) for (lr, c, _month, exam), n in part.learners.items()]
    for learner, course, exam, count in rows:
        if count <= 0 or not scope.has_course(course):
            continue
        staff.attempts[learner] += count
        counted += count
        if exam:
            exams += count
            with_exams.add(learner)
    # The period never ends before now: the latest attempt of a learner with attempts
    # in it is their latest of all.
    latest: dict[int, tuple[int, int]] = {}
    latest_exam: dict[int, tuple[int, int]] = {}
    for learner, course, exam, started_at, attempt in connection.execute(
        "SELECT learner, course, exam, started_at, attempt FROM learner_latest"
    ):
        if learner not in staff.attempts or not scope.has_course(course):
            continue
        order = (started_at, attempt)
        if latest.get(learner, (-1, -1)) < order:
            latest[learner] = order
        if exam and learner in with_exams and latest_exam.get(learner, (-1, -1)) < order:
            latest_exam[learner] = order
    staff.last_at = {learner: order[0] for learner, order in latest.items()}
    staff.latest_exam = _exam_results(
        connection, {learner: order[1] for learner, order in latest_exam.items()}, scope.names
    )
    for learner, section, attempts, asked, right, best in connection.execute(
        """SELECT learner, section, sum(attempts), sum(asked), sum(right),
                  max(100.0 * best_right / best_asked)
           FROM learner_section_stats WHERE month >= ? GROUP BY learner, section""",
        (first_month,),
    ):
        if scope.has_section(section):
            staff.sections[learner][section] = Tally(attempts, asked, right, best_percent=best)
    for (learner, section, _month, _exam), sums in part.sections.items():
        if sums.attempts <= 0 or not scope.has_section(section):
            continue
        best = 100.0 * sums.best_right / sums.best_asked
        tally = staff.sections[learner].get(section)
        if tally is None:
            staff.sections[learner][section] = Tally(
                sums.attempts, sums.asked, sums.right, best_percent=best
            )
        else:
            tally.attempts += sums.attempts
            tally.asked += sums.asked
            tally.right += sums.right
            tally.best_percent = max(tally.best_percent, best)
    for learner, section, started_at, asked, right, pass_mark in connection.execute(
        "SELECT learner, section, started_at, asked, right, pass_mark FROM learner_section_latest"
    ):
        found = staff.sections.get(learner)
        tally = found.get(section) if found is not None else None
        if tally is None:
            continue
        tally.last_percent = 100.0 * right / asked if asked else 0.0
        tally.last_at = started_at
        tally.last_pass_mark = pass_mark if pass_mark is not None else DEFAULT_PASS_MARK
    return staff, counted, exams


def _exam_results(
    connection: sqlite3.Connection, rowids: dict[int, int], names: Names
) -> dict[int, ExamResult]:
    """learner id -> the result of their exam attempt of id rowids[learner]."""
    found: dict[int, ExamResult] = {}
    wanted = sorted(set(rowids.values()))
    for start in range(0, len(wanted), 500):
        chunk = wanted[start : start + 500]
        for (
            rowid,
            exam_id,
            started_at,
            pass_mark,
            passed,
            percent,
            items,
            uuid,
            identified,
        ) in connection.execute(
            f"""SELECT id, exam, started_at, pass_mark, passed, percent, items, uuid,
                       {identified_column(connection)}
                FROM attempt WHERE id IN ({",".join("?" * len(chunk))})""",
            chunk,
        ):
            found[rowid] = exam_result(
                exam_id,
                started_at,
                percent,
                pass_mark,
                None if passed is None else bool(passed),
                partial(_stored_answers, connection, rowid, items),
                names,
                identified=identified,
                attempt_id=uuid,
            )
    return {learner: found[rowid] for learner, rowid in rowids.items() if rowid in found}


def _stored_answers(
    connection: sqlite3.Connection, rowid: int, items: bytes
) -> tuple[list[int], list[int]]:
    """Attempt `rowid`'s question versions, and the positions of its answers that count
    (the latest of each) that are right."""
    latest: dict[int, int] = {}
    for item, correct in connection.execute(
        "SELECT item, correct FROM answer WHERE attempt = ? ORDER BY item, rev", (rowid,)
    ):
        latest[item] = correct
    return unpack_ints(items), [item for item, correct in latest.items() if correct]


def _question_figures_from_summaries(
    connection: sqlite3.Connection, first_month: int, part: summaries.Totals, scope: _Scope
) -> QuestionFigures:
    figures = QuestionFigures(months=version_months(connection))
    for question, content, *values in connection.execute(
        """SELECT question, content, sum(asked), sum(answered), sum(right), sum(ms), sum(r_n),
                  sum(r_x), sum(r_sum), sum(r_sq), sum(r_xr)
           FROM question_stats WHERE month >= ? GROUP BY question, content""",
        (first_month,),
    ):
        if scope.has_question(question):
            figures.sums[(question, content)].add(summaries.QuestionSums(*values))
    for (question, content, _month, _exam), sums in part.questions.items():
        if scope.has_question(question):
            figures.sums[(question, content)].add(sums)
    figures.used = {
        version
        for (version,) in connection.execute(
            "SELECT DISTINCT asked_question FROM version_stats WHERE month >= ?", (first_month,)
        )
        if scope.has_version(version)
    }
    figures.used.update(
        version
        for (version, _month), count in part.versions.items()
        if count > 0 and scope.has_version(version)
    )
    for question, content, choice, picks in connection.execute(
        """SELECT question, content, choice, sum(picks) FROM choice_stats WHERE month >= ?
           GROUP BY question, content, choice""",
        (first_month,),
    ):
        if scope.has_question(question):
            figures.picks[(question, content, choice)] += picks
    for (question, content, _month, _exam, choice), picks in part.choices.items():
        if scope.has_question(question):
            figures.picks[(question, content, choice)] += picks
    return figures
