"""The manager's report: staff by section, questions, sections. Read-only SQL over the store.

Which attempts count: those that ended 'completed' or 'timed_out' (not those in
progress, paused or abandoned), practice and exams alike, started on or after `since`.
"Latest exam" looks at exam attempts only. A learner's result in a section is the
percent right of the questions of that section in one attempt; "last" is the latest
attempt that asked questions of the section, "best" the highest. A section is weak
when its last percent is below that attempt's pass mark (the exam's, or
DEFAULT_PASS_MARK for practice). Facility and discrimination are Moodle's
(quiz.domain.stats), over every counted attempt that asked the question.

The parts, one concern a module:
- `report_model`: what a report holds (no SQL; the UI and the commands import it;
  `Report` and `ReportFilter` are here too);
- `report_reading`: ids to names, and the counted attempts with their answers;
- `report_from_summaries`: without a learner filter, from the report summaries
  (quiz.storage.summaries, described in quiz.storage.schema);
- `report_from_attempts`: one learner's report, and the trends per section, straight
  from their attempts and answers (the summaries do not hold questions per learner;
  one learner's attempts are few);
- `report_rows`: the rows both computations make from the figures they gather;
- drill activity (from the attempts: the drill rounds are few, and indexed) and the
  leeches (from the drill's cards, quiz.storage.cards), the same for both.
How each table is shown (table, CSV, JSON, the All-staff screen) is quiz.tables.report.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import replace
from itertools import groupby
from operator import itemgetter

from quiz.domain.text import learner_key
from quiz.storage import cards, flags, report_from_attempts, report_from_summaries, summaries
from quiz.storage.codec import from_ms, local_day_start_ms, version_label
from quiz.storage.report_model import (
    DrillActivity,
    LeechReport,
    QuestionReport,
    Report,
    ReportFilter,
    SectionTrend,
)
from quiz.storage.report_reading import Names, conditions
from quiz.storage.summaries import COUNTED_STATUSES

__all__ = [
    "COUNTED_STATUSES",
    "Names",
    "Report",
    "ReportFilter",
    "SectionTrend",
    "build_report",
    "section_trends",
    "snapshot",
]


@contextmanager
def snapshot(connection: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """One read transaction, so the queries of a report see the same store."""
    connection.execute("BEGIN")
    try:
        yield connection
    finally:
        try:
            connection.execute("COMMIT")
        except sqlite3.Error:
            pass


def build_report(connection: sqlite3.Connection, report_filter: ReportFilter) -> Report:
    """The whole report (call inside `snapshot`, so every query sees the same store).

    From the summaries, except for one learner's report and one clinic's: those are
    read from the attempts (the summaries hold neither the questions per learner nor
    the clinic); and a store of an older version made by tests, whose summaries are not
    kept (summaries.kept)."""
    names = Names(connection)
    if (
        report_filter.learner is None
        and report_filter.clinic is None
        and summaries.kept(connection)
    ):
        report = report_from_summaries.report_from_summaries(connection, report_filter, names)
    else:
        report = report_from_attempts.report_from_attempts(connection, report_filter, names)
    report = with_learner_flags(connection, report, report_filter)
    if not cards.available(connection):
        return report
    return replace(
        report,
        drill=drill_activity(connection, report_filter, names),
        leeches=leech_reports(connection, report_filter, names),
        leech_threshold=cards.read_settings(connection).leech_threshold,
    )


def with_learner_flags(
    connection: sqlite3.Connection, report: Report, report_filter: ReportFilter
) -> Report:
    """`report` with each question's count of learners' flags that may be shown
    (quiz.storage.flags), raised in the filter's period: of its version, when the
    report keeps a question's versions apart, else of the question."""
    if not report.questions or not flags.available(connection):
        return report
    since_ms = local_day_start_ms(report_filter.since) if report_filter.since else None
    counts = flags.flag_counts(connection, course=report_filter.course, since_ms=since_ms)
    if not counts:
        return report
    by_question: dict[tuple[str, str], int] = {}
    by_version: dict[tuple[str, str, str], int] = {}
    for (course, question, content), count in counts.items():
        by_question[(course, question)] = by_question.get((course, question), 0) + count
        key = (course, question, version_label(content))
        by_version[key] = by_version.get(key, 0) + count

    def count_of(q: QuestionReport) -> int:
        if q.versions > 1:
            return by_version.get((q.course, q.question, q.version), 0)
        return by_question.get((q.course, q.question), 0)

    questions = tuple(replace(q, learner_flags=count_of(q)) for q in report.questions)
    return replace(report, questions=questions)


def drill_activity(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: Names
) -> tuple[DrillActivity, ...]:
    """Each learner's counted drill rounds in the filter's period, by name."""
    where, parameters = conditions(report_filter, drill=True)
    found = []
    for learner, rounds, questions, right, last in connection.execute(
        f"""SELECT t.learner, count(*), sum(t.total), coalesce(sum(t.correct), 0),
                   max(t.started_at)
            FROM attempt t WHERE {where} GROUP BY t.learner""",
        parameters,
    ):
        key, name = names.learners.get(learner, ("", f"#{learner}"))
        found.append(DrillActivity(name, key, rounds, questions, right, from_ms(last)))
    return tuple(sorted(found, key=lambda d: (d.key, d.learner)))


def leech_reports(
    connection: sqlite3.Connection, report_filter: ReportFilter, names: Names
) -> tuple[LeechReport, ...]:
    """The leeches as the cards are now, one entry per question with its learners (most
    lapses first); the questions that are leeches for the most learners first."""
    threshold = cards.read_settings(connection).leech_threshold
    where = "c.lapses >= ?"
    parameters: list[object] = [threshold]
    if report_filter.learner is not None:
        where += " AND l.key = ?"
        parameters.append(learner_key(report_filter.learner))
    if report_filter.clinic is not None:  # the learners known at the clinic
        from quiz.storage.card_queries import LEARNER_AT_CLINIC

        where += f" AND {LEARNER_AT_CLINIC.format(learner='l.id')}"
        parameters.append(report_filter.clinic)
    found = []
    rows = connection.execute(
        f"""SELECT c.question, c.section, l.name, c.lapses FROM card c
            JOIN learner l ON l.id = c.learner WHERE {where}
            ORDER BY c.question, c.section, c.lapses DESC, l.key, l.name""",
        parameters,
    )
    for (question, section), group in groupby(rows, key=itemgetter(0, 1)):
        course, code = names.question(question)
        if report_filter.course is not None and course != report_filter.course:
            continue
        who = list(group)
        found.append(
            LeechReport(
                course,
                code,
                names.section(section)[1],
                learners=tuple(row[2] for row in who),
                lapses=tuple(row[3] for row in who),
            )
        )
    return tuple(sorted(found, key=lambda r: (-len(r.learners), r.course, r.question)))


def section_trends(
    connection: sqlite3.Connection, learner: str, course: str | None = None
) -> tuple[SectionTrend, ...]:
    """A learner's result in each section, attempt by attempt (counted attempts)."""
    return report_from_attempts.section_trends(connection, learner, course)
