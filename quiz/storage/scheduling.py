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

from fsrs import Card, Rating, Scheduler, State

from quiz.storage.card_model import SchedulerSettings
from quiz.storage.cards import CardRow, Review
from quiz.storage.codec import EPOCH, from_ms, to_ms

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


Kept = tuple[Card, CardRow]
"""A card in memory: fsrs's Card and the row it was written as (our columns: section,
critical, content key, reviews, lapses)."""


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
        fsrs_card = None if card is None else self.to_fsrs(learner, card)
        return self._review(learner, fsrs_card, card, review)[1]

    def run(self, learner: int, reviews: Iterable[Review]) -> CardRow:
        """A new card after `reviews`, in the order given: a replay of its history. The
        same `_review` as finishing an attempt (`review_attempt`), so the same rows."""
        card: Card | None = None
        row: CardRow | None = None
        for review in reviews:
            card, row = self._review(learner, card, row, review)
        if row is None:
            raise ValueError("a card needs a review")
        return row

    def review_attempt(
        self,
        learner: int,
        reviews: Iterable[Review],
        stored: dict[int, CardRow],
        kept: dict[tuple[int, int], Kept],
    ) -> tuple[list[CardRow], set[int]]:
        """The rows of a learner's cards after `reviews` (one per question, in time
        order), from the rows `stored` by question: (rows to write, questions whose
        stored card is newer than the review: those are replayed from the log). `kept`:
        the fsrs Cards of rows written before, by (learner, question), used while the
        stored row is still the one written; updated here."""
        late: set[int] = set()
        written: list[CardRow] = []
        to_fsrs = self.to_fsrs
        step = self._review
        for review in reviews:
            question = review.question
            row = stored.get(question)
            card = None
            if row is not None:
                if row.last_review_at >= review.at_ms:
                    late.add(question)  # not the latest: replayed from the log
                    continue
                found = kept.get((learner, question))
                card = found[0] if found is not None and found[1] == row else to_fsrs(learner, row)
            card, row = step(learner, card, row, review)
            kept[(learner, question)] = (card, row)
            written.append(row)
        return written, late

    def _review(self, learner: int, card: Card | None, row: CardRow | None, review: Review) -> Kept:
        """One review of a card (`card` and the `row` it was kept as; None: a new card).
        A review under another right answer than the card's (another content key)
        starts the card again: its earlier reviews no longer say anything."""
        at_ms = review.at_ms
        at = EPOCH + timedelta(milliseconds=at_ms)  # from_ms, inline: this runs per review
        if card is None or row is None or row.content != review.content:
            card = _Card(card_id(learner, review.question), due=at)
            count = lapses = 0
        else:
            count, lapses = row.reviews, row.lapses
        right = review.right
        if not right and card.state is State.Review:
            lapses += 1
        card, _log = self._schedulers[review.critical].review_card(
            card, _GOOD if right else _AGAIN, review_datetime=at, review_duration=review.ms
        )
        assert card.stability is not None and card.difficulty is not None
        return card, CardRow(
            review.question,
            review.section,
            int(review.critical),
            review.content,
            int(card.state),
            card.step,
            card.stability,
            card.difficulty,
            to_ms(card.due),
            at_ms,  # fsrs sets last_review to the review's time
            count + 1,
            lapses,
        )

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
