"""The small formatting rules the tables share (quiz.tables.formats)."""

from __future__ import annotations

import pytest

from quiz.tables.formats import NO_VALUE, index_text


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, NO_VALUE),
        (0.0, "0"),
        (-0.0, "0"),
        (-0.3, "0"),
        (-0.5, "0"),
        (0.4, "0"),
        (-0.6, "-1"),
        (37.5, "38"),
        (-100.0, "-100"),
        (100.0, "100"),
    ],
)
def test_an_index_is_a_whole_number_and_never_minus_zero(value: float | None, shown: str) -> None:
    assert index_text(value) == shown
