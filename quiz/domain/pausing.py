"""Leaving an attempt unfinished, and taking it up again: the rules, one home for each.

What an attempt left before it ends becomes (`status_on_leaving`):

- a practice or drill round is `paused`, however it was left: Esc or a quit, its
  terminal closed (SIGHUP), SIGTERM, or its process gone (a crash, kill -9, a power
  cut, an internal error). With nothing left to ask it is `completed` instead;
- an exam is `paused` when its terminal closed (SIGHUP) or its process is gone; left on
  purpose (Esc or a quit, which ask first) or stopped with SIGTERM it is `abandoned`;
- past its deadline an exam is `timed_out`, however it was left.

How a paused attempt ends (`expiry`, `superseded_by_new`):

- it is resumed and finished like any other (its answers so far kept);
- past its deadline an exam is `timed_out`, at the deadline, whoever opens the store;
- one without a deadline (practice, drill, an untimed exam) is `abandoned` once it has
  been paused longer than the pause limit (a setting kept in the store; 7 days unless
  changed: DEFAULT_PAUSE_LIMIT_SECONDS);
- a practice or drill round is `abandoned` when the same learner starts a new round
  of the same kind on the same course; an exam when the learner declines to resume it.

Which are offered to resume (`offered`): the learner's own paused attempts (one running
in another terminal is in progress, never paused: never offered), on the course as it
is loaded now (the same content version: the questions, their choices and the text are
those it was asked with); an exam only before its deadline and on the computer it was
started on. An unexpired exam comes first (`blocking_exam`): it is offered before
anything else can be started. Then the most recently paused.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from quiz.domain.records import AnswerRecord, AskedQuestion, AttemptStatus, Mode
from quiz.domain.rounds import round_order

DEFAULT_PAUSE_LIMIT_SECONDS = 7 * 86400
"""How long a paused attempt without a deadline waits to be resumed, unless the store's
setting says otherwise (`quiz settings --pause-limit`)."""


class Leaving(StrEnum):
    """How an attempt was left before it ended."""

    LEFT = "left"  # the learner left it: Esc, or a quit (an exam asks first)
    HANGUP = "hangup"  # its terminal closed (SIGHUP)
    TERMINATED = "terminated"  # SIGTERM
    GONE = "gone"  # its process ended without a word: a crash, kill -9, a power cut


def status_on_leaving(
    mode: Mode, how: Leaving, *, expired: bool, nothing_left: bool
) -> AttemptStatus:
    """What an attempt of `mode` left `how` becomes: `expired` when its deadline has
    passed, `nothing_left` when every question it would ask has been answered."""
    if expired:
        return AttemptStatus.TIMED_OUT
    if mode is Mode.EXAM:
        if how in (Leaving.HANGUP, Leaving.GONE):
            return AttemptStatus.PAUSED
        return AttemptStatus.ABANDONED
    return AttemptStatus.COMPLETED if nothing_left else AttemptStatus.PAUSED


def expiry(
    *,
    paused_at: datetime,
    deadline_at: datetime | None,
    now: datetime,
    limit_seconds: int,
) -> tuple[AttemptStatus, datetime] | None:
    """What a paused attempt has become by `now`, and when it ended; None while it may
    still be resumed."""
    if deadline_at is not None:
        return (AttemptStatus.TIMED_OUT, deadline_at) if now >= deadline_at else None
    if now - paused_at >= timedelta(seconds=limit_seconds):
        return AttemptStatus.ABANDONED, paused_at
    return None


def superseded_by_new(mode: Mode) -> bool:
    """Whether starting a new round of `mode` gives up the learner's paused one of the
    same mode and course (an exam is never given up that way: it is offered first)."""
    return mode is not Mode.EXAM


@dataclass(frozen=True)
class PausedAttempt:
    """A paused attempt, as it was saved: enough to offer it and to take it up again."""

    attempt_id: str
    learner: str  # as typed for the attempt
    course_id: str
    course_version: str
    mode: Mode
    exam: str | None  # the preset id, if any
    sections: tuple[str, ...]
    seed: int
    started_at: datetime  # UTC, the first start: time used counts from here
    paused_at: datetime  # UTC, its last sign of life
    time_limit_seconds: int | None
    deadline_at: datetime | None  # UTC; None without a time limit
    pass_mark: int | None
    started_here: bool  # on this computer
    questions: tuple[AskedQuestion, ...]  # as asked, in order (choices in the order shown)
    answers: tuple[tuple[int, AnswerRecord], ...]  # (position, answer), every one, in order

    @property
    def total(self) -> int:
        return len(self.questions)

    def latest(self) -> dict[int, AnswerRecord]:
        """The answer that counts, by position (an exam answer taken back: none)."""
        latest: dict[int, AnswerRecord] = {}
        for position, record in self.answers:
            if record.response is None:
                latest.pop(position, None)
            else:
                latest[position] = record
        return latest

    @property
    def answered(self) -> int:
        """Questions with an answer that counts."""
        return len(self.latest())

    def _order(self) -> tuple[list[int], int]:
        """A practice or drill round's order (quiz.domain.rounds) and the answers given."""
        given = [(p, r.correct) for p, r in self.answers if r.response is not None]
        return round_order(self.mode, self.total, given), len(given)

    @property
    def left(self) -> int:
        """Questions still to ask: an exam's unanswered ones; in a practice or drill
        round, the rest of its order (a drill asks a miss again)."""
        if self.mode is Mode.EXAM:
            return self.total - self.answered
        order, given = self._order()
        return len(order) - given

    @property
    def to_ask(self) -> int:
        """The questions the round asks, counting those a drill asks again."""
        return self.total if self.mode is Mode.EXAM else len(self._order()[0])

    def remaining_seconds(self, now: datetime) -> float | None:
        """Seconds before the deadline at `now` (never below 0); None without one."""
        if self.deadline_at is None:
            return None
        return max(0.0, (self.deadline_at - now).total_seconds())


def offered(
    paused: Iterable[PausedAttempt], *, versions: Mapping[str, str], now: datetime
) -> list[PausedAttempt]:
    """The paused attempts that may be resumed now, in the order they are offered.
    `versions`: the content version of each course loaded now, by course id."""
    usable = [
        attempt
        for attempt in paused
        if versions.get(attempt.course_id) == attempt.course_version
        and (
            attempt.mode is not Mode.EXAM
            or (attempt.started_here and (attempt.deadline_at is None or now < attempt.deadline_at))
        )
    ]
    exams = sorted(
        (a for a in usable if a.mode is Mode.EXAM),
        key=lambda a: (a.deadline_at is None, a.deadline_at or a.paused_at, a.attempt_id),
    )
    rounds = sorted(
        (a for a in usable if a.mode is not Mode.EXAM),
        key=lambda a: (a.paused_at, a.attempt_id),
        reverse=True,
    )
    return [*exams, *rounds]


def blocking_exam(offers: Iterable[PausedAttempt]) -> PausedAttempt | None:
    """The exam to offer before anything else can be started (`offered`'s first), if any."""
    first = next(iter(offers), None)
    return first if first is not None and first.mode is Mode.EXAM else None
