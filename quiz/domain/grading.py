"""Percent, passed, critical misses: the one home of the pass rule.

An exam is passed when its percent reaches the pass mark and no critical question was
missed (answered wrongly or left unanswered). Every path that writes or shows a
verdict asks `verdict()`: the session when the learner finishes, crash recovery when it
closes an attempt whose process is gone, `quiz import` when it reads an attempt
exported elsewhere, and the report when a stored verdict is missing. Keeping one copy
is the point: three copies had drifted apart (the report ignored critical questions).

Stdlib only, and no other quiz module: callers hand in the critical flags of the
questions as asked and which positions were answered rightly.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Verdict:
    """The outcome of an attempt from its answers."""

    correct: int  # questions answered rightly
    total: int  # questions asked
    percent: float  # 0..100, to 2 decimals (for showing; `passed` never uses it)
    passed: bool | None  # None for practice and for abandoned attempts
    critical_missed: tuple[int, ...]  # positions of critical questions not answered rightly


def verdict(
    critical: Sequence[bool],
    right: Collection[int],
    pass_mark: int | None,
    *,
    abandoned: bool = False,
) -> Verdict:
    """The verdict of an attempt.

    `critical` holds the critical flag of each question as asked, by position; `right`
    the positions answered rightly (the answer that counts, not earlier ones);
    `pass_mark` the percent to reach, None for practice. An abandoned attempt was never
    finished: it neither passed nor failed. The pass mark is compared in whole numbers
    (correct * 100 >= pass_mark * total), so rounding the percent never flips a
    verdict; an attempt of no questions does not pass.
    """
    total = len(critical)
    rightly = {position for position in right if 0 <= position < total}
    correct = len(rightly)
    critical_missed = tuple(
        position for position, flag in enumerate(critical) if flag and position not in rightly
    )
    passed: bool | None = None
    if pass_mark is not None and not abandoned:
        passed = total > 0 and correct * 100 >= pass_mark * total and not critical_missed
    return Verdict(
        correct=correct,
        total=total,
        percent=round(100.0 * correct / total, 2) if total else 0.0,
        passed=passed,
        critical_missed=critical_missed,
    )
