"""The rules for `course.yaml` and bank files, shared by loading and `quiz check`.

Each check appends `Problem`s (with the line and column of the offending value)
and returns what could be built, so that one run reports every problem.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from quiz.domain.durations import DurationError, parse_duration
from quiz.domain.model import (
    DEFAULT_PASS_MARK,
    ExamPreset,
    Problem,
    Question,
    QuestionType,
    SourceRef,
    SourceText,
)
from quiz.domain.source import QuoteIndex
from quiz.domain.text import find_control, fold
from quiz.domain.yamlsafe import Node

FORMAT = 1
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

COURSE_FIELDS = {
    "format": True,
    "id": True,
    "title": True,
    "description": False,
    "source": True,
    "exams": False,
}
EXAM_FIELDS = {
    "title": True,
    "questions": True,
    "include_critical": False,
    "time_limit": True,
    "pass_mark": False,
}
BANK_FIELDS = {"format": True, "section": True, "title": True, "questions": True}
QUESTION_FIELDS = {
    "id": True,
    "type": True,
    "prompt": True,
    "choices": False,
    "answer": True,
    "explanation": True,
    "source": True,
    "feedback": False,
    "critical": False,
    "difficulty": False,
    "tags": False,
}


@dataclass
class CourseDraft:
    id: str | None = None
    title: str | None = None
    description: str | None = None
    source: tuple[str, int, int] | None = None  # the path as written, with its line and column
    exams: dict[str, ExamPreset] = field(default_factory=dict)


@dataclass
class BankDraft:
    path: Path
    section: str | None
    section_node: Node | None
    title: str
    questions: list[Question]
    id_nodes: dict[str, Node]  # question id -> where it is written


class _Checker:
    """Problem-collecting helpers for one file."""

    def __init__(self, path: Path, problems: list[Problem]) -> None:
        self.path = path
        self.problems = problems

    def add(self, node: Node | None, message: str, *, line: int = 0, column: int = 0) -> None:
        if node is not None and not line:
            line, column = node.line, node.column
        self.problems.append(Problem(self.path, line or 1, column or 1, message))

    def fields(self, node: Node, spec: Mapping[str, bool], what: str) -> dict[str, Node] | None:
        """The entries of mapping `node`, after reporting unknown and missing fields."""
        if node.kind != "mapping":
            self.add(node, f"{what} must be a mapping of `field: value` lines")
            return None
        found: dict[str, Node] = {}
        for key, entry in node.value.items():
            if key not in spec:
                close = difflib.get_close_matches(key, list(spec), n=1, cutoff=0.6)
                hint = (
                    f"did you mean {close[0]!r}?" if close else "known fields: " + ", ".join(spec)
                )
                self.add(
                    None,
                    f"unknown field {key!r} in {what}: {hint}",
                    line=entry.key_line,
                    column=entry.key_column,
                )
                continue
            found[key] = entry.node
        for name, required in spec.items():
            if required and (name not in found or found[name].value is None):
                where = found.get(name) or node
                self.add(where, f"{what} is missing {name!r}: add `{name}: ...`")
        return found

    def text(self, node: Node | None, name: str, *, required: bool = True) -> str | None:
        """A text field: a scalar, not empty, without control characters."""
        if node is None or node.value is None:
            return None  # missing: reported by fields()
        if node.kind != "scalar":
            self.add(node, f"{name!r} must be text, not a {node.kind}")
            return None
        value: str = node.value
        if required and not value.strip():
            self.add(node, f"{name!r} is empty: write the text")
            return None
        self.no_control(node, value, name)
        return value

    def no_control(self, node: Node, value: str, name: str) -> None:
        index = find_control(value)
        if index is not None:
            self.add(
                node,
                f"{name!r} holds a control character (U+{ord(value[index]):04X}) at character "
                f"{index + 1}: remove it; terminal escape sequences are not allowed in text",
            )

    def integer(self, node: Node | None, name: str, low: int, high: int) -> int | None:
        if node is None or node.value is None:
            return None
        if node.kind != "scalar" or not re.fullmatch(r"[0-9]+", str(node.value).strip()):
            self.add(node, f"{name!r} must be a whole number from {low} to {high}")
            return None
        number = int(node.value)
        if not low <= number <= high:
            self.add(node, f"{name!r} is {number}: it must be from {low} to {high}")
            return None
        return number

    def boolean(self, node: Node | None, name: str) -> bool | None:
        if node is None or node.value is None:
            return None
        if node.kind == "scalar" and node.value in ("true", "false"):
            return bool(node.value == "true")
        self.add(node, f"{name!r} must be true or false")
        return None

    def text_list(self, node: Node | None, name: str) -> list[tuple[str, Node]] | None:
        if node is None or node.value is None:
            return None
        if node.kind != "sequence":
            self.add(node, f"{name!r} must be a list, like [first, second]")
            return None
        items: list[tuple[str, Node]] = []
        for item in node.value:
            value = self.text(item, name)
            if value is not None:
                items.append((value, item))
        return items

    def format_ok(self, node: Node | None) -> bool:
        """False when the file is of a format this version cannot read."""
        if node is None or node.value is None:
            return True  # missing: reported by fields()
        text = str(node.value).strip() if node.kind == "scalar" else ""
        if not re.fullmatch(r"[0-9]+", text):
            self.add(node, f"'format' must be a whole number (this version reads format {FORMAT})")
            return False
        number = int(text)
        if number > FORMAT:
            self.add(
                node,
                f"made for a newer version of quiz (format {number}); this version reads "
                f"format {FORMAT}: update quiz to use this file",
            )
            return False
        if number < 1:
            self.add(node, f"format {number} does not exist: write `format: {FORMAT}`")
            return False
        return True


def check_course_file(path: Path, node: Node, problems: list[Problem]) -> CourseDraft | None:
    check = _Checker(path, problems)
    found = check.fields(node, COURSE_FIELDS, "course.yaml")
    if found is None or not check.format_ok(found.get("format")):
        return None
    draft = CourseDraft()
    course_id = check.text(found.get("id"), "id")
    if course_id is not None:
        if ID.fullmatch(course_id):
            draft.id = course_id
        else:
            check.add(found["id"], "'id' must be letters, digits, '-', '_' or '.', with no spaces")
    draft.title = check.text(found.get("title"), "title")
    draft.description = check.text(found.get("description"), "description", required=False)
    source = check.text(found.get("source"), "source")
    if source is not None:
        draft.source = (source, found["source"].line, found["source"].column)
    exams = found.get("exams")
    if exams is not None and exams.value is not None:
        if exams.kind != "mapping":
            check.add(exams, "'exams' must map each preset id to its settings")
        else:
            for exam_id, entry in exams.value.items():
                preset = _check_exam(check, exam_id, entry.node)
                if preset is not None:
                    draft.exams[exam_id] = preset
    return draft


def _check_exam(check: _Checker, exam_id: str, node: Node) -> ExamPreset | None:
    what = f"exam {exam_id!r}"
    found = check.fields(node, EXAM_FIELDS, what)
    if found is None:
        return None
    if not ID.fullmatch(exam_id):
        check.add(node, f"exam id {exam_id!r} must be letters, digits, '-', '_' or '.'")
    title = check.text(found.get("title"), "title")
    count = check.integer(found.get("questions"), "questions", 1, 10_000)
    include_critical = check.boolean(found.get("include_critical"), "include_critical")
    pass_mark = check.integer(found.get("pass_mark"), "pass_mark", 0, 100)
    time_limit = None
    limit_node = found.get("time_limit")
    if limit_node is not None and limit_node.value is not None:
        try:
            time_limit = parse_duration(str(limit_node.value))
        except DurationError as error:
            check.add(limit_node, f"'time_limit': {error}")
    if title is None or count is None or time_limit is None:
        return None
    return ExamPreset(
        id=exam_id,
        title=title,
        questions=count,
        include_critical=bool(include_critical),
        time_limit_seconds=time_limit,
        pass_mark=DEFAULT_PASS_MARK if pass_mark is None else pass_mark,
    )


def check_bank(
    path: Path,
    node: Node,
    source: SourceText | None,
    quotes: QuoteIndex | None,
    problems: list[Problem],
) -> BankDraft | None:
    check = _Checker(path, problems)
    found = check.fields(node, BANK_FIELDS, "a bank file")
    if found is None or not check.format_ok(found.get("format")):
        return None
    section_node = found.get("section")
    section = check.text(section_node, "section")
    if section is not None and source is not None and source.section(section) is None:
        known = ", ".join(s.id for s in source.sections)
        close = difflib.get_close_matches(section, [s.id for s in source.sections], n=1)
        hint = f"did you mean {close[0]!r}?" if close else f"the sections are: {known}"
        check.add(section_node, f"section {section!r} is not in the course text: {hint}")
        section = None
    title = check.text(found.get("title"), "title") or (section or path.stem)
    bank = BankDraft(path, section, section_node, title, [], {})
    questions = found.get("questions")
    if questions is None or questions.value is None:
        return bank
    if questions.kind != "sequence":
        check.add(questions, "'questions' must be a list: start each question with `- id: ...`")
        return bank
    if not questions.value:
        check.add(questions, "'questions' is empty: add at least one question")
    for item in questions.value:
        question = _check_question(check, item, section, quotes)
        if question is not None:
            if question.id in bank.id_nodes:
                first = bank.id_nodes[question.id]
                check.add(
                    item,
                    f"question id {question.id!r} is already used on line {first.line}: "
                    "give each question its own id",
                )
                continue
            bank.id_nodes[question.id] = item
            bank.questions.append(question)
    return bank


def _check_question(
    check: _Checker, node: Node, section: str | None, quotes: QuoteIndex | None
) -> Question | None:
    found = check.fields(node, QUESTION_FIELDS, "a question")
    if found is None:
        return None
    ok = True
    question_id = check.text(found.get("id"), "id")
    if question_id is not None and not ID.fullmatch(question_id):
        check.add(found["id"], "'id' must be letters, digits, '-', '_' or '.', with no spaces")
        question_id = None
    type_node = found.get("type")
    kind: QuestionType | None = None
    type_text = check.text(type_node, "type")
    if type_text is not None:
        try:
            kind = QuestionType(type_text)
        except ValueError:
            check.add(
                type_node,
                f"type {type_text!r} is not one of: single, multiple, true_false, short",
            )
    prompt = check.text(found.get("prompt"), "prompt")
    explanation = check.text(found.get("explanation"), "explanation")
    quote = check.text(found.get("source"), "source")

    choices: list[str] = []
    choices_node = found.get("choices")
    if kind in (QuestionType.SINGLE, QuestionType.MULTIPLE):
        items = check.text_list(choices_node, "choices")
        if choices_node is None or choices_node.value is None:
            check.add(node, f"a {kind.value} question needs 'choices': add a list of choices")
            ok = False
        elif items is not None:
            seen: dict[str, str] = {}
            for value, item in items:
                key = fold(value)
                if key in seen:
                    check.add(item, f"choice {value!r} is listed twice: make each choice different")
                    ok = False
                seen[key] = value
                choices.append(value)
            if len(items) < 2:
                check.add(choices_node, "a question needs at least two choices")
                ok = False
        else:
            ok = False
    elif kind is not None and choices_node is not None:
        check.add(
            choices_node,
            f"a {kind.value} question has no 'choices': remove them"
            + (" (the answer is true or false)" if kind is QuestionType.TRUE_FALSE else ""),
        )
        ok = False

    answer = _check_answer(check, found.get("answer"), kind, choices)
    if answer is None:
        ok = False

    feedback: dict[str, str] = {}
    feedback_node = found.get("feedback")
    if feedback_node is not None and feedback_node.value is not None:
        if feedback_node.kind != "mapping":
            check.add(feedback_node, "'feedback' must map a choice to the text shown for it")
        elif kind is QuestionType.SHORT:
            check.add(feedback_node, "'feedback' is per choice: a short question has no choices")
        else:
            allowed = choices if kind is not QuestionType.TRUE_FALSE else ["true", "false"]
            for key, entry in feedback_node.value.items():
                text = check.text(entry.node, "feedback")
                if kind is not None and key not in allowed:
                    check.add(
                        None,
                        f"feedback for {key!r}, which is not a choice: use the exact text of "
                        "one of the choices",
                        line=entry.key_line,
                        column=entry.key_column,
                    )
                elif text is not None:
                    feedback[key] = text

    critical = check.boolean(found.get("critical"), "critical")
    difficulty = check.integer(found.get("difficulty"), "difficulty", 1, 3)
    tags_items = check.text_list(found.get("tags"), "tags")
    tags = tuple(value for value, _ in tags_items or [])

    ref: SourceRef | None = None
    if quote is not None and section is not None and quotes is not None:
        ref = quotes.find(section, quote)
        if ref is None:
            _quote_not_found(check, found["source"], section, quote, quotes)
    if (
        not ok
        or question_id is None
        or kind is None
        or prompt is None
        or explanation is None
        or quote is None
        or answer is None
    ):
        return None
    if ref is None:
        # Without a course text (or with the quote missing) the question is kept for
        # counting, pointing at the start of its section; the problem is reported.
        ref = SourceRef(section or "", 0, 0, 0)
    return Question(
        id=question_id,
        section=section or "",
        type=kind,
        prompt=prompt,
        choices=tuple(choices),
        answer=answer,
        explanation=explanation,
        source=quote,
        source_ref=ref,
        feedback=feedback,
        critical=bool(critical),
        difficulty=difficulty,
        tags=tags,
        path=check.path,
        line=node.line,
    )


def _check_answer(
    check: _Checker, node: Node | None, kind: QuestionType | None, choices: list[str]
) -> tuple[str, ...] | None:
    if node is None or node.value is None or kind is None:
        return None
    if kind is QuestionType.TRUE_FALSE:
        if node.kind == "scalar" and node.value in ("true", "false"):
            return (node.value,)
        check.add(node, "a true_false answer must be true or false")
        return None
    if kind is QuestionType.SINGLE:
        if node.kind == "sequence":
            check.add(
                node,
                "a single question has one answer: give one choice, or make it type: multiple",
            )
            return None
        value = check.text(node, "answer")
        if value is None:
            return None
        if choices and value not in choices:
            check.add(node, _not_a_choice(value, choices))
            return None
        return (value,)
    if kind is QuestionType.MULTIPLE:
        items = check.text_list(node, "answer") if node.kind == "sequence" else None
        if node.kind != "sequence":
            check.add(node, "a multiple question's answer is a list of choices: [first, second]")
            return None
        if not items:
            check.add(node, "a multiple question needs at least one right answer")
            return None
        answers: list[str] = []
        for value, item in items:
            if choices and value not in choices:
                check.add(item, _not_a_choice(value, choices))
                return None
            if value in answers:
                check.add(item, f"answer {value!r} is listed twice")
                return None
            answers.append(value)
        return tuple(answers)
    # short: a list of accepted answers (one text is accepted too)
    if node.kind == "scalar":
        value = check.text(node, "answer")
        return (value,) if value is not None else None
    items = check.text_list(node, "answer")
    if not items:
        check.add(node, "a short question needs at least one accepted answer")
        return None
    return tuple(value for value, _ in items)


def _not_a_choice(value: str, choices: list[str]) -> str:
    close = difflib.get_close_matches(value, choices, n=1, cutoff=0.5)
    hint = f"did you mean {close[0]!r}?" if close else "copy the text of the right choice exactly"
    return f"answer {value!r} is not one of the choices: {hint}"


def _quote_not_found(
    check: _Checker, node: Node, section: str, quote: str, quotes: QuoteIndex
) -> None:
    elsewhere = quotes.sections_containing(quote)
    if elsewhere:
        check.add(
            node,
            f"the source quote is in section {elsewhere[0]!r}, not {section!r}: move the "
            "question to that section's bank or quote this section",
        )
        return
    closest = quotes.closest(section, quote)
    if closest is None:
        check.add(node, f"the source quote is not in section {section!r}")
        return
    paragraph, words = closest
    check.add(
        node,
        f"the source quote is not found in section {section!r}; the closest passage is "
        f'"{words}" ({quotes.source.path.name} line {paragraph.line}): copy the words '
        "exactly from one paragraph",
    )


def check_cross_file(
    banks: list[BankDraft], source: SourceText | None, problems: list[Problem]
) -> None:
    """Rules across the files of a course: question ids unique in the course."""
    first: dict[str, tuple[Path, int]] = {}
    for bank in banks:
        keep: list[Question] = []
        for question in bank.questions:
            if question.id in first:
                path, line = first[question.id]
                node = bank.id_nodes[question.id]
                problems.append(
                    Problem(
                        bank.path,
                        node.line,
                        node.column,
                        f"question id {question.id!r} is already used in {path.name} line "
                        f"{line}: ids must be unique in the course",
                    )
                )
                continue
            first[question.id] = (bank.path, bank.id_nodes[question.id].line)
            keep.append(question)
        bank.questions = keep
