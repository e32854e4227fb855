"""The rules for `course.yaml` and bank files, shared by loading and `quiz check`.

Each check appends `Problem`s (with the line and column of the offending value)
and returns what could be built, so that one run reports every problem. Some
problems are warnings: `quiz check` shows them and still passes (unless --strict),
and the app does not count them.

Format 1 files read as they always did. Format 2 adds facts (`facts:` in
course.yaml, `fact:` on a question) and blueprints (`sections:` and `critical:` on an
exam preset); those fields in a format-1 file are refused with a message saying so.
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
    CriticalMode,
    ExamPreset,
    Fact,
    Problem,
    Question,
    QuestionType,
    Severity,
    SourceRef,
    SourceText,
)
from quiz.domain.selection import blueprint_issues
from quiz.domain.source import QuoteIndex
from quiz.domain.text import find_control, fold
from quiz.domain.yamlsafe import Node

FORMAT = 2  # the newest format this version reads (it reads every one before it too)
ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")

COURSE_FIELDS = {
    "format": True,
    "id": True,
    "title": True,
    "description": False,
    "source": True,
    "facts": False,
    "exams": False,
}
EXAM_FIELDS = {
    "title": True,
    "questions": False,  # required, except in format 2 when `sections` gives the counts
    "include_critical": False,
    "sections": False,
    "critical": False,
    "time_limit": True,
    "pass_mark": False,
}
FACT_FIELDS = {"id": True, "text": True, "critical": False}
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
    "fact": False,
}
# The fields that are new in format 2, where they are written
COURSE_FIELDS_2 = ("facts",)
EXAM_FIELDS_2 = ("sections", "critical")
QUESTION_FIELDS_2 = ("fact",)
CRITICAL_MODES = {"facts": CriticalMode.FACTS, "none": CriticalMode.NONE}


@dataclass(frozen=True)
class Place:
    """Where something is written: a line and a column, 1-based."""

    line: int
    column: int


@dataclass
class CourseDraft:
    path: Path = Path()
    format: int = 1
    id: str | None = None
    title: str | None = None
    description: str | None = None
    source: tuple[str, int, int] | None = None  # the path as written, with its line and column
    exams: dict[str, ExamPreset] = field(default_factory=dict)
    facts: dict[str, Fact] = field(default_factory=dict)
    # Where things are written, for the rules checked once the text and banks are read.
    fact_sections: dict[str, Place] = field(default_factory=dict)  # section id under `facts:`
    exam_places: dict[str, Place] = field(default_factory=dict)  # exam id
    exam_section_places: dict[str, dict[str, Place]] = field(default_factory=dict)


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

    def add(
        self,
        node: Node | None,
        message: str,
        *,
        line: int = 0,
        column: int = 0,
        severity: Severity = Severity.ERROR,
    ) -> None:
        if node is not None and not line:
            line, column = node.line, node.column
        self.problems.append(Problem(self.path, line or 1, column or 1, message, severity))

    def warn(self, node: Node | None, message: str) -> None:
        self.add(node, message, severity=Severity.WARNING)

    def format_2_only(
        self,
        mapping: Node,
        found: dict[str, Node],
        names: tuple[str, ...],
        file_format: int,
        where: str,
    ) -> None:
        """Refuse (and drop) the format-2 fields `names` in a format-1 file."""
        if file_format >= 2:
            return
        for name in [n for n in names if n in found]:
            entry = mapping.value[name]
            self.add(
                None,
                f"{name!r} is new in format 2: write `format: 2` at the top of {where} to use it",
                line=entry.key_line,
                column=entry.key_column,
            )
            del found[name]

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

    def file_format(self, node: Node | None) -> int | None:
        """The file's format number; None when this version cannot read it."""
        if node is None or node.value is None:
            return 1  # missing: reported by fields()
        text = str(node.value).strip() if node.kind == "scalar" else ""
        readable = "formats 1 and 2" if FORMAT == 2 else f"formats 1 to {FORMAT}"
        if not re.fullmatch(r"[0-9]+", text):
            self.add(node, f"'format' must be a whole number (this version reads {readable})")
            return None
        number = int(text)
        if number > FORMAT:
            self.add(
                node,
                f"made for a newer version of quiz (format {number}); this version reads "
                f"{readable}: update quiz to use this file",
            )
            return None
        if number < 1:
            self.add(node, f"format {number} does not exist: write `format: {FORMAT}`")
            return None
        return number


