"""One question as asked: its place in the attempt, its prompt, its choices or a text field."""

from __future__ import annotations

from collections.abc import Iterable

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.widgets import Input, Static

from quiz.domain.model import QuestionType
from quiz.domain.records import AskedQuestion, Response
from quiz.domain.session import letter, picked_indexes, response_for, shown_choices
from quiz.ui.widgets.choices import ChoiceList
from quiz.ui.widgets.fields import TextField
from quiz.ui.widgets.passage import literal

MAX_TYPED = 200


def how_to_answer(asked: AskedQuestion) -> str:
    """The line under the prompt that says how to answer."""
    count = len(shown_choices(asked))
    letters = f"{letter(0)}–{letter(count - 1)}" if count else ""
    if asked.type == QuestionType.MULTIPLE:
        return f"Choose ALL that apply: each letter ({letters}) turns a choice on or off."
    if asked.type == QuestionType.TRUE_FALSE:
        return "True or false? Press A for True or B for False."
    if asked.type == QuestionType.SHORT:
        return "Type your answer in the box."
    return f"Choose one answer: press its letter ({letters}) or click it."


class QuestionView(VerticalGroup):
    """The question being asked (updated in place from one question to the next)."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.asked: AskedQuestion | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="question-meta", markup=False)
        yield Static("", id="question-prompt", markup=False)
        yield Static("", id="question-hint", markup=False)
        yield ChoiceList(id="choices")
        yield TextField(
            placeholder="Type your answer here", id="short-answer", max_length=MAX_TYPED
        )

    @property
    def choices(self) -> ChoiceList:
        return self.query_one("#choices", ChoiceList)

    @property
    def text_field(self) -> Input:
        return self.query_one("#short-answer", Input)

    def show(
        self,
        asked: AskedQuestion,
        *,
        total: int,
        section_title: str,
        response: Response = None,
        hint: str = "",
    ) -> None:
        """Show `asked`, with `response` already picked or typed (for exams and review)."""
        self.asked = asked
        meta = f"Question {asked.position + 1} of {total} · "
        parts: list[str | Content | tuple[str, str]] = [meta, literal(section_title)]
        if asked.critical:
            parts.append((" · critical question", "bold"))
        self.query_one("#question-meta", Static).update(Content.assemble(*parts))
        self.query_one("#question-prompt", Static).update(literal(asked.prompt))
        self.query_one("#question-hint", Static).update(hint or how_to_answer(asked))
        is_short = asked.type == QuestionType.SHORT
        self.choices.display = not is_short
        self.text_field.display = is_short
        if is_short:
            self.text_field.disabled = False
            self.text_field.value = response if isinstance(response, str) else ""
            self.choices.set_choices((), multiple=False)
        else:
            self.choices.set_choices(
                shown_choices(asked),
                multiple=asked.type == QuestionType.MULTIPLE,
                picked=picked_indexes(asked, response),
            )

    def set_hint(self, hint: str) -> None:
        self.query_one("#question-hint", Static).update(hint)

    def response(self) -> Response:
        """What the learner has picked or typed (None if nothing)."""
        asked = self.asked
        if asked is None:
            return None
        if asked.type == QuestionType.SHORT:
            return self.text_field.value.strip() or None
        return response_for(asked, self.choices.picked)

    def freeze(self, right: Iterable[int] | None = None) -> None:
        """No more changes (practice, after feedback); marks the right choices if given."""
        self.text_field.disabled = True
        if right is not None:
            self.choices.show_verdicts(right)
        else:
            self.choices.locked = True
