"""ScoreStore's part for the drill's cards: what is due (quiz.storage.card_queries), the
scheduler settings and the cards made again from the log (quiz.storage.cards); see
quiz.storage.store_core."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from quiz.domain.text import learner_key
from quiz.storage import card_queries, cards
from quiz.storage.card_model import (
    DueCard,
    LearnerDue,
    RebuildProgress,
    SchedulerSettings,
    SectionDue,
)
from quiz.storage.store_core import StoreCore


class DrillCards(StoreCore):
    """The questions due, the scheduler settings, and rebuilding the cards."""

    # --- the drill's cards (quiz.storage.cards) ------------------------------------------
    # A drill attempt is started like any other: start_attempt with Mode.DRILL. A miss
    # brought back in the same round is another answer to the same question
    # (record_answer again): only the first answer of each question is a review.

    def due_questions(
        self,
        learner: str,
        *,
        now: datetime,
        course: str | None = None,
        sections: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[DueCard]:
        """The learner's questions due at `now` (the app's clock), critical ones first,
        then the least likely to be remembered now; of `sections` only, if given; at
        most `limit` of them, if given. Loads fsrs (retrievability)."""
        with self._reading("reading the questions due") as connection:
            return card_queries.due_questions(
                connection, learner, now, course=course, sections=sections, limit=limit
            )

    def due_counts(
        self, learner: str, *, now: datetime, course: str | None = None
    ) -> list[SectionDue]:
        """Per section, the learner's questions due at `now` and within the week after."""
        with self._reading("counting the questions due") as connection:
            return card_queries.due_counts(connection, learner, now, course=course)

    def next_due(self, learner: str, *, course: str | None = None) -> datetime | None:
        """When the learner's next question falls due (None: no cards yet)."""
        with self._reading("reading the questions due") as connection:
            return card_queries.next_due(connection, learner, course=course)

    def staff_due(self, *, now: datetime, course: str | None = None) -> list[LearnerDue]:
        """Every learner with cards: questions due at `now`, and leeches."""
        with self._reading("reading the questions due") as connection:
            return card_queries.staff_due(connection, now, course=course)

    def due_list(
        self,
        *,
        now: datetime,
        within: timedelta = timedelta(0),
        learner: str | None = None,
        course: str | None = None,
        clinic: str | None = None,
    ) -> list[DueCard]:
        """`quiz due`: per learner, the questions due by `now + within`, and the leeches
        (`clinic`: of the learners with an attempt at that clinic)."""
        with self._reading("reading the questions due") as connection:
            return card_queries.due_list(
                connection, now, within=within, learner=learner, course=course, clinic=clinic
            )

    def scheduler_settings(self) -> SchedulerSettings:
        with self._reading("reading the scheduler settings") as connection:
            return cards.read_settings(connection)

    def change_scheduler_settings(self, settings: SchedulerSettings) -> bool:
        """Keep new settings; True when the cards must be made again (then every
        learner is listed for `rebuild_cards`)."""
        with self._writing("changing the scheduler settings") as connection:
            return cards.write_settings(connection, settings)

    def cards_to_rebuild(self, learner: str | None = None) -> int:
        """Learners whose cards wait for `rebuild_cards` (after the upgrade that made
        the cards, a settings change, an import); 0 or 1 for a `learner` named."""
        with self._reading("reading the drill's cards") as connection:
            return cards.stale_count(connection, self._learner_ids(connection, learner))

    def rebuild_cards(
        self,
        progress: Callable[[RebuildProgress], None] | None = None,
        learner: str | None = None,
    ) -> RebuildProgress:
        """Make the cards of the learners listed for it (only `learner`'s, if named: the
        app, for the learner at hand) again from the answer log, a few learners per
        transaction (each well under a second), calling `progress` after each; other
        terminals save answers in between. Raises StoreError."""
        total = self.cards_to_rebuild(learner)
        done = reviews = 0
        rebuild = cards.Rebuild()
        while True:
            with self._writing("rebuilding the drill's cards") as connection:
                learners, replayed = cards.rebuild_stale_batch(
                    connection, rebuild, learners=self._learner_ids(connection, learner)
                )
            if not learners:
                return RebuildProgress(done, max(total, done), reviews)
            done += learners
            reviews += replayed
            if progress is not None:
                progress(RebuildProgress(done, max(total, done), reviews))

    @staticmethod
    def _learner_ids(connection: sqlite3.Connection, learner: str | None) -> list[int] | None:
        """The learner rows of the learner named `learner` (None: every learner)."""
        return None if learner is None else cards.learners_keyed(connection, learner_key(learner))
