"""The time left in an attempt. The interval only redraws: the time comes from the deadline."""

from __future__ import annotations

import math
from collections.abc import Callable

from textual.widgets import Static

from quiz.domain.durations import format_duration

LOW_SECONDS = 60
"""Below this, the countdown says "hurry" in words as well as colour."""


class Countdown(Static):
    """Shows `Time left m:ss`, read from `remaining()` on each tick. It only shows the
    time: the attempt's runner notices the deadline (quiz.ui.attempt)."""

    DEFAULT_CSS = """
    Countdown {
        width: auto;
        height: 1;
        padding: 0 0 0 2;
        text-style: bold;
    }

    Countdown.-low {
        color: $text-warning;
    }
    """

    def __init__(
        self,
        remaining: Callable[[], float | None],
        *,
        interval: float = 0.25,
        id: str | None = None,
    ) -> None:
        super().__init__("", markup=False, id=id)
        self._remaining = remaining
        self._interval = interval
        self._shown = ""

    def on_mount(self) -> None:
        self.tick()
        self.set_interval(self._interval, self.tick)

    def tick(self) -> None:
        """Redraw if the shown time changed."""
        left = self._remaining()
        if left is None:
            text = "No time limit"
        else:
            whole = math.ceil(left)
            text = f"Time left {format_duration(whole)}"
            if 0 < whole <= LOW_SECONDS:
                text += " (under a minute)"
            elif whole <= 0:
                text = "Time is up"
        if text != self._shown:
            self._shown = text
            self.update(text)
            self.set_class(left is not None and left <= LOW_SECONDS, "-low")
