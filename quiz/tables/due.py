"""The table of `quiz due` (table, CSV, JSON): one spec (quiz.tables.columns).

One row per learner and question that is due (now, or within the span asked for), or
that is a leech for the learner whenever it is due. The JSON is a list of the rows'
objects; its shape is documented in the README (managers script against it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from quiz.storage.card_model import DueCard
from quiz.tables.columns import REST, Column, Shown, Table
from quiz.tables.formats import due_in, utc_text


@dataclass(frozen=True)
class DueView:
    """The cards `quiz due` lists, and the time it lists them at."""

    cards: Sequence[DueCard]
    now: datetime


@dataclass(frozen=True)
class DueRow:
    view: DueView
    card: DueCard

    @property
    def due_text(self) -> str:
        return due_in(self.card.due_at, self.view.now)


DUE: Table[DueView, DueRow] = Table(
    name="due",
    title="Questions due",
    rows=lambda view: [DueRow(view, card) for card in view.cards],
    columns=(
        Column("learner", value=lambda r: r.card.learner, table=Shown("learner", 14)),
        Column("course", value=lambda r: r.card.course),
        Column("question_id", value=lambda r: r.card.question_id, table=Shown("question", REST)),
        Column("section", value=lambda r: r.card.section, table=Shown("section", 15)),
        Column(
            "critical",
            value=lambda r: r.card.critical,
            text=lambda r: "yes" if r.card.critical else "",
            table=Shown("crit", 4),
        ),
        Column(
            "due_at",
            value=lambda r: utc_text(r.card.due_at),
            text=lambda r: r.due_text,
            table=Shown("due", 10),
        ),
        Column("due", value=lambda r: r.card.due),
        Column("state", value=lambda r: r.card.state),
        Column("reviews", value=lambda r: r.card.reviews),
        Column("lapses", value=lambda r: r.card.lapses, table=Shown("lapses", 6, right=True)),
        Column(
            "leech",
            value=lambda r: r.card.leech,
            text=lambda r: "LEECH" if r.card.leech else "",
            table=Shown("leech", 5),
        ),
        Column("retrievability", value=lambda r: round(r.card.retrievability, 3)),
        Column("last_review_at", value=lambda r: utc_text(r.card.last_review_at)),
    ),
)
