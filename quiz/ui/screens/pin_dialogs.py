"""The PIN dialogs: a learner's PIN, a manager's name and PIN, and a new PIN.

Each PIN field is masked (`password=True`). A PIN is checked on the store thread (the
check counts a wrong one, and says how long to wait after too many: quiz.domain.
identity); meanwhile the dialog stays open and takes no second Enter. Enter and Esc are
the screen's (TextField leaves Enter to it), so in a burst of keys each acts in turn.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, cast

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.widgets import Footer, Input, Static

from quiz.ui.literal import literal
from quiz.ui.screens.base import QuizDialog
from quiz.ui.screens.dialogs import DIALOG_CSS
from quiz.ui.widgets.fields import TextField

if TYPE_CHECKING:
    from quiz.domain.identity import PinCheck
    from quiz.ui.app import QuizApp

PinChecker = Callable[[str, str], "PinCheck"]
"""Checks (name, PIN) on the store thread; the dialog calls it from a worker."""
PinSetter = Callable[[str], None]
"""Keeps a new PIN (on the store thread)."""


class _PinDialog(QuizDialog[bool]):
    """What the PIN dialogs share: a problem line, a masked PIN field, Enter and Esc."""

    CSS_PATH = DIALOG_CSS
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", key_display="Esc"),
        Binding("enter", "done", "OK", key_display="Enter"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="dialog-screen")
        self.busy = False
        """A PIN is being checked or kept: a second Enter waits for the answer."""
        self._enter_waiting = False
        """Enter was pressed while busy: it acts once the answer is back (in order)."""
        self._escape_waiting = False
        """Esc was pressed while busy: the dialog closes once the answer is back, if it
        is still open (a right PIN has then closed it, and started what it guarded)."""

    def say(self, problem: str) -> None:
        self.query_one("#pin-problem", Static).update(literal(problem))

    def action_cancel(self) -> None:
        if self.busy:
            self._escape_waiting = True
            return
        self.dismiss(False)

    def run_on_store(self, work: Callable[[], object], done: Callable[[object], None]) -> None:
        """Run `work` on the store thread (from a worker), then `done(result)` here."""
        app = self.app
        thread = cast("QuizApp", app).store_thread
        self.busy = True

        def run() -> None:
            try:
                result: object = thread.call(work)
            except Exception as error:  # the store's errors say what to do
                result = error
            app.call_from_thread(self._came_back, done, result)

        self.run_worker(run, thread=True, group="pin")

    def _came_back(self, done: Callable[[object], None], result: object) -> None:
        self.busy = False
        if not self.is_attached:
            return
        if isinstance(result, Exception):
            message = getattr(result, "message", None) or str(result)
            self.say(f"The PIN could not be checked: {message}")
        else:
            done(result)
        still_open = self.is_attached and self.app.screen is self
        if self._escape_waiting and not self._enter_waiting:
            self._escape_waiting = False
            if still_open:
                self.dismiss(False)
        elif self._enter_waiting and still_open:
            self._enter_waiting = False
            self.action_done()

    def action_done(self) -> None:
        if self.busy:
            self._enter_waiting = True
            return
        self.submit()

    def submit(self) -> None:
        """What Enter does when nothing is being checked."""
        raise NotImplementedError


class LearnerPinDialog(_PinDialog):
    """Asks for the learner's own PIN. Dismisses True once it is right."""

    def __init__(self, learner: str, purpose: str, check: PinChecker) -> None:
        super().__init__()
        self.learner = learner
        self.purpose = purpose
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(f"PIN for {self.learner}"), classes="dialog-title", markup=False)
            yield Static(
                literal(f"Type your PIN to {self.purpose}, then press Enter."),
                classes="dialog-detail",
                markup=False,
            )
            yield TextField(placeholder="PIN", password=True, id="pin", max_length=12)
            yield Static("", id="pin-problem", classes="problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    def submit(self) -> None:
        field = self.query_one("#pin", Input)
        pin = field.value
        if not pin.strip():
            self.say("Type your PIN first.")
            return
        field.value = ""
        learner, check = self.learner, self._check
        self.run_on_store(lambda: check(learner, pin), self._checked)

    def _checked(self, result: object) -> None:
        from quiz.domain.identity import PinCheck

        assert isinstance(result, PinCheck)
        if result.ok:
            self.dismiss(True)
            return
        self.say(result.message("PIN"))
        self.query_one("#pin", Input).focus()


class ManagerPinDialog(_PinDialog):
    """Asks for a manager's name and PIN. Dismisses True once they are right."""

    def __init__(self, title: str, detail: str, check: PinChecker) -> None:
        super().__init__()
        self.title_text = title
        self.detail = detail
        self._check = check

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(literal(self.title_text), classes="dialog-title", markup=False)
            yield Static(literal(self.detail), classes="dialog-detail", markup=False)
            yield TextField(placeholder="Manager's name", id="manager", max_length=100)
            yield TextField(placeholder="Manager's PIN", password=True, id="pin", max_length=12)
            yield Static("", id="pin-problem", classes="problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#manager", Input).focus()

    def submit(self) -> None:
        name_field, pin_field = self.query_one("#manager", Input), self.query_one("#pin", Input)
        name, pin = name_field.value.strip(), pin_field.value
        if not name:
            self.say("Type the manager's name first.")
            name_field.focus()
            return
        if not pin.strip():
            if self.focused is name_field:
                pin_field.focus()  # Enter after the name: on to the PIN
            else:
                self.say("Type the manager's PIN.")
            return
        pin_field.value = ""
        check = self._check
        self.run_on_store(lambda: check(name, pin), self._checked)

    def _checked(self, result: object) -> None:
        from quiz.domain.identity import PinCheck

        assert isinstance(result, PinCheck)
        if result.ok:
            self.dismiss(True)
            return
        self.say(result.message("manager name or PIN"))
        self.query_one("#pin", Input).focus()


class NewPinDialog(_PinDialog):
    """Offers a learner without a PIN to set one (typed twice). Dismisses True when it
    is kept, False when skipped (Esc)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Not now", key_display="Esc"),
        Binding("enter", "done", "Set PIN", key_display="Enter"),
    ]

    def __init__(self, learner: str, keep: PinSetter) -> None:
        super().__init__()
        self.learner = learner
        self._keep = keep

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(
                literal(f"Protect {self.learner} with a PIN?"), classes="dialog-title", markup=False
            )
            yield Static(
                "With a PIN, nobody can start a quiz or see your scores under your name "
                "without it. Type 4 to 12 digits twice, or press Esc to go on without one.",
                classes="dialog-detail",
                markup=False,
            )
            yield TextField(placeholder="New PIN", password=True, id="pin", max_length=12)
            yield TextField(
                placeholder="The same PIN again", password=True, id="again", max_length=12
            )
            yield Static("", id="pin-problem", classes="problem", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#pin", Input).focus()

    def submit(self) -> None:
        from quiz.domain.identity import PinRefused, check_new_pin

        first, again = self.query_one("#pin", Input), self.query_one("#again", Input)
        if self.focused is first and not again.value:
            again.focus()  # Enter after the first PIN: on to the second
            return
        try:
            pin = check_new_pin(first.value, again.value)
        except PinRefused as error:
            self.say(str(error))
            first.value = again.value = ""
            first.focus()
            return
        keep = self._keep
        self.run_on_store(lambda: keep(pin), self._kept)

    def _kept(self, _result: object) -> None:
        self.dismiss(True)
