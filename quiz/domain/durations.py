"""Durations as people write them: `90s`, `15m`, `1h` (and combinations like `1h30m`)."""

from __future__ import annotations

import re

_PART = re.compile(r"(\d+)([hms])")
_WHOLE = re.compile(r"(?:\d+[hms])+")
_FACTOR = {"h": 3600, "m": 60, "s": 1}
MAX_SECONDS = 24 * 3600


class DurationError(ValueError):
    pass


def parse_duration(text: str) -> int:
    """Seconds in `text`, e.g. '90s' -> 90, '15m' -> 900, '1h' -> 3600, '1h30m' -> 5400.

    Raises DurationError with a message saying what is accepted.
    """
    cleaned = text.strip().lower().replace(" ", "")
    if not _WHOLE.fullmatch(cleaned):
        raise DurationError(
            f"{text!r} is not a duration: write a number followed by s, m or h, "
            "such as 90s, 15m or 1h"
        )
    seconds = sum(int(n) * _FACTOR[unit] for n, unit in _PART.findall(cleaned))
    if seconds <= 0:
        raise DurationError(f"{text!r} is zero: give a time limit of at least 1s")
    if seconds > MAX_SECONDS:
        raise DurationError(f"{text!r} is longer than 24h: give a shorter time limit")
    return seconds


def format_duration(seconds: float) -> str:
    """`seconds` as m:ss, or h:mm:ss from an hour up."""
    whole = max(0, int(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    if hours:
        return f"{hours}:{minutes:02d}:{secs:02d}"
    return f"{minutes}:{secs:02d}"
