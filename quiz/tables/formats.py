"""Words and numbers as people read them: one home for each, used by every output."""

from __future__ import annotations

from datetime import date, datetime, timedelta

NO_VALUE = "—"
"""Shown where a number cannot be given (no percent yet, no discrimination index)."""

STATUS_WORDS = {
    "in_progress": "in progress",
    "paused": "paused",
    "completed": "completed",
    "timed_out": "timed out",
    "abandoned": "abandoned",
}


def status_words(status: object) -> str:
    """An attempt's status as words ("timed out")."""
    code = str(status)
    return STATUS_WORDS.get(code, code)


def percent_text(value: float | None) -> str:
    """A percentage as tables show it: whole numbers ("75%"), NO_VALUE for none."""
    return NO_VALUE if value is None else f"{value:.0f}%"


def index_text(value: float | None) -> str:
    """An index (-100..100) as tables show it: a whole number, NO_VALUE for none. A
    value that rounds to zero shows "0", never "-0"."""
    return NO_VALUE if value is None else str(round(value))


def rounded(value: float | None) -> float | None:
    """A percentage or index as CSV and JSON carry it (one decimal)."""
    return None if value is None else round(value, 1)


def percent_of(count: int, total: int) -> float:
    return 100.0 * count / total if total else 0.0


def verdict_word(passed: bool | None, *, none: str = "no verdict") -> str:
    """ "passed" or "failed"; `none` where there is no verdict (practice, unfinished)."""
    return none if passed is None else ("passed" if passed else "failed")


def local_minute(moment: datetime) -> str:
    """A time in this computer's timezone, to the minute: "2026-11-23 10:00"."""
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def due_when(due_at: datetime, now: datetime) -> str:
    """When a drill question falls due, in words and this computer's time: "now",
    "today at 14:05", "tomorrow at 09:00", "on Thu 3 Dec at 09:00"."""
    if due_at <= now:
        return "now"
    local, today = due_at.astimezone(), now.astimezone().date()
    days = (local.date() - today).days
    if days == 0:
        return f"today at {local:%H:%M}"
    if days == 1:
        return f"tomorrow at {local:%H:%M}"
    return f"on {local:%a} {local.day} {local:%b} at {local:%H:%M}"


def due_in(due_at: datetime, now: datetime) -> str:
    """When a drill question falls due, in a table cell's few words: "now" when it is
    due already, "in 20m" or "in 5h" within a day, else the local date ("2026-12-05").
    (`due_when` says the same in a sentence's words.)"""
    wait = due_at - now
    if wait <= timedelta(0):
        return "now"
    if wait < timedelta(hours=1):
        return f"in {max(1, int(wait.total_seconds() // 60))}m"
    if wait < timedelta(days=1):
        return f"in {int(wait.total_seconds() // 3600)}h"
    return local_day(due_at)


def local_day(moment: datetime) -> str:
    """A date in this computer's timezone: "2026-11-23"."""
    return f"{moment.astimezone():%Y-%m-%d}"


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def day_text(day: date) -> str:
    """A date as a person reads it, whatever the locale: "3 Mar 2027"."""
    return f"{day.day} {_MONTHS[day.month - 1]} {day.year}"


def utc_text(moment: datetime) -> str:
    """A time as CSV and JSON carry it: UTC, ISO 8601 with a Z."""
    from quiz.storage.codec import format_utc  # hashlib and json: only when a time is written

    return format_utc(moment)