def check_course_file(path: Path, node: Node, problems: list[Problem]) -> CourseDraft | None:
    check = _Checker(path, problems)
    found = check.fields(node, COURSE_FIELDS, "course.yaml")
    if found is None:
        return None
    file_format = check.file_format(found.get("format"))
    if file_format is None:
        return None
    check.format_2_only(node, found, COURSE_FIELDS_2, file_format, "course.yaml")
    draft = CourseDraft(path=path, format=file_format)
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
    facts = found.get("facts")
    if facts is not None and facts.value is not None:
        _check_facts(check, facts, draft)
    exams = found.get("exams")
    if exams is not None and exams.value is not None:
        if exams.kind != "mapping":
            check.add(exams, "'exams' must map each preset id to its settings")
        else:
            for exam_id, entry in exams.value.items():
                draft.exam_places[exam_id] = Place(entry.key_line, entry.key_column)
                preset = _check_exam(check, exam_id, entry.node, draft)
                if preset is not None:
                    draft.exams[exam_id] = preset
    return draft


def _check_facts(check: _Checker, node: Node, draft: CourseDraft) -> None:
    """`facts:` of course.yaml: per section id, a list of `{id, text, critical}`."""
    if node.kind != "mapping":
        check.add(node, "'facts' must map each section id to the list of its facts")
        return
    first_line: dict[str, int] = {}
    for section_id, entry in node.value.items():
        draft.fact_sections[section_id] = Place(entry.key_line, entry.key_column)
        items = entry.node
        if items.value is None or (items.kind == "sequence" and not items.value):
            check.add(
                None,
                f"the facts of section {section_id!r} are empty: list them (`- id: ...`) "
                "or remove the section",
                line=entry.key_line,
                column=entry.key_column,
            )
            continue
        if items.kind != "sequence":
            check.add(
                items,
                f"the facts of section {section_id!r} must be a list: start each fact "
                "with `- id: ...`",
            )
            continue
        for item in items.value:
            found = check.fields(item, FACT_FIELDS, "a fact")
            if found is None:
                continue
            fact_id = check.text(found.get("id"), "id")
            text = check.text(found.get("text"), "text")
            critical = check.boolean(found.get("critical"), "critical")
            if fact_id is None:
                continue
            id_node = found["id"]
            if not ID.fullmatch(fact_id):
                check.add(id_node, "'id' must be letters, digits, '-', '_' or '.', with no spaces")
                continue
            if fact_id in first_line:
                check.add(
                    id_node,
                    f"fact id {fact_id!r} is already used on line {first_line[fact_id]}: "
                    "give each fact its own id",
                )
                continue
            first_line[fact_id] = id_node.line
            if text is None:
                continue
            draft.facts[fact_id] = Fact(
                id=fact_id,
                section=section_id,
                text=text,
                critical=bool(critical),
                line=id_node.line,
                column=id_node.column,
            )


