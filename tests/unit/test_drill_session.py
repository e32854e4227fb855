"""A drill round in the session: the due questions in the store's order, a miss asked
again at the end of the round (at most DRILL_RETRIES more times), and its outcome."""

from __future__ import annotations

import pytest

from quiz.domain.records import Mode
from quiz.domain.rounds import DRILL_RETRIES
from quiz.domain.selection import DRILL_COUNT, SelectionError, drill_selection
from quiz.domain.session import QuizSession, SessionError
from tests.support.fakes import FixedClock
from tests.support.made_courses import make_course


def _drill(due: list[str], count: int | None = None) -> QuizSession:
    course = make_course({"a": 6, "b": 6})
    selection = drill_selection(course, due, count=count)
    return QuizSession(course, selection, mode=Mode.DRILL, seed=1, clock=FixedClock())


def test_a_drill_asks_the_due_questions_in_the_order_given() -> None:
    session = _drill(["b-03", "a-01", "gone-01", "a-01", "b-00"])
    assert [a.question_id for a in session.asked] == ["b-03", "a-01", "b-00"]
    assert session.selection.sections == ("a", "b")
    assert session.pass_mark is None and session.time_limit_seconds is None


def test_a_drill_takes_ten_questions_unless_told() -> None:
    due = [f"a-{i:02d}" for i in range(6)] + [f"b-{i:02d}" for i in range(6)]
    assert len(_drill(due).asked) == DRILL_COUNT == 10
    assert len(_drill(due, count=3).asked) == 3
    with pytest.raises(SelectionError, match="no question is due"):
        _drill(["gone-01"])
    with pytest.raises(SelectionError):
        _drill(due, count=0)


def test_a_miss_comes_back_at_the_end_until_right_at_most_twice_more() -> None:
    session = _drill(["a-00", "a-01", "a-02"])
    assert session.order == [0, 1, 2]
    session.answer(0, "Wrong one")  # a miss: asked again at the end
    assert session.order == [0, 1, 2, 0]
    session.answer(1, "Right")  # right the first time: not asked again
    with pytest.raises(SessionError):
        session.answer(1, "Right")
    session.answer(2, "Wrong two")
    assert session.order == [0, 1, 2, 0, 2]
    session.answer(0, "Right")  # fixed on its second asking
    assert session.order == [0, 1, 2, 0, 2]
    for _ in range(DRILL_RETRIES):
        session.answer(2, "Wrong one")
    assert session.order == [0, 1, 2, 0, 2, 2], "asked three times in all"
    assert not session.can_answer(2)
    with pytest.raises(SessionError):
        session.answer(2, "Right")
    assert session.drill_outcome() == (1, 1, 1)
    result = session.finish()
    assert (result.correct, result.total, result.passed) == (2, 3, None)
    # Every answer is kept, in order: the store saves each as a revision of its item.
    assert [r.question_id for r in session.history] == [
        "a-00",
        "a-01",
        "a-02",
        "a-00",
        "a-02",
        "a-02",
    ]


def test_practice_and_exam_do_not_ask_again() -> None:
    course = make_course({"a": 3})
    for mode in (Mode.PRACTICE, Mode.EXAM):
        selection = drill_selection(course, ["a-00", "a-01"])
        session = QuizSession(course, selection, mode=mode, seed=1, clock=FixedClock())
        session.answer(0, "Wrong one")
        assert session.order == [0, 1]
