"""The order a round asks its questions in: each once, and in a drill a miss again at the
end of the round. One home for the rule, shared by the session that asks (as answers
come) and by whatever reads a round back from its saved answers (a paused round's
questions left: quiz.domain.pausing, crash recovery)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from quiz.domain.records import Mode

DRILL_RETRIES = 2
"""A drill question answered wrongly comes back later in the same round, at most this
many more times (until it is answered right)."""


def asks_again(mode: Mode, correct: bool, tries: int) -> bool:
    """Whether a question answered (`correct` or not) for the `tries`-th time is asked
    again later in the round."""
    return mode is Mode.DRILL and not correct and tries <= DRILL_RETRIES


def round_order(mode: Mode, total: int, answers: Iterable[tuple[int, bool]]) -> list[int]:
    """The positions a round of `total` questions asks, in order, once the `answers`
    ((position, correct) in the order given) have been given."""
    order = list(range(total))
    tries: Counter[int] = Counter()
    for position, correct in answers:
        tries[position] += 1
        if asks_again(mode, correct, tries[position]):
            order.append(position)
    return order
