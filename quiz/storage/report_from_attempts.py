"""A report straight from the counted attempts and their answers (any filter).

Used for one learner's report (the summaries do not hold questions per learner, and
one learner's attempts are few), for a learner's trend per section, and by the tests
as the reference the summaries must agree with.
"""

from __future__ import annotations

import sqlite3
from collections import Counter, defaultdict

from quiz.domain.model import DEFAULT_PASS_MARK
from quiz.storage.codec import from_ms
from quiz.storage.report_model import (
    ExamResult,
    Report,
    ReportFilter,
    SectionTrend,
    TrendPoint,
)
from quiz.storage.report_reading import (
    Names,
    ReportAttempt,
    answer_scope,
    counted_attempts,
    identified_column,
    section_counts,
    unverified_passes,
    version_months,
)
from quiz.storage.report_rows import QuestionFigures, Staff, Tally, exam_result, report_of


def report_from_attempts(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: Names
) -> Report:
    """The report straight from the counted attempts and their answers (any filter)."""
    attempts = counted_attempts(connection, report_filter, names)
    staff = _staff_from_attempts(connection, attempts, names)
    figures = _question_figures_from_attempts(connection, report_filter, attempts, names)
    exams = sum(1 for a in attempts.values() if a.exam)
    unverified = unverified_passes(connection, report_filter, names)
    return report_of(report_filter, len(attempts), exams, staff, figures, names, unverified)


def section_trends(
    connection: sqlite3.Connection, learner: str, course: str | None = None
) -> tuple[SectionTrend, ...]:
    """A learner's result in each section, attempt by attempt (counted attempts)."""
    names = Names(connection)
    attempts = counted_attempts(connection, ReportFilter(learner=learner, course=course), names)
    points: defaultdict[int, list[TrendPoint]] = defaultdict(list)
    for attempt in attempts.values():
        for section, (asked, right) in section_counts(attempt, names).items():
            points[section].append(
                TrendPoint(
                    attempt_id=attempt.uuid,
                    started_at=from_ms(attempt.started_at),
                    exam=attempt.exam,
                    right=right,
                    asked=asked,
                )
            )
    return tuple(
        SectionTrend(*names.section(section), points=tuple(found))
        for section, found in sorted(points.items())
    )


def _staff_from_attempts(
    connection: sqlite3.Connection, attempts: dict[int, ReportAttempt], names: Names
) -> Staff:
    staff = Staff()
    latest_exam: dict[int, ReportAttempt] = {}
    for attempt in attempts.values():  # oldest first
        staff.attempts[attempt.learner] += 1
        staff.last_at[attempt.learner] = attempt.started_at
        if attempt.exam:
            latest_exam[attempt.learner] = attempt
        mark = attempt.pass_mark if attempt.pass_mark is not None else DEFAULT_PASS_MARK
        by_section = staff.sections[attempt.learner]
        for section, (asked, right) in section_counts(attempt, names).items():
            percent = 100.0 * right / asked
            tally = by_section.get(section)
            if tally is None:
                tally = by_section[section] = Tally(best_percent=percent)
            tally.attempts += 1
            tally.asked += asked
            tally.right += right
            tally.last_percent = percent
            tally.last_at = attempt.started_at
            tally.last_pass_mark = mark
            tally.best_percent = max(tally.best_percent, percent)
    identified = _identified(connection, [a.rowid for a in latest_exam.values()])
    staff.latest_exam = {
        learner: _exam_result(a, names, identified.get(a.rowid, "typed"))
        for learner, a in latest_exam.items()
    }
    return staff


def _identified(connection: sqlite3.Connection, rowids: list[int]) -> dict[int, str]:
    """How the learners of these attempts were identified (quiz.domain.identity)."""
    column = identified_column(connection)
    found: dict[int, str] = {}
    for start in range(0, len(rowids), 500):
        chunk = rowids[start : start + 500]
        found.update(
            connection.execute(
                f"SELECT id, {column} FROM attempt WHERE id IN ({','.join('?' * len(chunk))})",
                chunk,
            ).fetchall()
        )
    return found


def _exam_result(attempt: ReportAttempt, names: Names, identified: str) -> ExamResult:
    def answers() -> tuple[list[int], list[int]]:
        right = [item for item in range(len(attempt.items)) if attempt.right >> item & 1]
        return attempt.items, right

    return exam_result(
        attempt.exam_id,
        attempt.started_at,
        attempt.percent,
        attempt.pass_mark,
        attempt.passed,
        answers,
        names,
        identified=identified,
        attempt_id=attempt.uuid,
    )


def _question_figures_from_attempts(
    connection: sqlite3.Connection,
    report_filter: ReportFilter,
    attempts: dict[int, ReportAttempt],
    names: Names,
) -> QuestionFigures:
    """The same sums as the summary tables keep, over these attempts only, by version."""
    figures = QuestionFigures(months=version_months(connection))
    for attempt in attempts.values():
        total = len(attempt.items)
        right_total = bin(attempt.right).count("1")
        figures.used.update(attempt.items)
        for position, version in enumerate(attempt.items):
            info = names.versions.get(version)
            if info is None:
                continue
            right = attempt.right >> position & 1
            item = figures.sums[figures.key_of(info)]
            item.asked += 1
            item.answered += attempt.answered >> position & 1
            item.right += right
            if total > 1:
                rest = (right_total - right) / (total - 1)
                item.r_n += 1
                item.r_x += right
                item.r_sum += rest
                item.r_sq += rest * rest
                item.r_xr += right * rest
    figures.picks = _wrong_picks(connection, report_filter, attempts, names, figures)
    return figures


def _wrong_picks(
    connection: sqlite3.Connection,
    report_filter: ReportFilter,
    attempts: dict[int, ReportAttempt],
    names: Names,
    figures: QuestionFigures,
) -> Counter[tuple[int, int, str]]:
    """(question id, content key, choice text) -> times that wrong choice was picked,
    over the answers that count. A version's choices are in the order shown, so the
    picked positions are read with the version's own choices."""
    scope, parameters = answer_scope(report_filter)
    masks: Counter[tuple[int, int]] = Counter()
    for attempt, item, rev, response in connection.execute(
        f"""SELECT attempt, item, rev, response FROM answer
            WHERE correct = 0 AND typeof(response) = 'integer' AND {scope}""",
        parameters,
    ):
        found = attempts.get(attempt)
        if found is None or found.latest_rev.get(item, 0) != rev or item >= len(found.items):
            continue
        masks[(found.items[item], response)] += 1
    picks: Counter[tuple[int, int, str]] = Counter()
    for (version, mask), count in masks.items():
        info = names.versions.get(version)
        if info is None:
            continue
        for position, choice in info.wrong_choices():
            if mask >> position & 1:
                picks[(*figures.key_of(info), choice)] += count
    return picks
