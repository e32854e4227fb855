"""The quiz session: picking, ordering, grading, the deadline and the outcome (no Textual)."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from quiz.domain.answers import (
    describe_answer,
    describe_response,
    picked_indexes,
    response_for,
    review_items,
    shown_choices,
)
from quiz.domain.grading import grade
from quiz.domain.loader import load_course
from quiz.domain.model import (
    Course,
    ExamPreset,
    Question,
)
from quiz.domain.records import AskedQuestion, AttemptStatus, Mode
from quiz.domain.selection import SelectionError, ask_question, pick_questions
from quiz.domain.session import QuizSession, SessionError, TimeUp
from tests.support.fakes import START, FixedClock
from tests.support.made_courses import made_question, make_course
from tests.support.paths import BUNDLED, MINI


def session_for(course: Course, mode: Mode = Mode.EXAM, **kwargs: Any) -> QuizSession:
    clock = kwargs.pop("clock", None) or FixedClock()
    selection = pick_questions(course, seed=7)
    return QuizSession(course, selection, mode=mode, seed=7, clock=clock, **kwargs)


# --- picking --------------------------------------------------------------------------


def test_the_same_seed_gives_the_same_questions_order_and_choice_order() -> None:
    course = load_course(BUNDLED).course
    assert course is not None
    first = QuizSession(
        course,
        pick_questions(course, seed=42, count=10),
        mode=Mode.EXAM,
        seed=42,
        clock=FixedClock(),
    )
    second = QuizSession(
        course,
        pick_questions(course, seed=42, count=10),
        mode=Mode.EXAM,
        seed=42,
        clock=FixedClock(),
    )
    other = QuizSession(
        course,
        pick_questions(course, seed=43, count=10),
        mode=Mode.EXAM,
        seed=43,
        clock=FixedClock(),
    )
    assert first.asked == second.asked
    assert [a.question_id for a in first.asked] != [a.question_id for a in other.asked]
    bank_order = {q.id: q.choices for q in course.questions}
    shuffled = [a for a in first.asked if a.choices and a.choices != bank_order[a.question_id]]
    assert shuffled, "choices are shuffled"


def test_a_count_larger_than_the_pool_uses_the_whole_pool_and_says_so() -> None:
    course = make_course({"a": 3, "b": 4})
    selection = pick_questions(course, seed=1, sections=["b"], count=10)
    assert len(selection.questions) == 4
    assert selection.note == "only 4 questions in the chosen sections; using all 4"
    assert pick_questions(course, seed=1, count=5).note is None


def test_unknown_sections_and_empty_pools_are_refused() -> None:
    course = make_course({"a": 3, "b": 0})
    with pytest.raises(SelectionError, match="unknown section 'zz'"):
        pick_questions(course, seed=1, sections=["zz"])
    with pytest.raises(SelectionError, match="no questions"):
        pick_questions(course, seed=1, sections=["b"])


def test_sections_are_kept_in_course_order() -> None:
    course = make_course({"a": 3, "b": 3, "c": 3})
    selection = pick_questions(course, seed=1, sections=["c", "a"])
    assert selection.sections == ("a", "c")
    assert {q.section for q in selection.questions} == {"a", "c"}


def test_a_preset_spreads_over_sections_and_includes_every_criticalmade_question() -> None:
    course = make_course({"a": 10, "b": 10, "c": 10, "d": 10}, critical={"a": 3})
    preset = ExamPreset(
        "p", "P", questions=8, include_critical=True, time_limit_seconds=60, pass_mark=80
    )
    for seed in range(20):
        selection = pick_questions(course, seed=seed, preset=preset)
        ids = [q.id for q in selection.questions]
        assert len(ids) == len(set(ids)) == 8
        assert {"a-00", "a-01", "a-02"} <= set(ids)
        per_section = {s: sum(1 for q in selection.questions if q.section == s) for s in "abcd"}
        assert per_section["a"] == 3
        assert sorted(per_section[s] for s in "bcd") == [1, 2, 2]


def test_criticals_beyond_the_count_are_all_included_and_the_note_says_so() -> None:
    course = make_course({"a": 5, "b": 5}, critical={"a": 4, "b": 2})
    preset = ExamPreset(
        "p", "P", questions=3, include_critical=True, time_limit_seconds=60, pass_mark=80
    )
    selection = pick_questions(course, seed=3, preset=preset)
    assert len(selection.questions) == 6 and all(q.critical for q in selection.questions)
    assert selection.note == "all 6 critical questions are included, more than the 3 asked for"


def test_the_bundled_staff_check_draws_twenty_with_every_critical() -> None:
    course = load_course(BUNDLED).course
    assert course is not None
    preset = course.exams["staff-check"]
    selection = pick_questions(course, seed=5, preset=preset)
    assert len(selection.questions) == 20
    # Format 1: every critical question; format 2: one question of every critical fact.
    criticals = {
        q.fact_key if preset.is_blueprint else q.id for q in course.questions if q.critical
    }
    drawn = {q.fact_key if preset.is_blueprint else q.id for q in selection.questions}
    assert criticals <= drawn


# --- grading ----------------------------------------------------------------------------


def test_grading_each_kind() -> None:
    s = _ask_one(made_question("s", "a"))
    assert grade(s, "Right") and not grade(s, "Wrong one") and not grade(s, None)
    m = _ask_one(made_question("m", "a", kind="multiple"))
    assert grade(m, ["Yes two", "Yes one"])
    assert not grade(m, ["Yes one"]), "all or nothing"
    assert not grade(m, ["Yes one", "Yes two", "No one"])
    tf = _ask_one(made_question("t", "a", kind="true_false"))
    assert grade(tf, False) and not grade(tf, True)
    short = _ask_one(made_question("h", "a", kind="short"))
    assert grade(short, "  One To Three   DAYS ") and grade(short, "1\u20133 days")
    assert not grade(short, "three days")


def _ask_one(question: Question) -> AskedQuestion:
    return ask_question(0, question, seed=1)


def test_responses_and_letters_round_trip() -> None:
    m = _ask_one(made_question("m", "a", kind="multiple"))
    indexes = sorted(picked_indexes(m, ["Yes one", "Yes two"]))
    assert response_for(m, indexes) == [c for c in m.choices if c in ("Yes one", "Yes two")]
    tf = _ask_one(made_question("t", "a", kind="true_false"))
    assert shown_choices(tf) == ("True", "False")
    assert response_for(tf, [1]) is False and describe_response(tf, False) == "B. False"
    assert describe_answer(tf) == "B. False"
    short = _ask_one(made_question("h", "a", kind="short"))
    assert describe_answer(short) == "one to three days (also accepted: 1-3 days)"
    assert describe_response(short, None) == "(unanswered)"


# --- the session ------------------------------------------------------------------------


def test_practice_answers_once_and_records_time_spent() -> None:
    clock = FixedClock()
    course = make_course({"a": 3})
    session = session_for(course, Mode.PRACTICE, clock=clock)
    assert session.pass_mark is None
    clock.advance(12.5)
    first = session.asked[0]
    record = session.answer(0, "Right")
    assert record.correct and record.seconds == 12.5 and record.question_id == first.question_id
    assert record.answered_at == START + timedelta(seconds=12.5)
    with pytest.raises(SessionError):
        session.answer(0, "Wrong one")
    with pytest.raises(ValueError):
        session.answer(1, [])
    with pytest.raises(ValueError):
        session.answer(1, "not a choice")


def test_exam_answers_change_and_time_is_kept_permade_question() -> None:
    clock = FixedClock()
    session = session_for(make_course({"a": 3}), clock=clock, time_limit_seconds=600)
    clock.advance(5)
    session.answer(0, "Wrong one")
    session.visit(1)
    clock.advance(7)
    session.visit(0)
    clock.advance(3)
    changed = session.answer(0, "Right")
    assert changed.correct and changed.seconds == 8.0
    assert len(session.history) == 2 and session.record(0) == changed
    assert session.unanswered() == (1, 2)


def test_deadline_comes_from_the_clock_and_time_up_is_timed_out() -> None:
    clock = FixedClock()
    session = session_for(make_course({"a": 3}), clock=clock, time_limit_seconds=20)
    assert session.remaining_seconds() == 20
    clock.advance(19.5)
    assert not session.is_expired() and session.remaining_seconds() == 0.5
    session.answer(0, "Right")
    clock.advance(3)
    assert session.is_expired() and session.remaining_seconds() == 0
    with pytest.raises(TimeUp):
        session.answer(1, "Right")
    result = session.finish()
    assert result.status is AttemptStatus.TIMED_OUT
    assert result.correct == 1 and result.total == 3 and result.passed is False
    assert result.finished_at == START + timedelta(seconds=20)
    assert session.time_used_seconds() == 20
    assert session.finish(AttemptStatus.COMPLETED) is result, "finishing twice keeps the first"


def test_abandoning_past_the_deadline_is_timed_out() -> None:
    clock = FixedClock()
    session = session_for(make_course({"a": 2}), clock=clock, time_limit_seconds=10)
    clock.advance(11)
    assert session.finish(AttemptStatus.ABANDONED).status is AttemptStatus.TIMED_OUT
    other = session_for(make_course({"a": 2}), clock=FixedClock(), time_limit_seconds=10)
    assert other.finish(AttemptStatus.ABANDONED).status is AttemptStatus.ABANDONED


def test_a_wrong_critical_answer_fails_whatever_the_percentage() -> None:
    course = make_course({"a": 10}, critical={"a": 1})
    session = session_for(course, pass_mark=80)
    for position, asked in enumerate(session.asked):
        session.answer(position, "Wrong one" if asked.critical else "Right")
    result = session.finish()
    assert result.percent == 90.0 and result.passed is False
    assert [a.question_id for a in session.critical_failures()] == ["a-00"]


def test_pass_mark_is_compared_without_rounding_loss() -> None:
    session = session_for(make_course({"a": 5}), pass_mark=80)
    for position in range(4):
        session.answer(position, "Right")
    assert session.finish().passed is True


def test_section_scores_and_study_next() -> None:
    course = make_course({"a": 2, "b": 2})
    session = session_for(course, Mode.PRACTICE)
    for position, asked in enumerate(session.asked):
        session.answer(position, "Right" if asked.section == "a" else "Wrong one")
    scores = session.section_scores()
    assert [(s.section_id, s.correct, s.total) for s in scores] == [("a", 2, 2), ("b", 0, 2)]
    assert [s.section_id for s in session.study_next()] == ["b"]
    assert scores[0].title == "Title a"


def test_attempt_start_and_review() -> None:
    clock = FixedClock()
    course = make_course({"a": 2})
    session = session_for(course, clock=clock, time_limit_seconds=60, exam="p")
    start = session.attempt_start("Ann")
    assert start.learner == "Ann" and start.mode is Mode.EXAM and start.exam == "p"
    assert start.deadline_at == START + timedelta(seconds=60) and start.pass_mark == 80
    assert start.questions == session.asked and start.sections == ("a",)
    session.answer(1, "Right")
    items = session.review()
    assert [i.answered for i in items] == [False, True]
    assert items[1].correct and items[1].question is course.question(items[1].asked.question_id)
    again = review_items(None, session.asked, {session.asked[1].question_id: ("Right", True)})
    assert again[1].correct and again[1].question is None


def test_an_abandoned_exam_neither_passes_nor_fails() -> None:
    from quiz.domain.clock import SystemClock
    from quiz.domain.selection import pick_questions
    from quiz.domain.session import QuizSession

    course = load_course(MINI).course
    assert course is not None
    preset = course.exams["check"]
    selection = pick_questions(course, seed=1, preset=preset)
    session = QuizSession(
        course,
        selection,
        mode=Mode.EXAM,
        seed=1,
        clock=SystemClock(),
        time_limit_seconds=90,
        pass_mark=80,
    )
    result = session.finish(AttemptStatus.ABANDONED)
    assert result.status is AttemptStatus.ABANDONED
    assert result.passed is None
