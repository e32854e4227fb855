"""Questions moving between quiz and other formats (GIFT, Aiken): what the readers give,
what could not be carried, what a writer left out (`Unwritten`, `write_each`), and the
bank file written from what was read.

A reader (quiz.domain.gift, quiz.domain.aiken) turns a file into `Carried` questions,
`Skipped` ones (what our banks cannot hold: partial credit, wildcards, other question
types) and `Problem`s (the file cannot be read there), each with its line and column.
Nothing is invented: a field the file does not give stays empty, and the bank written
from it is a draft that `quiz check` lists the gaps of.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from quiz.domain.model import Problem, Question

MAX_BYTES = 4 * 1024 * 1024
"""The largest file read, as for bank files."""

# Our fields carried in GIFT tags, namespaced so that they never meet a user's tags.
TAG_CRITICAL = "quiz-critical"
TAG_DIFFICULTY = "quiz-difficulty-"
TAG_FACT = "quiz-fact:"


@dataclass
class Carried:
    """A question read from another format, in our fields (None: the file gave none)."""

    line: int
    column: int
    type: str
    prompt: str
    choices: tuple[str, ...]
    answer: tuple[str, ...]
    id: str | None = None
    section: str | None = None  # from the file ($CATEGORY), before --section
    section_line: int = 0  # where that section was named
    explanation: str | None = None
    source: str | None = None
    feedback: dict[str, str] = field(default_factory=dict)
    critical: bool = False
    difficulty: int | None = None
    fact: str | None = None
    tags: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)  # what was read but not kept


@dataclass(frozen=True)
class Skipped:
    """A question of the file that cannot be carried, and why."""

    line: int
    column: int
    name: str
    reason: str


@dataclass
class ReadResult:
    """What a reader found in one file."""

    questions: list[Carried] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass(frozen=True)
class Unwritten:
    """A question left out of an export, and why."""

    question: Question
    reason: str


def write_each(
    questions: Iterable[Question],
    write: Callable[[Question], str | tuple[str]],
    out: list[str],
    left: list[Unwritten],
) -> None:
    """Each question as `write` writes it, added to `out`; or, where `write` gives
    (why it is left out,), to `left` (the GIFT and Aiken writers' one loop)."""
    for question in questions:
        written = write(question)
        if isinstance(written, str):
            out.append(written)
        else:
            left.append(Unwritten(question, written[0]))


def read_file_text(path: Path) -> tuple[str | None, list[Problem]]:
    """The text of a file to import: size capped, UTF-8 (a BOM is fine)."""
    import os
    import stat

    from quiz.domain.yamlsafe import YamlRefused, decode

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return None, [Problem(path, 1, 1, "not a regular file: give a GIFT or Aiken file")]
        with open(path, "rb") as handle:
            data = handle.read(MAX_BYTES + 1)
    except OSError as error:
        return None, [Problem(path, 1, 1, f"cannot read the file: {error.strerror}")]
    if len(data) > MAX_BYTES:
        return None, [Problem(path, 1, 1, "the file is over the 4 MiB limit: split it")]
    try:
        return decode(data), []
    except YamlRefused as refused:
        return None, [Problem(path, i.line, i.column, i.message) for i in refused.issues]


def bank_document(section: str, title: str, questions: list[Carried]) -> dict[str, object]:
    """A bank file's content (format 2) for `questions`, fields in the README's order;
    a field the file did not give is left out, for `quiz check` to name."""
    items: list[dict[str, object]] = []
    for question in questions:
        item: dict[str, object] = {}
        if question.id is not None:
            item["id"] = question.id
        if question.fact is not None:
            item["fact"] = question.fact
        item["type"] = question.type
        item["prompt"] = question.prompt
        if question.choices:
            item["choices"] = list(question.choices)
        if question.type == "true_false":
            item["answer"] = question.answer[0] == "true"
        elif question.type == "single":
            item["answer"] = question.answer[0]
        else:
            item["answer"] = list(question.answer)
        if question.explanation is not None:
            item["explanation"] = question.explanation
        if question.source is not None:
            item["source"] = question.source
        if question.feedback:
            item["feedback"] = dict(question.feedback)
        if question.critical and question.fact is None:
            item["critical"] = True
        if question.difficulty is not None:
            item["difficulty"] = question.difficulty
        if question.tags:
            item["tags"] = list(question.tags)
        items.append(item)
    return {"format": 2, "section": section, "title": title, "questions": items}


def bank_yaml(document: dict[str, object], header: str) -> str:
    """The bank file's text: `header` (comment lines) and the YAML. Every text is written
    as a string (quoted where YAML would read it otherwise), so it reads back as written."""
    import yaml

    body = yaml.safe_dump(
        document, sort_keys=False, allow_unicode=True, width=1_000_000, default_flow_style=False
    )
    lines = "".join(f"# {line}\n" for line in header.splitlines())
    return lines + body
