"""An attempt's time: its start, its deadline, the time gone, and the wall times of what
happens in it (the one home of that arithmetic; QuizSession in quiz.domain.session is a
`TimedAttempt`).

Time comes from an injected `Clock` (quiz.domain.clock): tests move it instead of
sleeping. The deadline is a point on the monotonic clock, never a count of ticks, and
wall times follow the monotonic clock from the start.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from quiz.domain.clock import Clock


class TimedAttempt:
    """The clock of one attempt: when it started, its deadline (None without a time
    limit), and the time gone since the start."""

    def __init__(
        self, clock: Clock, time_limit_seconds: int | None, started_at: datetime | None
    ) -> None:
        """An attempt started now; or, given `started_at`, the first start of a paused
        attempt taken up again (the clock ran on since: the time used, and an exam's
        time left, count from it)."""
        self.clock = clock
        self.time_limit_seconds = time_limit_seconds
        self.started_monotonic = clock.monotonic()
        self.started_at = clock.now()
        if started_at is not None:
            # The monotonic start lies as far back as the wall-clock one does.
            away = max(0.0, (self.started_at - started_at).total_seconds())
            self.started_monotonic -= away
            self.started_at = started_at
        self.deadline = self.started_monotonic + time_limit_seconds if time_limit_seconds else None

    def elapsed_seconds(self) -> float:
        return max(0.0, self.clock.monotonic() - self.started_monotonic)

    def remaining_seconds(self) -> float | None:
        """Seconds left before the deadline (never below 0); None without a time limit."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock.monotonic())

    def is_expired(self) -> bool:
        return self.deadline is not None and self.clock.monotonic() >= self.deadline

    def capped_elapsed(self) -> float:
        """The time gone since the start, never more than the limit."""
        elapsed = self.elapsed_seconds()
        if self.time_limit_seconds is not None:
            elapsed = min(elapsed, float(self.time_limit_seconds))
        return elapsed

    def wall_time(self, elapsed: float) -> datetime:
        """The wall time `elapsed` seconds after the start."""
        # Wall times follow the monotonic clock from the start, so a clock change
        # during the attempt does not make answers appear out of order.
        return self.started_at + timedelta(seconds=elapsed)

    def deadline_at(self) -> datetime | None:
        """The deadline as a wall time (for the record); None without a time limit."""
        return (
            self.started_at + timedelta(seconds=self.time_limit_seconds)
            if self.time_limit_seconds
            else None
        )
