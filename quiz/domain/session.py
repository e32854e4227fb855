"""A quiz attempt without Textual: the questions and their order, answers, grading, the deadline.

Everything random comes from `random.Random(seed)` (never the global generator), so
the same seed gives the same questions, in the same order, with the same choice
order. Time comes from an injected `Clock`: tests move it instead of sleeping, and
the deadline is a point on the monotonic clock, never a count of ticks.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol

from quiz.domain.model import DEFAULT_PASS_MARK, Course, Question, QuestionType
from quiz.domain.records import (
    AnswerRecord,
    AskedQuestion,
    AttemptResult,
    AttemptStart,
    AttemptStatus,
    Mode,
    Response,
)

# Picking questions lives in quiz.domain.selection; these names stay importable from here.
from quiz.domain.selection import Selection as Selection
from quiz.domain.selection import SelectionError as SelectionError
from quiz.domain.selection import pick_questions as pick_questions
from quiz.domain.selection import resolve_sections as resolve_sections
from quiz.domain.text import match_typed, strip_control, typed_form


class Clock(Protocol):
    """Where a session reads the time."""

    def monotonic(self) -> float:
        """Seconds on a clock that never goes back (for deadlines and durations)."""
        ...

    def now(self) -> datetime:
        """The wall-clock time, timezone-aware UTC (for records)."""
        ...


class SystemClock:
    """The real clock."""

    def monotonic(self) -> float:
        return time.monotonic()

    def now(self) -> datetime:
        return datetime.now(UTC)


class SessionError(RuntimeError):
    """An answer the session cannot take (finished attempt, practice answer already given)."""


class TimeUp(SessionError):
    """The attempt's deadline has passed: no more answers."""


def new_seed() -> int:
    """A fresh seed for an attempt that was not given one (saved with the attempt)."""
    return random.SystemRandom().randrange(1, 2**31)


# --- what is shown, and grading ----------------------------------------------------------


def letter(index: int) -> str:
    """The label of choice `index`: A, B, C..."""
    return chr(ord("A") + index)


def shown_choices(asked: AskedQuestion) -> tuple[str, ...]:
    """The choices as the learner sees them (true/false questions show True and False)."""
    if asked.type == QuestionType.TRUE_FALSE:
        return ("True", "False")
    return asked.choices


def response_for(asked: AskedQuestion, picked: Iterable[int]) -> Response:
    """The response for the choices picked (by index in the shown order); None for none."""
    indexes = sorted(set(picked))
    if not indexes:
        return None
    if asked.type == QuestionType.TRUE_FALSE:
        return indexes[0] == 0
    if asked.type == QuestionType.MULTIPLE:
        return [asked.choices[i] for i in indexes]
    if asked.type == QuestionType.SINGLE:
        return asked.choices[indexes[0]]
    raise ValueError("a short question has no choices")


def picked_indexes(asked: AskedQuestion, response: Response) -> frozenset[int]:
    """The shown choices a response picks (the reverse of `response_for`)."""
    if response is None or asked.type == QuestionType.SHORT:
        return frozenset()
    if isinstance(response, bool):
        return frozenset({0 if response else 1})
    texts = [response] if isinstance(response, str) else response
    return frozenset(i for i, choice in enumerate(asked.choices) if choice in texts)


def right_indexes(asked: AskedQuestion) -> frozenset[int]:
    """The shown choices that make up the right answer (none for a short question)."""
    if asked.type == QuestionType.TRUE_FALSE:
        return picked_indexes(asked, asked.answer == ("true",))
    return picked_indexes(asked, list(asked.answer))


