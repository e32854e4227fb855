"""An attempt in the app, from its first question to its saved result.

`AttemptRunner` keeps the session and the store in step: it starts saving the attempt,
saves each answer, sends the heartbeat, and finishes the attempt. It is also the one
place that notices the deadline (`over`): on its own timer, whatever screen or dialog
is in front, and whenever a screen acts through it. However an attempt ends
(completed, left, paused, out of time) the runner posts one message,
`AttemptRunner.Finished`, and the app shows what comes next. A paused attempt taken up
again is run the same way: its session (`QuizSession.resume`) names it.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from textual.message import Message

from quiz.ui.saving import AttemptSaver, ScoreStoreLike, StoreThread

if TYPE_CHECKING:
    from textual.app import App
    from textual.timer import Timer

    from quiz.domain.clock import Clock
    from quiz.domain.flags import FlagRecord
    from quiz.domain.identity import Identification
    from quiz.domain.model import Course, ExamPreset
    from quiz.domain.pausing import Leaving
    from quiz.domain.records import AnswerRecord, AttemptResult, AttemptStatus, Mode, Response
    from quiz.domain.session import QuizSession

SAVE_WAIT_SECONDS = 10.0
"""How long to wait for a result to reach the store before saying it has not."""
DEADLINE_CHECK_SECONDS = 0.25
"""How often the runner looks at the deadline (the countdown redraws as often)."""


def new_session(
    course: Course,
    clock: Clock,
    *,
    mode: Mode,
    sections: Sequence[str] | None = None,
    count: int | None = None,
    time_limit_seconds: int | None = None,
    seed: int | None = None,
    preset: ExamPreset | None = None,
    due: Sequence[str] | None = None,
) -> QuizSession:
    """A new session on `course` (raises quiz.errors.SelectionError). What the learner
    should know about the draw is in `session.selection.note`. A drill (`Mode.DRILL`)
    asks the `due` question ids, in their order (the store's)."""
    from quiz.domain.model import DEFAULT_PASS_MARK
    from quiz.domain.records import Mode
    from quiz.domain.selection import drill_selection, pick_questions
    from quiz.domain.selection import new_seed as random_seed
    from quiz.domain.session import QuizSession

    seed = seed if seed is not None else random_seed()
    if mode is Mode.DRILL:
        selection = drill_selection(course, due or (), count=count)
    else:
        selection = pick_questions(
            course, seed=seed, sections=sections, count=count, preset=preset, mode=mode
        )
    if time_limit_seconds is None and preset is not None:
        time_limit_seconds = preset.time_limit_seconds
    return QuizSession(
        course,
        selection,
        mode=mode,
        seed=seed,
        clock=clock,
        time_limit_seconds=time_limit_seconds,
        pass_mark=preset.pass_mark if preset is not None else DEFAULT_PASS_MARK,
        exam=preset.id if preset is not None else None,
    )


class AttemptRunner:
    """Runs one attempt: screens answer, move and finish through it."""

    class Finished(Message):
        """The attempt ended: completed, left (paused or abandoned), or out of time. Its
        result is being saved."""

        def __init__(self, runner: AttemptRunner) -> None:
            super().__init__()
            self.runner = runner

    class SavingChanged(Message):
        """Saving answers started failing (`problem` says why) or works again (None).
        Posted from the store thread."""

        def __init__(self, problem: str | None) -> None:
            super().__init__()
            self.problem = problem

    def __init__(
        self,
        app: App[Any],
        session: QuizSession,
        learner: str,
        *,
        store: ScoreStoreLike,
        thread: StoreThread,
        preset_title: str | None = None,
        heartbeat_seconds: float = 30.0,
        on_saved: Callable[[], None] | None = None,
        identified: Identification | None = None,
    ) -> None:
        self._app = app
        self.session = session
        self.learner = learner
        self.preset_title = preset_title
        start = session.attempt_start(learner)
        if identified is not None:  # how the learner was known (quiz.ui.identifying)
            start = replace(start, identified=identified)
        self.saver = AttemptSaver(
            store,
            thread,
            start,
            self._saving,
            attempt_id=session.resumed_from,
            on_saved=on_saved,
        )
        self.saved: Future[str | None] | None = None
        """The result being written, once the attempt has ended (gives an error or None)."""
        self._heartbeat_seconds = heartbeat_seconds
        self._timers: list[Timer] = []

    @property
    def is_exam(self) -> bool:
        return self.session.mode == "exam"  # a StrEnum (records load after the first frame)

    @property
    def active(self) -> bool:
        return not self.session.finished

    @property
    def title(self) -> str:
        if self.preset_title:
            return self.preset_title
        return {"exam": "Exam", "drill": "Drill"}.get(self.session.mode, "Practice")

    @property
    def is_drill(self) -> bool:
        return self.session.mode == "drill"

    def begin(self) -> None:
        """Start saving the attempt, the heartbeat and, with a time limit, the deadline."""
        self.saver.begin()
        self._timers.append(self._app.set_interval(self._heartbeat_seconds, self.saver.retry))
        if self.session.deadline is not None:
            # The runner's own timer: a dialog or the course text may be in front of
            # the question screen when time runs out.
            self._timers.append(self._app.set_interval(DEADLINE_CHECK_SECONDS, self.over))

    def over(self) -> bool:
        """Whether the attempt has ended. The one place the deadline is noticed: past
        it, the attempt ends here (timed out)."""
        if self.active and self.session.is_expired():
            self.finish()
        return not self.active

    def visit(self, position: int) -> bool:
        """The learner is looking at question `position`; False if the attempt is over."""
        if self.over():
            return False
        self.session.visit(position)
        return True

    def answer(self, position: int, response: Response) -> AnswerRecord | None:
        """Grade and keep an answer and queue it for the store; None if the attempt is
        over, or the session does not take it (a practice question answered already)."""
        from quiz.domain.session import SessionError

        if self.over():
            return None
        try:
            record = self.session.answer(position, response)
        except SessionError:  # TimeUp among them: the deadline passed just now
            self.over()
            return None
        self.saver.save_answer(record)
        return record

    def flag(self, flag: FlagRecord) -> Future[str | None]:
        """Keep the learner's flag on a question (saved after the answers before it).
        Works after the attempt has ended too (a review from the results); never
        changes a score."""
        return self.saver.save_flag(flag)

    def clear(self, position: int) -> bool:
        """Take back an exam answer (all choices turned off); False if the attempt is over."""
        if self.over():
            return False
        record = self.session.clear_answer(position)
        if record is not None:
            self.saver.save_answer(record)
        return True

    def finish(
        self, status: AttemptStatus | None = None, *, announce: bool = True
    ) -> AttemptResult:
        """End the attempt (once) and start writing its result. Past the deadline it
        timed out, whatever `status` says. Posts `Finished` unless `announce` is False
        (the app is closing)."""
        if self.session.is_expired():
            status = None
        return self._end(lambda: self.session.finish(status), announce)

    def leave(self, how: Leaving, *, announce: bool = True) -> AttemptResult:
        """End the attempt because it was left before it ended (`how`): paused or
        abandoned as quiz.domain.pausing says (timed out past the deadline). As
        `finish` otherwise."""
        return self._end(lambda: self.session.leave(how), announce)

    def _end(self, ending: Callable[[], AttemptResult], announce: bool) -> AttemptResult:
        if not self.active:
            assert self.session.result is not None
            return self.session.result
        result = ending()
        for timer in self._timers:
            timer.stop()
        self._timers.clear()
        self.saved = self.saver.finish(result)
        if announce:
            self._app.post_message(self.Finished(self))
        return result

    def save_again(self) -> None:
        """Try once more to write the result (after a failure)."""
        assert self.session.result is not None
        self.saved = self.saver.finish(self.session.result)

    async def wait_saved(self) -> str | None:
        """Wait (at most SAVE_WAIT_SECONDS) for the result to be written; its error or None."""
        if self.saved is None:
            return None
        try:
            return await asyncio.wait_for(asyncio.wrap_future(self.saved), SAVE_WAIT_SECONDS)
        except TimeoutError:
            return "the score store did not answer in time"

    def _saving(self, problem: str | None) -> None:
        # On the store thread: post_message is thread-safe.
        self._app.post_message(self.SavingChanged(problem))
