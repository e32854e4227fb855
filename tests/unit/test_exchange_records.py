"""An attempt's own fields have one order (quiz.storage.exchange.records.attempt_fields),
which the file's reader and the central store's first pull both make them in."""

from __future__ import annotations

import inspect
from typing import Any

from quiz.storage.exchange.records import PreparedAttempt, attempt_fields


def test_attempt_fields_takes_preparedattempts_own_fields_in_their_order() -> None:
    names = list(inspect.signature(attempt_fields).parameters)
    assert ["id", *names[1:]] == list(PreparedAttempt._fields[: len(names)])
    assert names[0] == "attempt_id"
    assert names[-1] == "utc_offset_minutes"


def test_attempt_fields_gives_each_value_in_its_place_as_an_export_gives_it() -> None:
    names = inspect.signature(attempt_fields).parameters
    values: dict[str, Any] = {name: f"<{name}>" for name in names}
    values.update(sections=["s1", "s2"], seed=None, percent=50, identified="pin")
    made = attempt_fields(**values)
    expected = dict(values, sections=("s1", "s2"), seed=0, percent=50.0)
    assert made == tuple(expected.values())
    assert type(made[PreparedAttempt._fields.index("percent")]) is float
    empty = attempt_fields(**dict(values, sections=[], seed=7, percent=None))
    assert empty[PreparedAttempt._fields.index("sections")] == ()
    assert empty[PreparedAttempt._fields.index("seed")] == 7
    assert empty[PreparedAttempt._fields.index("percent")] is None