def grade(asked: AskedQuestion, response: Response, confusable: Iterable[str] = ()) -> bool:
    """Whether `response` is right. Multiple answers are all-or-nothing; typed answers
    match an accepted one by `match_typed` (case, end punctuation and a leading article
    ignored; one slip forgiven in a long word unless it is within one edit of a
    `confusable` text: see `confusable_texts`)."""
    if response is None:
        return False
    kind = asked.type
    if kind == QuestionType.TRUE_FALSE:
        return isinstance(response, bool) and response == (asked.answer == ("true",))
    if kind == QuestionType.MULTIPLE:
        return isinstance(response, list) and set(response) == set(asked.answer)
    if kind == QuestionType.SHORT:
        return isinstance(response, str) and match_typed(response, asked.answer, confusable)[0]
    return isinstance(response, str) and (response,) == asked.answer[:1]


def slip_spelling(asked: AskedQuestion, response: Response) -> str | None:
    """For a typed answer accepted with a spelling slip: the accepted spelling."""
    if asked.type != QuestionType.SHORT or not isinstance(response, str):
        return None
    return match_typed(response, asked.answer)[1]


_confusable_cache: dict[str, frozenset[str]] = {}


def confusable_texts(course: Course) -> frozenset[str]:
    """Every accepted typed answer and every choice in the course, in `typed_form`: a
    typed slip within one edit of any of them (other than the question's own answers)
    is not forgiven. Cached by course version (a course is immutable)."""
    texts = _confusable_cache.get(course.version)
    if texts is None:
        texts = frozenset(
            typed_form(text)
            for question in course.questions
            for text in (
                question.answer if question.type == QuestionType.SHORT else question.choices
            )
        )
        _confusable_cache[course.version] = texts
    return texts


def describe_response(asked: AskedQuestion, response: Response) -> str:
    """A response as the learner reads it: "B. They break apart", "True", the typed text."""
    if response is None or response == "" or response == []:
        return "(unanswered)"
    if asked.type == QuestionType.SHORT:
        return str(response)
    choices = shown_choices(asked)
    return "; ".join(f"{letter(i)}. {choices[i]}" for i in sorted(picked_indexes(asked, response)))


def describe_answer(asked: AskedQuestion) -> str:
    """The right answer as the learner reads it, with its letters."""
    if asked.type == QuestionType.SHORT:
        first, *others = asked.answer
        return f"{first} (also accepted: {', '.join(others)})" if others else first
    if asked.type == QuestionType.TRUE_FALSE:
        return describe_response(asked, asked.answer == ("true",))
    return describe_response(asked, list(asked.answer))


def _ask(position: int, question: Question, seed: int) -> AskedQuestion:
    choices = list(question.choices)
    # One generator per question, seeded from the attempt's seed and the question's
    # id: its choice order does not depend on which other questions were picked.
    random.Random(f"{seed}:{question.id}").shuffle(choices)
    return AskedQuestion(
        position=position,
        question_id=question.id,
        section=question.section,
        type=question.type.value,
        prompt=question.prompt,
        choices=tuple(choices),
        answer=question.answer,
        critical=question.critical,
    )


def _normalise(asked: AskedQuestion, response: Response) -> Response:
    """The response checked against the question, in a canonical form; None if empty."""
    kind = asked.type
    if response is None:
        return None
    if kind == QuestionType.SHORT:
        if not isinstance(response, str):
            raise ValueError("a short question takes typed text")
        text = strip_control(response).strip()
        return text or None
    if kind == QuestionType.TRUE_FALSE:
        if not isinstance(response, bool):
            raise ValueError("a true/false question takes True or False")
        return response
    texts = [response] if isinstance(response, str) else response
    if not isinstance(texts, list) or any(t not in asked.choices for t in texts):
        raise ValueError("the response is not one of the question's choices")
    if kind == QuestionType.SINGLE:
        if len(texts) != 1:
            raise ValueError("a single-answer question takes one choice")
        return texts[0]
    ordered = [c for c in asked.choices if c in texts]
    return ordered or None


# --- results ---------------------------------------------------------------------------


@dataclass(frozen=True)
class SectionScore:
    """How the learner did on the questions from one section."""

    section_id: str
    title: str
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    def below(self, pass_mark: int) -> bool:
        # Whole numbers, so 4 of 5 against 80 is not lost to rounding.
        return self.correct * 100 < pass_mark * self.total


