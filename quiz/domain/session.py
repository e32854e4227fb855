"""A quiz attempt without Textual: the questions and their order, answers, the deadline.

What it is made of lives beside it, one concept a module: its time and deadline
(quiz.domain.attempt_time, over quiz.domain.clock), drawing the questions and their
choice order (quiz.domain.selection), grading and the pass rule
(quiz.domain.grading), what the learner sees and reads back (quiz.domain.answers), and
what differs between question types (quiz.domain.kinds).

Everything random comes from `random.Random(seed)` (never the global generator), so
the same seed gives the same questions, in the same order, with the same choice
order. Time comes from an injected `Clock`: tests move it instead of sleeping, and
the deadline is a point on the monotonic clock, never a count of ticks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from quiz.domain.answers import ReviewItem, review_items
from quiz.domain.attempt_time import TimedAttempt
from quiz.domain.clock import Clock
from quiz.domain.grading import SectionScore, Verdict, confusable_texts, section_scores, verdict
from quiz.domain.kinds import kind_of
from quiz.domain.model import DEFAULT_PASS_MARK, Course
from quiz.domain.pausing import Leaving, PausedAttempt, status_on_leaving
from quiz.domain.records import (
    AnswerRecord,
    AskedQuestion,
    AttemptResult,
    AttemptStart,
    AttemptStatus,
    Mode,
    Response,
)
from quiz.domain.rounds import DRILL_RETRIES, asks_again
from quiz.domain.selection import Selection, SelectionError, ask_question, selection_as_asked


class SessionError(RuntimeError):
    """An answer the session cannot take (finished attempt, practice answer already given)."""


class TimeUp(SessionError):
    """The attempt's deadline has passed: no more answers."""


# --- the session -----------------------------------------------------------------------


