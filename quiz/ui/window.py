"""Small windows: below the minimum size every screen shows one "make it larger" line.

The app gets the class `-too-small`; its stylesheet (app.tcss) then hides each screen's
children except its `TooSmall` notice, which is added to every screen the app shows
(including screens built elsewhere, like the source reader). Screens also turn their
keys off meanwhile (see `QuizScreen.check_action`).
"""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.geometry import Size
from textual.screen import Screen
from textual.widgets import Static

MIN_WIDTH = 50
MIN_HEIGHT = 14
TOO_SMALL = "-too-small"
"""The app's class while the window is below the minimum size."""


class TooSmall(Static):
    """Shown instead of a screen's content while the window is below the minimum size."""

    DEFAULT_CSS = """
    TooSmall {
        display: none;
        width: 1fr;
        height: 1fr;
        padding: 0 1;
        text-style: bold;
    }
    """

    def render(self) -> str:
        width, height = self.app.size
        return (
            f"Make the window larger: the quiz needs at least {MIN_WIDTH}×{MIN_HEIGHT} "
            f"characters (now {width}×{height})."
        )


def follow_window_size(app: App[Any]) -> None:
    """Give every screen the notice, now and as screens come (call once, on mount)."""
    app.screen_change_signal.subscribe(app, _add_notice)
    _add_notice(app.screen)
    window_resized(app, app.size)


def window_resized(app: App[Any], size: Size) -> None:
    """Show or hide the notice for a window of `size` (App.size follows a moment
    after a Resize event: give the event's)."""
    width, height = size
    app.set_class(width < MIN_WIDTH or height < MIN_HEIGHT, TOO_SMALL)
    for notice in app.query(TooSmall):
        notice.refresh()


def _add_notice(screen: Screen[Any]) -> None:
    if not screen.query_children(TooSmall):
        screen.mount(TooSmall(markup=False))
