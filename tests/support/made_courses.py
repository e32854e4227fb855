"""Courses and questions made in code, for tests of the session and its rules."""

from __future__ import annotations

from pathlib import Path

from quiz.domain.model import (
    Bank,
    Course,
    Paragraph,
    Question,
    QuestionType,
    Section,
    SourceRef,
    SourceText,
)


def made_question(
    qid: str, section: str, *, critical: bool = False, kind: str = "single"
) -> Question:
    qtype = QuestionType(kind)
    choices: tuple[str, ...] = ()
    answer: tuple[str, ...]
    if qtype is QuestionType.SINGLE:
        choices, answer = ("Right", "Wrong one", "Wrong two", "Wrong three"), ("Right",)
    elif qtype is QuestionType.MULTIPLE:
        choices, answer = ("Yes one", "Yes two", "No one", "No two"), ("Yes one", "Yes two")
    elif qtype is QuestionType.TRUE_FALSE:
        answer = ("false",)
    else:
        answer = ("one to three days", "1-3 days")
    return Question(
        id=qid,
        section=section,
        type=qtype,
        prompt=f"Prompt {qid}",
        choices=choices,
        answer=answer,
        explanation=f"Because {qid}.",
        source="text",
        source_ref=SourceRef(section, 0, 0, 4),
        critical=critical,
    )


def make_course(per_section: dict[str, int], critical: dict[str, int] | None = None) -> Course:
    critical = critical or {}
    sections = tuple(
        Section(s, f"Title {s}", 1, (Paragraph(0, "text of the section", 2),)) for s in per_section
    )
    banks = []
    for s, n in per_section.items():
        questions = tuple(
            made_question(f"{s}-{i:02d}", s, critical=i < critical.get(s, 0)) for i in range(n)
        )
        banks.append(Bank(Path(f"{s}.yaml"), s, f"Title {s}", questions))
    return Course(
        id="test",
        title="Test course",
        description="",
        path=Path("."),
        source=SourceText(Path("source.md"), sections),
        banks=tuple(banks),
        exams={},
        version="sha256:0",
    )
