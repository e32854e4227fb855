"""What the kinds that show the bank's choices share: the choices rule, picking by
letter, and the stored form, a bit mask over the choices as shown."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from quiz.domain.kinds.base import QuestionKind, Stored, letter
from quiz.domain.records import AskedQuestion, Response
from quiz.domain.text import fold

if TYPE_CHECKING:
    from quiz.domain.checker import Checker
    from quiz.domain.yamlsafe import Node


class ChoiceKind(QuestionKind):
    """A kind whose choices are written in the bank, at least two, all different."""

    stores_choice_mask: ClassVar[bool] = True

    def check_choices(
        self, check: Checker, question: Node, node: Node | None
    ) -> tuple[tuple[str, ...], bool]:
        items = check.text_list(node, "choices")
        if node is None or node.value is None:
            check.add(question, f"a {self.name} question needs 'choices': add a list of choices")
            return (), False
        if items is None:
            return (), False
        ok = True
        seen: set[str] = set()
        for value, item in items:
            key = fold(value)
            if key in seen:
                check.add(item, f"choice {value!r} is listed twice: make each choice different")
                ok = False
            seen.add(key)
        if len(items) < 2:
            check.add(node, "a question needs at least two choices")
            ok = False
        return tuple(value for value, _ in items), ok

    def feedback_keys(self, choices: Sequence[str]) -> Sequence[str] | None:
        return choices

    def letters(self, asked: AskedQuestion) -> str:
        """The letters of the shown choices, as "A–D"."""
        count = len(self.shown_choices(asked))
        return f"{letter(0)}–{letter(count - 1)}" if count else ""

    def picked_indexes(self, asked: AskedQuestion, response: Response) -> frozenset[int]:
        if isinstance(response, str):
            texts: Sequence[str] = (response,)
        elif isinstance(response, list):
            texts = response
        else:
            return frozenset()
        return frozenset(i for i, choice in enumerate(asked.choices) if choice in texts)

    def picked_texts(self, asked: AskedQuestion, response: Response) -> list[str]:
        """The choices a response names, checked to be the question's."""
        texts = [response] if isinstance(response, str) else response
        if not isinstance(texts, list) or any(t not in asked.choices for t in texts):
            raise ValueError("the response is not one of the question's choices")
        return texts

    def mask(self, asked: AskedQuestion, picked: Sequence[str]) -> int:
        """A bit for each shown choice picked."""
        mask = 0
        for text in picked:
            try:
                mask |= 1 << asked.choices.index(text)
            except ValueError:
                raise ValueError(f"{text!r} is not one of the choices shown") from None
        return mask

    def unmask(self, asked: AskedQuestion, stored: Stored) -> list[str]:
        """The shown choices a stored mask picks."""
        if not isinstance(stored, int):
            raise ValueError(f"stored response {stored!r} is not a choice mask")
        return [choice for i, choice in enumerate(asked.choices) if stored >> i & 1]


def not_a_choice(value: str, choices: Sequence[str]) -> str:
    """The problem of an answer that is not among the choices, with the closest one."""
    close = difflib.get_close_matches(value, list(choices), n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else "copy the text of the right choice exactly"
    return f"answer {value!r} is not one of the choices: {hint}"
