"""Waiting for the state a test asserts, never for a fixed pause."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.pilot import Pilot

MAX_ROUNDS = 400
"""Rounds of `pilot.pause()` (each lets every pending message run) before giving up."""


async def wait_until(pilot: Pilot[Any], condition: Callable[[], object], what: str) -> None:
    """Let the app run until `condition()` holds; fail naming `what` if it never does."""
    for _ in range(MAX_ROUNDS):
        if condition():
            return
        await pilot.pause()
    raise AssertionError(f"gave up waiting for {what}")
