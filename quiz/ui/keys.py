"""Keys take effect in the order they arrive, one at a time.

Textual hands a key to the focused widget's message queue and goes straight on to the
next key; the key then bubbles up through other queues before a binding acts on it.
When a letter and Enter arrive in one burst (fast typing, a paste, an SSH link) the
second key can be handed out before the first has done its work: before the pick is
recorded, or before Enter has moved the focus to the next question's text field.

`KeyOrder` holds every key that arrives while an earlier one is still travelling. A
marker message follows each key along the same path (the focused widget, then its
ancestors up to the app); when the marker reaches the app, everything the key did
has run, and the next key is released after the callbacks the key scheduled (such as
moving the focus). Keys that arrive one by one are never held, so typing costs nothing.

A key's work may go on after its marker: a lookup on the store thread before a dialog
opens (is there a paused exam, has this name a PIN?). Such work holds the keys that
follow (`hold`) until it is done and what it opened is on the screen, so the PIN typed
after Enter goes into the PIN dialog, not into the screen under it.
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from textual import events
from textual.message import Message

if TYPE_CHECKING:
    from collections.abc import Awaitable, Callable

    from textual.app import App
    from textual.dom import DOMNode
    from textual.timer import Timer

HOLD_LIMIT_SECONDS = 10.0
"""The longest a `hold` keeps keys back, should its work never say it is done (a store
that hangs): the keys then go on to whatever is on the screen."""
RESUME_WAITS = 30
"""After a `hold`, how many screen refreshes the held keys wait for the screen on top to
take its focus (a dialog focuses its field as it mounts)."""
STUCK_CHECK_SECONDS = 0.25
"""While keys are held, how often to check that the travelling key's path still exists:
a marker is lost when a widget on its way is removed (as when a dialog closes)."""


class KeyDone(Message):
    """Follows a key up the DOM: when the app gets it, the key has done its work."""

    def __init__(self, serial: int) -> None:
        super().__init__()
        self.serial = serial


class KeyOrder:
    """Hands the app's keys out one at a time (see the module docstring)."""

    def __init__(self, app: App[Any], dispatch: Callable[[events.Key], Awaitable[None]]):
        self._app = app
        self._dispatch = dispatch
        self._held: deque[events.Key] = deque()
        self._travelling: int | None = None  # the serial of the key on its way, if any
        self._serial = 0
        self._path: tuple[DOMNode, ...] = ()  # where the travelling key's marker goes
        self._stuck_timer: Timer | None = None
        self._holds: set[int] = set()  # the work that holds the keys back (`hold`)
        self._resume_waits = 0  # refreshes waited for a new screen's focus (`_resume`)
        self._resume_pending = False  # a `_resume` is due after the next refresh
        self._hold_serial = 0

    @property
    def held(self) -> int:
        """How many keys are waiting (for tests)."""
        return len(self._held)

    def hold(self) -> Callable[[], None]:
        """Hold the keys that arrive from now on until the returned function is called
        (once the work is done; calling it again does nothing): they are then handed
        out in order, after the screen has refreshed, so a dialog the work opened has its
        focus. At most HOLD_LIMIT_SECONDS."""
        self._hold_serial += 1
        serial = self._hold_serial
        self._holds.add(serial)

        def release() -> None:
            if serial in self._holds:
                self._holds.discard(serial)
                limit.stop()
                self._resume_after_refresh()

        limit = self._app.set_timer(HOLD_LIMIT_SECONDS, release)
        return release

    def _resume_after_refresh(self) -> None:
        if not self._resume_pending:
            self._resume_pending = True
            self._app.call_after_refresh(self._resume)

    async def _resume(self) -> None:
        self._resume_pending = False
        if self._travelling is not None or self._holds:
            return
        # A screen the work opened takes its focus as it mounts: the held keys go to it
        # once it has (or once it has nothing to focus).
        screen = self._app.screen
        settling = not screen.is_mounted or (screen.focused is None and screen.focus_chain)
        if settling and self._resume_waits < RESUME_WAITS:
            self._resume_waits += 1
            self._resume_after_refresh()
            return
        self._resume_waits = 0
        await self._next()

    async def key_arrived(self, event: events.Key) -> None:
        """A key from the terminal: handle it now, or after the one still travelling
        (or the work that holds keys back)."""
        if self._travelling is not None or self._holds:
            self._held.append(event)
            if self._stuck_timer is None:
                self._stuck_timer = self._app.set_interval(STUCK_CHECK_SECONDS, self._unstick)
            return
        await self._send(event)

    async def _send(self, event: events.Key) -> None:
        self._serial += 1
        serial = self._serial
        self._travelling = serial
        target = self._app.focused or self._app.screen
        self._path = tuple(target.ancestors_with_self)
        await self._dispatch(event)
        if not target.post_message(KeyDone(serial)):
            self._travelling = None  # the target is closing: nothing more will happen

    def key_done(self, message: KeyDone) -> None:
        """The marker reached the app: release the next key once pending callbacks ran."""
        message.stop()
        if message.serial == self._travelling:
            self._app.call_later(self._release, message.serial)

    async def _release(self, serial: int) -> None:
        if serial != self._travelling:
            return
        self._travelling = None
        await self._next()

    async def _next(self) -> None:
        if self._holds:
            return  # handed out when the work that holds them is done (`hold`)
        if self._held:
            await self._send(self._held.popleft())
        if not self._held and self._stuck_timer is not None:
            self._stuck_timer.stop()
            self._stuck_timer = None

    async def _unstick(self) -> None:
        if self._resume_pending:
            return  # the keys go out from `_resume`, once the screen has its focus
        lost = any(not node.is_attached for node in self._path if node is not self._app)
        if self._travelling is not None and not lost:
            return  # still on its way (a slow key): keep waiting
        self._travelling = None
        # Through `_resume`, which waits for the screen on top to take its focus: a lost
        # marker means a screen closed, and its successor may still be settling.
        await self._resume()
