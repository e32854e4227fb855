"""What the drill's scheduling gives the rest of the program: frozen dataclasses, no SQL.

A *card* is one learner and one question: when the question is next due for that
learner, and how often they were asked it and forgot it (quiz.storage.cards keeps the
rows, quiz.storage.scheduling runs FSRS over them). This module loads neither sqlite3
nor fsrs, so the app's screens and the commands can use these records (and the
scheduler settings) without loading the store or the scheduler.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

DEFAULT_PARAMETERS: tuple[float, ...] = (
    0.212,
    1.2931,
    2.3065,
    8.2956,
    6.4133,
    0.8334,
    3.0194,
    0.001,
    1.8722,
    0.1666,
    0.796,
    1.4835,
    0.0614,
    0.2629,
    1.6483,
    0.6014,
    1.8729,
    0.5425,
    0.0912,
    0.0658,
    0.1542,
)
"""FSRS-6's default model weights (fsrs.scheduler.DEFAULT_PARAMETERS of py-fsrs 6.3,
copied so that a new fsrs release with other defaults does not move every card: the
store keeps the weights its cards were scheduled with; tests check the copy)."""


@dataclass(frozen=True)
class SchedulerSettings:
    """How the drill schedules, kept in the store (table scheduler_settings).

    Changing anything but `leech_threshold` makes every card again from the answer log.
    Steps are in seconds. With a single step of 0 s (the defaults), a question missed is
    due at once (the drill right after a round offers every miss), and a question
    answered right, the first time or after a miss, leaves the steps: it is due again
    in whole days, at least one, as FSRS's interval for the desired retention says.
    (With no steps at all fsrs makes a miss due only the next day.)
    """

    retention: float = 0.9  # desired retention, ordinary questions
    critical_retention: float = 0.95  # desired retention, critical questions
    learning_steps: tuple[int, ...] = (0,)
    relearning_steps: tuple[int, ...] = (0,)
    maximum_interval: int = 36500  # days
    leech_threshold: int = 4  # lapses that make a card a leech
    parameters: tuple[float, ...] = field(default=DEFAULT_PARAMETERS)

    def schedule(self) -> tuple[object, ...]:
        """What the cards depend on (all but the leech threshold)."""
        return (
            self.retention,
            self.critical_retention,
            self.learning_steps,
            self.relearning_steps,
            self.maximum_interval,
            self.parameters,
        )


DEFAULT_SETTINGS = SchedulerSettings()


@dataclass(frozen=True)
class DueCard:
    """A learner's card for one question, as the drill and `quiz due` show it."""

    learner: str  # the learner's name (as last typed or renamed)
    learner_key: str
    course: str  # course id
    question_id: str
    section: str  # section id of the question as last asked
    critical: bool  # as last asked
    state: str  # "learning", "review" or "relearning" (FSRS)
    due_at: datetime  # UTC
    last_review_at: datetime  # UTC
    reviews: int  # answers that counted as reviews
    lapses: int  # times forgotten after it was known (a miss in review state)
    leech: bool  # lapses at or above the leech threshold
    retrievability: float  # 0..1: FSRS's chance that it is remembered at `now`
    due: bool  # due at `now` (or within the window asked for)


@dataclass(frozen=True)
class SectionDue:
    """One learner's cards in one section: due now, and due within the week."""

    course: str
    section: str
    due_now: int
    due_this_week: int  # includes those due now
    cards: int  # questions of the section with a card (asked and answered before)


@dataclass(frozen=True)
class LearnerDue:
    """One learner's due count and leeches (the All staff screen)."""

    learner: str
    learner_key: str
    due_now: int
    leeches: tuple[str, ...]  # question ids, most lapses first
    next_due_at: datetime | None  # the earliest due time of their cards


@dataclass(frozen=True)
class RebuildProgress:
    """How far a rebuild of the cards has got (for a progress line)."""

    learners_done: int
    learners_total: int
    reviews: int  # reviews replayed so far
