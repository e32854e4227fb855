"""The course model: frozen dataclasses built by the loader and read by everything else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class QuestionType(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT = "short"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, where it is, and what to do about it."""

    path: Path
    line: int  # 1-based
    column: int  # 1-based
    message: str

    def __str__(self) -> str:
        return f"{self.path}:{self.line}:{self.column}: {self.message}"


@dataclass(frozen=True)
class Paragraph:
    """One paragraph of a section of the course text."""

    index: int  # 0-based within its section
    text: str
    line: int  # 1-based line of the source file where it starts


@dataclass(frozen=True)
class Section:
    """A `## Title {#id}` section of the course text."""

    id: str
    title: str
    line: int
    paragraphs: tuple[Paragraph, ...]


@dataclass(frozen=True)
class SourceText:
    """The course text: its sections, in order."""

    path: Path
    sections: tuple[Section, ...]

    def section(self, section_id: str) -> Section | None:
        for section in self.sections:
            if section.id == section_id:
                return section
        return None


@dataclass(frozen=True)
class SourceRef:
    """Where a question's quote stands: a paragraph, and the character span in it."""

    section_id: str
    paragraph_index: int
    start: int
    end: int


@dataclass(frozen=True)
class Question:
    """One question as the bank gives it (choices in the bank's order)."""

    id: str
    section: str
    type: QuestionType
    prompt: str
    choices: tuple[str, ...]  # empty for true_false and short
    # single: the right choice; multiple: the right choices; true_false: ("true",) or
    # ("false",); short: the accepted texts
    answer: tuple[str, ...]
    explanation: str
    source: str  # the quote, as written
    source_ref: SourceRef
    feedback: Mapping[str, str] = field(default_factory=dict)
    critical: bool = False
    difficulty: int | None = None
    tags: tuple[str, ...] = ()
    path: Path = Path()
    line: int = 0

    @property
    def right_answer_text(self) -> str:
        """The right answer, as a person reads it."""
        if self.type is QuestionType.TRUE_FALSE:
            return "True" if self.answer == ("true",) else "False"
        if self.type is QuestionType.SHORT:
            return self.answer[0]
        return "; ".join(self.answer)


@dataclass(frozen=True)
class Bank:
    """One bank file: the questions drawn from one section."""

    path: Path
    section: str
    title: str
    questions: tuple[Question, ...]


@dataclass(frozen=True)
class ExamPreset:
    """An exam the course defines in `course.yaml`."""

    id: str
    title: str
    questions: int
    include_critical: bool
    time_limit_seconds: int
    pass_mark: int  # percent, 0..100


@dataclass(frozen=True)
class Course:
    """A course: its text, its banks and its exam presets."""

    id: str
    title: str
    description: str
    path: Path  # the course folder
    source: SourceText
    banks: tuple[Bank, ...]
    exams: Mapping[str, ExamPreset]
    version: str  # "sha256:<hex>" over course.yaml, the source and the banks

    @property
    def questions(self) -> tuple[Question, ...]:
        return tuple(q for bank in self.banks for q in bank.questions)

    def question(self, question_id: str) -> Question | None:
        for question in self.questions:
            if question.id == question_id:
                return question
        return None

    def section_title(self, section_id: str) -> str:
        section = self.source.section(section_id)
        return section.title if section else section_id

    def questions_in(self, section_id: str) -> tuple[Question, ...]:
        return tuple(q for q in self.questions if q.section == section_id)


DEFAULT_PASS_MARK = 80
