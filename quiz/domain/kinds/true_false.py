"""`type: true_false`: a statement, true or false; shown as the choices True and False."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from quiz.domain.kinds.base import QuestionKind, Stored
from quiz.domain.model import QuestionType
from quiz.domain.records import AskedQuestion, Response

if TYPE_CHECKING:
    from quiz.domain.checker import Checker
    from quiz.domain.yamlsafe import Node

SHOWN = ("True", "False")


class TrueFalseKind(QuestionKind):
    name: ClassVar[str] = QuestionType.TRUE_FALSE
    label: ClassVar[str] = "true/false"
    no_choices_note = " (the answer is true or false)"

    def check_answer(
        self, check: Checker, node: Node, choices: Sequence[str]
    ) -> tuple[str, ...] | None:
        if node.kind == "scalar" and node.value in ("true", "false"):
            return (node.value,)
        check.add(node, "a true_false answer must be true or false")
        return None

    def feedback_keys(self, choices: Sequence[str]) -> Sequence[str] | None:
        return ("true", "false")

    def shown_choices(self, asked: AskedQuestion) -> tuple[str, ...]:
        return SHOWN

    def hint(self, asked: AskedQuestion) -> str:
        return "True or false? Press A for True or B for False."

    def response_for(self, asked: AskedQuestion, picked: Sequence[int]) -> Response:
        return picked[0] == 0

    def picked_indexes(self, asked: AskedQuestion, response: Response) -> frozenset[int]:
        if not isinstance(response, bool):
            return frozenset()
        return frozenset({0 if response else 1})

    def right_response(self, asked: AskedQuestion) -> Response:
        return asked.answer == ("true",)

    def normalise(self, asked: AskedQuestion, response: Response) -> Response:
        if not isinstance(response, bool):
            raise ValueError("a true/false question takes True or False")
        return response

    def grade(self, asked: AskedQuestion, response: Response, confusable: Iterable[str]) -> bool:
        return isinstance(response, bool) and response == (asked.answer == ("true",))

    def feedback_key(self, asked: AskedQuestion, index: int) -> str:
        return SHOWN[index].lower()

    def encode(self, asked: AskedQuestion, response: Response) -> Stored:
        if not isinstance(response, bool):
            raise ValueError(f"a true/false response must be true or false, not {response!r}")
        return int(response)

    def decode(self, asked: AskedQuestion, stored: Stored) -> Response:
        return bool(stored)
