"""Course folders -> checked `Course` objects, with every problem found, line-numbered.

A course folder holds `course.yaml`, the course text it names (`source.md`), and
bank files: the other `*.yaml` files, each drawn from one section of the text.
Bank files are written by hand and shared between clinics, so they are treated
as untrusted input (see `yamlsafe`). Every problem in every file is reported in
one run as `path:line:col: message`; warnings are kept apart from the problems, so
that they never stop a course or count against it.
"""

from __future__ import annotations

import hashlib
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from quiz.domain import yamlsafe
from quiz.domain.course_cache import Inputs, Signature, signature
from quiz.domain.folders import COURSE_FILE, find_course_folders, is_draft
from quiz.domain.gc_pause import gc_paused
from quiz.domain.model import Bank, Course, CourseLoad, ExamPreset, Problem, SourceText
from quiz.domain.source import QuoteIndex, parse_source
from quiz.domain.validate import (
    BankDraft,
    CourseDraft,
    check_bank,
    check_course_file,
    check_course_rules,
    check_cross_file,
)


@dataclass
class _Reader:
    """Reads files once, keeping their bytes for the course's version hash."""

    problems: list[Problem] = field(default_factory=list)
    digest: hashlib._Hash = field(default_factory=hashlib.sha256)
    inputs: list[tuple[str, Signature]] = field(default_factory=list)
    """What was read: each file's (and listed folder's) path and its `signature`."""

    def read_text(self, path: Path, *, what: str) -> str | None:
        try:
            info = os.stat(path)
        except FileNotFoundError:
            self.problems.append(
                Problem(path, 1, 1, f"{what} not found: create it or fix the path")
            )
            return None
        except OSError as error:
            self.problems.append(Problem(path, 1, 1, f"cannot read {what}: {error.strerror}"))
            return None
        self.inputs.append((str(path), signature(info)))
        if not stat.S_ISREG(info.st_mode):
            # A FIFO or a device would block or never end: never open one.
            self.problems.append(
                Problem(path, 1, 1, f"{what} is not a regular file: point it at a text file")
            )
            return None
        if info.st_size > yamlsafe.MAX_BYTES:
            self.problems.append(
                Problem(
                    path,
                    1,
                    1,
                    f"{what} is {info.st_size / 1048576:.1f} MiB; the limit is 4 MiB: "
                    "split it into several files",
                )
            )
            return None
        try:
            with open(path, "rb") as handle:
                data = handle.read(yamlsafe.MAX_BYTES + 1)
        except OSError as error:
            self.problems.append(Problem(path, 1, 1, f"cannot read {what}: {error.strerror}"))
            return None
        if len(data) > yamlsafe.MAX_BYTES:
            self.problems.append(
                Problem(path, 1, 1, f"{what} is over the 4 MiB limit: split it into several files")
            )
            return None
        self.digest.update(path.name.encode() + b"\0" + data + b"\0")
        try:
            return yamlsafe.decode(data)
        except yamlsafe.YamlRefused as refused:
            self._add(path, refused)
            return None

    def read_yaml(self, path: Path, *, what: str) -> yamlsafe.Node | None:
        text = self.read_text(path, what=what)
        if text is None:
            return None
        try:
            node = yamlsafe.parse(text)
        except yamlsafe.YamlRefused as refused:
            self._add(path, refused)
            return None
        if node is None:
            self.problems.append(Problem(path, 1, 1, f"{what} is empty"))
        return node

    def _add(self, path: Path, refused: yamlsafe.YamlRefused) -> None:
        for issue in refused.issues:
            self.problems.append(Problem(path, issue.line, issue.column, issue.message))


def load_courses(questions_dir: Path) -> list[CourseLoad]:
    """Every course in `questions_dir`. A broken course does not stop the others."""
    folders = find_course_folders(questions_dir)
    if not folders:
        if not questions_dir.exists():
            message = "this folder does not exist: give --questions a folder of courses"
        else:
            message = (
                f"no course here: a course folder holds {COURSE_FILE}; give --questions "
                "a course folder or a folder of course folders"
            )
        return [CourseLoad(questions_dir, None, (Problem(questions_dir, 1, 1, message),))]
    return [load_course(folder) for folder in folders]


def load_course(folder: Path) -> CourseLoad:
    """Load and check one course folder."""
    return load_course_and_inputs(folder)[0]


def load_course_and_inputs(folder: Path) -> tuple[CourseLoad, Inputs]:
    """Load and check one course folder; also what was read (for `course_cache`)."""
    reader = _Reader()
    with gc_paused():
        load = _load_course(folder, reader)
    return load, tuple(reader.inputs)


