"""quiz.domain.grading: the one pass rule (percent, passed, critical misses)."""

from __future__ import annotations

from quiz.domain.grading import Verdict, verdict


def test_a_missed_critical_question_fails_whatever_the_percent() -> None:
    # 2 of 3 (67%) against a pass mark of 50, the critical question (position 1) wrong.
    assert verdict([False, True, False], {0, 2}, 50) == Verdict(
        correct=2, total=3, percent=66.67, passed=False, critical_missed=(1,)
    )


def test_reaching_the_pass_mark_with_every_critical_question_right_passes() -> None:
    outcome = verdict([False, True, False], {0, 1}, 50)
    assert (outcome.percent, outcome.passed, outcome.critical_missed) == (66.67, True, ())
    assert verdict([False, True, False], {0, 1}, 67).passed is False  # 66.67 < 67


def test_the_pass_mark_is_compared_in_whole_numbers_not_the_rounded_percent() -> None:
    # 136 of 203 is 66.995…%: shown as 67.0, but below a pass mark of 67.
    outcome = verdict([False] * 203, range(136), 67)
    assert outcome.percent == 67.0 and outcome.passed is False
    assert verdict([False] * 5, range(4), 80).passed is True  # exactly on the mark


def test_practice_and_abandoned_attempts_have_no_verdict() -> None:
    practice = verdict([True, False], {1}, None)
    assert practice.passed is None and practice.critical_missed == (0,)
    abandoned = verdict([False, False], {0, 1}, 50, abandoned=True)
    assert (abandoned.correct, abandoned.percent, abandoned.passed) == (2, 100.0, None)


def test_an_unanswered_critical_question_is_missed_and_odd_positions_do_not_count() -> None:
    outcome = verdict([True, False], [1, 1, 5, -1], 50)
    assert (outcome.correct, outcome.critical_missed, outcome.passed) == (1, (0,), False)
    assert verdict([], [], 50) == Verdict(0, 0, 0.0, False, ())
