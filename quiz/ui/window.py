"""Small windows: below the minimum size every screen shows one "make it larger" line.

The app gets the class `-too-small`; the stylesheet then hides each screen's
children except its `TooSmall` notice, which the app adds to every screen it shows
(including screens built elsewhere, like the source reader). Screens also turn
their keys off meanwhile (see `QuizScreen.check_action`).
"""

from __future__ import annotations

from typing import Any

from textual import events
from textual.app import App
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 50
MIN_HEIGHT = 14


class TooSmall(Static):
    """Shown instead of a screen's content while the window is below the minimum size."""

    def render(self) -> str:
        width, height = self.app.size
        return (
            f"Make the window larger: the quiz needs at least {MIN_WIDTH}×{MIN_HEIGHT} "
            f"characters (now {width}×{height})."
        )


class WindowSizeMixin(App[None]):
    """Adds the notice to each screen and follows the window's size."""

    def watch_window_size(self) -> None:
        """Call once, when the app is mounted."""
        self.screen_change_signal.subscribe(self, self._add_too_small_notice)
        self._add_too_small_notice(self.screen)
        self._check_size()

    def on_resize(self, event: events.Resize) -> None:
        # App.size follows a moment later: use the event's.
        self._check_size(event.size)

    def _check_size(self, size: Size | None = None) -> None:
        width, height = size or self.size
        self.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, "-too-small")
        for notice in self.query(TooSmall):
            notice.refresh()

    def _add_too_small_notice(self, screen: Screen[Any]) -> None:
        if not screen.query_children(TooSmall):
            screen.mount(TooSmall(markup=False))
