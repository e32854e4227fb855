"""The rules for `course.yaml` (its fields, facts and exam presets), and the rules
across a course once its text and banks are read.

Format 1 files read as they always did. Format 2 adds facts (`facts:` in course.yaml)
and blueprints (`sections:` and `critical:` on an exam preset); those fields in a
format-1 file are refused with a message saying so.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.domain.blueprint import blueprint_issues
from quiz.domain.checker import ID, Checker, Place
from quiz.domain.durations import DurationError, parse_duration
from quiz.domain.model import (
    DEFAULT_PASS_MARK,
    CriticalMode,
    ExamPreset,
    Fact,
    Problem,
    Severity,
    SourceText,
)
from quiz.domain.validity import ValidityError, parse_validity
from quiz.domain.yamlsafe import Node

if TYPE_CHECKING:
    from quiz.domain.question_rules import BankDraft

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
    "valid_for": False,
    "witness": False,
}
FACT_FIELDS = {"id": True, "text": True, "critical": False}
# The fields that are new in format 2, where they are written
COURSE_FIELDS_2 = ("facts",)
EXAM_FIELDS_2 = ("sections", "critical")
CRITICAL_MODES = {"facts": CriticalMode.FACTS, "none": CriticalMode.NONE}


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


def check_course_file(path: Path, node: Node, problems: list[Problem]) -> CourseDraft | None:
    check = Checker(path, problems)
    read = check.file_fields(node, COURSE_FIELDS, "course.yaml")
    if read is None:
        return None
    found, file_format = read
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


def _check_facts(check: Checker, node: Node, draft: CourseDraft) -> None:
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


def _check_exam(check: Checker, exam_id: str, node: Node, draft: CourseDraft) -> ExamPreset | None:
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
    valid_for = None
    valid_node = found.get("valid_for")
    if valid_node is not None and valid_node.kind != "scalar":
        check.add(valid_node, "'valid_for' must be one value, such as `valid_for: 12 months`")
    elif valid_node is not None and valid_node.value is not None:
        try:
            valid_for = parse_validity(valid_node.value)
        except ValidityError as error:
            check.add(valid_node, f"'valid_for': {error}")
    witness = check.boolean(found.get("witness"), "witness")
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
        valid_for=valid_for,
        witness=bool(witness),
    )


def _check_exam_sections(
    check: Checker, exam_id: str, node: Node | None, draft: CourseDraft
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


def check_course_rules(
    draft: CourseDraft,
    source: SourceText | None,
    banks: list[BankDraft],
    problems: list[Problem],
) -> None:
    """Rules across course.yaml, its text and its banks, once all are read: the sections
    that `facts:` and exam presets name, facts no question asks, and whether each exam
    blueprint can be met (`blueprint.blueprint_issues`, the one home of that rule)."""
    check = Checker(draft.path, problems)
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
