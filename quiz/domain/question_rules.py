"""The rules for bank files and their questions, and across the banks of a course.

What differs between question types (choices, answer, feedback, warnings) is each
kind's own rule (quiz.domain.kinds); the fields every question has are checked here.
A question's `fact` (format 2) must be a fact of its bank's section in course.yaml.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.domain.checker import ID, Checker
from quiz.domain.kinds import UnknownKind, kind_names, kind_of
from quiz.domain.model import Fact, Problem, Question, SourceRef, SourceText
from quiz.domain.source import QuoteIndex
from quiz.domain.yamlsafe import Node

if TYPE_CHECKING:
    from quiz.domain.kinds.base import QuestionKind

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
QUESTION_FIELDS_2 = ("fact",)


@dataclass
class BankDraft:
    path: Path
    section: str | None
    section_node: Node | None
    title: str
    questions: list[Question]
    id_nodes: dict[str, Node]  # question id -> where it is written


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
    check = Checker(path, problems)
    read = check.file_fields(node, BANK_FIELDS, "a bank file")
    if read is None:
        return None
    found, file_format = read
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
    check: Checker,
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
    kind: QuestionKind | None = None
    type_text = check.text(type_node, "type")
    if type_text is not None:
        try:
            kind = kind_of(type_text)
        except UnknownKind:
            check.add(type_node, f"type {type_text!r} is not one of: {', '.join(kind_names())}")
    prompt = check.text(found.get("prompt"), "prompt")
    explanation = check.text(found.get("explanation"), "explanation")
    quote = check.text(found.get("source"), "source")

    # What differs between types is the kind's own rule.
    choices: tuple[str, ...] = ()
    answer: tuple[str, ...] | None = None
    if kind is not None:
        choices, ok = kind.check_choices(check, node, found.get("choices"))
        answer_node = found.get("answer")
        if answer_node is not None and answer_node.value is not None:
            answer = kind.check_answer(check, answer_node, choices)
    if answer is None:
        ok = False
    feedback = _check_feedback(check, found.get("feedback"), kind, choices)

    critical = check.boolean(found.get("critical"), "critical")
    fact = _check_fact_of(check, node, found, section, facts)
    if fact is not None:
        critical = fact.critical
    warning = kind.critical_warning(fact.id if fact else None) if critical and kind else None
    if warning is not None:
        check.warn(type_node, warning)
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
        type=kind.name,
        prompt=prompt,
        choices=choices,
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


def _check_feedback(
    check: Checker, node: Node | None, kind: QuestionKind | None, choices: tuple[str, ...]
) -> dict[str, str]:
    """`feedback:`, keyed by what the kind allows (a choice's text, `true`/`false`)."""
    feedback: dict[str, str] = {}
    if node is None or node.value is None:
        return feedback
    if node.kind != "mapping":
        check.add(node, "'feedback' must map a choice to the text shown for it")
        return feedback
    allowed = kind.feedback_keys(choices) if kind is not None else None
    if kind is not None and allowed is None:
        check.add(node, f"'feedback' is per choice: a {kind.name} question has no choices")
        return feedback
    for key, entry in node.value.items():
        text = check.text(entry.node, "feedback")
        if allowed is not None and key not in allowed:
            check.add(
                None,
                f"feedback for {key!r}, which is not a choice: use the exact text of "
                "one of the choices",
                line=entry.key_line,
                column=entry.key_column,
            )
        elif text is not None:
            feedback[key] = text
    return feedback


def _check_fact_of(
    check: Checker,
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


def _quote_not_found(
    check: Checker, node: Node, section: str, quote: str, quotes: QuoteIndex
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
