"""Unit test set-up: the test-only `number` question kind, registered, and its course."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.domain.loader import load_course
from quiz.domain.model import Course
from tests.support.courses import write_course
from tests.support.number_kind import NUMBER_COURSE, NumberKind, number_kind_registered


@pytest.fixture
def number_kind() -> Iterator[NumberKind]:
    """The `number` kind (tests/support/number_kind.py), registered for the test."""
    with number_kind_registered() as kind:
        yield kind


@pytest.fixture
def number_course(tmp_path: Path, number_kind: NumberKind) -> Course:
    """The course of number questions, loaded clean while the kind is registered."""
    loaded = load_course(write_course(tmp_path / "numbers", NUMBER_COURSE))
    assert loaded.problems == () and loaded.warnings == ()
    assert loaded.course is not None
    return loaded.course
