"""Flagging the question in front of the learner: ctrl+f, an optional one-line note, saved.

The key is ctrl+f on every screen that shows a question (practice, drill, exam,
review): a control key, so it works with the focus in a typed answer's field too
(a letter would be typed into it; Textual's `Input` binds no ctrl+f, and the footer
offers it there for that reason). The dialog's field is a `TextField`, so Enter is the
dialog's and keys typed in a burst (ctrl+f, the note, Enter) land in order
(quiz.ui.keys). The flag goes to the store on its thread, after the attempt's answers
(quiz.storage.flags keeps it; quiz.domain.flags says who may see it), and the
learner is told once it is saved. A flag never changes a score.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import Future
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from quiz.domain.flags import NOTE_MAX_LENGTH, FlagRecord, clean_note
from quiz.ui.literal import literal
from quiz.ui.saving import error_message
from quiz.ui.screens.base import QuizDialog
from quiz.ui.screens.dialogs import DIALOG_CSS
from quiz.ui.widgets.fields import TextField

if TYPE_CHECKING:
    from datetime import datetime

    from textual.app import App
    from textual.screen import Screen

    from quiz.domain.records import AskedQuestion
    from quiz.ui.saving import ScoreStoreLike, StoreThread

FLAG_ACTION = "flag"
FLAG_BINDING = Binding("ctrl+f", FLAG_ACTION, "Flag", key_display="^f")
"""The key that flags the question shown (each asking screen's BINDINGS has it)."""

FlagSaver = Callable[[FlagRecord], "Future[str | None]"]
"""Saves a flag on the store's thread; the future gives an error message or None."""

SAVED = "Flag saved. Thank you: the course's authors will look at it."


class FlagDialog(QuizDialog[str | None]):
    """Asks for an optional note on the flagged question. Dismisses with the note
    (`clean_note`, may be empty), or None if cancelled."""

    CSS_PATH = f"screens/{DIALOG_CSS}"  # relative to this module, as Textual reads it
    BINDINGS: ClassVar[list[BindingType]] = [
        # A priority binding: the note field's own Enter (which steps aside) would keep
        # it out of the footer.
        Binding("enter", "save", "Save flag", priority=True),
        Binding("escape", "cancel", "Cancel", key_display="Esc"),
    ]

    def __init__(self, question_number: int, prompt: str) -> None:
        super().__init__(classes="dialog-screen")
        self.question_number = question_number
        self.prompt = prompt

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                f"Flag question {self.question_number}", classes="dialog-title", markup=False
            )
            yield Static(literal(self.prompt), classes="dialog-detail", markup=False)
            yield Static(
                "Does something look wrong? Say what in a line, or leave it empty, and "
                "press Enter. The course's authors will see it; your score does not change.",
                classes="dialog-detail",
                markup=False,
            )
            yield TextField(
                placeholder="What looks wrong (optional)",
                id="flag-note",
                max_length=NOTE_MAX_LENGTH,
            )
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#flag-note", Input).focus()

    def action_save(self) -> None:
        self.dismiss(clean_note(self.query_one("#flag-note", Input).value))

    def action_cancel(self) -> None:
        self.dismiss(None)


def ask_and_flag(
    screen: Screen[None],
    asked: AskedQuestion,
    number: int,
    save: FlagSaver,
    now: Callable[[], datetime],
) -> None:
    """Open the flag dialog over `screen` for `asked` (question `number` as shown); on
    Enter, save the flag through `save` and tell the learner once it is saved."""
    app = screen.app

    def noted(note: str | None) -> None:
        if note is None:
            return  # cancelled: nothing kept
        saving = save(FlagRecord(asked.question_id, asked.position, note, now()))
        # The app's worker, not the screen's: a flag raised on the last question is
        # still saved (and said) once the screen has gone.
        app.run_worker(_tell(app, saving), group="flags")

    app.push_screen(FlagDialog(number, asked.prompt), noted)


async def _tell(app: App[object], saving: Future[str | None]) -> None:
    """Say whether the flag was saved, once the store thread has written it."""
    try:
        problem = await asyncio.wrap_future(saving)
    except Exception as error:  # the store thread's failure, as a message
        problem = error_message(error)
    if problem is None:
        app.notify(SAVED, markup=False)
    else:
        app.notify(f"The flag was not saved ({problem}).", severity="warning", markup=False)


def saved_attempt_flagger(thread: StoreThread, store: ScoreStoreLike, attempt_id: str) -> FlagSaver:
    """Saves flags on an attempt already in the store (a review from the scores)."""

    def write(record: FlagRecord) -> str | None:
        try:
            store.record_flag(attempt_id, record)
        except Exception as error:  # said to the learner; nothing else depends on it
            return error_message(error)
        return None

    def save(record: FlagRecord) -> Future[str | None]:
        return thread.submit(write, record)

    return save
