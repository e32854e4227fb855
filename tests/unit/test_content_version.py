"""`content_version`: one meaning of a question's version. A shuffle, a reworded prompt
or explanation keep it; a changed answer or choice makes a new one."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import Any

import pytest

from quiz.domain.kinds import register_kind, unregister_kind
from quiz.domain.kinds.multiple import MultipleKind
from quiz.domain.loader import load_course
from quiz.domain.model import Question, QuestionType, SourceRef
from quiz.domain.selection import ask_question
from quiz.domain.versions import content_version
from tests.support.paths import BUNDLED


def _question(kind: str = QuestionType.SINGLE, **changes: Any) -> Question:
    question = Question(
        id="q1",
        section="swelling",
        type=kind,
        prompt="How long does swelling usually last?",
        choices=("A few hours", "One to three days", "About two weeks"),
        answer=("One to three days",),
        explanation="It eases within one to three days.",
        source="eases within one to three days",
        source_ref=SourceRef("swelling", 0, 0, 10),
    )
    return replace(question, **changes)


def test_a_version_is_sha256_and_hex() -> None:
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", content_version(_question()))


def test_every_shuffle_of_every_bundled_question_keeps_its_version() -> None:
    course = load_course(BUNDLED).course
    assert course is not None
    for question in course.questions:
        version = content_version(question)
        for seed in (1, 2, 3):
            asked = ask_question(0, question, seed)
            assert content_version(asked) == version, question.id


@pytest.mark.parametrize(
    "changes",
    [
        {"prompt": "How long does the swelling last, usually?"},
        {"explanation": "Reworded."},
        {"choices": ("About two weeks", "A few hours", "One to three days")},
        {"critical": True},
        {"id": "q2", "section": "bruising", "fact": "swelling-days"},
        {"feedback": {"A few hours": "Longer than that."}},
    ],
)
def test_what_keeps_the_version(changes: dict[str, Any]) -> None:
    assert content_version(_question(**changes)) == content_version(_question())


@pytest.mark.parametrize(
    ("kind", "changes"),
    [
        (QuestionType.SINGLE, {"answer": ("A few hours",)}),
        (QuestionType.SINGLE, {"choices": ("A few hours", "One to three days", "Two weeks")}),
        (QuestionType.SINGLE, {"choices": ("A few hours", "One to three days")}),
        (QuestionType.MULTIPLE, {}),  # the same texts, another type
    ],
)
def test_what_makes_a_new_version(kind: str, changes: dict[str, Any]) -> None:
    assert content_version(_question(kind, **changes)) != content_version(_question())


def test_typed_and_true_false_answers() -> None:
    short = _question(QuestionType.SHORT, choices=(), answer=("collagen", "Collagen fibres"))
    reordered = replace(short, answer=("Collagen fibres", "collagen"))
    another = replace(short, answer=("collagen", "Collagen fibres", "collagen fibers"))
    assert content_version(reordered) == content_version(short)
    assert content_version(another) != content_version(short)
    true = _question(QuestionType.TRUE_FALSE, choices=(), answer=("true",))
    false = replace(true, answer=("false",))
    assert content_version(true) != content_version(false)
    assert content_version(ask_question(3, true, 9)) == content_version(true)


class _OrderingKind(MultipleKind):
    """Put the choices in order: the order of the answer is its content."""

    name = "ordering"

    def version_content(self, choices: Sequence[str], answer: Sequence[str]) -> object:
        return [list(answer), sorted(set(choices))]


def test_a_kind_decides_what_its_version_covers() -> None:
    register_kind(_OrderingKind())
    try:
        steps = _question("ordering", choices=("a", "b", "c"), answer=("a", "b", "c"))
        assert content_version(replace(steps, answer=("c", "b", "a"))) != content_version(steps)
        assert content_version(replace(steps, choices=("c", "a", "b"))) == content_version(steps)
    finally:
        unregister_kind("ordering")
