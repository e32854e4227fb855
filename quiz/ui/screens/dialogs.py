"""Small dialogs: confirm something, or ask for the learner's name."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.widgets import Button, Footer, Input, Static

from quiz.settings import clean_name
from quiz.ui.literal import literal
from quiz.ui.screens.base import QuizDialog
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
