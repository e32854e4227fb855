"""Questions read from a GIFT or Aiken file, made into bank files of a course.

One bank a section, named after it. A bank that would load cleanly in the course (every
field given, every quote found in its section, no id the course already uses) is
written as `SECTION.yaml`; any other as a draft, `SECTION.draft.yaml`, which the app
and the course loader skip and `quiz check` checks. No file is ever overwritten: when
one of the names is taken, nothing is written and the problem says which and what to do.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

from quiz.domain import yamlsafe
from quiz.domain.checker import ID
from quiz.domain.folders import DRAFT_SUFFIX
from quiz.domain.model import Course, Problem
from quiz.domain.question_io import Carried, ReadResult, bank_document, bank_yaml
from quiz.domain.question_rules import check_bank
from quiz.domain.source import QuoteIndex


@dataclass(frozen=True)
class PlannedBank:
    """A bank file to write."""

    section: str
    path: Path
    draft: bool
    text: str
    count: int


@dataclass
class ImportPlan:
    banks: list[PlannedBank] = field(default_factory=list)
    notes: list[Problem] = field(default_factory=list)  # what was read and not kept
    problems: list[Problem] = field(default_factory=list)


def plan_import(file: Path, read: ReadResult, course: Course, section: str | None) -> ImportPlan:
    """The banks to write into `course` for what was read from `file`; `section`: the
    section every question goes to (--section), else each question's category."""
    plan = ImportPlan()
    by_section: dict[str, list[Carried]] = {}
    taken = {q.id for q in course.questions}
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", file.stem).strip("-._") or "imported"
    for number, question in enumerate(read.questions, start=1):
        target = section or question.section
        if target is None:
            plan.problems.append(
                Problem(
                    file,
                    question.line,
                    question.column,
                    "no $CATEGORY names this question's section: give --section ID",
                )
            )
            continue
        if course.source.section(target) is None:
            line = question.section_line or question.line
            plan.problems.append(
                Problem(
                    file,
                    line,
                    1,
                    f"category {target!r} is not a section of the course text: give "
                    "--section ID, or name the section last in $CATEGORY",
                )
            )
            continue
        if question.id is None or not ID.fullmatch(question.id):
            made = f"{stem}-{number:02d}"
            while made in taken:
                made += "-new"
            if question.id is not None:
                question.notes.append(f"its name {question.id!r} is not an id: id {made} given")
            question.id = made
        taken.add(question.id)
        for note in question.notes:
            plan.notes.append(Problem(file, question.line, question.column, note))
        by_section.setdefault(target, []).append(question)
    if plan.problems:
        return plan
    for target, questions in by_section.items():
        section_title = course.section_title(target)
        document = bank_document(target, section_title, questions)
        final = course.path / f"{target}.yaml"
        clean_text = bank_yaml(document, f"Imported from {file.name} by quiz import-questions.")
        draft = not _loads_cleanly(final, clean_text, course)
        if draft:
            path = course.path / f"{target}{DRAFT_SUFFIX}"
            text = bank_yaml(
                document,
                f"A draft imported from {file.name}: the app skips it. `quiz check` lists\n"
                f"what it still needs; then rename it {target}.yaml to put it in use.",
            )
        else:
            path, text = final, clean_text
        if os.path.lexists(path):
            plan.problems.append(
                Problem(
                    path,
                    1,
                    1,
                    f"{path.name} already exists and is never overwritten: move it away (or "
                    "merge the questions into it by hand), then import again",
                )
            )
            continue
        plan.banks.append(PlannedBank(target, path, draft, text, len(questions)))
    return plan


def _loads_cleanly(path: Path, text: str, course: Course) -> bool:
    """Whether `text` as the bank `path` of `course` has no problem (warnings aside)."""
    problems: list[Problem] = []
    try:
        node = yamlsafe.parse(text)
    except yamlsafe.YamlRefused:
        return False
    if node is None:
        return False
    bank = check_bank(path, node, course.source, QuoteIndex(course.source), problems, course.facts)
    if bank is None or any(not p.is_warning for p in problems):
        return False
    return not any(course.question(q.id) is not None for q in bank.questions)


def write_banks(plan: ImportPlan) -> list[Problem]:
    """Write the planned banks, each created new (never replacing a file)."""
    problems: list[Problem] = []
    for bank in plan.banks:
        try:
            with open(bank.path, "x", encoding="utf-8") as handle:
                handle.write(bank.text)
        except FileExistsError:
            problems.append(
                Problem(bank.path, 1, 1, f"{bank.path.name} appeared meanwhile: not overwritten")
            )
        except OSError as error:
            problems.append(Problem(bank.path, 1, 1, f"cannot write it: {error.strerror}"))
    return problems
