"""What the practice and exam screens share: the top bar with the countdown, the question,
the status line that says what to do next, choice letters, and running out of time."""

from __future__ import annotations

from typing import ClassVar

from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from quiz.domain.model import QuestionType
from quiz.domain.session import shown_choices
from quiz.ui.attempt import Attempt
from quiz.ui.screens.base import QuizScreen
from quiz.ui.widgets.countdown import Countdown
from quiz.ui.widgets.passage import literal
from quiz.ui.widgets.question import QuestionView

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
    ]

    def __init__(self, attempt: Attempt) -> None:
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
        with VerticalScroll(id="body"):
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
        """How many choices the letter keys pick from (0 for a typed answer).

        It does not change when the choices lock after feedback (a letter then does
        nothing), so the footer is redrawn only when the kind of question changes.
        """
        asked = self.session.asked[self.position]
        if asked.type == QuestionType.SHORT:
            return 0
        return len(shown_choices(asked))

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

    def focus_answer(self) -> None:
        """Focus the text field for a typed answer, otherwise the scrolling body."""
        asked = self.session.asked[self.position]
        if asked.type == QuestionType.SHORT and not self.view.text_field.disabled:
            self.view.text_field.focus()
        else:
            self.body.focus()

    def set_status(self, text: str) -> None:
        problem = self.quiz_app.saving_problem
        if problem:
            text = f"Not saved yet ({problem}); your answers are kept. {text}"
        self.query_one("#status", Static).update(literal(text))

    def saving_changed(self) -> None:
        self.refresh_status()

    def refresh_status(self) -> None:
        """Say what to do next (each screen knows)."""

    def dim_choose_key(self, dim: bool) -> None:
        """Dim (or not) the footer's "A B … Choose" key, in place.

        Recomposing the footer for it would cost more than the answer itself (and
        Textual's footer keeps every key it ever made); restyling the one key is cheap.
        `allows` must say the same, for when the footer is recomposed for other reasons.
        """
        for footer in self.query_children(Footer):
            for key in footer.query_children("FooterKey"):
                if getattr(key, "action", None) == CHOOSE_ACTION:
                    key.set_class(dim, "-disabled")

    def action_pick(self, index: int) -> None:
        if index >= self.choice_count:
            # Not a choice of this question: let the key's other binding (such as
            # `s` for the passage) have it.
            raise SkipAction()
        if self.check_time():
            return
        if self.view.choices.pick(index, announce=False):
            self.after_pick()  # recorded now, before the next key is handled

    def after_pick(self) -> None:
        """A choice was picked or toggled (each screen knows what that means)."""

    def action_scroll_body(self, direction: int) -> None:
        if direction < 0:
            self.body.scroll_page_up()
        else:
            self.body.scroll_page_down()

    def check_time(self) -> bool:
        """End the attempt if its time is up (checked on each action, not only on ticks)."""
        if self.session.is_expired() and self.attempt.active:
            self.time_up()
            return True
        return False

    def on_countdown_expired(self) -> None:
        self.check_time()

    def time_up(self) -> None:
        self.quiz_app.end_attempt()
