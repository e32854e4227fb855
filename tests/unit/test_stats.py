"""Item statistics against an independent computation with the statistics module."""

from __future__ import annotations

import statistics

import pytest

from quiz.domain.stats import ItemSums, discrimination, facility, flag_reasons, rest_fraction


def _sums(rows: list[tuple[int, float]]) -> ItemSums:
    return ItemSums(
        n=len(rows),
        sum_x=sum(x for x, _ in rows),
        sum_r=sum(r for _, r in rows),
        sum_rr=sum(r * r for _, r in rows),
        sum_xr=sum(x * r for x, r in rows),
    )


def test_discrimination_is_the_correlation_with_the_rest_of_the_attempt() -> None:
    # (right on this question, correct and total of the whole attempt)
    attempts = [(1, 9, 10), (1, 8, 10), (0, 3, 10), (1, 6, 10), (0, 5, 10), (0, 2, 10)]
    rows = []
    for x, correct, total in attempts:
        rest = rest_fraction(correct, total, bool(x))
        assert rest is not None
        rows.append((x, rest))
    expected = 100 * statistics.correlation([float(x) for x, _ in rows], [r for _, r in rows])
    assert discrimination(_sums(rows)) == pytest.approx(expected)


def test_discrimination_is_undefined_without_variation() -> None:
    assert discrimination(_sums([(1, 0.5), (1, 0.7)])) is None
    assert discrimination(_sums([(1, 0.5), (0, 0.5)])) is None
    assert discrimination(_sums([(1, 0.5)])) is None


def test_facility_and_flags() -> None:
    assert facility(3, 4) == 75.0
    assert facility(0, 0) is None
    assert flag_reasons(40.0, 10.0) == ["facility below 50%"]
    assert flag_reasons(90.0, -5.0) == ["negative discrimination"]
    assert flag_reasons(90.0, None) == []