class QuizSession(TimedAttempt):
    """One attempt: the questions as asked, the answers, the clock and the outcome."""

    def __init__(
        self,
        course: Course,
        selection: Selection,
        *,
        mode: Mode,
        seed: int,
        clock: Clock,
        time_limit_seconds: int | None = None,
        pass_mark: int | None = None,
        exam: str | None = None,
        asked: tuple[AskedQuestion, ...] | None = None,
        started_at: datetime | None = None,
    ) -> None:
        """A new attempt; `asked` and `started_at` are those of a paused attempt taken
        up again (see `resume`): its questions as they were asked, and its first start
        (the clock ran on since: the time used, and an exam's time left, count from it)."""
        if not selection.questions:
            raise SelectionError("an attempt needs at least one question")
        self.course = course
        self.selection = selection
        self.mode = mode
        self.seed = seed
        self.exam = exam
        self.pass_mark = (
            None
            if mode is not Mode.EXAM
            else (pass_mark if pass_mark is not None else DEFAULT_PASS_MARK)
        )
        self.questions = selection.questions
        self.asked = asked or tuple(
            ask_question(i, q, seed) for i, q in enumerate(selection.questions)
        )
        super().__init__(clock, time_limit_seconds, started_at)
        self.resumed_from: str | None = None
        """The id of the paused attempt this session takes up again (`resume`), if any."""
        self.history: list[AnswerRecord] = []
        """Every answer given, in order (a changed answer adds a record)."""
        self._latest: dict[int, AnswerRecord] = {}
        self._responses: dict[int, Response] = {}
        self._time_on = [0.0] * len(self.asked)
        self._tries = [0] * len(self.asked)
        self._first: dict[int, AnswerRecord] = {}
        self.order: list[int] = list(range(len(self.asked)))
        """The positions in the order they are asked: in a drill, a miss is asked again
        at the end (`DRILL_RETRIES`); otherwise each position once."""
        self._current = 0
        self._entered_at = self.started_monotonic
        self.result: AttemptResult | None = None
        """The outcome, once the attempt has ended."""

    # time (the rest is TimedAttempt's)

    def time_used_seconds(self) -> float:
        """Time from the start to the end (or to now), never more than the limit."""
        if self.result is not None:
            return (self.result.finished_at - self.started_at).total_seconds()
        return self.capped_elapsed()

    # moving and answering

    @property
    def current(self) -> int:
        return self._current

    def visit(self, position: int) -> None:
        """The learner is now looking at question `position` (for time per question)."""
        if not 0 <= position < len(self.asked):
            raise IndexError(position)
        now = self.clock.monotonic()
        self._time_on[self._current] += now - self._entered_at
        self._current = position
        self._entered_at = now

    def answer(self, position: int, response: Response) -> AnswerRecord:
        """Grade and keep an answer to question `position`; returns the record to save.

        Raises TimeUp after the deadline, SessionError when the attempt has ended or a
        practice question was already answered, ValueError for an empty or ill-formed
        response.
        """
        if not 0 <= position < len(self.asked):
            raise IndexError(position)
        if self.result is not None:
            raise SessionError("this attempt has ended")
        if self.is_expired():
            raise TimeUp("time is up")
        if self.mode is Mode.PRACTICE and position in self._latest:
            raise SessionError("a practice question is answered once")
        if self.mode is Mode.DRILL and not self.can_answer(position):
            raise SessionError("this drill question is not asked again")
        asked = self.asked[position]
        kind = kind_of(asked.type)
        response = kind.normalise(asked, response) if response is not None else None
        if response is None:
            raise ValueError("no answer given")
        now = self.clock.monotonic()
        seconds = self._time_on[position]
        if position == self._current:
            seconds += now - self._entered_at
        confusable = confusable_texts(self.course) if kind.uses_confusables else ()
        record = AnswerRecord(
            question_id=asked.question_id,
            response=response,
            correct=kind.grade(asked, response, confusable),
            seconds=round(seconds, 3),
            answered_at=self.wall_time(now - self.started_monotonic),
        )
        self._keep(position, record)
        return record

    def _keep(self, position: int, record: AnswerRecord) -> None:
        """Keep an answer given (or, taking up a paused attempt, given before)."""
        self.history.append(record)
        if record.response is None:  # an exam answer taken back
            self._latest.pop(position, None)
            self._responses.pop(position, None)
            return
        self._latest[position] = record
        self._responses[position] = record.response
        self._first.setdefault(position, record)
        self._tries[position] += 1
        if asks_again(self.mode, record.correct, self._tries[position]):
            self.order.append(position)  # asked again later in the round
            self._time_on[position] = 0.0

    def can_answer(self, position: int) -> bool:
        """Whether question `position` takes an answer now: not answered yet; in an exam
        always; in a drill, also when its last answer was wrong and it is asked again."""
        record = self._latest.get(position)
        if record is None or self.mode is Mode.EXAM:
            return True
        return (
            self.mode is Mode.DRILL
            and not record.correct
            and self._tries[position] <= DRILL_RETRIES
            and self.order.count(position) > self._tries[position]
        )

    def drill_outcome(self) -> tuple[int, int, int]:
        """For a drill: (right the first time, right after a miss, still wrong), over
        the questions answered."""
        first = sum(1 for record in self._first.values() if record.correct)
        now_right = sum(1 for record in self._latest.values() if record.correct)
        return first, now_right - first, len(self._latest) - now_right

    def clear_answer(self, position: int) -> AnswerRecord | None:
        """Take back an exam answer (the learner turned every choice off).

        Returns the record to save (its response is None), or None if there was no answer.
        """
        if self.mode is not Mode.EXAM:
            raise SessionError("only an exam answer can be taken back")
        if self.result is not None:
            raise SessionError("this attempt has ended")
        if self.is_expired():
            raise TimeUp("time is up")
        if position not in self._latest:
            return None
        elapsed = self.clock.monotonic() - self.started_monotonic
        record = AnswerRecord(
            question_id=self.asked[position].question_id,
            response=None,
            correct=False,
            seconds=round(self._time_on[position], 3),
            answered_at=self.wall_time(elapsed),
        )
        self._keep(position, record)
        return record

    def response(self, position: int) -> Response:
        return self._responses.get(position)

    def record(self, position: int) -> AnswerRecord | None:
        return self._latest.get(position)

    def is_answered(self, position: int) -> bool:
        return position in self._latest

    def unanswered(self) -> tuple[int, ...]:
        return tuple(i for i in range(len(self.asked)) if i not in self._latest)

    @property
    def answered_count(self) -> int:
        return len(self._latest)

    @property
    def left(self) -> int:
        """Questions still to ask: an exam's unanswered ones; in a practice or drill
        round, the rest of its order."""
        if self.mode is Mode.EXAM:
            return len(self.unanswered())
        return len(self.order) - self.steps_done

    @property
    def steps_done(self) -> int:
        """In a practice or drill round, the steps of its order answered (one answer
        each); the next question asked is `order[steps_done]`."""
        return len(self.history)

    # the outcome

    def correct_count(self) -> int:
        return sum(1 for r in self._latest.values() if r.correct)

    def _verdict(self, *, abandoned: bool = False) -> Verdict:
        """quiz.domain.grading's verdict on the answers that count."""
        right = [position for position, record in self._latest.items() if record.correct]
        critical = [a.critical for a in self.asked]
        return verdict(critical, right, self.pass_mark, abandoned=abandoned)

    def critical_failures(self) -> tuple[AskedQuestion, ...]:
        """Critical questions answered wrongly or left unanswered (either fails an exam)."""
        return tuple(self.asked[position] for position in self._verdict().critical_missed)

    def section_scores(self) -> tuple[SectionScore, ...]:
        correct = {p: r.correct for p, r in self._latest.items()}
        return section_scores(self.course, self.asked, correct)

    def study_next(self) -> tuple[SectionScore, ...]:
        """The sections scored below the pass mark (the course default for practice)."""
        mark = self.pass_mark if self.pass_mark is not None else DEFAULT_PASS_MARK
        return tuple(s for s in self.section_scores() if s.below(mark))

    def passed(self) -> bool | None:
        """Pass or fail for an exam (None for practice): quiz.domain.grading's rule."""
        return self._verdict().passed

    def finish(self, status: AttemptStatus | None = None) -> AttemptResult:
        """End the attempt (once; later calls return the same result).

        Without a status: completed, or timed out past the deadline. Abandoning past the
        deadline is recorded as timed out too.
        """
        if self.result is not None:
            return self.result
        expired = self.is_expired()
        if status is None or status in (AttemptStatus.ABANDONED, AttemptStatus.PAUSED):
            status = AttemptStatus.TIMED_OUT if expired else (status or AttemptStatus.COMPLETED)
        # An abandoned (or paused) attempt was not finished: it neither passed nor failed.
        outcome = self._verdict(abandoned=status in (AttemptStatus.ABANDONED, AttemptStatus.PAUSED))
        self.result = AttemptResult(
            status=status,
            finished_at=self.wall_time(self.capped_elapsed()),
            correct=outcome.correct,
            total=outcome.total,
            percent=outcome.percent,
            passed=outcome.passed,
        )
        return self.result

    def begun_now(self) -> QuizSession:
        """This attempt as drawn (the same questions, in the same order), not yet
        answered, its clock started now."""
        if self.history or self.resumed_from is not None:
            raise SessionError("only an attempt not yet answered can be begun again")
        return QuizSession(
            self.course,
            self.selection,
            mode=self.mode,
            seed=self.seed,
            clock=self.clock,
            time_limit_seconds=self.time_limit_seconds,
            pass_mark=self.pass_mark,
            exam=self.exam,
            asked=self.asked,
        )

    def leave(self, how: Leaving) -> AttemptResult:
        """End the attempt because it was left before it ended (`how`): paused,
        abandoned, completed or timed out by quiz.domain.pausing's rule."""
        status = status_on_leaving(
            self.mode, how, expired=self.is_expired(), nothing_left=self.left == 0
        )
        return self.finish(status)

    @property
    def finished(self) -> bool:
        """Whether this session is over (a paused attempt's session too: taking the
        attempt up again is a new session, `resume`)."""
        return self.result is not None

    @classmethod
    def resume(cls, course: Course, paused: PausedAttempt, clock: Clock) -> QuizSession:
        """A paused attempt taken up again: the same questions in the same order, as
        they were asked (choices in the order shown), the answers already given, and
        its first start (the clock ran on meanwhile: an exam has the time left before
        its deadline). Raises SelectionError if `course` lacks one of its questions."""
        session = cls(
            course,
            selection_as_asked(course, paused.questions, paused.sections),
            mode=paused.mode,
            seed=paused.seed,
            clock=clock,
            time_limit_seconds=paused.time_limit_seconds,
            pass_mark=paused.pass_mark,
            exam=paused.exam,
            asked=tuple(
                asked if asked.position == i else replace(asked, position=i)
                for i, asked in enumerate(paused.questions)
            ),
            started_at=paused.started_at,
        )
        session.resumed_from = paused.attempt_id
        for position, record in paused.answers:
            session._keep(position, record)
        if session.mode is Mode.EXAM:
            session._current = next(iter(session.unanswered()), 0)
        elif session.left:
            session._current = session.order[session.steps_done]
        return session

    def attempt_start(self, learner: str) -> AttemptStart:
        """What the score store is told when the attempt begins."""
        return AttemptStart(
            learner=learner,
            course_id=self.course.id,
            course_version=self.course.version,
            mode=self.mode,
            sections=self.selection.sections,
            exam=self.exam,
            seed=self.seed,
            started_at=self.started_at,
            time_limit_seconds=self.time_limit_seconds,
            deadline_at=self.deadline_at(),
            pass_mark=self.pass_mark,
            questions=self.asked,
        )

    def review(self) -> tuple[ReviewItem, ...]:
        answers = {
            self.asked[p].question_id: (record.response, record.correct)
            for p, record in self._latest.items()
        }
        return review_items(self.course, self.asked, answers)
