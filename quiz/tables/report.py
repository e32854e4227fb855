"""The tables of the manager's report, as `quiz report` prints them (table, CSV, JSON)
and the All-staff screen shows them: one spec each (quiz.tables.columns).

CSV writes the tables of CSV_TABLES in that order; JSON holds those of JSON_TABLES
under their keys, with a learner's sections and a question's wrong choices nested
(`Child`). The printed report and the screen show each column's `table` and `screen`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from quiz.storage.report_model import (
    ChoicePicks,
    DrillActivity,
    ExamResult,
    LearnerReport,
    LeechReport,
    QuestionReport,
    RecertificationDue,
    Report,
    SectionResult,
    SectionShare,
    UnverifiedPass,
)
from quiz.tables.columns import REST, Child, Column, Shown, Table, percent_column
from quiz.tables.formats import (
    index_text,
    local_day,
    local_minute,
    percent_of,
    percent_text,
    rounded,
    utc_text,
    verdict_word,
)
from quiz.tables.text import terminal_text

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


def _exam(value: Callable[[ExamResult], object]) -> Callable[[StaffRow], object]:
    """A value of the learner's latest exam (None without one)."""

    def of_row(row: StaffRow) -> object:
        exam = row.learner.latest_exam
        return None if exam is None else value(exam)

    return of_row


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
        Column("latest_exam", value=_exam(lambda e: e.exam), json=("latest_exam", "exam")),
        Column(
            "latest_exam_started_at",
            value=_exam(lambda e: utc_text(e.started_at)),
            json=("latest_exam", "started_at"),
        ),
        Column(
            "latest_exam_percent",
            value=_exam(lambda e: rounded(e.percent)),
            json=("latest_exam", "percent"),
        ),
        Column(
            "latest_exam_pass_mark",
            value=_exam(lambda e: e.pass_mark),
            json=("latest_exam", "pass_mark"),
        ),
        Column(
            "latest_exam_passed", value=_exam(lambda e: e.passed), json=("latest_exam", "passed")
        ),
        Column(
            # How the learner of that exam was known (quiz.domain.identity).
            "latest_exam_identified",
            value=_exam(lambda e: str(e.identified)),
            json=("latest_exam", "identified"),
        ),
        Column(
            "latest_exam_attempt",
            value=_exam(lambda e: e.attempt_id),
            json=("latest_exam", "attempt_id"),
        ),
        Column(
            "weak_sections",
            value=lambda r: r.weak_labels,
            text=lambda r: ", ".join(terminal_text(w) for w in r.weak_labels) or "none",
            table=Shown("weak sections", REST, wrap=True),
        ),
    ),
    children=(Child("sections", STAFF_SECTIONS, _sections),),
)


# --- questions, and their wrong choices -------------------------------------------------


@dataclass(frozen=True)
class QuestionRow:
    view: ReportView
    question: QuestionReport


@dataclass(frozen=True)
class WrongChoiceRow:
    question: QuestionReport
    choice: ChoicePicks

    @property
    def percent_of_asked(self) -> float:
        return percent_of(self.choice.picks, self.question.asked)


WRONG_CHOICES: Table[ReportView, WrongChoiceRow] = Table(
    name="wrong_choices",
    title="Wrong choices",
    rows=lambda view: [
        WrongChoiceRow(q, choice) for q in view.report.questions for choice in q.wrong_choices
    ],
    columns=(
        Column("course", value=lambda r: r.question.course, parent_key=True),
        Column("question", value=lambda r: r.question.question, parent_key=True),
        Column("version", value=lambda r: r.question.version, parent_key=True),
        Column("choice", value=lambda r: r.choice.choice),
        Column("picks", value=lambda r: r.choice.picks),
        Column("percent_of_asked", value=lambda r: rounded(r.percent_of_asked)),
    ),
)


def _versioned(rows: Sequence[QuestionRow]) -> bool:
    """Whether a question of the rows has answers to several versions in the store (then
    the screen shows which version each row is of; the printed report says it under
    the row, quiz.commands.report)."""
    return any(row.question.versions > 1 for row in rows)


def _version_word(row: QuestionRow) -> str:
    """On screen: "v3f2a current", "v1b7c older" (nothing for a question of one version)."""
    question = row.question
    if question.versions <= 1:
        return ""
    return f"{question.version} {'current' if question.current else 'older'}"


