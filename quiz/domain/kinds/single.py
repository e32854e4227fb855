"""`type: single`: one right choice among the bank's choices."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from quiz.domain.kinds.base import Stored
from quiz.domain.kinds.choices import ChoiceKind, not_a_choice
from quiz.domain.model import QuestionType
from quiz.domain.records import AskedQuestion, Response

if TYPE_CHECKING:
    from quiz.domain.checker import Checker
    from quiz.domain.yamlsafe import Node


class SingleKind(ChoiceKind):
    name: ClassVar[str] = QuestionType.SINGLE
    label: ClassVar[str] = "single"

    def check_answer(
        self, check: Checker, node: Node, choices: Sequence[str]
    ) -> tuple[str, ...] | None:
        if node.kind == "sequence":
            check.add(
                node,
                "a single question has one answer: give one choice, or make it type: multiple",
            )
            return None
        value = check.text(node, "answer")
        if value is None:
            return None
        if choices and value not in choices:
            check.add(node, not_a_choice(value, choices))
            return None
        return (value,)

    def hint(self, asked: AskedQuestion) -> str:
        return f"Choose one answer: press its letter ({self.letters(asked)}) or click it."

    def response_for(self, asked: AskedQuestion, picked: Sequence[int]) -> Response:
        return asked.choices[picked[0]]

    def normalise(self, asked: AskedQuestion, response: Response) -> Response:
        texts = self.picked_texts(asked, response)
        if len(texts) != 1:
            raise ValueError("a single-answer question takes one choice")
        return texts[0]

    def grade(self, asked: AskedQuestion, response: Response, confusable: Iterable[str]) -> bool:
        return isinstance(response, str) and (response,) == asked.answer[:1]

    def encode(self, asked: AskedQuestion, response: Response) -> Stored:
        if not isinstance(response, str):
            raise ValueError(f"a single-answer response must be one choice, not {response!r}")
        return self.mask(asked, [response])

    def decode(self, asked: AskedQuestion, stored: Stored) -> Response:
        picked = self.unmask(asked, stored)
        return picked[0] if picked else None
