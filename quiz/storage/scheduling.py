"""FSRS over the drill's cards: the one module that imports `fsrs` (py-fsrs 6).

quiz.storage.cards imports this module inside the functions that schedule, so opening
the app, saving an answer or printing a report never loads fsrs; finishing an
attempt (which reviews its cards) and `quiz due` do.

The rules (the FSRS authors' and the Anki manual's advice for answers graded right or
wrong by the program):
- a right answer is `Rating.Good`, a wrong one `Rating.Again`; the time spent goes in
  as `review_duration` and never changes the rating;
- fuzzing is off, so a replay of the log gives the same due dates every time (fsrs
  fuzzes from Python's global random generator);
- the learning and relearning steps are the settings' (SchedulerSettings: one step of
  0 s by default: a miss is due at once, a right answer in whole days, at least one);
- critical questions are scheduled for a desired retention of 0.95, the rest for 0.9
  (two schedulers; a scheduler holds no card state);
- every Card is made with a `card_id` (without one fsrs sleeps 1 ms to make one), and
  every time given to fsrs is `datetime.timezone.utc` aware (it refuses naive times and
  ZoneInfo("UTC")): stored milliseconds are turned into such times here, at the edge.

A card's counts are ours (fsrs keeps none): `reviews`, and `lapses` as Anki counts
them: a miss of a card in the review state (known, then forgotten).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import NamedTuple

from fsrs import Card, Rating, Scheduler, State

from quiz.storage.card_model import SchedulerSettings
from quiz.storage.cards import CardRow, Review
from quiz.storage.codec import from_ms, to_ms

_GOOD, _AGAIN = Rating.Good, Rating.Again  # a right answer, a wrong one
STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}


class _Card(Card):
    """fsrs's Card, copied quickly: `review_card` copies the card it is given
    (copy.copy), and the generic copy (through __reduce_ex__) is a quarter of a review's
    time; this one copies the fields directly. The values are fsrs's own."""

    def __copy__(self) -> _Card:
        twin = object.__new__(_Card)
        twin.__dict__.update(self.__dict__)
        return twin


def card_id(learner: int, question: int) -> int:
    """The fsrs card id of a learner's card for a question (only its review logs carry it)."""
    return learner << 32 | question


class Live(NamedTuple):
    """A card in memory: fsrs's Card and our columns."""

    card: Card
    section: int
    critical: bool
    content: int
    reviews: int
    lapses: int

    @classmethod
    def of(cls, learner: int, row: CardRow) -> Live:
        return cls(
            Reviewer.to_fsrs(learner, row),
            row.section,
            bool(row.critical),
            row.content,
            row.reviews,
            row.lapses,
        )

    def row(self, question: int) -> CardRow:
        card = self.card
        assert card.stability is not None and card.difficulty is not None
        assert card.last_review is not None
        return CardRow(
            question,
            self.section,
            int(self.critical),
            self.content,
            int(card.state),
            card.step,
            card.stability,
            card.difficulty,
            to_ms(card.due),
            to_ms(card.last_review),
            self.reviews,
            self.lapses,
        )


class Reviewer:
    """The two schedulers of a store's settings, and a card's review and retrievability."""

    def __init__(self, settings: SchedulerSettings) -> None:
        self.settings = settings
        self._schedulers = {
            critical: Scheduler(
                parameters=settings.parameters,
                desired_retention=(settings.critical_retention if critical else settings.retention),
                learning_steps=tuple(timedelta(seconds=s) for s in settings.learning_steps),
                relearning_steps=tuple(timedelta(seconds=s) for s in settings.relearning_steps),
                maximum_interval=settings.maximum_interval,
                enable_fuzzing=False,
            )
            for critical in (False, True)
        }

    def review(self, learner: int, card: CardRow | None, review: Review) -> CardRow:
        """The card after `review` (`card` None: the first review)."""
        live = None if card is None else Live.of(learner, card)
        return self.step(learner, live, review).row(review.question)

    def step(self, learner: int, live: Live | None, review: Review) -> Live:
        """A card in memory after `review` (`live` None: its first review)."""
        return self.run(learner, live, (review,))

    def run(self, learner: int, live: Live | None, reviews: Iterable[Review]) -> Live:
        """A card in memory after `reviews`, in the order given (a replay runs a card's
        whole history at once; finishing an attempt, one review: the same code, so the
        same rows). A review under another right answer than the card's (another
        content key) starts the card again: its earlier reviews no longer say anything."""
        card: Card | None = None
        section = content = count = lapses = 0
        critical = False
        if live is not None:
            card, section, critical, content, count, lapses = live
        schedulers = self._schedulers
        for review in reviews:
            at = from_ms(review.at_ms)
            if card is None or content != review.content:
                card = _Card(card_id(learner, review.question), due=at)
                count = lapses = 0
            right = review.right
            if not right and card.state is State.Review:
                lapses += 1
            card, _log = schedulers[review.critical].review_card(
                card, _GOOD if right else _AGAIN, review_datetime=at, review_duration=review.ms
            )
            count += 1
            section, critical, content = review.section, review.critical, review.content
        if card is None:
            raise ValueError("a card needs a review")
        return Live(card, section, critical, content, count, lapses)

    def retrievability(self, learner: int, card: CardRow, now: datetime) -> float:
        """FSRS's chance that the learner remembers the answer at `now` (0..1)."""
        scheduler = self._schedulers[bool(card.critical)]
        return float(
            scheduler.get_card_retrievability(
                self.to_fsrs(learner, card), current_datetime=now.astimezone(UTC)
            )
        )

    @staticmethod
    def to_fsrs(learner: int, card: CardRow) -> Card:
        return _Card(
            card_id(learner, card.question),
            State(card.state),
            card.step,
            card.stability,
            card.difficulty,
            from_ms(card.due_at),
            from_ms(card.last_review_at),
        )


def state_name(state: int) -> str:
    return STATE_NAMES.get(State(state), str(state))


def utc(moment: datetime) -> datetime:
    """`moment` as fsrs accepts it: aware, in datetime.timezone.utc."""
    if moment.tzinfo is None:
        raise ValueError(f"a time without a timezone: {moment!r}")
    return moment.astimezone(UTC)
