"""The verdict an imported attempt is stored with: a file's `correct`, `percent` and
`passed` are not taken on trust. `recompute` gives the verdict of a finished attempt
from its answers and its questions as asked (quiz.domain.grading), which the import
stores; `RecomputedVerdict` is one attempt whose file said otherwise (an older or
hand-edited file), for the import to report.
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.domain.grading import Verdict, verdict
from quiz.domain.model import DEFAULT_PASS_MARK
from quiz.domain.records import OPEN_STATUSES, AttemptStatus, Mode
from quiz.storage.attempts import AttemptDetail


@dataclass(frozen=True)
class RecomputedVerdict:
    """An imported attempt whose file's verdict is not the one its answers give."""

    attempt_id: str
    learner: str  # as typed for the attempt
    file_correct: int | None  # what the file said (None: not given)
    file_passed: bool | None
    verdict: Verdict  # what was stored


def recompute(detail: AttemptDetail) -> Verdict | None:
    """The verdict of a finished attempt from its answers that count (their `correct`
    flags, graded when they were given) and the critical flags of its questions as
    asked; None for one in progress or paused. Practice and abandoned attempts have
    no pass or fail; an exam without a pass mark is held to DEFAULT_PASS_MARK, as the
    app does."""
    summary = detail.summary
    return verdict_of(
        str(summary.status),
        str(summary.mode),
        summary.pass_mark,
        [item.question.critical for item in detail.items],
        [position for position, item in enumerate(detail.items) if item.correct],
    )


def verdict_of(
    status: str, mode: str, pass_mark: int | None, critical: list[bool], right: list[int]
) -> Verdict | None:
    """`recompute` from an attempt's fields: its status, mode and pass mark, the critical
    flag of each question, and the positions whose answer that counts is right."""
    if status in OPEN_STATUSES:  # in progress or paused: not imported until it ends
        return None
    mark = None
    if mode == Mode.EXAM:
        mark = pass_mark if pass_mark is not None else DEFAULT_PASS_MARK
    return verdict(critical, right, mark, abandoned=status == AttemptStatus.ABANDONED)


def recomputed_verdict(
    attempt_id: str, learner: str, correct: int | None, passed: bool | None, outcome: Verdict
) -> RecomputedVerdict | None:
    """What an attempt's file said, where it differs from the recomputed verdict: its
    `passed` (a missing one differs from a pass or a fail, not from no verdict), or its
    `correct` when given. None when they agree."""
    score_differs = correct is not None and correct != outcome.correct
    if passed == outcome.passed and not score_differs:
        return None
    return RecomputedVerdict(
        attempt_id=attempt_id,
        learner=learner,
        file_correct=correct,
        file_passed=passed,
        verdict=outcome,
    )
