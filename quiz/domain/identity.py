"""Who sat it: how an attempt's learner was identified, and the rules of PINs.

A name is typed on trust. A learner may protect hers with a PIN (set by herself on
first use, or by a manager: `quiz learners pin`); a witnessed exam preset starts only
once a manager has typed her own name and PIN on that terminal. Each attempt records
which of these happened (`Identification`). A PIN proves that someone knew the PIN,
not who they are.

The rules live here (stdlib only): what a PIN may look like, how many wrong ones in a
row are let through, and how long the wait grows after that. The hashing and where the
PINs and counters are kept: quiz.storage.pins.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum


class Identification(StrEnum):
    """How the learner of an attempt was known when it started."""

    TYPED = "typed"  # a name typed on trust (every attempt of before PINs)
    PIN = "pin"  # the learner typed her own PIN
    WITNESSED = "witnessed"  # a manager typed her name and PIN on the terminal
    CENTRAL = "central"  # identified by the central store (reserved: see README)

    @property
    def verified(self) -> bool:
        """Whether more than a typed name stood behind the attempt."""
        return self is not Identification.TYPED


PIN_MIN_DIGITS = 4
PIN_MAX_DIGITS = 12
FREE_TRIES = 5
"""Wrong PINs in a row that are only refused; the next ones make the person wait."""
FIRST_WAIT_SECONDS = 30
"""The wait after the FREE_TRIES-th wrong PIN in a row; each further one doubles it."""
LONGEST_WAIT_SECONDS = 3600
"""The wait never grows past an hour (a manager can clear a learner's PIN sooner)."""


class PinRefused(ValueError):
    """A PIN that cannot be set as typed; the message says why and what to type."""


def check_new_pin(pin: str, again: str | None = None) -> str:
    """The PIN to keep, from what was typed (and typed again, when asked twice).
    Raises PinRefused with a message a person can act on."""
    pin = pin.strip()
    if not pin:
        raise PinRefused("The PIN is empty: type 4 to 12 digits.")
    if not (pin.isascii() and pin.isdigit()):
        raise PinRefused("A PIN is digits only (0-9): type 4 to 12 digits.")
    if not PIN_MIN_DIGITS <= len(pin) <= PIN_MAX_DIGITS:
        raise PinRefused(
            f"The PIN has {len(pin)} digits: type {PIN_MIN_DIGITS} to {PIN_MAX_DIGITS}."
        )
    if len(set(pin)) == 1:
        raise PinRefused("A PIN of one digit repeated is too easy to guess: choose another.")
    if again is not None and again.strip() != pin:
        raise PinRefused("The two PINs differ: nothing was set. Type the same PIN twice.")
    return pin


def wait_after(failures: int) -> timedelta:
    """How long to wait after `failures` wrong PINs in a row: nothing for the first
    FREE_TRIES - 1, then FIRST_WAIT_SECONDS, doubling with each further one, up to
    LONGEST_WAIT_SECONDS."""
    if failures < FREE_TRIES:
        return timedelta(0)
    doublings = min(failures - FREE_TRIES, 16)  # 2**16 * 30 s is far past the cap
    return timedelta(seconds=min(FIRST_WAIT_SECONDS * 2**doublings, LONGEST_WAIT_SECONDS))


@dataclass(frozen=True)
class Failures:
    """Wrong PINs in a row for one learner or manager, as kept in the store."""

    count: int = 0
    wait_until: datetime | None = None  # UTC; None: no wait

    def waiting(self, now: datetime) -> timedelta | None:
        """How long is left to wait at `now` before another PIN is checked (None: none)."""
        if self.wait_until is None or now >= self.wait_until:
            return None
        return self.wait_until - now

    def after_wrong(self, now: datetime) -> Failures:
        """These failures after one more wrong PIN at `now`."""
        count = self.count + 1
        wait = wait_after(count)
        return Failures(count, now + wait if wait else None)


def describe_wait(left: timedelta) -> str:
    """'30 seconds', '2 minutes', '1 hour': the wait left, rounded up, for a person."""
    seconds = max(1, int(-(-left.total_seconds() // 1)))
    if seconds < 90:
        return f"{seconds} second{'s' if seconds != 1 else ''}"
    minutes = -(-seconds // 60)
    if minutes < 90:
        return f"{minutes} minutes"
    hours = -(-minutes // 60)
    return f"{hours} hours"


@dataclass(frozen=True)
class PinCheck:
    """What checking a PIN found: `ok`, or refused with the wait left (if any) and how
    many tries are left before waits begin."""

    ok: bool
    wait: timedelta | None = None  # set: the PIN was not even checked (or set a wait)
    tries_left: int | None = None  # before the first wait; None once waits have begun

    def message(self, who: str) -> str:
        """What the PIN dialog says after a refusal, `who` being 'the PIN' or similar."""
        if self.ok:
            return ""
        if self.wait is not None:
            return f"Wrong {who} too often. Wait {describe_wait(self.wait)}, then try again."
        if self.tries_left is not None:
            plural = "s" if self.tries_left != 1 else ""
            return (
                f"Wrong {who}. {self.tries_left} more tr{'ies' if plural else 'y'} "
                "before you must wait."
            )
        return f"Wrong {who}."


def judged(failures: Failures, now: datetime) -> PinCheck:
    """The refusal to show after a wrong PIN leaves `failures`."""
    wait = failures.waiting(now)
    if wait is not None:
        return PinCheck(ok=False, wait=wait)
    left = FREE_TRIES - failures.count
    return PinCheck(ok=False, tries_left=left if left > 0 else None)