@dataclass(frozen=True)
class ReviewItem:
    """One question of a finished attempt, as the review shows it."""

    asked: AskedQuestion
    response: Response
    correct: bool
    question: Question | None  # the bank's question (explanation, passage), if still there

    @property
    def answered(self) -> bool:
        return self.response is not None


def section_scores(
    course: Course, asked: Sequence[AskedQuestion], correct: Mapping[int, bool]
) -> tuple[SectionScore, ...]:
    """Scores per section, in course order; `correct` maps positions to right/wrong."""
    totals: Counter[str] = Counter(a.section for a in asked)
    rights: Counter[str] = Counter(a.section for a in asked if correct.get(a.position, False))
    order = [s.id for s in course.source.sections]
    ids = sorted(totals, key=lambda s: (order.index(s) if s in order else len(order), s))
    return tuple(SectionScore(s, course.section_title(s), rights[s], totals[s]) for s in ids)


def review_items(
    course: Course | None,
    asked: Sequence[AskedQuestion],
    answers: Mapping[str, tuple[Response, bool]],
) -> tuple[ReviewItem, ...]:
    """The review of an attempt from its records: `answers` maps a question id to its
    latest response and whether it was graded right when given (never re-graded here:
    a review shows the verdict the attempt was scored with)."""
    items = []
    for question in asked:
        response, correct = answers.get(question.question_id, (None, False))
        items.append(
            ReviewItem(
                asked=question,
                response=response,
                correct=correct,
                question=course.question(question.question_id) if course else None,
            )
        )
    return tuple(items)


# --- the session -----------------------------------------------------------------------


