"""What a drill asks of the score store before it starts: the learner's questions due
now (in the store's order: critical first, then the least likely to be remembered),
or, when none is, when the next falls due and which section to practise instead.
Runs on the store thread; no Textual here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from quiz.tables.formats import due_when

if TYPE_CHECKING:
    from quiz.domain.model import Course
    from quiz.storage.card_model import SectionDue
    from quiz.ui.saving import ScoreStoreLike


def weakest_section(
    course: Course, counts: Sequence[SectionDue], sections: Sequence[str] | None = None
) -> str | None:
    """The section to practise when nothing is due: the most questions due this week,
    then the smallest share of its questions ever answered, then the first in the course."""
    due = {c.section: c for c in counts if c.course == course.id}
    candidates = [
        s.id
        for s in course.source.sections
        if course.questions_in(s.id) and (sections is None or s.id in sections)
    ]
    if not candidates:
        return None

    def weakness(section: str) -> tuple[int, float]:
        found = due.get(section)
        share = (found.cards if found else 0) / len(course.questions_in(section))
        return (-(found.due_this_week if found else 0), share)

    return min(candidates, key=lambda section: (weakness(section), candidates.index(section)))


@dataclass(frozen=True)
class DrillFinding:
    """The questions due for a drill, or why there are none."""

    due: tuple[str, ...]
    """Question ids due now, in drill order (only those still in the course)."""
    next_due: datetime | None = None
    """When nothing is due: when the next question falls due (None: no cards yet)."""
    weakest: str | None = None
    """When nothing is due: the section to practise instead."""

    @classmethod
    def ask(
        cls,
        store: ScoreStoreLike,
        learner: str,
        course: Course,
        now: datetime,
        sections: Sequence[str] | None = None,
    ) -> DrillFinding:
        """Ask `store` (call on the store thread). Cards waiting for a rebuild (after a
        migration, an import or a change of settings) are rebuilt first."""
        if store.cards_to_rebuild(learner):
            store.rebuild_cards(learner=learner)  # the learner's only: others wait
        known = {question.id for question in course.questions}
        cards = store.due_questions(learner, now=now, course=course.id, sections=sections)
        due = tuple(card.question_id for card in cards if card.question_id in known)
        if due:
            return cls(due)
        counts = store.due_counts(learner, now=now, course=course.id)
        return cls(
            (), store.next_due(learner, course=course.id), weakest_section(course, counts, sections)
        )

    def nothing_due_text(self, now: datetime) -> str:
        if self.next_due is None:
            return (
                "You have no questions to drill yet. A drill brings back the questions "
                "you missed in practice rounds and exams, just before you would forget them."
            )
        return (
            "No question is due for a drill now. "
            f"The next one falls due {due_when(self.next_due, now)}."
        )
