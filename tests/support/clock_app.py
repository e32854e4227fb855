"""The quiz command line with a clock the test moves: `python -m tests.support.clock_app
CLOCK_FILE ARGS...` runs `quiz ARGS...` (quiz.cli.main) whose app reads the time from an
`OffsetClock` on CLOCK_FILE. A pty test moves the app's time by writing a number of
seconds into the file (`move_clock`); it never sleeps."""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quiz.cli import main


class OffsetClock:
    """The system's time plus the seconds in `path` (0 while the file is missing). Both
    clocks move together, so a deadline on the monotonic one and the wall-clock times
    of the records agree."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def offset(self) -> float:
        try:
            return float(self.path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return 0.0

    def monotonic(self) -> float:
        return time.monotonic() + self.offset()

    def now(self) -> datetime:
        return datetime.now(UTC) + timedelta(seconds=self.offset())


def move_clock(path: Path, seconds: float) -> None:
    """Set the clocks of the apps reading `path` `seconds` away from the system's (at
    once: written beside it, then renamed)."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(repr(float(seconds)), encoding="utf-8")
    os.replace(temporary, path)


if __name__ == "__main__":
    sys.exit(main(sys.argv[2:], clock=OffsetClock(Path(sys.argv[1]))))
