"""`type: multiple`: several right choices, graded all-or-nothing."""

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


class MultipleKind(ChoiceKind):
    name: ClassVar[str] = QuestionType.MULTIPLE
    label: ClassVar[str] = "multiple"
    picks_several = True

    def check_answer(
        self, check: Checker, node: Node, choices: Sequence[str]
    ) -> tuple[str, ...] | None:
        if node.kind != "sequence":
            check.add(node, "a multiple question's answer is a list of choices: [first, second]")
            return None
        items = check.text_list(node, "answer")
        if not items:
            check.add(node, "a multiple question needs at least one right answer")
            return None
        answers: list[str] = []
        for value, item in items:
            if choices and value not in choices:
                check.add(item, not_a_choice(value, choices))
                return None
            if value in answers:
                check.add(item, f"answer {value!r} is listed twice")
                return None
            answers.append(value)
        return tuple(answers)

    def hint(self, asked: AskedQuestion) -> str:
        letters = self.letters(asked)
        return f"Choose ALL that apply: each letter ({letters}) turns a choice on or off."

    def response_for(self, asked: AskedQuestion, picked: Sequence[int]) -> Response:
        return [asked.choices[i] for i in picked]

    def right_response(self, asked: AskedQuestion) -> Response:
        return list(asked.answer)

    def normalise(self, asked: AskedQuestion, response: Response) -> Response:
        texts = self.picked_texts(asked, response)
        return [choice for choice in asked.choices if choice in texts] or None

    def grade(self, asked: AskedQuestion, response: Response, confusable: Iterable[str]) -> bool:
        return isinstance(response, list) and set(response) == set(asked.answer)

    def encode(self, asked: AskedQuestion, response: Response) -> Stored:
        if not isinstance(response, list) or not all(isinstance(r, str) for r in response):
            raise ValueError(f"a multiple-answer response must be a list, not {response!r}")
        return self.mask(asked, response)

    def decode(self, asked: AskedQuestion, stored: Stored) -> Response:
        return self.unmask(asked, stored)
