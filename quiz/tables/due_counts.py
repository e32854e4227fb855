"""The drill's due figures as the scores screens show them, one spec each
(quiz.tables.columns): per section for one learner (My scores), and per learner for a
manager (All staff: due count and leeches).

The records are the store's (quiz.storage.card_model: SectionDue, LearnerDue); "now"
is the app's clock, given with them, so that "in 5h" is said from the same moment the
counts were taken at.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime

from quiz.storage.card_model import LearnerDue, SectionDue
from quiz.tables.columns import Column, Shown, Table
from quiz.tables.formats import NO_VALUE, due_in, utc_text

SectionLabel = Callable[[str, str], str]
"""(course, section) -> how the output names the section (the app: its title)."""


# --- My scores: one learner, a row per section ------------------------------------------


@dataclass(frozen=True)
class SectionDueView:
    """A learner's due counts per section (in the order shown), and how sections are named."""

    counts: Sequence[SectionDue]
    label: SectionLabel


@dataclass(frozen=True)
class SectionDueRow:
    view: SectionDueView
    due: SectionDue


SECTION_DUE: Table[SectionDueView, SectionDueRow] = Table(
    name="section_due",
    title="Due for a drill",
    rows=lambda view: [SectionDueRow(view, due) for due in view.counts],
    columns=(
        Column("course", value=lambda r: r.due.course),
        Column(
            "section",
            value=lambda r: r.due.section,
            text=lambda r: r.view.label(r.due.course, r.due.section),
            screen=Shown("Section", 38),
        ),
        Column("due_now", value=lambda r: r.due.due_now, screen=Shown("Due now", 7, right=True)),
        Column(
            "due_this_week",
            value=lambda r: r.due.due_this_week,
            screen=Shown("This week", 9, right=True),
        ),
        Column("asked", value=lambda r: r.due.cards, screen=Shown("Asked", 5, right=True)),
    ),
)
"""`due_this_week` counts those due now too; `asked`: the section's questions the learner
has answered before (the ones the drill schedules)."""


# --- All staff: a row per learner -------------------------------------------------------


@dataclass(frozen=True)
class StaffDueView:
    """Every learner's due count and leeches, at `now`."""

    learners: Sequence[LearnerDue]
    now: datetime


@dataclass(frozen=True)
class StaffDueRow:
    view: StaffDueView
    due: LearnerDue

    @property
    def next_due_text(self) -> str:
        at = self.due.next_due_at
        return NO_VALUE if at is None else due_in(at, self.view.now)


STAFF_DUE: Table[StaffDueView, StaffDueRow] = Table(
    name="staff_due",
    title="Drill",
    rows=lambda view: [StaffDueRow(view, due) for due in view.learners],
    columns=(
        Column("learner", value=lambda r: r.due.learner, screen=Shown("Learner", 16)),
        Column("due_now", value=lambda r: r.due.due_now, screen=Shown("Due now", 7, right=True)),
        Column(
            "next_due_at",
            value=lambda r: None if r.due.next_due_at is None else utc_text(r.due.next_due_at),
            text=lambda r: r.next_due_text,
            screen=Shown("Next due", 10),
        ),
        Column(
            "leeches",
            value=lambda r: len(r.due.leeches),
            screen=Shown("Leeches", 7, right=True),
        ),
        Column(
            "leech_questions",
            value=lambda r: list(r.due.leeches),
            text=lambda r: ", ".join(r.due.leeches),
            screen=Shown("Leech questions", 26),
        ),
    ),
)
"""A leech: a question the learner missed again and again after having known it (as
many lapses as the store's leech threshold); the questions, most lapses first."""
