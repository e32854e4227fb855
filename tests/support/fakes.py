"""Test doubles for the app: a clock that moves only when told, an in-memory score store."""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quiz.domain.records import AnswerRecord, AttemptResult, AttemptStart
from quiz.errors import StoreError, StoreErrorKind

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
    """The score store's methods, in memory. `fail_answers` makes the next N answer writes fail."""

    def __init__(self) -> None:
        self.attempts: dict[str, SavedAttempt] = {}
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

    @property
    def only(self) -> SavedAttempt:
        (attempt,) = self.attempts.values()
        return attempt
