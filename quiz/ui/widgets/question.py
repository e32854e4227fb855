"""One question as asked: its place in the attempt, its prompt, and the widget its kind
is answered in.

Each question kind is answered in a widget registered for it here, keyed by the kind's
name (`register_answer_widget`): the choice list for single, multiple and true_false,
a text field for short. A new kind registers its own (see quiz.ui.widgets.answer for
what the widget does). The view builds one widget of each registered class and shows
the one the current question needs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import Any

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.widgets import Input, Static

from quiz.domain.kinds import kind_of
from quiz.domain.model import QuestionType
from quiz.domain.records import AskedQuestion, Response
from quiz.ui.literal import literal
from quiz.ui.widgets.answer import AnswerWidget
from quiz.ui.widgets.choices import ChoiceList
from quiz.ui.widgets.fields import TextField
from quiz.ui.widgets.redraw import update_content

MAX_TYPED = 200

AnswerWidgetFactory = Callable[[], AnswerWidget]
"""Makes a kind's answer widget (a widget class, or a function that makes one)."""


class TypedAnswer(TextField, AnswerWidget):
    """A typed answer: the answer widget of short questions, and a base for the widget of
    another typed kind (with its own id, and Input's `type` or `restrict`)."""

    DEFAULT_CSS = """
    TypedAnswer {
        width: 1fr;
        max-width: 70;
        margin: 0 1;
    }
    """

    def __init__(
        self,
        *,
        placeholder: str = "Type your answer here",
        id: str = "short-answer",
        max_length: int = MAX_TYPED,
        **options: Any,
    ) -> None:
        super().__init__(placeholder=placeholder, id=id, max_length=max_length, **options)

    def show_answer(self, asked: AskedQuestion, response: Response) -> None:
        self.disabled = False
        self.value = response if isinstance(response, str) else ""

    def read_response(self, asked: AskedQuestion) -> Response:
        return self.value.strip() or None

    def focus_answer(self) -> bool:
        if self.disabled:
            return False
        self.focus()
        return True


_choice_list: AnswerWidgetFactory = partial(ChoiceList, id="choices")
_answer_widgets: dict[str, AnswerWidgetFactory] = {
    QuestionType.SINGLE: _choice_list,
    QuestionType.MULTIPLE: _choice_list,
    QuestionType.TRUE_FALSE: _choice_list,
    QuestionType.SHORT: TypedAnswer,
}


def register_answer_widget(kind_name: str, factory: AnswerWidgetFactory) -> None:
    """Answer questions of kind `kind_name` in the widget `factory` makes (a widget class,
    usually). Views built from then on hold one; one built before mounts it when a
    question of that kind is first shown."""
    if kind_name in _answer_widgets:
        raise ValueError(f"question type {kind_name!r} has an answer widget already")
    _answer_widgets[kind_name] = factory


def unregister_answer_widget(kind_name: str) -> None:
    """Take back a widget registered with `register_answer_widget`."""
    if kind_name in set(QuestionType):
        raise ValueError(f"{kind_name!r} is a built-in question type")
    _answer_widgets.pop(kind_name, None)


def answer_widget_factory(asked: AskedQuestion) -> AnswerWidgetFactory:
    """The widget `asked` is answered in. A kind without one of its own is answered by
    picking its shown choices, or else by typing."""
    factory = _answer_widgets.get(asked.type)
    if factory is not None:
        return factory
    return _choice_list if kind_of(asked.type).shown_choices(asked) else TypedAnswer


def how_to_answer(asked: AskedQuestion) -> str:
    """The line under the prompt that says how to answer."""
    return kind_of(asked.type).hint(asked)


class QuestionView(VerticalGroup):
    """The question being asked (updated in place from one question to the next)."""

    DEFAULT_CSS = """
    QuestionView #question-meta {
        color: $text-muted;
    }

    QuestionView #question-prompt {
        margin: 1 0 0 0;
        text-style: bold;
    }

    QuestionView #question-hint {
        margin: 0 0 1 0;
        color: $text-muted;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.asked: AskedQuestion | None = None
        self._answer_widgets: dict[AnswerWidgetFactory, AnswerWidget] = {}
        self._answer_widget: AnswerWidget | None = None

    def compose(self) -> ComposeResult:
        yield Static("", id="question-meta", markup=False)
        yield Static("", id="question-prompt", markup=False)
        yield Static("", id="question-hint", markup=False)
        for factory in dict.fromkeys(_answer_widgets.values()):
            widget = self._answer_widgets[factory] = factory()
            if factory not in (_choice_list, TypedAnswer):
                widget.display = False  # a registered kind's: shown when asked
            yield widget

    @property
    def choices(self) -> ChoiceList:
        return self.query_one("#choices", ChoiceList)

    @property
    def text_field(self) -> Input:
        return self.query_one("#short-answer", Input)

    @property
    def answer_widget(self) -> AnswerWidget | None:
        """The widget the current question is answered in."""
        return self._answer_widget

    def show(
        self,
        asked: AskedQuestion,
        *,
        total: int,
        section_title: str,
        response: Response = None,
        hint: str = "",
        number: int | None = None,
        again: bool = False,
    ) -> None:
        """Show `asked`, with `response` already picked or typed (for exams and review).
        It is question `number` of `total` (its position + 1 unless given: a drill asks a
        missed question `again`, later in the round)."""
        self.asked = asked
        number = asked.position + 1 if number is None else number
        meta = f"Question {number} of {total} · "
        parts: list[str | Content | tuple[str, str]] = [meta, literal(section_title)]
        if again:
            parts.append((" · asked again", "bold"))
        if asked.critical:
            parts.append((" · critical question", "bold"))
        update_content(self.query_one("#question-meta", Static), Content.assemble(*parts))
        update_content(self.query_one("#question-prompt", Static), literal(asked.prompt))
        self.set_hint(hint or how_to_answer(asked))
        current = self._widget_for(asked)
        for widget in self._answer_widgets.values():
            if widget is not current:
                widget.display = False
                widget.hide_answer()
        current.display = True
        current.show_answer(asked, response)
        self._answer_widget = current

    def _widget_for(self, asked: AskedQuestion) -> AnswerWidget:
        factory = answer_widget_factory(asked)
        widget = self._answer_widgets.get(factory)
        if widget is None:  # registered after this view was built
            widget = self._answer_widgets[factory] = factory()
            self.mount(widget)
        return widget

    def set_hint(self, hint: str) -> None:
        update_content(self.query_one("#question-hint", Static), Content(hint))

    def response(self) -> Response:
        """What the learner has picked or typed (None if nothing)."""
        if self.asked is None or self._answer_widget is None:
            return None
        return self._answer_widget.read_response(self.asked)

    def freeze(self, right: Iterable[int] | None = None) -> None:
        """No more changes (practice, after feedback); marks the right choices if given."""
        if self._answer_widget is not None:
            self._answer_widget.freeze(right)

    def focus_answer(self) -> bool:
        """Focus the answer where it is typed; False where letters pick (the caller
        focuses what scrolls instead)."""
        return self._answer_widget is not None and self._answer_widget.focus_answer()
