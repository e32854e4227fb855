"""Test doubles for the app: a clock that moves only when told, an in-memory score store."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quiz.domain.flags import FlagRecord
from quiz.domain.pausing import PausedAttempt
from quiz.domain.records import AnswerRecord, AttemptResult, AttemptStart, AttemptStatus
from quiz.domain.text import learner_key
from quiz.domain.validity import has_expired, valid_until
from quiz.errors import StoreError, StoreErrorKind
from quiz.storage.card_model import (
    DEFAULT_SETTINGS,
    DueCard,
    LearnerDue,
    RebuildProgress,
    SectionDue,
)
from quiz.storage.report_model import PassValidity, ValidPreset

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class FixedClock:
    """Monotonic time that moves only with `advance`; wall time follows it from START."""

    def __init__(self) -> None:
        self.seconds = 5000.0

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return START + timedelta(seconds=self.seconds - 5000.0)

    def advance(self, seconds: float) -> None:
        self.seconds += seconds


class FakeStoreError(StoreError):
    """A store problem of the given kind, at a made-up path."""

    def __init__(self, message: str, kind: StoreErrorKind = "full") -> None:
        super().__init__(kind, Path("scores.sqlite3"), message)


@dataclass
class SavedAttempt:
    start: AttemptStart
    answers: list[AnswerRecord] = field(default_factory=list)
    result: AttemptResult | None = None
    heartbeats: int = 0


class FakeStore:
    """The score store's methods, in memory. `fail_answers` makes the next N answer writes fail.

    The drill's cards are not scheduled here: a test puts them in (`add_card`), and the
    card methods count them as the store does (due at or before `now`, within a week
    of it, leeches at the default threshold). `stale` learners wait for `rebuild_cards`.
    Paused attempts are those a test puts in `paused`; resuming one takes it out (and
    `given_up` lists those given up).
    """

    def __init__(self) -> None:
        self.attempts: dict[str, SavedAttempt] = {}
        self.cards: list[DueCard] = []
        self.paused: list[PausedAttempt] = []
        self.given_up: list[str] = []
        self.flags: list[tuple[str, FlagRecord]] = []
        self.stale = 0
        self.fail_answers = 0
        self.fail_finish = 0
        self.closed = False
        self.threads: set[str] = set()
        self._lock = threading.Lock()

    def _note_thread(self) -> None:
        self.threads.add(threading.current_thread().name)

    def start_attempt(self, start: AttemptStart) -> str:
        self._note_thread()
        with self._lock:
            attempt_id = f"attempt-{len(self.attempts) + 1}"
            self.attempts[attempt_id] = SavedAttempt(start)
            return attempt_id

    def record_answer(self, attempt_id: str, answer: AnswerRecord) -> None:
        self._note_thread()
        with self._lock:
            if self.fail_answers:
                self.fail_answers -= 1
                raise FakeStoreError("the disk is full")
            self.attempts[attempt_id].answers.append(answer)

    def heartbeat(self, attempt_id: str) -> None:
        self._note_thread()
        self.attempts[attempt_id].heartbeats += 1

    def finish_attempt(self, attempt_id: str, result: AttemptResult) -> None:
        self._note_thread()
        with self._lock:
            if self.fail_finish:
                self.fail_finish -= 1
                raise FakeStoreError("the disk is full")
            self.attempts[attempt_id].result = result

    def close(self) -> None:
        self.closed = True

    def record_flag(self, attempt_id: str, flag: FlagRecord) -> str:
        """Keep a learner's flag (in `flags`, with its attempt's id)."""
        self._note_thread()
        with self._lock:
            if attempt_id not in self.attempts:
                raise ValueError(f"there is no attempt {attempt_id}")
            self.flags.append((attempt_id, flag))
            return f"flag-{len(self.flags)}"

    # --- paused attempts -----------------------------------------------------------------

    def recover(self) -> list[str]:
        self._note_thread()
        return []  # nothing here runs in another process

    def paused_attempts(self, learner: str, *, course: str | None = None) -> list[PausedAttempt]:
        self._note_thread()
        key = learner_key(learner)
        return [
            p
            for p in self.paused
            if learner_key(p.learner) == key and (course is None or p.course_id == course)
        ]

    def resume_attempt(self, attempt_id: str) -> PausedAttempt | None:
        self._note_thread()
        with self._lock:
            found = next((p for p in self.paused if p.attempt_id == attempt_id), None)
            if found is None:
                return None
            self.paused.remove(found)
            return found

    def give_up_attempt(self, attempt_id: str) -> bool:
        self._note_thread()
        with self._lock:
            found = next((p for p in self.paused if p.attempt_id == attempt_id), None)
            if found is None:
                return False
            self.paused.remove(found)
            self.given_up.append(attempt_id)
            return True

    # --- the drill's cards ------------------------------------------------------------

    def add_card(
        self,
        learner: str,
        question_id: str,
        section: str,
        due_at: datetime,
        *,
        lapses: int = 0,
        course: str = "laser-skin-tightening",
        critical: bool = False,
    ) -> DueCard:
        card = DueCard(
            learner=learner,
            learner_key=learner_key(learner),
            course=course,
            question_id=question_id,
            section=section,
            critical=critical,
            state="review",
            due_at=due_at,
            last_review_at=due_at - timedelta(days=1),
            reviews=2 * lapses + 1,
            lapses=lapses,
            leech=lapses >= DEFAULT_SETTINGS.leech_threshold,
            retrievability=0.9,
            due=False,
        )
        self.cards.append(card)
        return card

    def _cards_of(self, learner: str | None, course: str | None) -> list[DueCard]:
        key = learner_key(learner) if learner is not None else None
        return [
            c
            for c in self.cards
            if (key is None or c.learner_key == key) and (course is None or c.course == course)
        ]

    def due_questions(
        self,
        learner: str,
        *,
        now: datetime,
        course: str | None = None,
        sections: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[DueCard]:
        self._note_thread()
        assert now.tzinfo is UTC, "fsrs insists on datetime.timezone.utc"
        due = [
            c
            for c in self._cards_of(learner, course)
            if c.due_at <= now and (sections is None or c.section in sections)
        ]
        due.sort(key=lambda c: (not c.critical, c.retrievability, c.question_id))
        return due[:limit] if limit is not None else due

    def due_list(
        self,
        *,
        now: datetime,
        within: timedelta = timedelta(0),
        learner: str | None = None,
        course: str | None = None,
    ) -> list[DueCard]:
        self._note_thread()
        return [c for c in self._cards_of(learner, course) if c.due_at <= now + within or c.leech]

    def due_counts(
        self, learner: str, *, now: datetime, course: str | None = None
    ) -> list[SectionDue]:
        self._note_thread()
        assert now.tzinfo is UTC, "fsrs insists on datetime.timezone.utc"
        counts: dict[tuple[str, str], list[int]] = {}
        for card in self._cards_of(learner, course):
            tally = counts.setdefault((card.course, card.section), [0, 0, 0])
            tally[0] += card.due_at <= now
            tally[1] += card.due_at <= now + timedelta(days=7)
            tally[2] += 1
        return [SectionDue(c, s, *tally) for (c, s), tally in sorted(counts.items())]

    def next_due(self, learner: str, *, course: str | None = None) -> datetime | None:
        self._note_thread()
        times = [c.due_at for c in self._cards_of(learner, course)]
        return min(times) if times else None

    def learner_passes(
        self, learner: str, presets: Sequence[ValidPreset], now: datetime
    ) -> tuple[PassValidity, ...]:
        """The learner's last pass of each preset, as the store finds it (a finished exam
        of the preset, passed), its day in this computer's zone (no offset kept here)."""
        self._note_thread()
        key = learner_key(learner)
        found = []
        for preset in presets:
            passes = [
                (saved.result.finished_at, saved)
                for saved in self.attempts.values()
                if learner_key(saved.start.learner) == key
                and saved.start.course_id == preset.course
                and saved.start.exam == preset.exam
                and saved.result is not None
                and saved.result.passed
                and saved.result.status in (AttemptStatus.COMPLETED, AttemptStatus.TIMED_OUT)
            ]
            if not passes:
                continue
            finished, last = max(passes, key=lambda found: found[0])
            found.append(
                PassValidity(
                    preset,
                    last.start.learner,
                    key,
                    finished,
                    finished.astimezone().date(),
                    valid_until(finished, preset.validity),
                    has_expired(finished, preset.validity, now),
                )
            )
        return tuple(found)

    def staff_due(self, *, now: datetime, course: str | None = None) -> list[LearnerDue]:
        self._note_thread()
        assert now.tzinfo is UTC, "fsrs insists on datetime.timezone.utc"
        by_learner: dict[str, list[DueCard]] = {}
        for card in self._cards_of(None, course):
            by_learner.setdefault(card.learner_key, []).append(card)
        return [
            LearnerDue(
                learner=cards[0].learner,
                learner_key=key,
                due_now=sum(c.due_at <= now for c in cards),
                leeches=tuple(
                    c.question_id
                    for c in sorted(cards, key=lambda c: (-c.lapses, c.question_id))
                    if c.leech
                ),
                next_due_at=min(c.due_at for c in cards),
            )
            for key, cards in sorted(by_learner.items())
        ]

    def cards_to_rebuild(self, learner: str | None = None) -> int:
        self._note_thread()
        return self.stale

    def rebuild_cards(
        self,
        progress: Callable[[RebuildProgress], None] | None = None,
        learner: str | None = None,
    ) -> RebuildProgress:
        self._note_thread()
        total, self.stale = self.stale, 0
        for done in range(1, total + 1):
            if progress is not None:
                progress(RebuildProgress(done, total, done * 10))
        return RebuildProgress(total, total, total * 10)

    @property
    def only(self) -> SavedAttempt:
        (attempt,) = self.attempts.values()
        return attempt