def _check_exam(check: _Checker, exam_id: str, node: Node, draft: CourseDraft) -> ExamPreset | None:
    what = f"exam {exam_id!r}"
    found = check.fields(node, EXAM_FIELDS, what)
    if found is None:
        return None
    check.format_2_only(node, found, EXAM_FIELDS_2, draft.format, "course.yaml")
    if not ID.fullmatch(exam_id):
        check.add(node, f"exam id {exam_id!r} must be letters, digits, '-', '_' or '.'")
    title = check.text(found.get("title"), "title")
    count_node = found.get("questions")
    count = check.integer(count_node, "questions", 1, 10_000)
    include_critical = None
    if draft.format >= 2 and "include_critical" in found:
        entry = node.value["include_critical"]
        check.add(
            None,
            "'include_critical' is format 1 only: in format 2 every exam holds one question "
            "of every critical fact (`critical: facts`, the default); write `critical: none` "
            "to turn that off",
            line=entry.key_line,
            column=entry.key_column,
        )
    else:
        include_critical = check.boolean(found.get("include_critical"), "include_critical")
    sections_node = found.get("sections")
    sections = _check_exam_sections(check, exam_id, sections_node, draft)
    critical = CriticalMode.FACTS if draft.format >= 2 else CriticalMode.NONE
    critical_node = found.get("critical")
    if critical_node is not None and critical_node.value is not None:
        word = check.text(critical_node, "critical")
        if word is not None and word not in CRITICAL_MODES:
            check.add(
                critical_node,
                f"'critical' is {word!r}: write `critical: facts` (one question of every "
                "critical fact in every exam) or `critical: none`",
            )
        elif word is not None:
            critical = CRITICAL_MODES[word]
    if sections is not None and count_node is not None and count is not None:
        total = sum(sections.values())
        if total != count:
            check.add(
                count_node,
                f"{what}: 'questions' is {count} but its section counts add up to {total}: "
                "make them agree, or leave 'questions' out",
            )
            count = None
    elif sections is not None and count_node is None:
        count = sum(sections.values())
    elif sections_node is not None and sections_node.value is not None:
        pass  # the section counts are wrong: reported by _check_exam_sections
    elif count_node is None or count_node.value is None:
        message = f"{what} is missing 'questions': add `questions: ...`"
        if draft.format >= 2:
            message += " (or the questions per section under `sections:`)"
        if count_node is not None:
            check.add(count_node, message)
        else:
            place = draft.exam_places[exam_id]
            check.add(None, message, line=place.line, column=place.column)
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
    if draft.format < 2 and include_critical:
        critical = CriticalMode.QUESTIONS
    return ExamPreset(
        id=exam_id,
        title=title,
        questions=count,
        time_limit_seconds=time_limit,
        pass_mark=DEFAULT_PASS_MARK if pass_mark is None else pass_mark,
        critical=critical,
        sections=sections,
        format=draft.format,
    )


def _check_exam_sections(
    check: _Checker, exam_id: str, node: Node | None, draft: CourseDraft
) -> dict[str, int] | None:
    """An exam's `sections:` (format 2): questions per section id, each at least 1."""
    if node is None or node.value is None:
        return None
    if node.kind != "mapping" or not node.value:
        check.add(
            node,
            f"'sections' of exam {exam_id!r} must map section ids to how many questions "
            "to draw from each, like `swelling: 4`",
        )
        return None
    places = draft.exam_section_places.setdefault(exam_id, {})
    counts: dict[str, int] = {}
    for section_id, entry in node.value.items():
        places[section_id] = Place(entry.key_line, entry.key_column)
        count = check.integer(entry.node, section_id, 1, 10_000)
        if count is not None:
            counts[section_id] = count
    return counts if len(counts) == len(node.value) else None


def check_bank(
    path: Path,
    node: Node,
    source: SourceText | None,
    quotes: QuoteIndex | None,
    problems: list[Problem],
    facts: Mapping[str, Fact] | None = None,
) -> BankDraft | None:
    """A bank file; `facts` are the course's (from course.yaml), by id: None when
    course.yaml could not be read (then the facts questions name are not checked)."""
    check = _Checker(path, problems)
    found = check.fields(node, BANK_FIELDS, "a bank file")
    if found is None:
        return None
    file_format = check.file_format(found.get("format"))
    if file_format is None:
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
        question = _check_question(check, item, section, quotes, file_format, facts)
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
    check: _Checker,
    node: Node,
    section: str | None,
    quotes: QuoteIndex | None,
    file_format: int,
    facts: Mapping[str, Fact] | None,
) -> Question | None:
    found = check.fields(node, QUESTION_FIELDS, "a question")
    if found is None:
        return None
    check.format_2_only(node, found, QUESTION_FIELDS_2, file_format, "this bank file")
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
    fact = _check_fact_of(check, node, found, section, facts)
    if fact is not None:
        critical = fact.critical
    if critical and kind is QuestionType.SHORT:
        check.warn(
            type_node,
            "a critical question of type short: a spelling slip would fail the exam as a "
            "safety failure; make it single or true_false"
            + (f", or make fact {fact.id!r} not critical" if fact else ", or not critical"),
        )
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
        fact=fact.id if fact is not None else None,
    )


