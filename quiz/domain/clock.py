"""Where the time comes from: an injected clock, so tests move it instead of sleeping.

A deadline is a point on the monotonic clock, never a count of ticks; wall-clock times
(timezone-aware UTC) are only for records.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol


class Clock(Protocol):
    """Where a session reads the time."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for deadlines and durations)."""
        ...

    def now(self) -> datetime:
        """The wall-clock time, timezone-aware UTC (for records)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)
