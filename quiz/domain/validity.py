"""How long a pass stays valid: a preset's `valid_for`, and the day a pass falls due again.

A preset may set `valid_for: 12 months` (or days, weeks, years; singular or plural; a
positive whole number). A pass is valid until the same calendar day that long after the
day it finished, counted in the attempt's own UTC offset (the terminal's, as recorded
with the attempt; this computer's zone where the store does not know it), with a month
that has no such day clamped to its last day (31 Jan + 1 month = 28 or 29 Feb;
29 Feb 2028 + 1 year = 28 Feb 2029). On that day the pass has expired and the learner
is due for recertification: "valid until 3 Mar 2027" and "expired on 3 Mar 2027" name
the same day, the first one without the pass, so the certificate, the report and the
home screen all show one date.

This module is the rule's one home (the certificate's "valid until" line, the report's
recertification list and the home screen all call it). Standard library only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone

UNITS = ("days", "weeks", "months", "years")
"""The units `valid_for` takes, as stored in `Validity.unit`."""

# The most of each unit: 100 years, so no date runs past the calendar's end.
_MAXIMUM = {"days": 36_500, "weeks": 5_200, "months": 1_200, "years": 100}
_TEXT = re.compile(r"\s*(\d+)\s*([a-z]+)\s*")
_WORDS = {
    "day": "days",
    "days": "days",
    "week": "weeks",
    "weeks": "weeks",
    "month": "months",
    "months": "months",
    "year": "years",
    "years": "years",
}


class ValidityError(ValueError):
    """A `valid_for` that cannot be read; the message says what is accepted."""


@dataclass(frozen=True)
class Validity:
    """How long a pass of a preset stays valid: `count` `unit`s (unit in UNITS)."""

    count: int
    unit: str

    def __post_init__(self) -> None:
        if self.unit not in UNITS:
            raise ValueError(f"unit must be one of {UNITS}, not {self.unit!r}")
        if not 1 <= self.count <= _MAXIMUM[self.unit]:
            raise ValueError(f"count must be 1 to {_MAXIMUM[self.unit]} {self.unit}")

    def text(self) -> str:
        """As a person writes it: '12 months', '1 year', '6 weeks'."""
        word = self.unit if self.count != 1 else self.unit[:-1]
        return f"{self.count} {word}"


def parse_validity(value: object) -> Validity:
    """A `valid_for` value as read from YAML: '12 months' -> Validity(12, 'months').

    Accepts a positive whole number and one of day(s), week(s), month(s), year(s), in any
    case, with or without a space ('1 year', '6 weeks', '30days'). Raises ValidityError
    saying what is accepted.
    """
    accepted = "write a whole number and days, weeks, months or years, such as `12 months`"
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValidityError(f"{value!r} is not a period of validity: {accepted}")
    if isinstance(value, int) or value.strip().isdigit():
        raise ValidityError(f"{value!r} has no unit: {accepted}")
    found = _TEXT.fullmatch(value.lower())
    unit = _WORDS.get(found.group(2)) if found else None
    if found is None or unit is None:
        raise ValidityError(f"{value!r} is not a period of validity: {accepted}")
    count = int(found.group(1))
    if count < 1:
        raise ValidityError(f"{value!r} is zero: a pass must stay valid for at least 1 day")
    if count > _MAXIMUM[unit]:
        raise ValidityError(f"{value!r} is longer than 100 years: give a shorter period")
    return Validity(count, unit)


def add_period(day: date, validity: Validity) -> date:
    """`day` plus the period, in calendar terms: months and years keep the day of the
    month, clamped to the month's last day."""
    if validity.unit == "days":
        return day + timedelta(days=validity.count)
    if validity.unit == "weeks":
        return day + timedelta(weeks=validity.count)
    import calendar  # only here: the model imports this module on the first-screen path

    months = validity.count * (12 if validity.unit == "years" else 1)
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    month += 1
    last = calendar.monthrange(year, month)[1]
    return date(year, month, min(day.day, last))


def local_moment(moment: datetime, utc_offset_minutes: int | None) -> datetime:
    """`moment` as the clock on the attempt's wall read it: at `utc_offset_minutes` from
    UTC (attempt.utc_offset), or, when the store does not know it (None: an attempt of a
    terminal without a clinic, or of before the store kept it), in this computer's time
    zone, as every other date the app and the report show. A naive moment is UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    if utc_offset_minutes is None:
        return moment.astimezone()
    return moment.astimezone(timezone(timedelta(minutes=utc_offset_minutes)))


def valid_until(
    finished_at: datetime, validity: Validity, utc_offset_minutes: int | None = None
) -> date:
    """The day a pass that finished at `finished_at` falls due again (the first day it
    is no longer valid): its finish date, in the attempt's own offset
    (`utc_offset_minutes`, attempt.utc_offset; None: this computer's zone, see
    local_moment), plus `validity`.

    The certificate prints it as "valid until"; the report and the home screen say
    "expired on" the same date once it has come.
    """
    return add_period(local_moment(finished_at, utc_offset_minutes).date(), validity)


def expires_at(
    finished_at: datetime, validity: Validity, utc_offset_minutes: int | None = None
) -> datetime:
    """The moment a pass expires: the start of its valid_until day in the attempt's
    offset (timezone-aware)."""
    zone = local_moment(finished_at, utc_offset_minutes).tzinfo
    return datetime.combine(valid_until(finished_at, validity, utc_offset_minutes), time(), zone)


def has_expired(
    finished_at: datetime,
    validity: Validity,
    now: datetime,
    utc_offset_minutes: int | None = None,
) -> bool:
    """Whether a pass that finished at `finished_at` has expired at `now` (the injected
    clock's time, timezone-aware)."""
    if now.tzinfo is None:
        now = now.replace(tzinfo=UTC)
    return now >= expires_at(finished_at, validity, utc_offset_minutes)
