"""The report's tables with a row per learner (one spec each, quiz.tables.columns): staff
by section (a row per learner and section), each learner's latest exam and weak
sections (with their sections nested in JSON), and the drill rounds each learner did.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from quiz.storage.report_model import DrillActivity, ExamResult, LearnerReport, SectionResult
from quiz.tables.columns import REST, Child, Column, Shown, Table, percent_column
from quiz.tables.formats import local_day, percent_of, rounded, utc_text
from quiz.tables.report.view import ReportView, exam_outcome
from quiz.tables.text import terminal_text

# --- staff by section: a row per learner and section ------------------------------------


@dataclass(frozen=True)
class StaffSectionRow:
    view: ReportView
    learner: LearnerReport
    result: SectionResult
    first: bool  # the learner's first section: the row that names them

    @property
    def section_text(self) -> str:
        return self.view.label(self.result.course, self.result.section)


def _weak_note(row: StaffSectionRow) -> str:
    return f"weak (pass {row.result.last_pass_mark}%)" if row.result.weak else ""


STAFF_SECTIONS: Table[ReportView, StaffSectionRow] = Table(
    name="staff_sections",
    title="Staff by section",
    rows=lambda view: [
        row for learner in view.report.learners for row in _sections(StaffRow(view, learner))
    ],
    columns=(
        Column(
            "learner",
            value=lambda r: r.learner.name,
            text=lambda r: r.learner.name if r.first else "",
            table=Shown("learner", 20),
            screen=Shown("Learner", 16),
            parent_key=True,
        ),
        Column(
            "latest_exam",
            text=lambda r: exam_outcome(r.learner.latest_exam) if r.first else "",
            screen=Shown("Latest exam", 11),
        ),
        Column("course", value=lambda r: r.result.course),
        Column(
            "section",
            value=lambda r: r.result.section,
            text=lambda r: r.section_text,
            table=Shown("section", 22),
            screen=Shown("Section", 16),
        ),
        Column(
            "attempts",
            value=lambda r: r.result.attempts,
            table=Shown("tries", 5, right=True),
            screen=Shown("Tries", 5, right=True),
        ),
        Column("asked", value=lambda r: r.result.asked),
        Column("right", value=lambda r: r.result.right),
        percent_column(
            "last_percent",
            lambda r: r.result.last_percent,
            table=Shown("last", 5, right=True),
            screen=Shown("Last", 4, right=True),
        ),
        percent_column(
            "best_percent",
            lambda r: r.result.best_percent,
            table=Shown("best", 5, right=True),
            screen=Shown("Best", 4, right=True),
        ),
        Column("last_started_at", value=lambda r: utc_text(r.result.last_at)),
        Column("last_pass_mark", value=lambda r: r.result.last_pass_mark),
        Column(
            "weak",
            value=lambda r: r.result.weak,
            text=lambda r: "weak" if r.result.weak else "",
            table=Shown("", 18, text=_weak_note),
            screen=Shown("Weak", 4),
        ),
    ),
)


# --- staff: a row per learner -----------------------------------------------------------


@dataclass(frozen=True)
class StaffRow:
    view: ReportView
    learner: LearnerReport

    @property
    def weak_labels(self) -> list[str]:
        label = self.view.report.section_label
        return [label(s.course, s.section) for s in self.learner.weak_sections]


def _sections(row: StaffRow) -> list[StaffSectionRow]:
    return [
        StaffSectionRow(row.view, row.learner, result, index == 0)
        for index, result in enumerate(row.learner.sections)
    ]


def _exam_column(name: str, key: str, value: Callable[[ExamResult], object]) -> Column[StaffRow]:
    """A value of the learner's latest exam (None without one): the CSV column `name`,
    and `key` in the JSON's `latest_exam` object (null without an exam)."""

    def of_row(row: StaffRow) -> object:
        exam = row.learner.latest_exam
        return None if exam is None else value(exam)

    return Column(name, value=of_row, json=("latest_exam", key))


STAFF: Table[ReportView, StaffRow] = Table(
    name="staff",
    title="Latest exam and weak sections",
    rows=lambda view: [StaffRow(view, learner) for learner in view.report.learners],
    columns=(
        Column("learner", value=lambda r: r.learner.name, table=Shown("learner", 20)),
        Column("attempts", value=lambda r: r.learner.attempts),
        Column("last_started_at", value=lambda r: utc_text(r.learner.last_at)),
        Column(
            "latest_exam_outcome",
            text=lambda r: exam_outcome(r.learner.latest_exam, dated=True),
            table=Shown("latest exam", 24),
        ),
        _exam_column("latest_exam", "exam", lambda e: e.exam),
        _exam_column("latest_exam_started_at", "started_at", lambda e: utc_text(e.started_at)),
        _exam_column("latest_exam_percent", "percent", lambda e: rounded(e.percent)),
        _exam_column("latest_exam_pass_mark", "pass_mark", lambda e: e.pass_mark),
        _exam_column("latest_exam_passed", "passed", lambda e: e.passed),
        # How the learner of that exam was known (quiz.domain.identity).
        _exam_column("latest_exam_identified", "identified", lambda e: str(e.identified)),
        _exam_column("latest_exam_attempt", "attempt_id", lambda e: e.attempt_id),
        Column(
            "weak_sections",
            value=lambda r: r.weak_labels,
            text=lambda r: ", ".join(terminal_text(w) for w in r.weak_labels) or "none",
            table=Shown("weak sections", REST, wrap=True),
        ),
    ),
    children=(Child("sections", STAFF_SECTIONS, _sections),),
)

# --- drill activity: a row per learner --------------------------------------------------


@dataclass(frozen=True)
class DrillRow:
    view: ReportView
    drill: DrillActivity


DRILL: Table[ReportView, DrillRow] = Table(
    name="drill",
    title="Drill activity",
    rows=lambda view: [DrillRow(view, d) for d in view.report.drill],
    columns=(
        Column("learner", value=lambda r: r.drill.learner, table=Shown("learner", 20)),
        Column("rounds", value=lambda r: r.drill.rounds, table=Shown("rounds", 6, right=True)),
        Column(
            "questions",
            value=lambda r: r.drill.questions,
            table=Shown("questions", 9, right=True),
        ),
        Column("right", value=lambda r: r.drill.right, table=Shown("right", 6, right=True)),
        percent_column(
            "percent_right",
            lambda r: percent_of(r.drill.right, r.drill.questions),
            table=Shown("right%", 6, right=True),
        ),
        Column(
            "last_started_at",
            value=lambda r: utc_text(r.drill.last_at),
            text=lambda r: local_day(r.drill.last_at),
            table=Shown("last round", 10),
        ),
    ),
)
