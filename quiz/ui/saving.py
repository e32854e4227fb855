"""Saving attempts through the score store, off the event loop, in order, with retries.

Every call to the store runs on one dedicated thread (`StoreThread`): writes never
block the event loop, they happen in the order they were asked for (an answer is
never written before its attempt), and a store holding one SQLite connection is
only ever used from the thread that opened it. An answer that cannot be saved is
kept in memory and written again with the next answer, the next heartbeat or at
the end; the learner is told both when saving fails and when it recovers.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, runtime_checkable

from quiz.errors import QuizError

if TYPE_CHECKING:
    from collections.abc import Sequence
    from datetime import datetime, timedelta

    from quiz.domain.flags import FlagRecord
    from quiz.domain.pausing import PausedAttempt
    from quiz.domain.records import AnswerRecord, AttemptResult, AttemptStart
    from quiz.storage.card_model import DueCard, LearnerDue, RebuildProgress, SectionDue
    from quiz.storage.report_model import PassValidity, ValidPreset

T = TypeVar("T")

NOT_SENT_MARK = "(not sent yet)"
"""The quiet mark shown where the save state is (the question's status line, the
results' "saved" line) while attempts are saved here but sending them to the central
store fails: nothing is lost, and nothing for the learner to do."""


@runtime_checkable
class ScoreStoreLike(Protocol):
    """The part of `quiz.storage.scores.ScoreStore` the quiz app calls.

    Runtime-checkable: the scores screens are handed the app's store as an object and
    check it has these before they read the drill's cards.
    """

    def start_attempt(self, start: AttemptStart) -> str: ...

    def record_answer(self, attempt_id: str, answer: AnswerRecord) -> None: ...

    def heartbeat(self, attempt_id: str) -> None: ...

    def finish_attempt(self, attempt_id: str, result: AttemptResult) -> None: ...

    def close(self) -> None: ...

    def record_flag(self, attempt_id: str, flag: FlagRecord) -> str: ...

    # paused attempts (quiz.domain.pausing says which to offer)

    def recover(self) -> list[str]: ...

    def paused_attempts(
        self, learner: str, *, course: str | None = None
    ) -> list[PausedAttempt]: ...

    def resume_attempt(self, attempt_id: str) -> PausedAttempt | None: ...

    def give_up_attempt(self, attempt_id: str) -> bool: ...

    # the drill's cards ("now": the app's clock, in datetime.timezone.utc)

    def due_questions(
        self,
        learner: str,
        *,
        now: datetime,
        course: str | None = None,
        sections: Sequence[str] | None = None,
        limit: int | None = None,
    ) -> list[DueCard]: ...

    def due_list(
        self,
        *,
        now: datetime,
        within: timedelta = ...,
        learner: str | None = None,
        course: str | None = None,
    ) -> list[DueCard]: ...

    def due_counts(
        self, learner: str, *, now: datetime, course: str | None = None
    ) -> list[SectionDue]: ...

    def next_due(self, learner: str, *, course: str | None = None) -> datetime | None: ...

    # a learner's own passes of the presets with a validity (quiz.ui.passes)

    def learner_passes(
        self, learner: str, presets: Sequence[ValidPreset], now: datetime
    ) -> tuple[PassValidity, ...]: ...

    def staff_due(self, *, now: datetime, course: str | None = None) -> list[LearnerDue]: ...

    def cards_to_rebuild(self, learner: str | None = None) -> int: ...

    def rebuild_cards(
        self,
        progress: Callable[[RebuildProgress], None] | None = None,
        learner: str | None = None,
    ) -> RebuildProgress: ...


def error_message(error: BaseException) -> str:
    """What to tell the learner about a store error (`StoreError.message`, else the text)."""
    if isinstance(error, QuizError):
        return error.message
    return str(error) or type(error).__name__


class StoreThread:
    """The one thread that talks to the score store."""

    def __init__(self) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="quiz-store")

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        return self._executor.submit(function, *args)

    def call(self, function: Callable[..., T], *args: Any, timeout: float | None = None) -> T:
        """Run `function` on the store thread and wait for its result (or its exception)."""
        return self.submit(function, *args).result(timeout)

    def shutdown(self, *, wait: bool = True) -> None:
        self._executor.shutdown(wait=wait)


ProblemCallback = Callable[[str | None], None]
"""Called (from the store thread) with a message when saving fails, None when it recovers."""


class AttemptSaver:
    """Saves one attempt: its start, each answer, heartbeats and its result.

    Methods are called on the event loop and return at once; the work runs on the
    store thread, where all of this object's state is changed. An attempt taken up
    again (a paused one) is in the store already: `attempt_id` names it.
    """

    def __init__(
        self,
        store: ScoreStoreLike,
        thread: StoreThread,
        start: AttemptStart,
        on_problem: ProblemCallback,
        *,
        attempt_id: str | None = None,
        on_saved: Callable[[], None] | None = None,
    ) -> None:
        self.store = store
        self.on_saved = on_saved
        """Called (on the store thread) after answers or a result were written: the app
        wakes its background sender. It must not block."""
        self.thread = thread
        self.start = start
        self.on_problem = on_problem
        self.attempt_id: str | None = attempt_id
        self.finished = False
        self._pending: list[AnswerRecord] = []
        self._failing = False
        self._lock = threading.Lock()  # guards `unsaved` read from the event loop

    @property
    def unsaved(self) -> int:
        """Answers given but not yet in the store."""
        with self._lock:
            return len(self._pending)

    def begin(self) -> Future[None]:
        return self.thread.submit(self._save, None)

    def save_answer(self, answer: AnswerRecord) -> Future[None]:
        return self.thread.submit(self._save, answer)

    def retry(self) -> Future[None]:
        """Write anything still waiting, and tell the store the attempt is alive."""
        return self.thread.submit(self._heartbeat)

    def save_flag(self, flag: FlagRecord) -> Future[str | None]:
        """Keep a learner's flag on a question of this attempt, after what was asked
        before it (the attempt's start, its answers). The future gives an error
        message or None; a flag that fails is not kept for later (the learner is told)."""
        return self.thread.submit(self._flag, flag)

    def finish(self, result: AttemptResult) -> Future[str | None]:
        """Write what is waiting, then the result. The future gives an error message or None."""
        return self.thread.submit(self._finish, result)

    # on the store thread

    def _flush(self) -> None:
        if self.attempt_id is None:
            self.attempt_id = self.store.start_attempt(self.start)
        while True:
            with self._lock:
                if not self._pending:
                    return
                answer = self._pending[0]
            self.store.record_answer(self.attempt_id, answer)
            with self._lock:
                self._pending.pop(0)

    def _try_flush(self) -> str | None:
        try:
            self._flush()
        except Exception as error:  # any failure: keep the answers, say so, retry later
            message = error_message(error)
            self._failing = True
            self._report(message)
            return message
        if self._failing:
            self._failing = False
            self._report(None)
        self._saved()
        return None

    def _saved(self) -> None:
        if self.on_saved is not None:
            with contextlib.suppress(Exception):
                self.on_saved()

    def _report(self, message: str | None) -> None:
        try:
            self.on_problem(message)
        except Exception:  # the app may be gone (shutting down): nothing to tell
            pass

    def _save(self, answer: AnswerRecord | None) -> None:
        if answer is not None:
            with self._lock:
                self._pending.append(answer)
        self._try_flush()

    def _heartbeat(self) -> None:
        if self.finished:
            return
        if self._try_flush() is None and self.attempt_id is not None:
            # A missed heartbeat only delays noticing a crashed attempt: not worth a word.
            with contextlib.suppress(Exception):
                self.store.heartbeat(self.attempt_id)

    def _flag(self, flag: FlagRecord) -> str | None:
        message = self._try_flush()
        if message is not None:
            return message
        assert self.attempt_id is not None
        try:
            self.store.record_flag(self.attempt_id, flag)
        except Exception as error:
            return error_message(error)
        self._saved()
        return None

    def _finish(self, result: AttemptResult) -> str | None:
        if self.finished:
            return None
        message = self._try_flush()
        if message is not None:
            return message
        assert self.attempt_id is not None
        try:
            self.store.finish_attempt(self.attempt_id, result)
        except Exception as error:
            return error_message(error)
        self.finished = True
        self._saved()
        return None
