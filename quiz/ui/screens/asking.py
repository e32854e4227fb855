"""What the practice and exam screens share: the top bar with the countdown, the question,
the status line that says what to do next, and choice letters. The attempt is run by
its `AttemptRunner` (which also notices the deadline); screens act through it."""

from __future__ import annotations

from typing import ClassVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from quiz.domain.answers import shown_choices
from quiz.ui.attempt import AttemptRunner
from quiz.ui.flagging import FLAG_BINDING, ask_and_flag
from quiz.ui.literal import literal
from quiz.ui.saving import NOT_SENT_MARK
from quiz.ui.screens.base import QuizScreen
from quiz.ui.textual_seams import FocusScroll, dim_footer_key
from quiz.ui.widgets.countdown import Countdown
from quiz.ui.widgets.question import QuestionView
from quiz.ui.widgets.redraw import update_content

LETTERS = "abcdefghijklmnopqrstuvwxyz"

# One binding a letter; the footer shows the first as "A B …". The footer is not
# recomposed from question to question (redrawing it costs more than answering): when
# the letters do nothing (after feedback in practice) its key is dimmed in place.
CHOOSE_ACTION = "pick(0)"
"""The action of the letter binding the footer shows ("A B … Choose")."""
PICK_BINDINGS: list[BindingType] = [
    Binding(key, f"pick({index})", "Choose", show=index == 0, key_display="A B …")
    for index, key in enumerate(LETTERS)
]


class AskingScreen(QuizScreen[None]):
    """A screen that asks the questions of an attempt."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("pageup", "scroll_body(-1)", "Scroll", show=False),
        Binding("pagedown", "scroll_body(1)", "Scroll", show=False),
        *PICK_BINDINGS,
        FLAG_BINDING,
    ]

    def __init__(self, attempt: AttemptRunner) -> None:
        super().__init__()
        self.attempt = attempt
        self.session = attempt.session
        self.position = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static("", id="top-title", markup=False)
            if self.session.deadline is not None:
                yield Countdown(self.session.remaining_seconds, id="countdown")
        yield from self.compose_above_body()
        with FocusScroll(id="body"):
            yield QuestionView(id="question")
            yield VerticalGroup(id="feedback-area")
        yield Static("", id="status", markup=False)
        yield Footer()

    def compose_above_body(self) -> ComposeResult:
        yield from ()

    @property
    def view(self) -> QuestionView:
        return self.query_one("#question", QuestionView)

    @property
    def body(self) -> VerticalScroll:
        return self.query_one("#body", VerticalScroll)

    @property
    def choice_count(self) -> int:
        """How many choices the letter keys pick from (0 for a typed answer)."""
        return len(shown_choices(self.session.asked[self.position]))

    def top_title(self) -> Content:
        course = self.session.course
        return Content.assemble(
            (self.attempt.title, "bold"),
            " · ",
            literal(course.title),
            f" · {self.attempt.learner}" if self.attempt.learner else "",
        )

    def on_mount(self) -> None:
        self.query_one("#top-title", Static).update(self.top_title())
        # The status line says so while answers are not reaching the store.
        self.watch(self.quiz_app, "saving_problem", self._saving_changed, init=False)
        self.watch(self.quiz_app, "not_sent", self._saving_changed, init=False)

    def _saving_changed(self) -> None:
        self.refresh_status()

    def focus_answer(self) -> None:
        """Focus where the answer is typed, otherwise the scrolling body (letters pick)."""
        if not self.view.focus_answer():
            self.body.focus()

    def set_status(self, text: str) -> None:
        problem = self.quiz_app.saving_problem
        if problem:
            text = f"Not saved yet ({problem}); your answers are kept. {text}"
        elif self.quiz_app.not_sent:
            text = f"{text} {NOT_SENT_MARK}"
        update_content(self.query_one("#status", Static), literal(text))

    def refresh_status(self) -> None:
        """Say what to do next (each screen knows)."""

    def dim_choose_key(self, dim: bool) -> None:
        """Dim (or not) the footer's "A B … Choose" key, in place. `allows` must say
        the same, for when the footer is recomposed for other reasons."""
        dim_footer_key(self, CHOOSE_ACTION, dim)

    def action_pick(self, index: int) -> None:
        if index >= self.choice_count:
            # Not a choice of this question: let the key's other binding (such as
            # `s` for the passage) have it.
            raise SkipAction()
        if self.attempt.over():
            return
        if self.view.choices.pick(index, announce=False):
            self.after_pick()  # recorded now, before the next key is handled

    def after_pick(self) -> None:
        """A choice was picked or toggled (each screen knows what that means)."""

    @property
    def shown_number(self) -> int:
        """The number the question in front of the learner is shown with."""
        return self.position + 1

    def action_flag(self) -> None:
        """Flag the question in front of the learner, with an optional note (kept
        during an exam, shown to nobody until it is over: quiz.domain.flags)."""
        if self.attempt.over():
            return
        asked = self.session.asked[self.position]
        ask_and_flag(self, asked, self.shown_number, self.attempt.flag, self.quiz_app.clock.now)

    def action_scroll_body(self, direction: int) -> None:
        if direction < 0:
            self.body.scroll_page_up()
        else:
            self.body.scroll_page_down()
