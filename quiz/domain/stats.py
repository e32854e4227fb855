"""Item statistics for the question report, as Moodle's quiz statistics compute them.

- Facility: the percentage of attempts that got the question right.
- Discrimination index: the Pearson correlation, over the attempts that were asked
  the question, between the score on this question (1 right, 0 wrong) and the score
  on the rest of the attempt (the attempt's other questions), times 100.

Both are computed from running sums so that the store can aggregate in SQL and hand
over a handful of numbers per question instead of every row.
"""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class ItemSums:
    """Sums over the attempts that were asked one question.

    x is 1 if the attempt got the question right, else 0; r is the attempt's score
    on the rest of its questions, as a fraction of them (0..1).
    """

    n: int
    sum_x: float
    sum_r: float
    sum_rr: float
    sum_xr: float


def facility(right: int, asked: int) -> float | None:
    """Percent of attempts that got it right; None when never asked."""
    if asked <= 0:
        return None
    return 100.0 * right / asked


def discrimination(sums: ItemSums) -> float | None:
    """Moodle's discrimination index (percent, -100..100); None when undefined.

    Undefined with fewer than two attempts, or when either score does not vary
    (everyone right, everyone wrong, or the same rest-of-attempt score for all).
    """
    n = sums.n
    if n < 2:
        return None
    # x is 0/1, so sum(x*x) == sum(x).
    var_x = n * sums.sum_x - sums.sum_x * sums.sum_x
    var_r = n * sums.sum_rr - sums.sum_r * sums.sum_r
    if var_x <= 0 or var_r <= 1e-12:
        return None
    covariance = n * sums.sum_xr - sums.sum_x * sums.sum_r
    return 100.0 * covariance / math.sqrt(var_x * var_r)


def rest_fraction(attempt_correct: int, attempt_total: int, item_correct: bool) -> float | None:
    """The score on the rest of the attempt, as a fraction; None for a one-question attempt."""
    rest_total = attempt_total - 1
    if rest_total <= 0:
        return None
    return (attempt_correct - int(item_correct)) / rest_total


FLAG_FACILITY_BELOW = 50.0


def flag_reasons(facility_percent: float | None, discrimination_index: float | None) -> list[str]:
    """Why a question deserves the author's attention (empty when it does not)."""
    reasons = []
    if facility_percent is not None and facility_percent < FLAG_FACILITY_BELOW:
        reasons.append("facility below 50%")
    if discrimination_index is not None and discrimination_index < 0:
        reasons.append("negative discrimination")
    return reasons
