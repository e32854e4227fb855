"""`type: short`: a typed answer, matched with the accepted ones by `match_typed` (case,
end punctuation and a leading article ignored; one slip forgiven in a long word unless
it could be another answer or choice of the course)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from quiz.domain.kinds.base import TypedKind
from quiz.domain.model import QuestionType
from quiz.domain.records import AskedQuestion, Response
from quiz.domain.text import match_typed

if TYPE_CHECKING:
    from quiz.domain.checker import Checker
    from quiz.domain.model import Question
    from quiz.domain.yamlsafe import Node


class ShortKind(TypedKind):
    name: ClassVar[str] = QuestionType.SHORT
    label: ClassVar[str] = "short"
    uses_confusables = True

    def check_answer(
        self, check: Checker, node: Node, choices: Sequence[str]
    ) -> tuple[str, ...] | None:
        # A list of accepted answers (one text is accepted too).
        if node.kind == "scalar":
            value = check.text(node, "answer")
            return (value,) if value is not None else None
        items = check.text_list(node, "answer")
        if not items:
            check.add(node, "a short question needs at least one accepted answer")
            return None
        return tuple(value for value, _ in items)

    def critical_warning(self, fact_id: str | None) -> str | None:
        return (
            "a critical question of type short: a spelling slip would fail the exam as a "
            "safety failure; make it single or true_false"
            + (f", or make fact {fact_id!r} not critical" if fact_id else ", or not critical")
        )

    def grade(self, asked: AskedQuestion, response: Response, confusable: Iterable[str]) -> bool:
        return isinstance(response, str) and match_typed(response, asked.answer, confusable)[0]

    def slip_spelling(self, asked: AskedQuestion, response: Response) -> str | None:
        if not isinstance(response, str):
            return None
        return match_typed(response, asked.answer)[1]

    def confusable_texts(self, question: Question) -> Iterable[str]:
        return question.answer

    def describe_answer(self, asked: AskedQuestion) -> str:
        first, *others = asked.answer
        return f"{first} (also accepted: {', '.join(others)})" if others else first