def _learners_flagged(rows: Sequence[QuestionRow]) -> bool:
    """Whether a question of the rows has learners' flags (then their column shows)."""
    return any(row.question.learner_flags for row in rows)


QUESTIONS: Table[ReportView, QuestionRow] = Table(
    name="questions",
    title="Questions",
    rows=lambda view: [QuestionRow(view, q) for q in view.report.questions],
    columns=(
        Column("course", value=lambda r: r.question.course),
        Column(
            "question",
            value=lambda r: r.question.question,
            table=Shown("question", 24),
            screen=Shown("Question", 20),
        ),
        Column(
            "version",  # the figures of a row are of this version only
            value=lambda r: r.question.version,
            text=lambda r: r.question.version_text if r.question.versions > 1 else "",
            screen=Shown("Version", 13, text=_version_word, only_if=_versioned),
        ),
        Column("current", value=lambda r: r.question.current),
        Column(
            "section",
            value=lambda r: r.question.section,
            text=lambda r: r.view.label(r.question.course, r.question.section),
            table=Shown("section", 18),
            screen=Shown("Section", 16),
        ),
        Column("type", value=lambda r: r.question.type),
        Column(
            "asked",
            value=lambda r: r.question.asked,
            table=Shown("asked", 6, right=True),
            screen=Shown("Asked", 5, right=True),
        ),
        Column("answered", value=lambda r: r.question.answered),
        Column("right", value=lambda r: r.question.right),
        percent_column(
            "facility",
            lambda r: r.question.facility,
            table=Shown("facility", 8, right=True),
            screen=Shown("Facility", 8, right=True),
        ),
        Column(
            "discrimination",
            value=lambda r: rounded(r.question.discrimination),
            text=lambda r: index_text(r.question.discrimination),
            table=Shown("discr.", 7, right=True),
            screen=Shown("Discr.", 6, right=True),
        ),
        Column(
            "flagged",
            value=lambda r: r.question.flagged,
            text=lambda r: "FLAGGED" if r.question.flagged else "",
            table=Shown("flag", 12),
            screen=Shown("Flag", 7),
        ),
        Column("flags", value=lambda r: list(r.question.flags)),
        Column(
            "learner_flags",
            value=lambda r: r.question.learner_flags,
            table=Shown("l.flags", 7, right=True, only_if=_learners_flagged),
            screen=Shown("L.flags", 7, right=True, only_if=_learners_flagged),
        ),
    ),
    children=(
        Child(
            "wrong_choices",
            WRONG_CHOICES,
            lambda r: [WrongChoiceRow(r.question, c) for c in r.question.wrong_choices],
        ),
    ),
)


# --- sections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareRow:
    view: ReportView
    share: SectionShare


SECTIONS: Table[ReportView, ShareRow] = Table(
    name="sections",
    title="Sections",
    rows=lambda view: [ShareRow(view, share) for share in view.report.sections],
    columns=(
        Column("course", value=lambda r: r.share.course),
        Column(
            "section",
            value=lambda r: r.share.section,
            text=lambda r: r.view.label(r.share.course, r.share.section),
            table=Shown("section", 40),
            screen=Shown("Section", 36),
        ),
        Column(
            "staff",
            value=lambda r: r.share.staff,
            table=Shown("staff", 6, right=True),
            screen=Shown("Staff", 5, right=True),
        ),
        Column(
            "at_or_above",
            value=lambda r: r.share.at_or_above,
            table=Shown("at or above", 12, right=True),
            screen=Shown("At or above pass mark", 21, right=True),
        ),
        percent_column(
            "share",
            lambda r: r.share.share,
            table=Shown("share", 6, right=True),
            screen=Shown("Share", 5, right=True),
        ),
    ),
)

# --- drill activity and leeches ---------------------------------------------------------


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


@dataclass(frozen=True)
class LeechRow:
    view: ReportView
    leech: LeechReport

    @property
    def who(self) -> str:
        pairs = zip(self.leech.learners, self.leech.lapses, strict=True)
        return ", ".join(f"{terminal_text(name)} ({lapses})" for name, lapses in pairs)


