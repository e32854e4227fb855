"""Aiken, as Moodle documents it: one-answer questions only, others listed as left out;
a file read back gives drafts, and its mistakes are named by line."""

from __future__ import annotations

import re
from pathlib import Path

from quiz.domain.aiken import read_aiken, write_aiken
from quiz.domain.loader import load_course
from tests.support.paths import BUNDLED

CHOICE = re.compile(r"[A-Z][.)] \S")


def test_the_bundled_course_exports_its_single_questions_in_moodles_syntax() -> None:
    course = load_course(BUNDLED).course
    assert course is not None
    text, left = write_aiken(course)
    singles = [q for q in course.questions if q.type == "single"]
    assert {item.question.id for item in left} == {
        q.id for q in course.questions if q.type != "single"
    }
    blocks = text.strip().split("\n\n")
    assert len(blocks) == len(singles)
    for block, question in zip(blocks, singles, strict=True):
        lines = block.split("\n")
        assert lines[0] == question.prompt
        assert all(CHOICE.match(line) for line in lines[1:-1])
        assert re.fullmatch(r"ANSWER: [A-Z]", lines[-1])
    read = read_aiken(Path("x.txt"), text)
    assert read.problems == []
    assert [(q.prompt, q.choices, q.answer) for q in read.questions] == [
        (q.prompt, q.choices, q.answer) for q in singles
    ]
    assert all(q.explanation is None and q.source is None for q in read.questions)


def test_mistakes_are_named_by_line() -> None:
    text = (
        "A. a choice first\n"
        "Question one\nA) yes\nB) no\nANSWER: C\n\n"
        "Question two\nA. only one\nANSWER: A\n\n"
        "Question three\nA. x\nB. y\n"
    )
    read = read_aiken(Path("x.txt"), text)
    assert [(p.line, p.message.split(":")[0]) for p in read.problems] == [
        (1, "a choice before its question"),
        (5, "ANSWER"),
        (9, "a question needs at least two choices"),
        (11, "a question without its ANSWER line"),
    ]
