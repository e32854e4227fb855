"""The course model: frozen dataclasses built by the loader and read by everything else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.domain.validity import Validity


class QuestionType(StrEnum):
    """The built-in question types. A question's `type` is a str: one of these, or the
    name of a kind registered with `quiz.domain.kinds.register_kind`."""

    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    SHORT = "short"


class Severity(StrEnum):
    """How bad a problem is: an error makes `quiz check` fail; a warning only with --strict."""

    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with an input file, where it is, and what to do about it."""

    path: Path
    line: int  # 1-based
    column: int  # 1-based
    message: str
    severity: Severity = Severity.ERROR

    @property
    def is_warning(self) -> bool:
        return self.severity is Severity.WARNING

    def __str__(self) -> str:
        label = "warning: " if self.is_warning else ""
        return f"{self.path}:{self.line}:{self.column}: {label}{self.message}"


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
class Fact:
    """One thing a section of the course teaches, listed in `course.yaml` (format 2).

    Questions name the fact they test; questions of one fact are enemies (one would
    give the other's answer away), so an exam never holds two of them. A critical
    fact is one a wrong answer about could harm a client: by default every exam
    holds one question of each.
    """

    id: str
    section: str
    text: str
    critical: bool = False
    line: int = 0  # where its id is written in course.yaml
    column: int = 0


@dataclass(frozen=True)
class Question:
    """One question as the bank gives it (choices in the bank's order)."""

    id: str
    section: str
    type: str  # the name of its kind (quiz.domain.kinds): a QuestionType for the built-in ones
    prompt: str
    choices: tuple[str, ...]  # empty for true_false and short
    # single: the right choice; multiple: the right choices; true_false: ("true",) or
    # ("false",); short: the accepted texts
    answer: tuple[str, ...]
    explanation: str
    source: str  # the quote, as written
    source_ref: SourceRef
    feedback: Mapping[str, str] = field(default_factory=dict)
    critical: bool = False  # with a fact, the fact's
    difficulty: int | None = None
    tags: tuple[str, ...] = ()
    path: Path = Path()
    line: int = 0
    fact: str | None = None  # the id of the fact it tests (format 2); None: its own fact

    @property
    def fact_key(self) -> str:
        """What the question tests: its fact's id, or its own id when it names none.

        Two questions with one key are enemies and never share an exam.
        """
        return self.fact if self.fact is not None else self.id


@dataclass(frozen=True)
class Bank:
    """One bank file: the questions drawn from one section."""

    path: Path
    section: str
    title: str
    questions: tuple[Question, ...]


class CriticalMode(StrEnum):
    """What critical content every exam of a preset must hold."""

    FACTS = "facts"  # one question of every critical fact (format 2's default)
    QUESTIONS = "questions"  # every critical question (format 1's `include_critical: true`)
    NONE = "none"  # nothing in particular


@dataclass(frozen=True)
class ExamPreset:
    """An exam the course defines in `course.yaml`.

    A format-1 preset draws as format 1 always did: spread evenly over the sections,
    with every critical question when `include_critical` is set. A format-2 preset is
    a blueprint: the questions per section (`sections`, or evenly), one question of
    every critical fact (`critical`), never two questions of one fact.
    """

    id: str
    title: str
    questions: int  # how many to draw; with `sections`, their sum
    time_limit_seconds: int
    pass_mark: int  # percent, 0..100
    critical: CriticalMode = CriticalMode.NONE
    sections: Mapping[str, int] | None = None  # questions per section id; None: evenly
    format: int = 1  # the format of the course.yaml it was written in
    include_critical: bool = False  # format 1's field: the same as critical=QUESTIONS
    valid_for: Validity | None = None  # how long a pass stays valid (quiz.domain.validity)
    witness: bool = False  # starts only once a manager has typed her PIN (quiz.domain.identity)

    def __post_init__(self) -> None:
        # include_critical and critical say one thing two ways: keep them in step.
        if self.include_critical and self.critical is CriticalMode.NONE:
            object.__setattr__(self, "critical", CriticalMode.QUESTIONS)
        elif self.critical is CriticalMode.QUESTIONS:
            object.__setattr__(self, "include_critical", True)
        if self.include_critical and self.critical is not CriticalMode.QUESTIONS:
            raise ValueError("include_critical means critical=QUESTIONS")
        if self.format < 2 and (self.critical is CriticalMode.FACTS or self.sections is not None):
            raise ValueError("critical facts and section counts are format 2")
        if self.format >= 2 and self.critical is CriticalMode.QUESTIONS:
            raise ValueError("format 2 presets include critical facts, not questions")

    @property
    def is_blueprint(self) -> bool:
        """Drawn by the format-2 rules (quotas, critical facts, enemies apart)."""
        return self.format >= 2


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
    facts: Mapping[str, Fact] = field(default_factory=dict)  # by id, in course.yaml order

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

    def facts_in(self, section_id: str) -> tuple[Fact, ...]:
        return tuple(f for f in self.facts.values() if f.section == section_id)


DEFAULT_PASS_MARK = 80


@dataclass(frozen=True)
class CourseLoad:
    """The result of loading one course folder: the course if it is usable, its problems
    (errors), and its warnings (shown by `quiz check`, which fails on them with --strict)."""

    path: Path
    course: Course | None
    problems: tuple[Problem, ...]
    warnings: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.course is not None and not self.problems