LEECHES: Table[ReportView, LeechRow] = Table(
    name="leeches",
    title="Leeches",
    rows=lambda view: [LeechRow(view, leech) for leech in view.report.leeches],
    columns=(
        Column("course", value=lambda r: r.leech.course),
        Column("question", value=lambda r: r.leech.question, table=Shown("question", 22)),
        Column(
            "section",
            value=lambda r: r.leech.section,
            text=lambda r: r.view.label(r.leech.course, r.leech.section),
            table=Shown("section", 16),
        ),
        Column(
            "staff",
            value=lambda r: len(r.leech.learners),
            table=Shown("staff", 5, right=True),
        ),
        Column(
            "learners",
            value=lambda r: list(r.leech.learners),
            text=lambda r: r.who,
            table=Shown("learners (lapses)", REST, wrap=True),
        ),
        Column("lapses", value=lambda r: list(r.leech.lapses)),
    ),
)


# --- due for recertification -----------------------------------------------------------


@dataclass(frozen=True)
class RecertificationRow:
    view: ReportView
    due: RecertificationDue

    @property
    def status(self) -> str:
        """What is due: "expired on 2027-03-03" or "never passed"."""
        if self.due.expired_on is None:
            return "never passed"
        return f"expired on {self.due.expired_on.isoformat()}"


RECERTIFICATION: Table[ReportView, RecertificationRow] = Table(
    name="recertification",
    title="Due for recertification",
    rows=lambda view: [RecertificationRow(view, due) for due in view.report.recertification],
    columns=(
        Column("course", value=lambda r: r.due.preset.course),
        Column("exam", value=lambda r: r.due.preset.exam),
        Column("exam_title", value=lambda r: r.due.preset.title, table=Shown("exam", 22)),
        Column("valid_for", value=lambda r: r.due.preset.validity.text()),
        Column("learner", value=lambda r: r.due.learner, table=Shown("learner", 22)),
        Column(
            "last_passed_at",
            value=lambda r: None if r.due.passed_at is None else utc_text(r.due.passed_at),
            text=lambda r: "" if r.due.passed_on is None else r.due.passed_on.isoformat(),
            table=Shown("last pass", 10),
        ),
        Column(
            "expired_on",
            value=lambda r: None if r.due.expired_on is None else r.due.expired_on.isoformat(),
            text=lambda r: r.status,
            table=Shown("due", REST),
        ),
    ),
)


# --- unverified passes ------------------------------------------------------------------


@dataclass(frozen=True)
class UnverifiedRow:
    view: ReportView
    unverified: UnverifiedPass


UNVERIFIED: Table[ReportView, UnverifiedRow] = Table(
    name="unverified_passes",
    title="Exam passes on a typed name only",
    rows=lambda view: [UnverifiedRow(view, u) for u in view.report.unverified_passes],
    columns=(
        Column(
            "attempt_id",
            value=lambda r: r.unverified.attempt_id,
            table=Shown("id", 8, text=lambda r: r.unverified.attempt_id[:8]),
        ),
        Column("learner", value=lambda r: r.unverified.learner, table=Shown("learner", REST)),
        Column("course", value=lambda r: r.unverified.course),
        Column("exam", value=lambda r: r.unverified.exam, table=Shown("exam", 22)),
        Column(
            "started_at",
            value=lambda r: utc_text(r.unverified.started_at),
            text=lambda r: local_minute(r.unverified.started_at),
            table=Shown("started", 16),
        ),
        Column(
            "percent",
            value=lambda r: rounded(r.unverified.percent),
            text=lambda r: percent_text(r.unverified.percent),
            table=Shown("score", 5, right=True),
        ),
    ),
)


CSV_TABLES: tuple[Table[ReportView, Any], ...] = (
    STAFF_SECTIONS,
    STAFF,
    QUESTIONS,
    WRONG_CHOICES,
    SECTIONS,
    DRILL,
    LEECHES,
    RECERTIFICATION,
    UNVERIFIED,
)
"""The tables of `quiz report --format csv`, in the order written."""
JSON_TABLES: tuple[tuple[str, Table[ReportView, Any]], ...] = (
    ("staff", STAFF),
    ("questions", QUESTIONS),
    ("sections", SECTIONS),
    ("drill", DRILL),
    ("leeches", LEECHES),
    ("recertification", RECERTIFICATION),
    ("unverified_passes", UNVERIFIED),
)
"""The tables of `quiz report --format json`, under their keys (the others nested)."""