def read_presets(folder: Path) -> tuple[str | None, dict[str, ExamPreset], tuple[Problem, ...]]:
    """The course id and exam presets of the course in `folder`, read from its
    course.yaml alone (not its text or banks: all a report needs of a course), with the
    problems found in that file. The presets are those that could be read."""
    reader = _Reader()
    course_path = folder / COURSE_FILE
    node = reader.read_yaml(course_path, what=COURSE_FILE)
    draft = None if node is None else check_course_file(course_path, node, reader.problems)
    problems = tuple(p for p in reader.problems if not p.is_warning)
    if draft is None:
        return None, {}, problems
    return draft.id, draft.exams, problems


def _load_course(folder: Path, reader: _Reader) -> CourseLoad:
    course_path = folder / COURSE_FILE
    course_node = reader.read_yaml(course_path, what=COURSE_FILE)
    draft: CourseDraft | None = None
    if course_node is not None:
        draft = check_course_file(course_path, course_node, reader.problems)

    source: SourceText | None = None
    if draft is not None and draft.source is not None:
        source = _load_source(folder, draft, reader)

    quotes = QuoteIndex(source) if source is not None else None
    banks: list[BankDraft] = []
    for bank_path in _bank_files(folder, reader):
        node = reader.read_yaml(bank_path, what="this bank file")
        if node is None:
            continue
        facts = draft.facts if draft is not None else None
        bank = check_bank(bank_path, node, source, quotes, reader.problems, facts)
        if bank is not None:
            banks.append(bank)
    if draft is not None and not banks and not any(not p.is_warning for p in reader.problems):
        reader.problems.append(
            Problem(
                folder / COURSE_FILE,
                1,
                1,
                "this course has no bank files: add a `.yaml` bank beside course.yaml",
            )
        )
    check_cross_file(banks, source, reader.problems)
    if draft is not None:
        check_course_rules(draft, source, banks, reader.problems)

    course = None
    if draft is not None and source is not None and draft.id is not None:
        course = Course(
            id=draft.id,
            title=draft.title or draft.id,
            description=draft.description or "",
            path=folder,
            source=source,
            banks=tuple(
                Bank(b.path, b.section, b.title, tuple(b.questions)) for b in banks if b.section
            ),
            exams=draft.exams,
            version="sha256:" + reader.digest.hexdigest(),
            facts=draft.facts,
        )
    errors = tuple(p for p in reader.problems if not p.is_warning)
    warnings = tuple(p for p in reader.problems if p.is_warning)
    return CourseLoad(folder, course, errors, warnings)


def _load_source(folder: Path, draft: CourseDraft, reader: _Reader) -> SourceText | None:
    assert draft.source is not None
    name, line, column = draft.source
    course_path = folder / COURSE_FILE
    candidate = folder / name
    try:
        resolved = candidate.resolve()
        inside = resolved.is_relative_to(folder.resolve())
    except (OSError, RuntimeError):
        inside = False
    if not inside or Path(name).is_absolute():
        reader.problems.append(
            Problem(
                course_path,
                line,
                column,
                f"source {name!r} is outside the course folder: keep the course text "
                "inside it (e.g. source.md)",
            )
        )
        return None
    text = reader.read_text(candidate, what=f"the course text {name!r} named by course.yaml")
    if text is None:
        return None
    source, problems = parse_source(candidate, text)
    reader.problems.extend(problems)
    return source


def _bank_files(folder: Path, reader: _Reader) -> list[Path]:
    try:
        # The folder's own signature changes when a file is added, removed or renamed.
        reader.inputs.append((str(folder), signature(os.stat(folder))))
        entries = sorted(folder.iterdir())
    except OSError as error:
        reader.problems.append(Problem(folder, 1, 1, f"cannot list the folder: {error.strerror}"))
        return []
    return [
        p
        for p in entries
        if p.suffix in (".yaml", ".yml")
        and p.name != COURSE_FILE
        and not p.name.startswith(".")
        and not is_draft(p)  # a draft never breaks its course: `quiz check` checks it
    ]


def draft_files(folder: Path) -> list[Path]:
    """The draft banks (`NAME.draft.yaml`) of a course folder, by name."""
    try:
        return sorted(p for p in folder.iterdir() if is_draft(p) and not p.name.startswith("."))
    except OSError:
        return []


def check_draft(load: CourseLoad, path: Path) -> list[Problem]:
    """Every problem of a draft bank, as if it were a bank of the course `load`: its
    missing fields, quotes not found in its section, ids the course already uses."""
    reader = _Reader()
    node = reader.read_yaml(path, what="this draft bank")
    course = load.course
    if node is not None:
        source = course.source if course is not None else None
        quotes = QuoteIndex(source) if source is not None else None
        facts = course.facts if course is not None else None
        bank = check_bank(path, node, source, quotes, reader.problems, facts)
        if bank is not None and course is not None:
            for question in bank.questions:
                other = course.question(question.id)
                if other is not None:
                    where = bank.id_nodes[question.id]
                    reader.problems.append(
                        Problem(
                            path,
                            where.line,
                            where.column,
                            f"question id {question.id!r} is already used in "
                            f"{other.path.name} line {other.line}: ids must be unique in "
                            "the course",
                        )
                    )
    return reader.problems
