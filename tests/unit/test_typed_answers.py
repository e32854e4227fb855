"""Typed answers are graded fairly: case, end punctuation and a leading article do not
matter; one slip in a long word is forgiven (and the feedback shows the spelling);
nothing looser, and never a slip that could be another answer of the course."""

from __future__ import annotations

import pytest

from quiz.domain.grading import confusable_texts, grade, slip_spelling
from quiz.domain.model import QuestionType
from quiz.domain.records import AskedQuestion
from quiz.domain.text import is_slip, match_typed, typed_form, within_one_edit
from tests.support.courses import course_load
from tests.support.paths import BUNDLED


def short(*accepted: str) -> AskedQuestion:
    return AskedQuestion(
        position=0,
        question_id="q",
        section="s",
        type=QuestionType.SHORT.value,
        prompt="Type it.",
        choices=(),
        answer=accepted,
        critical=False,
    )


@pytest.mark.parametrize(
    ("typed", "form"),
    [
        ("The capillaries.", "capillaries"),
        ("  an Apple! ", "apple"),
        ("“Collagen”", "collagen"),
        ("a", "a"),  # an article alone is the answer, not a prefix
        ("Retin-A.", "retin-a"),  # inner punctuation stays
        ("the the end", "the end"),  # one article only
    ],
)
def test_typed_form(typed: str, form: str) -> None:
    assert typed_form(typed) == form


@pytest.mark.parametrize(
    ("first", "second", "close"),
    [
        ("collagen", "colagen", True),  # deletion
        ("collagen", "collagenn", True),  # insertion
        ("collagen", "collogen", True),  # substitution
        ("collagen", "collgaen", True),  # swap of neighbours
        ("collagen", "colgaen", False),  # two edits
        ("capillaries", "capillary", False),
        ("abc", "abc", True),
    ],
)
def test_within_one_edit(first: str, second: str, close: bool) -> None:
    assert within_one_edit(first, second) is close
    assert within_one_edit(second, first) is close


def test_a_slip_needs_a_word_of_six_letters_and_only_one_slip() -> None:
    assert is_slip("colagen", "collagen")
    assert not is_slip("thre", "three"), "five letters: no slip forgiven"
    assert is_slip("retinn-a", "retin-a"), "six letters: the hyphen does not count, the a does"
    assert is_slip("small bloood vessels", "small blood vessels") is False  # 'blood': 5
    assert is_slip("small blood vesels", "small blood vessels")
    assert not is_slip("smal blood vesels", "small blood vessels"), "two slips"
    assert not is_slip("bloodvessels", "blood vessels"), "words are not joined"


def test_grading_typed_answers() -> None:
    asked = short("capillaries", "blood vessels")
    assert grade(asked, "The capillaries.")
    assert grade(asked, "CAPILLARIES")
    assert grade(asked, "capilaries")  # one slip in an 11-letter word
    assert slip_spelling(asked, "capilaries") == "capillaries"
    assert slip_spelling(asked, "The capillaries.") is None  # exact: no slip to show
    assert not grade(asked, "capillary")
    assert not grade(asked, "capilary")  # two edits from 'capillaries'
    assert not grade(asked, "veins")


def test_a_slip_that_is_also_close_to_another_answer_of_the_course_is_not_forgiven() -> None:
    asked = short("capillaries")
    # "capillarie" is one edit from the key, and also one edit from a choice elsewhere.
    confusable = frozenset({typed_form("capillaries"), typed_form("capillarise")})
    assert grade(asked, "capillarie")
    assert not grade(asked, "capillarie", confusable)
    assert match_typed("capillarie", ["capillaries"], confusable) == (False, None)


def test_the_bundled_course_guards_against_its_own_answers() -> None:
    course = course_load(BUNDLED).course
    assert course is not None
    texts = confusable_texts(course)
    choices = {typed_form(c) for q in course.questions for c in q.choices}
    assert choices <= texts
    assert confusable_texts(course) is texts, "cached by course version"
