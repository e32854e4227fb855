"""The answer widget of the test-only `number` kind (tests/support/number_kind.py): a typed
answer that takes only a number. Registered through the public function, it is what the
question view shows for a number question, with no edit anywhere in quiz/."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from quiz.ui.widgets.question import (
    TypedAnswer,
    register_answer_widget,
    unregister_answer_widget,
)
from tests.support.number_kind import NAME, number_kind_registered


class NumberAnswer(TypedAnswer):
    """A number, typed (Textual's number field refuses anything else)."""

    def __init__(self) -> None:
        super().__init__(placeholder="A number", id="number-answer", max_length=20, type="number")


@contextmanager
def number_widget_registered() -> Iterator[None]:
    register_answer_widget(NAME, NumberAnswer)
    try:
        yield
    finally:
        unregister_answer_widget(NAME)


@contextmanager
def number_question_type() -> Iterator[None]:
    """The number kind and its widget, registered for the duration."""
    with number_kind_registered(), number_widget_registered():
        yield
