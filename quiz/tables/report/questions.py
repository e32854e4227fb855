"""The report's tables of questions (one spec each, quiz.tables.columns): each question's
figures (a row per version with answers), its wrong choices and how often each was
picked (nested under the question in JSON), and the leeches: questions learners forget
again and again.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from quiz.storage.report_model import ChoicePicks, LeechReport, QuestionReport
from quiz.tables.columns import REST, Child, Column, Shown, Table, percent_column
from quiz.tables.formats import index_text, percent_of, rounded
from quiz.tables.report.view import ReportView
from quiz.tables.text import terminal_text

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
    the row, quiz.commands.report_formats)."""
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

# --- leeches ----------------------------------------------------------------------------


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
