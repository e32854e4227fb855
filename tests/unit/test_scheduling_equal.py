"""quiz.storage.scheduling reviews a card with fsrs's arithmetic but its own bookkeeping
(no Card copied, no datetimes, no review log: see `Reviewer._review`). These tests hold
it to fsrs's plain `Scheduler.review_card`, the way the program called it before: for
varied histories (gaps of seconds to years, rights and misses, critical or not, a right
answer that changes) and varied settings (steps or none, several steps, retentions, a
short maximum interval, other weights), every row must be the same, field for field
(stability and difficulty as the same floats, due to the millisecond).
"""

from __future__ import annotations

import random
from datetime import timedelta

import pytest
from fsrs import Card, Rating, Scheduler, State

from quiz.storage.card_model import DEFAULT_PARAMETERS, SchedulerSettings
from quiz.storage.card_reviews import Review
from quiz.storage.cards import CardRow
from quiz.storage.codec import from_ms, to_ms
from quiz.storage.scheduling import Reviewer, card_id

LEARNER = 7
GAPS_MS = (
    0,
    1,
    5_000,
    60_000,
    600_000,
    3_600_000,
    86_399_999,  # a millisecond short of a day: still the same day for fsrs
    86_400_000,
    86_400_001,
    2 * 86_400_000,
    7 * 86_400_000,
    30 * 86_400_000,
    400 * 86_400_000,
    3 * 365 * 86_400_000,
)

OTHER_WEIGHTS = (
    *(round(p * (1.1 if i % 2 else 0.9), 4) for i, p in enumerate(DEFAULT_PARAMETERS[:20])),
    DEFAULT_PARAMETERS[20],
)  # within fsrs's bounds (the scheduler checks them)
SETTINGS = (
    SchedulerSettings(),  # the defaults: one step of 0 s, learning and relearning
    SchedulerSettings(learning_steps=(), relearning_steps=()),
    SchedulerSettings(learning_steps=(60, 600), relearning_steps=(600,)),
    SchedulerSettings(learning_steps=(0, 3600, 86400), relearning_steps=(0, 60)),
    SchedulerSettings(retention=0.8, critical_retention=0.97, maximum_interval=30),
    SchedulerSettings(retention=0.85, parameters=OTHER_WEIGHTS),
)


def reference_run(settings: SchedulerSettings, reviews: list[Review]) -> list[CardRow]:
    """The row after each review, by fsrs's `review_card` on a Card (the program's
    calls before it did fsrs's bookkeeping itself)."""
    schedulers = {
        critical: Scheduler(
            parameters=settings.parameters,
            desired_retention=settings.critical_retention if critical else settings.retention,
            learning_steps=tuple(timedelta(seconds=s) for s in settings.learning_steps),
            relearning_steps=tuple(timedelta(seconds=s) for s in settings.relearning_steps),
            maximum_interval=settings.maximum_interval,
            enable_fuzzing=False,
        )
        for critical in (False, True)
    }
    rows: list[CardRow] = []
    card: Card | None = None
    content = count = lapses = 0
    for review in reviews:
        at = from_ms(review.at_ms)
        if card is None or content != review.content:
            card = Card(card_id(LEARNER, review.question), due=at)
            content, count, lapses = review.content, 0, 0
        if not review.right and card.state is State.Review:
            lapses += 1
        card, log = schedulers[review.critical].review_card(
            card,
            Rating.Good if review.right else Rating.Again,
            review_datetime=at,
            review_duration=review.ms,
        )
        assert log.review_duration == review.ms and card.last_review == at
        assert card.stability is not None and card.difficulty is not None
        count += 1
        rows.append(
            CardRow(
                review.question,
                review.section,
                int(review.critical),
                review.content,
                int(card.state),
                card.step,
                card.stability,
                card.difficulty,
                to_ms(card.due),
                review.at_ms,
                count,
                lapses,
            )
        )
    return rows


def history(seed: int, length: int) -> list[Review]:
    """A card's reviews: gaps of every size, more rights than misses (as people answer),
    sometimes a new right answer (another content key)."""
    rnd = random.Random(seed)
    at = 1_767_600_000_000 + rnd.randrange(86_400_000)
    content = 11
    critical = rnd.random() < 0.3
    right_share = rnd.choice((0.2, 0.6, 0.85, 1.0))
    found = []
    for index in range(length):
        at += rnd.choice(GAPS_MS) + rnd.randrange(1000)
        if rnd.random() < 0.04:
            content += 1
        right = rnd.random() < right_share
        found.append(Review(at, 1, index, right, rnd.randrange(60_000), 42, 3, critical, content))
    return found


@pytest.mark.parametrize(
    "settings",
    SETTINGS,
    ids=["defaults", "no-steps", "two-steps", "three-steps", "retentions", "other-weights"],
)
def test_each_review_gives_the_row_fsrs_review_card_gives(settings: SchedulerSettings) -> None:
    reviewer = Reviewer(settings)
    states: set[tuple[int, bool]] = set()
    for seed in range(150):
        reviews = history(seed, 40)
        expected = reference_run(settings, reviews)
        row: CardRow | None = None
        for review, wanted in zip(reviews, expected, strict=True):
            if row is not None:
                states.add((row.state, review.right))
            row = reviewer.review(LEARNER, row, review)
            assert row == wanted, (seed, review)
            assert [repr(v) for v in row] == [repr(v) for v in wanted]  # same floats, same types
        assert reviewer.run(LEARNER, reviews) == expected[-1]
    # every state met both a right answer and a miss (where the settings allow the state)
    if settings.learning_steps or settings.relearning_steps:
        assert {(s, r) for s in (1, 2, 3) for r in (True, False)} <= states
    else:
        assert {(2, True), (2, False)} <= states


def test_an_attempt_reviews_each_card_from_its_stored_row_as_fsrs_would() -> None:
    """review_attempt: one review per question, each from its stored row (or none),
    and a stored row newer than the review is left for a replay."""
    settings = SETTINGS[2]
    reviewer = Reviewer(settings)
    stored: dict[int, CardRow] = {}
    reviews: list[Review] = []
    expected: list[CardRow] = []
    for question in range(60):
        past = [r._replace(question=question) for r in history(1000 + question, question % 9)]
        at = (past[-1].at_ms if past else 1_767_600_000_000) + GAPS_MS[question % len(GAPS_MS)]
        right, critical = question % 3 != 0, question % 5 == 0
        review = Review(at + 1, 2, question, right, 900, question, 3, critical, 11)
        if past:
            stored[question] = reference_run(settings, past)[-1]
        expected.append(reference_run(settings, [*past, review])[-1])
        reviews.append(review)
    newer = reviews[4]._replace(at_ms=stored[4].last_review_at)  # not after the stored one
    written, late = reviewer.review_attempt(LEARNER, [*reviews[:4], newer, *reviews[5:]], stored)
    assert late == {4}
    assert written == expected[:4] + expected[5:]
