"""Leaving an attempt unfinished and taking it up again, without a store or Textual: what
it becomes (quiz.domain.pausing), which paused attempts are offered, and a session taken
up again where it was left (QuizSession.resume)."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from quiz.domain.answers import response_for, right_indexes
from quiz.domain.pausing import (
    DEFAULT_PAUSE_LIMIT_SECONDS,
    Leaving,
    PausedAttempt,
    blocking_exam,
    expiry,
    offered,
    status_on_leaving,
    superseded_by_new,
)
from quiz.domain.records import AttemptStatus, Mode
from quiz.domain.rounds import DRILL_RETRIES
from quiz.domain.selection import SelectionError, drill_selection, pick_questions
from quiz.domain.session import QuizSession, SessionError
from tests.support.fakes import START, FixedClock
from tests.support.made_courses import make_course
from tests.support.paused import paused_from

COURSE = make_course({"a": 4, "b": 4}, critical={"a": 1})
DAY = timedelta(days=1)


def session_of(
    mode: Mode, clock: FixedClock, *, count: int = 6, limit: int | None = None
) -> QuizSession:
    if mode is Mode.DRILL:
        selection = drill_selection(COURSE, [f"a-{i:02d}" for i in range(4)])
    else:
        selection = pick_questions(COURSE, seed=3, count=count, mode=mode)
    return QuizSession(COURSE, selection, mode=mode, seed=3, clock=clock, time_limit_seconds=limit)


def answer(session: QuizSession, position: int, *, right: bool) -> None:
    asked = session.asked[position]
    session.visit(position)
    picks = right_indexes(asked) if right else [3]  # choice texts shuffled: "Right" or not
    session.answer(position, response_for(asked, sorted(picks)))


# --- what an attempt left unfinished becomes ------------------------------------------


@pytest.mark.parametrize("mode", [Mode.PRACTICE, Mode.DRILL])
@pytest.mark.parametrize("how", list(Leaving))
def test_a_practice_or_drill_round_left_any_way_is_paused(mode: Mode, how: Leaving) -> None:
    assert status_on_leaving(mode, how, expired=False, nothing_left=False) is AttemptStatus.PAUSED
    done = status_on_leaving(mode, how, expired=False, nothing_left=True)
    assert done is AttemptStatus.COMPLETED  # nothing left to ask: it has ended


def test_an_exam_is_paused_when_its_terminal_closes_or_its_process_is_gone() -> None:
    became = {
        how: status_on_leaving(Mode.EXAM, how, expired=False, nothing_left=False) for how in Leaving
    }
    assert became == {
        Leaving.HANGUP: AttemptStatus.PAUSED,
        Leaving.GONE: AttemptStatus.PAUSED,
        Leaving.LEFT: AttemptStatus.ABANDONED,  # Esc or a quit, confirmed
        Leaving.TERMINATED: AttemptStatus.ABANDONED,
    }


@pytest.mark.parametrize("mode", list(Mode))
def test_past_the_deadline_an_attempt_left_is_timed_out(mode: Mode) -> None:
    for how in Leaving:
        status = status_on_leaving(mode, how, expired=True, nothing_left=False)
        assert status is AttemptStatus.TIMED_OUT


def test_a_paused_exam_ends_at_its_deadline_and_a_round_after_the_pause_limit() -> None:
    deadline = START + timedelta(minutes=15)
    limit = DEFAULT_PAUSE_LIMIT_SECONDS
    assert limit == 7 * 86400

    def exam_at(now: datetime) -> tuple[AttemptStatus, datetime] | None:
        return expiry(paused_at=START, deadline_at=deadline, now=now, limit_seconds=limit)

    def round_at(now: datetime) -> tuple[AttemptStatus, datetime] | None:
        return expiry(paused_at=START, deadline_at=None, now=now, limit_seconds=limit)

    assert exam_at(deadline - timedelta(seconds=1)) is None
    assert exam_at(deadline) == (AttemptStatus.TIMED_OUT, deadline)
    assert round_at(START + 7 * DAY - timedelta(seconds=1)) is None
    assert round_at(START + 7 * DAY) == (AttemptStatus.ABANDONED, START)
    assert round_at(START + 8 * DAY) == (AttemptStatus.ABANDONED, START)


def test_a_new_round_supersedes_a_paused_one_of_its_kind_but_never_an_exam() -> None:
    assert superseded_by_new(Mode.PRACTICE) and superseded_by_new(Mode.DRILL)
    assert not superseded_by_new(Mode.EXAM)


# --- which paused attempts are offered ------------------------------------------------


def _paused(mode: Mode, attempt_id: str, **changes: object) -> PausedAttempt:
    clock = FixedClock()
    session = session_of(mode, clock, limit=900 if mode is Mode.EXAM else None)
    return replace(paused_from(session, attempt_id=attempt_id), **changes)  # type: ignore[arg-type]


def test_an_unexpired_exam_is_offered_first_then_the_rounds_paused_last_first() -> None:
    versions = {COURSE.id: COURSE.version}
    old = _paused(Mode.PRACTICE, "old", paused_at=START - DAY)
    new = _paused(Mode.DRILL, "new", paused_at=START - timedelta(hours=1))
    exam = _paused(Mode.EXAM, "exam")
    offers = offered([old, new, exam], versions=versions, now=START + timedelta(minutes=1))
    assert [o.attempt_id for o in offers] == ["exam", "new", "old"]
    assert blocking_exam(offers) is exam
    assert blocking_exam(offers[1:]) is None


def test_an_exam_is_offered_only_before_its_deadline_and_on_the_computer_it_began_on() -> None:
    versions = {COURSE.id: COURSE.version}
    exam = _paused(Mode.EXAM, "exam")
    assert exam.deadline_at == START + timedelta(seconds=900)
    late = START + timedelta(seconds=900)
    assert offered([exam], versions=versions, now=late) == []
    elsewhere = replace(exam, started_here=False)
    assert offered([elsewhere], versions=versions, now=START) == []
    practice_elsewhere = replace(_paused(Mode.PRACTICE, "p"), started_here=False)
    assert offered([practice_elsewhere], versions=versions, now=START) == [practice_elsewhere]


def test_nothing_is_offered_once_its_course_has_changed() -> None:
    practice = _paused(Mode.PRACTICE, "p")
    assert offered([practice], versions={COURSE.id: "sha256:edited"}, now=START) == []
    assert offered([practice], versions={}, now=START) == []


def test_what_is_left_counts_a_drill_miss_asked_again() -> None:
    clock = FixedClock()
    drill = session_of(Mode.DRILL, clock)
    answer(drill, 0, right=False)  # asked again at the end
    answer(drill, 1, right=True)
    paused = paused_from(drill)
    assert (paused.answered, paused.left, paused.to_ask) == (2, 3, 5)
    assert paused.left == drill.left and paused.to_ask == len(drill.order)
    exam = session_of(Mode.EXAM, clock, limit=600)
    answer(exam, 2, right=True)
    assert (paused_from(exam).answered, paused_from(exam).left) == (1, 5)


# --- a session taken up again ---------------------------------------------------------


def test_a_practice_round_resumes_at_its_next_question_with_the_answers_given() -> None:
    clock = FixedClock()
    first = session_of(Mode.PRACTICE, clock)
    answer(first, 0, right=True)
    clock.advance(20)
    answer(first, 1, right=False)
    result = first.leave(Leaving.LEFT)
    assert result.status is AttemptStatus.PAUSED and result.passed is None
    paused = paused_from(first, attempt_id="p-1")
    clock.advance(3 * 3600)  # away for three hours

    again = QuizSession.resume(COURSE, paused, clock)
    assert again.resumed_from == "p-1"
    assert again.asked == first.asked  # the same questions, order and choices
    assert again.history == first.history
    assert again.steps_done == 2 and again.current == again.order[2] == 2
    assert again.left == 4 and again.answered_count == 2
    with pytest.raises(SessionError):
        again.answer(0, "Right")  # a practice question is answered once
    assert again.started_at == first.started_at
    assert again.time_used_seconds() == pytest.approx(20 + 3 * 3600)
    for position in range(2, 6):
        answer(again, position, right=True)
    done = again.finish(AttemptStatus.COMPLETED)
    assert done.correct == 5 and done.total == 6


def test_a_resumed_exam_has_the_time_left_before_its_first_deadline() -> None:
    clock = FixedClock()
    first = session_of(Mode.EXAM, clock, limit=600)
    clock.advance(100)
    answer(first, 0, right=True)
    answer(first, 3, right=False)
    assert first.leave(Leaving.GONE).status is AttemptStatus.PAUSED
    paused = paused_from(first)
    clock.advance(200)  # the clock ran on while it was away

    again = QuizSession.resume(COURSE, paused, clock)
    assert again.remaining_seconds() == pytest.approx(300)
    assert again.current == 1  # the first unanswered question
    assert again.response(3) == first.response(3) and again.answered_count == 2
    clock.advance(299)
    assert not again.is_expired()
    clock.advance(1)
    assert again.is_expired()
    result = again.finish()
    assert result.status is AttemptStatus.TIMED_OUT
    assert result.finished_at == paused.deadline_at
    assert again.time_used_seconds() == 600


def test_an_exam_answer_taken_back_stays_taken_back() -> None:
    clock = FixedClock()
    first = session_of(Mode.EXAM, clock, limit=600)
    answer(first, 0, right=True)
    first.clear_answer(0)
    answer(first, 1, right=True)
    again = QuizSession.resume(COURSE, paused_from(first), clock)
    assert not again.is_answered(0) and again.is_answered(1)
    assert again.unanswered() == (0, 2, 3, 4, 5) and again.current == 0


def test_a_resumed_drill_asks_its_misses_again() -> None:
    clock = FixedClock()
    drill = session_of(Mode.DRILL, clock)
    answer(drill, 0, right=False)
    answer(drill, 1, right=True)
    again = QuizSession.resume(COURSE, paused_from(drill), clock)
    assert again.order == drill.order == [0, 1, 2, 3, 0]
    assert again.steps_done == 2 and again.current == 2
    for position in (2, 3):
        answer(again, position, right=True)
    assert again.can_answer(0)  # asked again at the end, as before the pause
    for _ in range(DRILL_RETRIES):
        if again.can_answer(0):
            answer(again, 0, right=False)
    assert not again.can_answer(0)
    assert again.drill_outcome() == (3, 0, 1)  # right the first time, fixed, still wrong


def test_leaving_a_round_with_nothing_left_to_ask_completes_it() -> None:
    clock = FixedClock()
    session = session_of(Mode.PRACTICE, clock, count=2)
    answer(session, 0, right=True)
    answer(session, 1, right=True)
    assert session.leave(Leaving.LEFT).status is AttemptStatus.COMPLETED


def test_a_course_without_one_of_its_questions_cannot_take_it_up() -> None:
    clock = FixedClock()
    session = session_of(Mode.PRACTICE, clock)
    smaller = make_course({"a": 1})
    with pytest.raises(SelectionError, match="no question"):
        QuizSession.resume(smaller, paused_from(session), clock)


def test_an_attempt_begun_again_is_drawn_the_same_with_its_clock_started_now() -> None:
    clock = FixedClock()
    session = session_of(Mode.EXAM, clock, limit=600)
    clock.advance(90)
    again = session.begun_now()
    assert again.asked == session.asked and again.started_at == clock.now()
    assert again.remaining_seconds() == 600
    answer(again, 0, right=True)
    with pytest.raises(SessionError):
        again.begun_now()
