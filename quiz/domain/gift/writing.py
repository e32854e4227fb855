"""Writing a course's questions as GIFT, as Moodle's writer does (escapes, `[plain]` on
the question text, `~%w%` for weights, `####` for the general feedback, a blank line
after each question), with our fields as quiz.domain.gift describes: `write_gift` and
`write_question`. What GIFT cannot hold is left out and listed (`Unwritten`).
"""

from __future__ import annotations

from quiz.domain.gift.syntax import SOURCE_COMMENT, SOURCE_LINE, escape
from quiz.domain.model import Course, Question
from quiz.domain.question_io import (
    TAG_CRITICAL,
    TAG_DIFFICULTY,
    TAG_FACT,
    Unwritten,
    write_each,
)

# Moodle's weights for several right answers (question_bank::fraction_options_full), by
# the number of right answers they divide 100% between, as its writer prints them.
EQUAL_WEIGHTS = {
    1: "100",
    2: "50",
    3: "33.33333",
    4: "25",
    5: "20",
    6: "16.66667",
    7: "14.28571",
    8: "12.5",
    9: "11.11111",
    10: "10",
    20: "5",
}
WRONG_WEIGHT = "-100"


def _field(text: str) -> str:
    """A text after `[plain]` question text: escaped, and marked plain again when it
    starts with `[` (Moodle would read `[html]…` as a format)."""
    return ("[plain]" if text.startswith("[") else "") + escape(text)


def _choice(prefix: str, text: str) -> str:
    if prefix == "~" and text.startswith("%"):
        prefix = "~%0%"  # else Moodle would read the start of the text as a weight
    return prefix + _field(text)


def _short_answer(text: str) -> str:
    """A typed answer for Moodle: a `*` written `\\*` (not a wildcard)."""
    return text.replace("*", "\\*")


def write_gift(course: Course) -> tuple[str, list[Unwritten]]:
    """The course's questions as GIFT, section by section, and those left out."""
    out: list[str] = [f"// {escape(course.title)}: questions exported from quiz\n\n"]
    left: list[Unwritten] = []
    for section in course.source.sections:
        questions = course.questions_in(section.id)
        if not questions:
            continue
        out.append(f"$CATEGORY: $course$/top/{course.id}/{section.id}\n\n")
        write_each(questions, write_question, out, left)
    return "".join(out), left


def write_question(question: Question) -> str | tuple[str]:
    """One question as a GIFT block (ending with a blank line), or (why it is left out,)."""
    tags = []
    if question.critical:
        tags.append(TAG_CRITICAL)
    if question.difficulty is not None:
        tags.append(f"{TAG_DIFFICULTY}{question.difficulty}")
    if question.fact is not None:
        tags.append(f"{TAG_FACT}{question.fact}")
    tags.extend(question.tags)
    marks = [f"[id:{question.id.replace(']', chr(92) + ']')}]"]
    marks += [f"[tag:{tag.replace(']', chr(92) + ']')}]" for tag in tags]
    head = f"// {' '.join(marks)}\n{SOURCE_COMMENT}{escape(question.source)}\n"
    head += f"::{escape(question.id)}::[plain]{escape(question.prompt)}"
    general = question.explanation + "\n" + SOURCE_LINE + question.source + '"'
    closing = f"\t####{_field(general)}\n}}\n\n"

    def said(key: str) -> str:
        text = question.feedback.get(key, "")
        return "#" + _field(text) if text else ""

    if question.type == "single":
        lines = [
            _choice("=" if choice in question.answer else "~", choice) + said(choice)
            for choice in question.choices
        ]
        return head + "{\n" + "".join(f"\t{line}\n" for line in lines) + closing
    if question.type == "multiple":
        weight = EQUAL_WEIGHTS.get(len(question.answer))
        if weight is None:
            return (
                f"{len(question.answer)} right choices: Moodle's weights have no equal share "
                "for that many",
            )
        lines = [
            _choice(f"~%{weight if choice in question.answer else WRONG_WEIGHT}%", choice)
            + said(choice)
            for choice in question.choices
        ]
        return head + "{\n" + "".join(f"\t{line}\n" for line in lines) + closing
    if question.type == "true_false":
        is_true = question.answer == ("true",)
        right = question.feedback.get("true" if is_true else "false", "")
        wrong = question.feedback.get("false" if is_true else "true", "")
        body = "{" + ("TRUE" if is_true else "FALSE")
        if wrong:
            body += "#" + _field(wrong)
        elif right:
            body += "#"
        if right:
            body += "#" + _field(right)
        return head + body + f"####{_field(general)}}}\n\n"
    if question.type == "short":
        lines = [f"=%100%{escape(_short_answer(text))}#" for text in question.answer]
        return head + "{\n" + "".join(f"\t{line}\n" for line in lines) + closing
    return (f"a {question.type} question: GIFT has no such type",)