def _check_fact_of(
    check: _Checker,
    node: Node,
    found: Mapping[str, Node],
    section: str | None,
    facts: Mapping[str, Fact] | None,
) -> Fact | None:
    """The fact a question names (format 2), checked against course.yaml's facts."""
    fact_node = found.get("fact")
    fact_id = check.text(fact_node, "fact")
    if fact_id is None or fact_node is None or facts is None:
        return None
    fact = facts.get(fact_id)
    if fact is None:
        ids = [f.id for f in facts.values() if section is None or f.section == section]
        close = difflib.get_close_matches(fact_id, ids, n=1)
        if close:
            hint = f"did you mean {close[0]!r}?"
        elif not facts:
            hint = "course.yaml lists no facts: list them under `facts:` (course.yaml format 2)"
        else:
            under = f"`facts: {section}:`" if section else "`facts:`"
            hint = f"add it under {under} in course.yaml"
        check.add(fact_node, f"fact {fact_id!r} is not in course.yaml: {hint}")
        return None
    if section is not None and fact.section != section:
        check.add(
            fact_node,
            f"fact {fact_id!r} belongs to section {fact.section!r}, not {section!r} (this "
            "bank's section): name a fact of this section, or move the question",
        )
        return None
    if "critical" in found:
        entry = node.value["critical"]
        check.add(
            None,
            f"a question with a fact takes 'critical' from its fact: remove `critical:` here "
            f"and set `critical: true` on fact {fact_id!r} in course.yaml if it is critical",
            line=entry.key_line,
            column=entry.key_column,
        )
    return fact


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


def check_course_rules(
    draft: CourseDraft,
    source: SourceText | None,
    banks: list[BankDraft],
    problems: list[Problem],
) -> None:
    """Rules across course.yaml, its text and its banks, once all are read: the sections
    that `facts:` and exam presets name, facts no question asks, and whether each exam
    blueprint can be met (`selection.blueprint_issues`, the one home of that rule)."""
    check = _Checker(draft.path, problems)
    questions = [q for bank in banks for q in bank.questions]
    if source is not None:
        section_ids = [s.id for s in source.sections]
        for section_id, place in draft.fact_sections.items():
            if source.section(section_id) is None:
                close = difflib.get_close_matches(section_id, section_ids, n=1)
                hint = (
                    f"did you mean {close[0]!r}?"
                    if close
                    else "the sections are: " + ", ".join(section_ids)
                )
                check.add(
                    None,
                    f"section {section_id!r} under 'facts' is not in the course text: {hint}",
                    line=place.line,
                    column=place.column,
                )
        for preset in draft.exams.values():
            place = draft.exam_places[preset.id]
            section_places = draft.exam_section_places.get(preset.id, {})
            for issue in blueprint_issues(preset, section_ids, questions):
                at = section_places.get(issue.section or "", place)
                check.add(None, issue.message, line=at.line, column=at.column)
    asked = {q.fact for q in questions if q.fact is not None}
    question_ids = {q.id for q in questions if q.fact is None}
    for fact in draft.facts.values():
        if fact.id not in asked:
            check.add(
                None,
                f"fact {fact.id!r} is not asked by any question: add a question with "
                f"`fact: {fact.id}`, or remove the fact",
                line=fact.line,
                column=fact.column,
                severity=Severity.WARNING,
            )
        if fact.id in question_ids:
            check.add(
                None,
                f"fact {fact.id!r} has the id of a question without a fact, so the two count "
                "as one fact (never in one exam): rename one, or give the question "
                f"`fact: {fact.id}`",
                line=fact.line,
                column=fact.column,
                severity=Severity.WARNING,
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
