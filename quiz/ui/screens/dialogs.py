"""Small dialogs: confirm something, ask for the learner's name, offer a paused exam."""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Static

from quiz.settings import clean_name
from quiz.ui.literal import literal
from quiz.ui.screens.base import QuizDialog
from quiz.ui.widgets.countdown import Countdown
from quiz.ui.widgets.fields import TextField

DIALOG_CSS = "dialogs.tcss"
"""The dialogs' stylesheet (each dialog's CSS_PATH)."""


class ConfirmDialog(QuizDialog[bool]):
    """A yes/no question. Dismisses with True for yes."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n", "answer(False)", "No"),
        Binding("escape", "answer(False)", "No", key_display="Esc", show=False),
        Binding("left,right", "app.focus_next", "Switch", show=False),
    ]

    def __init__(self, title: str, detail: str, *, yes: str = "Yes", no: str = "No") -> None:
        super().__init__(classes="dialog-screen")
        self.title_text = title
        self.detail = detail
        self.yes = yes
        self.no = no

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="dialog-title", markup=False)
            yield Static(literal(self.detail), classes="dialog-detail", markup=False)
            with Horizontal(classes="dialog-buttons"):
                yield Button(literal(f"{self.yes} (y)"), id="yes", variant="primary", compact=True)
                yield Button(literal(f"{self.no} (n)"), id="no", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)


class NameDialog(QuizDialog[str | None]):
    """Asks who is taking the quiz. Dismisses with the name, or None if cancelled."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", key_display="Esc"),
        Binding("enter", "done", "Start", show=True, key_display="Enter"),
    ]

    def __init__(self, remembered: str | None = None) -> None:
        super().__init__(classes="dialog-screen")
        self.remembered = remembered or ""

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Who is taking this quiz?", classes="dialog-title", markup=False)
            yield Static(
                "Type your name and press Enter. Your scores are kept under this name.",
                classes="dialog-detail",
                markup=False,
            )
            yield TextField(self.remembered, placeholder="Your name", id="name", max_length=100)
            yield Static("", id="name-problem", classes="problem", markup=False)
        yield Footer()

    def action_done(self) -> None:
        name = clean_name(self.query_one("#name", Input).value)
        if not name:
            self.query_one("#name-problem", Static).update("Type a name first.")
            return
        self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)


ExamChoice = Literal["resume", "give_up"]
"""What the learner chose for a paused exam; None (Esc): not now."""


class ExamWaitingDialog(QuizDialog[ExamChoice | None]):
    """A paused exam, offered before anything else can be started (quiz.domain.pausing):
    resume it, give it up, or not now. The time left counts down: the exam's clock runs
    on while it waits."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "choose('resume')", "Resume"),
        Binding("g", "choose('give_up')", "Give up"),
        Binding("escape", "not_now", "Not now", key_display="Esc"),
        Binding("left,right", "app.focus_next", "Switch", show=False),
    ]

    def __init__(
        self, title: str, answered: int, total: int, remaining: Callable[[], float | None]
    ) -> None:
        super().__init__(classes="dialog-screen")
        self.exam_title = title
        self.answered = answered
        self.total = total
        self._remaining = remaining

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static("Your exam is waiting", classes="dialog-title", markup=False)
            yield Static(
                literal(
                    f"{self.exam_title}: {self.answered} of {self.total} questions answered. "
                    "Its clock kept running while you were away."
                ),
                classes="dialog-detail",
                markup=False,
            )
            yield Countdown(self._remaining, id="waiting-countdown")
            yield Static(
                "Resume it now, or give it up (it is recorded as abandoned). Nothing else "
                "can be started until you choose.",
                classes="dialog-detail",
                markup=False,
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Resume (r)", id="resume", variant="primary", compact=True)
                yield Button("Give up (g)", id="give_up", compact=True)
                yield Button("Not now (Esc)", id="not-now", compact=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#resume", Button).focus()

    @on(Button.Pressed)
    def pressed(self, event: Button.Pressed) -> None:
        if event.button.id == "resume":
            self.dismiss("resume")
        elif event.button.id == "give_up":
            self.dismiss("give_up")
        else:
            self.dismiss(None)

    def action_choose(self, choice: ExamChoice) -> None:
        self.dismiss(choice)

    def action_not_now(self) -> None:
        self.dismiss(None)