class QuizSession:
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
    ) -> None:
        if not selection.questions:
            raise SelectionError("an attempt needs at least one question")
        self.course = course
        self.selection = selection
        self.mode = mode
        self.seed = seed
        self.clock = clock
        self.exam = exam
        self.time_limit_seconds = time_limit_seconds
        self.pass_mark = (
            None
            if mode is Mode.PRACTICE
            else (pass_mark if pass_mark is not None else DEFAULT_PASS_MARK)
        )
        self.questions = selection.questions
        self.asked = tuple(_ask(i, q, seed) for i, q in enumerate(selection.questions))
        self.started_monotonic = clock.monotonic()
        self.started_at = clock.now()
        self.deadline = self.started_monotonic + time_limit_seconds if time_limit_seconds else None
        self.history: list[AnswerRecord] = []
        """Every answer given, in order (a changed answer adds a record)."""
        self._latest: dict[int, AnswerRecord] = {}
        self._responses: dict[int, Response] = {}
        self._time_on = [0.0] * len(self.asked)
        self._current = 0
        self._entered_at = self.started_monotonic
        self.result: AttemptResult | None = None
        """The outcome, once the attempt has ended."""

    # time

    def elapsed_seconds(self) -> float:
        return max(0.0, self.clock.monotonic() - self.started_monotonic)

    def remaining_seconds(self) -> float | None:
        """Seconds left before the deadline (never below 0); None without a time limit."""
        if self.deadline is None:
            return None
        return max(0.0, self.deadline - self.clock.monotonic())

    def is_expired(self) -> bool:
        return self.deadline is not None and self.clock.monotonic() >= self.deadline

    def time_used_seconds(self) -> float:
        """Time from the start to the end (or to now), never more than the limit."""
        if self.result is not None:
            return (self.result.finished_at - self.started_at).total_seconds()
        return self._capped_elapsed()

    def _capped_elapsed(self) -> float:
        elapsed = self.elapsed_seconds()
        if self.time_limit_seconds is not None:
            elapsed = min(elapsed, float(self.time_limit_seconds))
        return elapsed

    def _wall_time(self, elapsed: float) -> datetime:
        # Wall times follow the monotonic clock from the start, so a clock change
        # during the attempt does not make answers appear out of order.
        return self.started_at + timedelta(seconds=elapsed)

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
        asked = self.asked[position]
        response = _normalise(asked, response)
        if response is None:
            raise ValueError("no answer given")
        now = self.clock.monotonic()
        seconds = self._time_on[position]
        if position == self._current:
            seconds += now - self._entered_at
        record = AnswerRecord(
            question_id=asked.question_id,
            response=response,
            correct=grade(
                asked,
                response,
                confusable_texts(self.course) if asked.type == QuestionType.SHORT else (),
            ),
            seconds=round(seconds, 3),
            answered_at=self._wall_time(now - self.started_monotonic),
        )
        self.history.append(record)
        self._latest[position] = record
        self._responses[position] = response
        return record

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
            answered_at=self._wall_time(elapsed),
        )
        self.history.append(record)
        del self._latest[position]
        del self._responses[position]
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

    # the outcome

    def correct_count(self) -> int:
        return sum(1 for r in self._latest.values() if r.correct)

    def critical_failures(self) -> tuple[AskedQuestion, ...]:
        """Critical questions answered wrongly or left unanswered (either fails an exam)."""
        from quiz.domain.grading import verdict  # the pass rule's one home

        right = [position for position, record in self._latest.items() if record.correct]
        outcome = verdict([a.critical for a in self.asked], right, self.pass_mark)
        return tuple(self.asked[position] for position in outcome.critical_missed)

    def section_scores(self) -> tuple[SectionScore, ...]:
        correct = {p: r.correct for p, r in self._latest.items()}
        return section_scores(self.course, self.asked, correct)

    def study_next(self) -> tuple[SectionScore, ...]:
        """The sections scored below the pass mark (the course default for practice)."""
        mark = self.pass_mark if self.pass_mark is not None else DEFAULT_PASS_MARK
        return tuple(s for s in self.section_scores() if s.below(mark))

    def passed(self) -> bool | None:
        """Pass or fail for an exam (None for practice): quiz.domain.grading's rule."""
        from quiz.domain.grading import verdict

        right = [position for position, record in self._latest.items() if record.correct]
        return verdict([a.critical for a in self.asked], right, self.pass_mark).passed

    def finish(self, status: AttemptStatus | None = None) -> AttemptResult:
        """End the attempt (once; later calls return the same result).

        Without a status: completed, or timed out past the deadline. Abandoning past the
        deadline is recorded as timed out too.
        """
        if self.result is not None:
            return self.result
        expired = self.is_expired()
        if status is None or status is AttemptStatus.ABANDONED:
            status = AttemptStatus.TIMED_OUT if expired else (status or AttemptStatus.COMPLETED)
        from quiz.domain.grading import verdict

        right = [position for position, record in self._latest.items() if record.correct]
        outcome = verdict(
            [a.critical for a in self.asked],
            right,
            self.pass_mark,
            # An abandoned attempt was never finished: it neither passed nor failed.
            abandoned=status is AttemptStatus.ABANDONED,
        )
        self.result = AttemptResult(
            status=status,
            finished_at=self._wall_time(self._capped_elapsed()),
            correct=outcome.correct,
            total=outcome.total,
            percent=outcome.percent,
            passed=outcome.passed,
        )
        return self.result

    @property
    def finished(self) -> bool:
        return self.result is not None

    def attempt_start(self, learner: str) -> AttemptStart:
        """What the score store is told when the attempt begins."""
        deadline_at = (
            self.started_at + timedelta(seconds=self.time_limit_seconds)
            if self.time_limit_seconds
            else None
        )
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
            deadline_at=deadline_at,
            pass_mark=self.pass_mark,
            questions=self.asked,
        )

    def review(self) -> tuple[ReviewItem, ...]:
        answers = {
            self.asked[p].question_id: (record.response, record.correct)
            for p, record in self._latest.items()
        }
        return review_items(self.course, self.asked, answers)
