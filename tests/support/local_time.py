"""The computer's local timezone, set for a while: months, `--since` dates and the times
the app shows are local, so a test that checks them says which zone it means."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def local_timezone(zone: str) -> Iterator[str]:
    """Local time is `zone` (a tz database name such as "UTC") until the block ends."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = zone
    time.tzset()
    try:
        yield zone
    finally:
        if before is None:
            del os.environ["TZ"]
        else:
            os.environ["TZ"] = before
        time.tzset()
