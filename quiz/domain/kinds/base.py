"""The interface every question kind implements: one class a type, dispatched through.

A kind owns everything that differs between question types, so that the validator,
the session, the store's codec and the question widget ask it instead of branching on
the type: its rules in a bank file (choices, answer, feedback), the choices it shows
and how picks or typed text become a response, grading, describing, the compact form
a response is stored in, and what its content version covers.

The methods take the question as asked (`AskedQuestion`: choices in the order shown)
or, for the rules, the YAML node and a `Checker` that records problems. Defaults fit a
kind without choices; `ChoiceKind` (quiz.domain.kinds.choices) is the base of the
kinds that show choices. Kinds are stateless: one instance is registered a type
(`quiz.domain.kinds.register_kind`).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, ClassVar

from quiz.domain.records import AskedQuestion, Response
from quiz.domain.text import strip_control

if TYPE_CHECKING:
    from quiz.domain.checker import Checker
    from quiz.domain.model import Question
    from quiz.domain.yamlsafe import Node

Stored = int | str
"""A response as the score store keeps it (a bit mask, a number, a text); None is no answer."""


def letter(index: int) -> str:
    """The label of choice `index`: A, B, C..."""
    return chr(ord("A") + index)


class QuestionKind:
    """One question type. Subclass it, set `name`, and register an instance."""

    name: ClassVar[str]
    """The `type:` written in bank files and saved with every asked question."""
    label: ClassVar[str]
    """How the type is named to people (`quiz check`'s columns, messages)."""
    picks_several: ClassVar[bool] = False
    """Several shown choices can be picked at once (their order does not matter)."""
    uses_confusables: ClassVar[bool] = False
    """Grading needs the course's confusable texts (see `grading.confusable_texts`)."""
    stores_choice_mask: ClassVar[bool] = False
    """A stored response is a bit mask over the choices as shown (bit i: choice i)."""
    no_choices_note: ClassVar[str] = ""
    """Added to the problem of `choices:` written for a kind that has none."""

    # --- the rules of a bank file (quiz check and loading) ---------------------------------

    def check_choices(
        self, check: Checker, question: Node, node: Node | None
    ) -> tuple[tuple[str, ...], bool]:
        """The question's `choices:` (`node`, None when absent): the texts read, and
        whether they are fine. By default a kind has none."""
        if node is None:
            return (), True
        note = self.no_choices_note
        check.add(node, f"a {self.name} question has no 'choices': remove them{note}")
        return (), False

    def check_answer(
        self, check: Checker, node: Node, choices: Sequence[str]
    ) -> tuple[str, ...] | None:
        """The question's `answer:` (present, not null), as stored in `Question.answer`;
        None after reporting why it cannot be used."""
        raise NotImplementedError

    def feedback_keys(self, choices: Sequence[str]) -> Sequence[str] | None:
        """What `feedback:` may be keyed by; None when the kind takes no feedback."""
        return None

    def critical_warning(self, fact_id: str | None) -> str | None:
        """A warning for a critical question of this kind (`fact_id`: its fact, if any)."""
        return None

    # --- asking ----------------------------------------------------------------------------

    def shown_choices(self, asked: AskedQuestion) -> tuple[str, ...]:
        """The choices as the learner sees them, in order (none for a typed answer)."""
        return asked.choices

    def hint(self, asked: AskedQuestion) -> str:
        """The line under the prompt that says how to answer."""
        return "Type your answer in the box."

    def response_for(self, asked: AskedQuestion, picked: Sequence[int]) -> Response:
        """The response for the shown choices picked (sorted indexes, at least one)."""
        raise ValueError(f"a {self.name} question has no choices")

    def picked_indexes(self, asked: AskedQuestion, response: Response) -> frozenset[int]:
        """The shown choices a response picks (the reverse of `response_for`)."""
        return frozenset()

    def right_response(self, asked: AskedQuestion) -> Response:
        """The right answer as a response."""
        return asked.answer[0]

    def normalise(self, asked: AskedQuestion, response: Response) -> Response:
        """A response given to the session (not None), checked against the question and in
        its canonical form; None when it is empty. Raises ValueError when ill-formed."""
        raise NotImplementedError

    # --- grading ---------------------------------------------------------------------------

    def grade(self, asked: AskedQuestion, response: Response, confusable: Iterable[str]) -> bool:
        """Whether a normalised response (not None) is right."""
        raise NotImplementedError

    def slip_spelling(self, asked: AskedQuestion, response: Response) -> str | None:
        """For a typed answer accepted with a spelling slip: the accepted spelling."""
        return None

    def confusable_texts(self, question: Question) -> Iterable[str]:
        """What a typed slip must not be near, from this question: its choices."""
        return question.choices

    # --- describing ------------------------------------------------------------------------

    def describe_response(self, asked: AskedQuestion, response: Response) -> str:
        """A response (not empty) as the learner reads it: "B. They break apart"."""
        shown = self.shown_choices(asked)
        picked = sorted(self.picked_indexes(asked, response))
        return "; ".join(f"{letter(i)}. {shown[i]}" for i in picked)

    def describe_answer(self, asked: AskedQuestion) -> str:
        """The right answer as the learner reads it."""
        return self.describe_response(asked, self.right_response(asked))

    def feedback_key(self, asked: AskedQuestion, index: int) -> str:
        """The `feedback:` key of shown choice `index`."""
        return self.shown_choices(asked)[index]

    # --- storing ---------------------------------------------------------------------------

    def encode(self, asked: AskedQuestion, response: Response) -> Stored:
        """A response (not None) as stored. Raises ValueError when it does not fit."""
        raise NotImplementedError

    def decode(self, asked: AskedQuestion, stored: Stored) -> Response:
        """The response `encode` stored."""
        raise NotImplementedError

    # --- identity --------------------------------------------------------------------------

    def version_content(self, choices: Sequence[str], answer: Sequence[str]) -> object:
        """What the content version covers besides the type (JSON-able): the right
        answers and the choices as sets, in no order. A kind where order is part of the
        answer keeps it."""
        return [sorted(set(answer)), sorted(set(choices))]


class TypedKind(QuestionKind):
    """A kind answered by typing text: the response is the text, stored as it is."""

    def normalise(self, asked: AskedQuestion, response: Response) -> Response:
        if not isinstance(response, str):
            raise ValueError(f"a {self.name} question takes typed text")
        return strip_control(response).strip() or None

    def describe_response(self, asked: AskedQuestion, response: Response) -> str:
        return str(response)

    def encode(self, asked: AskedQuestion, response: Response) -> Stored:
        if not isinstance(response, str):
            raise ValueError(f"a {self.name} response must be text, not {response!r}")
        return response

    def decode(self, asked: AskedQuestion, stored: Stored) -> Response:
        return str(stored)
