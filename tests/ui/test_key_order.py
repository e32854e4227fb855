"""KeyOrder on a busy machine: keys held by a `hold` go to the dialog its work opened.

Found with the pty test of a PIN typed after Enter
(tests/ui/test_pins_pty.py), run while the machine was loaded: the check for a lost key
(every STUCK_CHECK_SECONDS) came between the hold's release and the refresh that mounts
and focuses the PIN dialog, and handed the first held key to the dialog before its
field had the focus: the first digit was lost and the dialog got "580".

Here the check runs on every turn of the event loop (as it can on a loaded machine),
and the work opens its dialog the moment it releases the hold.
"""

from __future__ import annotations

from typing import Any

import pytest
from textual import events, on
from textual.app import App, ComposeResult
from textual.screen import ModalScreen
from textual.widgets import Input

from quiz.ui import keys
from quiz.ui.keys import KeyDone, KeyOrder
from tests.support.waiting import wait_for


class NameField(Input):
    """Enter asks the app straight away, as the home screen's requests do (a message
    would reach the app after the key's marker, too late to hold the keys behind it)."""

    async def action_submit(self) -> None:
        app = self.app
        assert isinstance(app, HoldingApp)
        app.look_up()


class PinDialog(ModalScreen[None]):
    """Focuses its field as it mounts, as the app's PIN dialogs do."""

    def compose(self) -> ComposeResult:
        yield Input(id="pin")


class HoldingApp(App[None]):
    """Routes keys through KeyOrder as QuizApp does; Enter in the name field does some
    work (answered a little later, as the store thread's answer is) under a `hold`, and
    the work opens the PIN dialog."""

    def __init__(self) -> None:
        super().__init__()
        self.key_order = KeyOrder(self, self._dispatch_key)

    def compose(self) -> ComposeResult:
        yield NameField(id="name")

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.key_order.key_arrived(event)
        else:
            await super().on_event(event)

    async def _dispatch_key(self, event: events.Key) -> None:
        await super().on_event(event)

    @on(KeyDone)
    def _key_done(self, message: KeyDone) -> None:
        self.key_order.key_done(message)

    def look_up(self) -> None:
        release = self.key_order.hold()

        def found() -> None:
            self.push_screen(PinDialog())
            release()

        self.set_timer(0.05, found)


def burst(app: App[Any], text: str) -> None:
    """Post every key at once, as the driver does with one read from the terminal."""
    for char in text:
        key = "enter" if char == "\r" else char
        app.post_message(events.Key(key, char if char != "\r" else "\r"))


@pytest.mark.parametrize("run", range(5))
async def test_keys_held_for_a_lookup_reach_the_dialog_it_opens(
    monkeypatch: pytest.MonkeyPatch, run: int
) -> None:
    monkeypatch.setattr(keys, "STUCK_CHECK_SECONDS", 0.001)
    app = HoldingApp()
    async with app.run_test() as pilot:
        await wait_for(pilot, lambda: app.focused is not None, what="the name field focused")
        burst(app, "Ann\r2580")
        await wait_for(
            pilot,
            lambda: (
                isinstance(app.screen, PinDialog)
                and app.screen.query_one("#pin", Input).value == "2580"
            ),
            what='the PIN dialog holding "2580"',
        )
        assert app.screen_stack[0].query_one("#name", Input).value == "Ann"
        assert app.key_order.held == 0
