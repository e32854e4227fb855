"""A question kind that exists only in the tests: `type: number`, a typed number.

It is the proof that a question type is one module (this one), one widget
(tests/support/number_widget.py) and the tests: registered through the public functions, it
is checked by `quiz check`, asked, answered, graded and described by the session,
stored by the codec and answered in the app, with no edit anywhere in quiz/.

A number answer is written as text (`answer: 2.5`); a response is the typed number in
its shortest form ("2.50" is "2.5"); it is stored as a whole number of thousandths.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from decimal import Decimal, InvalidOperation

from quiz.domain.checker import Checker
from quiz.domain.kinds import register_kind, unregister_kind
from quiz.domain.kinds.base import QuestionKind, Stored
from quiz.domain.records import AskedQuestion, Response
from quiz.domain.yamlsafe import Node

NAME = "number"
SCALE = 1000  # stored in thousandths


def number(text: str) -> Decimal | None:
    """`text` as a finite number with at most three decimals; None if it is not one."""
    try:
        value = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        return None
    if not value.is_finite() or value != value.quantize(Decimal("0.001")):
        return None
    return value


def shortest(value: Decimal) -> str:
    """2.50 -> "2.5", 300 -> "300", -0 -> "0"."""
    text = format(value.normalize(), "f")
    return "0" if text == "-0" else text


class NumberKind(QuestionKind):
    name = NAME
    label = "number"

    def check_answer(
        self, check: Checker, node: Node, choices: Sequence[str]
    ) -> tuple[str, ...] | None:
        text = check.text(node, "answer")
        if text is None:
            return None
        value = number(text)
        if value is None:
            check.add(node, f"a number answer must be a number such as 3 or 2.5, not {text!r}")
            return None
        return (shortest(value),)

    def hint(self, asked: AskedQuestion) -> str:
        return "Type a number in the box."

    def normalise(self, asked: AskedQuestion, response: Response) -> Response:
        if not isinstance(response, str):
            raise ValueError("a number question takes a typed number")
        if not response.strip():
            return None
        value = number(response)
        if value is None:
            raise ValueError(f"{response!r} is not a number")
        return shortest(value)

    def grade(self, asked: AskedQuestion, response: Response, confusable: Iterable[str]) -> bool:
        return isinstance(response, str) and number(response) == number(asked.answer[0])

    def describe_response(self, asked: AskedQuestion, response: Response) -> str:
        return str(response)

    def encode(self, asked: AskedQuestion, response: Response) -> Stored:
        value = number(response) if isinstance(response, str) else None
        if value is None:
            raise ValueError(f"a number response must be a number, not {response!r}")
        return int(value * SCALE)

    def decode(self, asked: AskedQuestion, stored: Stored) -> Response:
        if not isinstance(stored, int):
            raise ValueError(f"stored number {stored!r} is not a whole number of thousandths")
        return shortest(Decimal(stored) / SCALE)


@contextmanager
def number_kind_registered() -> Iterator[NumberKind]:
    """The number kind, registered for the duration."""
    kind = NumberKind()
    register_kind(kind)
    try:
        yield kind
    finally:
        unregister_kind(NAME)


NUMBER_COURSE = {
    "course.yaml": """\
format: 2
id: numbers
title: Numbers
source: source.md
facts:
  healing:
    - id: swelling-days
      text: Swelling eases within three days.
exams:
  check:
    title: Number check
    questions: 2
    time_limit: 10m
""",
    "source.md": """\
# Numbers

## Healing {#healing}

Swelling usually eases within 3 days. A patch test is read after 48 hours.
""",
    "healing.yaml": """\
format: 2
section: healing
title: Healing
questions:
  - id: n-days
    fact: swelling-days
    type: number
    prompt: Within how many days does swelling usually ease?
    answer: 3
    explanation: Swelling usually eases within three days.
    source: "usually eases within 3 days"
  - id: n-hours
    type: number
    prompt: After how many hours is a patch test read?
    answer: "48.0"
    explanation: The patch test is read after 48 hours.
    source: "read after 48 hours"
  - id: s-days
    type: single
    prompt: How long does swelling usually last?
    choices: [About three days, About three weeks]
    answer: About three days
    explanation: Swelling usually eases within three days.
    source: "Swelling usually eases"
""",
}
