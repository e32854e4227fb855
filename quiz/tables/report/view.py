"""The report as its tables see it (`ReportView`: the report, and how the output names a
section), a latest exam in a few words (`exam_outcome`, shared by the printed report,
the HTML page and the All staff screen's heat table), and whom and which days the
report covers (`report_scope`, the printed report's and the page's heading).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quiz.storage.report_model import ExamResult, Report
from quiz.tables.formats import local_day, percent_text, verdict_word

SectionLabel = Callable[[str, str], str]
"""(course, section) -> how an output names the section."""


@dataclass(frozen=True)
class ReportView:
    """A report, and how the output it is shown in names a section (CSV, JSON and the
    printed report: `Report.section_label`; the app: the section's title)."""

    report: Report
    label: SectionLabel

    @classmethod
    def of(cls, report: Report, label: SectionLabel | None = None) -> ReportView:
        return cls(report, label or report.section_label)


def exam_outcome(exam: ExamResult | None, *, dated: bool = False) -> str:
    """A latest exam in a few words: "passed 75%" ("… 2026-11-24" when `dated`)."""
    if exam is None:
        return "no exam"
    outcome = f"{verdict_word(exam.passed)} {percent_text(exam.percent)}"
    return f"{outcome} {local_day(exam.started_at)}" if dated else outcome


def report_scope(report: Report) -> tuple[str, str]:
    """Whom and which days the report covers, as its headings say it: "6 learners" (or
    the learner's name, for a --learner report of one) and "since 2026-10-01" (or "all
    dates"). The name is as stored: each output makes it literal."""
    since = report.filter.since
    scope = f"since {since.isoformat()}" if since else "all dates"
    learners = len(report.learners)
    who = f"{learners} learner{'s' if learners != 1 else ''}"
    if report.filter.learner is not None and learners == 1:
        who = report.learners[0].name
    return who, scope
