"""Waiting for the state a test asserts, never for a fixed pause or number of pauses."""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic
from typing import Any, TypeVar

from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

WAIT_SECONDS = 10.0
"""How long `wait_for` lets the app run before the test fails. Far longer than any wait
takes on a loaded machine, so reaching it means the state never came."""


async def wait_for(
    pilot: Pilot[Any],
    predicate: Callable[[], object],
    *,
    what: str,
    timeout: float = WAIT_SECONDS,
) -> None:
    """Let the app run, a `pilot.pause()` at a time, until `predicate()` is true.

    Fails naming `what` if it is still false after `timeout` seconds. A test waits for the
    state it asserts, not for a number of pauses: on a busy machine one pause can end
    before layout, a scroll placed after layout, or a worker's result has come through.
    """
    deadline = monotonic() + timeout
    pauses = 0
    while not predicate():
        if monotonic() >= deadline:
            raise AssertionError(f"gave up waiting for {what} ({pauses} pauses, {timeout:g}s)")
        await pilot.pause()
        pauses += 1


ScreenT = TypeVar("ScreenT", bound=Screen[Any])


def ready(app: App[Any], screen_type: type[Screen[Any]]) -> bool:
    """Is the app showing a `screen_type` screen, mounted and laid out (so keys reach it)?"""
    screen = app.screen
    return isinstance(screen, screen_type) and screen.is_mounted and screen.region.area > 0


async def shown(pilot: Pilot[Any], screen_type: type[ScreenT]) -> ScreenT:
    """Wait until the app shows a `screen_type` screen, ready for keys; return it."""
    app = pilot.app
    await wait_for(pilot, lambda: ready(app, screen_type), what=f"a {screen_type.__name__} shown")
    screen = app.screen
    assert isinstance(screen, screen_type)
    return screen


def laid_out(widget: Widget) -> bool:
    """Has the widget been given a place on the screen yet? (Regions are empty before.)"""
    return widget.region.area > 0
