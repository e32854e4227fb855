"""Durations as people write them: `90s`, `15m`, `1h` (and combinations like `1h30m`).

Time limits (`parse_duration`) go up to 24h; spans of calendar time (`parse_span`, such
as `quiz due --within 7d`) take days and weeks too, and steps (`parse_step`) may be 0.
"""

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


_SPAN_PART = re.compile(r"(\d+)([wdhms])")
_SPAN_WHOLE = re.compile(r"(?:\d+[wdhms])+")
_SPAN_FACTOR = {"w": 7 * 86400, "d": 86400, "h": 3600, "m": 60, "s": 1}
MAX_SPAN_SECONDS = 100 * 365 * 86400


def parse_span(text: str, *, zero: bool = False) -> int:
    """Seconds in `text`, with weeks and days as well: '7d' -> 604800, '2w', '1d12h',
    '90m'. `zero`: '0' (or '0s') is allowed. Raises DurationError saying what is
    accepted."""
    cleaned = text.strip().lower().replace(" ", "")
    if zero and cleaned == "0":
        return 0
    if not _SPAN_WHOLE.fullmatch(cleaned):
        raise DurationError(
            f"{text!r} is not a duration: write a number followed by w, d, h, m or s, "
            "such as 7d, 12h or 1d12h"
        )
    seconds = sum(int(n) * _SPAN_FACTOR[unit] for n, unit in _SPAN_PART.findall(cleaned))
    if seconds <= 0 and not zero:
        raise DurationError(f"{text!r} is zero: give at least 1s")
    if seconds > MAX_SPAN_SECONDS:
        raise DurationError(f"{text!r} is longer than 100 years: give a shorter one")
    return seconds


def span_text(seconds: int) -> str:
    """Seconds as parse_span reads them: 604800 -> '7d', 90 -> '1m30s', 0 -> '0s'."""
    if seconds <= 0:
        return "0s"
    parts = []
    for unit in ("d", "h", "m", "s"):
        count, seconds = divmod(seconds, _SPAN_FACTOR[unit])
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
