"""The manager's report: staff by section, questions, sections. Read-only SQL over the store.

Which attempts count: those that ended 'completed' or 'timed_out' (not those in
progress or abandoned), practice and exams alike, started on or after `since`.
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
  (quiz.storage.summaries, described in quiz.storage.db);
- `report_from_attempts`: one learner's report, and the trends per section, straight
  from their attempts and answers (the summaries do not hold questions per learner;
  one learner's attempts are few);
- `report_rows`: the rows both computations make from the figures they gather.
How each table is shown (table, CSV, JSON, the All-staff screen) is quiz.tables.report.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager

from quiz.storage import report_from_attempts, report_from_summaries
from quiz.storage.report_model import Report, ReportFilter, SectionTrend
from quiz.storage.report_reading import Names
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

    From the summaries, except for one learner's report: that is read from their
    attempts (the summaries do not hold the questions per learner), which are few."""
    names = Names(connection)
    if report_filter.learner is None:
        return report_from_summaries.report_from_summaries(connection, report_filter, names)
    return report_from_attempts.report_from_attempts(connection, report_filter, names)


def section_trends(
    connection: sqlite3.Connection, learner: str, course: str | None = None
) -> tuple[SectionTrend, ...]:
    """A learner's result in each section, attempt by attempt (counted attempts)."""
    return report_from_attempts.section_trends(connection, learner, course)
