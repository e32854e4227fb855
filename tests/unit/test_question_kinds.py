"""Question kinds: a type is one class, dispatched through (quiz.domain.kinds).

The `number` kind defined in tests/support/number_kind.py, registered through the public
functions, goes through `quiz check`, the session (asked, answered, graded,
described, reviewed) and the store's codec with no edit anywhere in quiz/.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from quiz.cli import main
from quiz.domain import kinds
from quiz.domain.answers import (
    describe_answer,
    describe_response,
    normalise_response,
    picked_indexes,
    right_indexes,
    shown_choices,
)
from quiz.domain.grading import grade
from quiz.domain.kinds.base import QuestionKind
from quiz.domain.model import Course, QuestionType
from quiz.domain.records import AskedQuestion, AttemptStatus, Mode, Response
from quiz.domain.selection import Selection
from quiz.domain.session import QuizSession
from quiz.storage.codec import decode_response, encode_response, is_choice_mask
from tests.support.courses import write_course
from tests.support.fakes import FixedClock
from tests.support.number_kind import NUMBER_COURSE, NumberKind, number_kind_registered


def _session(course: Course, mode: Mode = Mode.PRACTICE) -> QuizSession:
    numbers = tuple(q for q in course.questions if q.type == "number")
    selection = Selection(questions=numbers, sections=("healing",))
    return QuizSession(course, selection, mode=mode, seed=1, clock=FixedClock())


# --- the registry ------------------------------------------------------------------------


def test_the_built_in_kinds_come_first_in_the_readme_order() -> None:
    assert kinds.kind_names() == tuple(QuestionType)
    for name in QuestionType:
        kind = kinds.kind_of(name)
        assert isinstance(kind, QuestionKind) and kind.name == name


def test_an_unknown_type_is_a_value_error_naming_it() -> None:
    with pytest.raises(ValueError, match="unknown question type 'abacus'"):
        kinds.kind_of("abacus")


def test_a_kind_is_registered_once_and_built_in_ones_stay(number_kind: NumberKind) -> None:
    assert kinds.kind_of("number") is number_kind
    assert kinds.kind_names()[-1] == "number"
    with pytest.raises(ValueError, match="already registered"):
        kinds.register_kind(NumberKind())
    with pytest.raises(ValueError, match="built-in"):
        kinds.unregister_kind("single")


def test_the_kind_is_gone_once_unregistered() -> None:
    with number_kind_registered():
        assert "number" in kinds.kind_names()
    assert "number" not in kinds.kind_names()


# --- quiz check ----------------------------------------------------------------------------


def test_quiz_check_passes_a_bank_of_the_new_kind(
    tmp_path: Path, number_kind: NumberKind, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_course(tmp_path / "numbers", NUMBER_COURSE)
    assert main(["check", "--strict", str(folder)]) == 0
    out = capsys.readouterr().out
    assert "numbers: Numbers" in out and "no problems" in out
    assert "  healing " in out and "  total " in out


def test_quiz_check_reports_the_kinds_own_rules_where_they_are_broken(
    tmp_path: Path, number_kind: NumberKind, capsys: pytest.CaptureFixture[str]
) -> None:
    bank = NUMBER_COURSE["healing.yaml"].replace("answer: 3\n", "answer: three\n")
    bank = bank.replace('    answer: "48.0"\n', '    answer: "48.0"\n    choices: [a, b]\n')
    folder = write_course(tmp_path / "numbers", {**NUMBER_COURSE, "healing.yaml": bank})
    assert main(["check", str(folder)]) == 1
    out = capsys.readouterr().out
    path = folder / "healing.yaml"
    assert f"{path}:9:13: a number answer must be a number such as 3 or 2.5, not 'three'" in out
    assert f"{path}:16:14: a number question has no 'choices': remove them" in out


def test_without_the_kind_the_type_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = write_course(tmp_path / "numbers", NUMBER_COURSE)
    assert main(["check", str(folder)]) == 1
    assert (
        f"{folder / 'healing.yaml'}:7:11: type 'number' is not one of: "
        "single, multiple, true_false, short" in capsys.readouterr().out
    )


# --- the session -----------------------------------------------------------------------


def test_the_session_asks_grades_and_describes_the_new_kind(number_course: Course) -> None:
    session = _session(number_course)
    days, hours = session.asked
    assert (days.type, days.choices, days.answer) == ("number", (), ("3",))
    assert hours.answer == ("48",)  # the kind's canonical form, from "48.0"
    assert shown_choices(days) == () and right_indexes(days) == frozenset()
    assert picked_indexes(days, "3") == frozenset()

    right = session.answer(0, " 3.00 ")
    assert (right.response, right.correct) == ("3", True)
    wrong = session.answer(1, "24")
    assert (wrong.response, wrong.correct) == ("24", False)
    assert describe_response(hours, wrong.response) == "24"
    assert describe_answer(hours) == "48"
    with pytest.raises(ValueError, match="not a number"):
        normalise_response(days, "three")

    result = session.finish()
    assert (result.status, result.correct, result.total) == (AttemptStatus.COMPLETED, 1, 2)
    review = session.review()
    assert [(item.response, item.correct) for item in review] == [("3", True), ("24", False)]
    assert review[0].question is not None and review[0].question.id == "n-days"


def test_an_exam_answer_of_the_new_kind_changes_and_is_taken_back(number_course: Course) -> None:
    session = _session(number_course, Mode.EXAM)
    session.answer(0, "4")
    record = session.record(0)
    assert record is not None and not record.correct
    session.answer(0, "3")
    assert session.correct_count() == 1
    assert session.clear_answer(0) is not None and session.unanswered() == (0, 1)
    with pytest.raises(ValueError, match="no answer given"):
        session.answer(1, "   ")


def test_grade_dispatches_to_the_kind(number_course: Course) -> None:
    asked = _session(number_course).asked[1]
    assert grade(asked, "48") and grade(asked, "48.000") and not grade(asked, "47.999")
    assert not grade(asked, None)


# --- the codec -------------------------------------------------------------------------


def test_the_codec_stores_the_new_kind_as_the_kind_says(number_course: Course) -> None:
    asked = _session(number_course).asked[0]
    for response, stored in (("3", 3000), ("2.5", 2500), ("-0.125", -125), ("1000000", 10**9)):
        assert encode_response(asked, response) == stored
        assert decode_response(asked, stored) == response
    assert encode_response(asked, None) is None and decode_response(asked, None) is None
    with pytest.raises(ValueError, match="must be a number"):
        encode_response(asked, ["3"])
    assert not is_choice_mask("number")


def test_the_codec_keeps_the_built_in_encodings() -> None:
    def asked(kind: str, choices: tuple[str, ...], answer: tuple[str, ...]) -> AskedQuestion:
        return AskedQuestion(0, "q", "s", kind, "?", choices, answer)

    single = asked(QuestionType.SINGLE, ("a", "b", "c"), ("b",))
    multiple = asked(QuestionType.MULTIPLE, ("a", "b", "c"), ("a", "c"))
    true_false = asked(QuestionType.TRUE_FALSE, (), ("true",))
    short = asked(QuestionType.SHORT, (), ("x",))
    cases: list[tuple[AskedQuestion, Response, int | str]] = [
        (single, "c", 4),
        (multiple, ["a", "c"], 5),
        (true_false, False, 0),
        (short, "y", "y"),
    ]
    for question, response, stored in cases:
        assert encode_response(question, response) == stored
        assert decode_response(question, stored) == response
    assert decode_response(single, 0) is None and decode_response(multiple, 0) == []
    with pytest.raises(ValueError, match="not one of the choices shown"):
        encode_response(single, "z")
    with pytest.raises(ValueError, match="unknown question type 'abacus'"):
        encode_response(asked("abacus", (), ()), "x")
    assert [is_choice_mask(t) for t in QuestionType] == [True, True, False, False]
    assert not is_choice_mask("abacus")
