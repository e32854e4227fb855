"""FSRS over the drill's cards: the one module that imports `fsrs` (py-fsrs 6).

quiz.storage.cards imports this module inside the functions that schedule, so opening
the app, saving an answer or printing a report never loads fsrs; finishing an
attempt (which reviews its cards) and `quiz due` do.

The rules (the FSRS authors' and the Anki manual's advice for answers graded right or
wrong by the program):
- a right answer is `Rating.Good`, a wrong one `Rating.Again`; the time spent never
  changes the rating (it stays in the answer log: `review_card` would only copy it, as
  `review_duration`, into the review log it returns, which nothing kept);
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

A review is `Scheduler.review_card`'s, step for step, on the row's numbers
(`Reviewer._review`): the same scheduler methods with the same arguments, so the same
floats, without the Card copy, the datetimes and the review log that made most of a
review's time (finishing an attempt reviews one card per question; a full rebuild two
million). That leans on fsrs's internals, so the package is pinned to 6.3.x in
pyproject.toml, and tests/unit/test_scheduling_equal.py holds every row to
review_card's over varied histories and settings: run it when moving the pin.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime, timedelta

from fsrs import Card, Rating, Scheduler, State

from quiz.storage.card_model import SchedulerSettings
from quiz.storage.card_reviews import Review
from quiz.storage.cards import CardRow
from quiz.storage.codec import from_ms

_GOOD, _AGAIN = Rating.Good, Rating.Again  # a right answer, a wrong one
STATE_NAMES = {State.Learning: "learning", State.Review: "review", State.Relearning: "relearning"}


def card_id(learner: int, question: int) -> int:
    """The fsrs card id of a learner's card for a question (only its review logs carry it)."""
    return learner << 32 | question


_LEARNING, _REVIEW = int(State.Learning), int(State.Review)
_RELEARNING = int(State.Relearning)
_DAY_MS = 86_400_000
_STATES = {int(state): state for state in State}  # a lookup: State(n) is slow


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
        # each scheduler with its learning and relearning steps in ms (as timedeltas
        # of whole seconds, fsrs adds them to the review's time exactly)
        self._plans = {
            critical: (
                scheduler,
                tuple(s * 1000 for s in settings.learning_steps),
                tuple(s * 1000 for s in settings.relearning_steps),
            )
            for critical, scheduler in self._schedulers.items()
        }

    def review(self, learner: int, card: CardRow | None, review: Review) -> CardRow:
        """The card after `review` (`card` None: the first review)."""
        return self._review(learner, card, review)

    def run(self, learner: int, reviews: Iterable[Review]) -> CardRow:
        """A new card after `reviews`, in the order given: a replay of its history. The
        same `_review` as finishing an attempt (`review_attempt`), so the same rows."""
        row: CardRow | None = None
        step = self._review
        for review in reviews:
            row = step(learner, row, review)
        if row is None:
            raise ValueError("a card needs a review")
        return row

    def review_attempt(
        self, learner: int, reviews: Iterable[Review], stored: dict[int, CardRow]
    ) -> tuple[list[CardRow], set[int]]:
        """The rows of a learner's cards after `reviews` (one per question, in time
        order), from the rows `stored` by question: (rows to write, questions whose
        stored card is newer than the review: those are replayed from the log)."""
        late: set[int] = set()
        written: list[CardRow] = []
        step = self._review
        for review in reviews:
            row = stored.get(review.question)
            if row is not None and row.last_review_at >= review.at_ms:
                late.add(review.question)  # not the latest: replayed from the log
                continue
            written.append(step(learner, row, review))
        return written, late

    def _review(self, learner: int, row: CardRow | None, review: Review) -> CardRow:
        """One review of a card (`row` None: a new card): `Scheduler.review_card` of
        py-fsrs 6.3, step for step, for what this program gives it (a rating Good or
        Again, fuzzing off, a card with the row's fields), on the row's numbers: times
        in ms (whole-second steps and whole days add exactly, and a floored division
        is timedelta.days). The arithmetic is the scheduler's own methods, called with
        the arguments review_card gives them (see the module's note).

        A review under another right answer than the card's (another content key)
        starts the card again: its earlier reviews no longer say anything."""
        at_ms = review.at_ms
        right = review.right
        rating = _GOOD if right else _AGAIN
        scheduler, learning, relearning = self._plans[review.critical]
        step: int | None
        if row is None or row.content != review.content:
            # Card(card_id, due=at): learning, step 0, no stability, no last review
            state, step = _LEARNING, 0
            stability = scheduler._initial_stability(rating=rating)
            difficulty = scheduler._initial_difficulty(rating=rating, clamp=True)
            count = lapses = 0
        else:
            state, step = row.state, row.step
            count, lapses = row.reviews, row.lapses
            if not right and state == _REVIEW:
                lapses += 1  # forgotten after it was known (Anki's lapse)
            # every state: stability first (the retrievability is the old card's), then
            # difficulty; review_card's three branches agree for a card with both set
            if (at_ms - row.last_review_at) // _DAY_MS < 1:  # timedelta.days, floored
                stability = scheduler._short_term_stability(stability=row.stability, rating=rating)
            else:
                stability = scheduler._next_stability(
                    difficulty=row.difficulty,
                    stability=row.stability,
                    retrievability=scheduler.get_card_retrievability(
                        self.to_fsrs(learner, row), current_datetime=from_ms(at_ms)
                    ),
                    rating=rating,
                )
            difficulty = scheduler._next_difficulty(difficulty=row.difficulty, rating=rating)
        interval_ms: int | None = None  # None: whole days, FSRS's interval
        if state == _REVIEW:
            if not right and relearning:
                state, step, interval_ms = _RELEARNING, 0, relearning[0]
        else:
            steps = learning if state == _LEARNING else relearning
            assert step is not None
            if not steps or (step >= len(steps) and right):
                state, step = _REVIEW, None
            elif not right:
                step, interval_ms = 0, steps[0]
            elif step + 1 == len(steps):
                state, step = _REVIEW, None
            else:
                step += 1
                interval_ms = steps[step]
        if interval_ms is None:
            interval_ms = scheduler._next_interval(stability=stability) * _DAY_MS
        return CardRow(
            review.question,
            review.section,
            int(review.critical),
            review.content,
            state,
            step,
            stability,
            difficulty,
            at_ms + interval_ms,  # due: the review's time plus the interval
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
        return Card(
            card_id(learner, card.question),
            _STATES[card.state],
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
