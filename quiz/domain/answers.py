"""One asked question as the learner meets it: the choices shown, picks read as a
response, a response described, and the review of an attempt.

Each function asks the question's kind (quiz.domain.kinds): nothing here branches on
the type. Grading is in quiz.domain.grading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.domain.kinds import kind_of
from quiz.domain.kinds.base import letter as letter
from quiz.domain.records import AskedQuestion, Response

if TYPE_CHECKING:
    from quiz.domain.model import Course, Question


def shown_choices(asked: AskedQuestion) -> tuple[str, ...]:
    """The choices as the learner sees them (true/false questions show True and False)."""
    return kind_of(asked.type).shown_choices(asked)


def response_for(asked: AskedQuestion, picked: Iterable[int]) -> Response:
    """The response for the choices picked (by index in the shown order); None for none."""
    indexes = sorted(set(picked))
    if not indexes:
        return None
    return kind_of(asked.type).response_for(asked, indexes)


def picked_indexes(asked: AskedQuestion, response: Response) -> frozenset[int]:
    """The shown choices a response picks (the reverse of `response_for`)."""
    if response is None:
        return frozenset()
    return kind_of(asked.type).picked_indexes(asked, response)


def right_indexes(asked: AskedQuestion) -> frozenset[int]:
    """The shown choices that make up the right answer (none for a typed answer)."""
    kind = kind_of(asked.type)
    return kind.picked_indexes(asked, kind.right_response(asked))


def normalise_response(asked: AskedQuestion, response: Response) -> Response:
    """The response checked against the question, in a canonical form; None if empty.

    Raises ValueError when it does not fit the question."""
    if response is None:
        return None
    return kind_of(asked.type).normalise(asked, response)


def describe_response(asked: AskedQuestion, response: Response) -> str:
    """A response as the learner reads it: "B. They break apart", "True", the typed text."""
    if response is None or response == "" or response == []:
        return "(unanswered)"
    return kind_of(asked.type).describe_response(asked, response)


def describe_answer(asked: AskedQuestion) -> str:
    """The right answer as the learner reads it, with its letters."""
    return kind_of(asked.type).describe_answer(asked)


def choice_feedback(
    question: Question, asked: AskedQuestion, response: Response
) -> list[tuple[str, str]]:
    """The bank's feedback for each shown choice a response picks: (label, text)."""
    if not question.feedback or response is None:
        return []
    kind = kind_of(asked.type)
    shown = kind.shown_choices(asked)
    found = []
    for index in sorted(kind.picked_indexes(asked, response)):
        text = question.feedback.get(kind.feedback_key(asked, index))
        if text:
            found.append((f"{letter(index)}. {shown[index]}", text))
    return found


@dataclass(frozen=True)
class ReviewItem:
    """One question of a finished attempt, as the review shows it."""

    asked: AskedQuestion
    response: Response
    correct: bool
    question: Question | None  # the bank's question (explanation, passage), if still there

    @property
    def answered(self) -> bool:
        return self.response is not None


def review_items(
    course: Course | None,
    asked: Sequence[AskedQuestion],
    answers: Mapping[str, tuple[Response, bool]],
) -> tuple[ReviewItem, ...]:
    """The review of an attempt from its records: `answers` maps a question id to its
    latest response and whether it was graded right when given (never re-graded here:
    a review shows the verdict the attempt was scored with)."""
    items = []
    for question in asked:
        response, correct = answers.get(question.question_id, (None, False))
        items.append(
            ReviewItem(
                asked=question,
                response=response,
                correct=correct,
                question=course.question(question.question_id) if course else None,
            )
        )
    return tuple(items)
