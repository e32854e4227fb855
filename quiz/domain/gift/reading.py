"""Reading a GIFT file as Moodle reads it (question/format/gift/format.php), into our
fields: `read_gift`. Each question's type found from its answers (essay, numerical and
matching skipped; multiple choice, true/false and short answer carried), its comments'
ids and tags, its general feedback split into explanation and source. What GIFT looks
like and how our fields map is in quiz.domain.gift; its text rules in
quiz.domain.gift.syntax.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from quiz.domain.gift.syntax import (
    SOURCE_COMMENT,
    SOURCE_LINE,
    TRIM,
    Block,
    answer_weight,
    comment_tokens,
    escape_marks,
    file_lines,
    is_noncharacter,
    plain,
    question_blocks,
    with_format,
)
from quiz.domain.model import Problem
from quiz.domain.question_io import (
    TAG_CRITICAL,
    TAG_DIFFICULTY,
    TAG_FACT,
    Carried,
    ReadResult,
    Skipped,
)

_Report = Callable[[str], None]


def read_gift(path: Path, text: str) -> ReadResult:
    """Every question of a GIFT file, as Moodle would read it, in our fields."""
    result = ReadResult()
    for number, line in enumerate(file_lines(text), start=1):
        for column, char in enumerate(line, start=1):
            if is_noncharacter(char):
                result.problems.append(
                    Problem(
                        path,
                        number,
                        column,
                        f"U+{ord(char):04X} is a Unicode noncharacter, not text: remove it",
                    )
                )
                break
    if result.problems:
        return result
    category: tuple[str, int] | None = None
    for block in question_blocks(text):
        if not block.text.strip():
            continue  # only comments
        marked = escape_marks(block.text)
        if marked.startswith("$CATEGORY:"):
            path_text = plain(marked[len("$CATEGORY:") :])
            category = (_category_section(path_text), block.place(0)[0])
            continue
        _read_question(path, block, marked, category, result)
    return result


def _category_section(category: str) -> str:
    """The last part of a Moodle category path (`//` is a `/` inside a name)."""
    parts: list[str] = []
    current: list[str] = []
    index = 0
    while index < len(category):
        if category.startswith("//", index):
            current.append("/")
            index += 2
        elif category[index] == "/":
            parts.append("".join(current))
            current = []
            index += 1
        else:
            current.append(category[index])
            index += 1
    parts.append("".join(current))
    return parts[-1].strip()


def _read_question(
    path: Path,
    block: Block,
    marked: str,
    category: tuple[str, int] | None,
    result: ReadResult,
) -> None:
    line, column = block.place(0)

    def problem(index: int, message: str) -> None:
        at_line, at_column = block.place(index)
        result.problems.append(Problem(path, at_line, at_column, message))

    text = marked
    name: str | None = None
    name_offset = 0
    if text.startswith("::"):
        finish = text.find("::", 2)
        if finish >= 0:
            name = plain(text[2:finish])
            rest = text[finish + 2 :]
            name_offset = finish + 2 + len(rest) - len(rest.lstrip(TRIM))
            text = rest.strip(TRIM)
    label = name or plain(text)[:40]
    start = text.find("{")
    finish = text.find("}")
    if start < 0 and finish < 0:
        result.skipped.append(Skipped(line, column, label, "a description, not a question"))
        return
    if start < 0 or finish < 0:
        at = start if start >= 0 else finish
        problem(
            name_offset + at,
            "a `{` without its `}`: close the answers with `}` (write `\\{` or `\\}` for "
            "a brace in the text)"
            if start >= 0
            else "a `}` without a `{` before it: write `\\}` for a brace in the text",
        )
        return
    if finish < start:
        problem(name_offset + finish, "a `}` before the answers' `{`: write `\\}` in the text")
        return
    answers = text[start + 1 : finish].strip(TRIM)
    if text.endswith("}"):
        prompt_marked = text[:start] + text[finish + 1 :]
    else:
        prompt_marked = text[:start] + "_____" + text[finish + 1 :]
    general = ""
    separator = answers.rfind("####")
    if separator >= 0:
        general = answers[separator + 4 :]
        answers = answers[:separator].strip(TRIM)
    prompt = with_format(prompt_marked)
    question = Carried(line=line, column=column, type="", prompt=prompt, choices=(), answer=())
    if category is not None:
        question.section, question.section_line = category
    _read_comments(block, question)
    if question.id is None and name is not None:
        question.id = name
    explanation = with_format(general)
    explanation, source_line = _split_source_line(explanation)
    if question.source is None and source_line is not None:
        question.source = source_line
    question.explanation = explanation or None

    def skip(reason: str) -> None:
        result.skipped.append(Skipped(line, column, question.id or label, reason))

    if answers == "":
        skip("an essay question: quiz has no essay questions")
        return
    if answers.startswith("#"):
        skip("a numerical question: quiz has no numerical questions")
        return
    if "~" in answers:
        _read_choices(answers, question, skip, lambda m: problem(name_offset + start, m))
    elif "=" in answers and "->" in answers:
        skip("a matching question: quiz has no matching questions")
        return
    else:
        check = answers
        if answers.find("#") > 0:
            check = answers[: answers.find("#")].strip(TRIM)
        if check in ("T", "TRUE", "F", "FALSE"):
            _read_true_false(answers, question)
        else:
            _read_short(answers, question, skip)
    if question.type:
        result.questions.append(question)


def _read_comments(block: Block, question: Carried) -> None:
    tags: list[str] = []
    for _line, _column, comment in block.comments:
        if comment.startswith(SOURCE_COMMENT) and question.source is None:
            question.source = plain(escape_marks(comment[len(SOURCE_COMMENT) :]))
            continue
        ids = comment_tokens(comment, "id")
        if ids and question.id is None:
            question.id = ids[0]
        tags.extend(comment_tokens(comment, "tag"))
    user_tags: list[str] = []
    for tag in tags:
        if tag == TAG_CRITICAL:
            question.critical = True
        elif tag.startswith(TAG_DIFFICULTY) and tag[len(TAG_DIFFICULTY) :] in ("1", "2", "3"):
            question.difficulty = int(tag[len(TAG_DIFFICULTY) :])
        elif tag.startswith(TAG_FACT) and len(tag) > len(TAG_FACT):
            question.fact = tag[len(TAG_FACT) :]
        else:
            user_tags.append(tag)
    question.tags = tuple(user_tags)


def _split_source_line(explanation: str) -> tuple[str, str | None]:
    """The explanation without its closing `Source: "…"` line, and the quote in it."""
    at = explanation.rfind("\n" + SOURCE_LINE)
    if at < 0 and explanation.startswith(SOURCE_LINE):
        at = -1
    elif at < 0:
        return explanation, None
    line = explanation[at + 1 :]
    if len(line) < len(SOURCE_LINE) + 2 or not line.endswith('"'):
        return explanation, None
    quote = line[len(SOURCE_LINE) : -1]
    return explanation[: max(at, 0)].rstrip(), quote or None


def _split_feedback(marked: str) -> tuple[str, str]:
    """Moodle's commentparser: the answer and its feedback, split at the first `#`."""
    text, _, feedback = marked.partition("#")
    return with_format(text), with_format(feedback)


def _read_choices(answers: str, question: Carried, skip: _Report, problem: _Report) -> None:
    single = "=" in answers
    parts = answers.replace("=", "~=").split("~")
    parts[0] = parts[0].strip(TRIM)
    if not parts[0]:
        parts.pop(0)
    if len(parts) < 2:
        problem("a multiple-choice question needs at least two answers")
        return
    choices: list[str] = []
    weights: list[float] = []
    feedback: dict[str, str] = {}
    for part in parts:
        part = part.strip(TRIM)
        if part.startswith("="):
            weight = 1.0
            part = part[1:]
        else:
            read, part, trouble = answer_weight(part)
            if trouble is not None:
                problem(trouble)
                return
            weight = read if read is not None else 0.0
        choice, said = _split_feedback(part)
        choices.append(choice)
        weights.append(weight)
        if said:
            feedback[choice] = said
    right = [c for c, w in zip(choices, weights, strict=True) if w > 0]
    if not right:
        skip("no answer has a positive weight: nothing is right")
        return
    right_weights = [w for w in weights if w > 0]
    if single:
        if any(abs(w - 1) > 1e-9 for w in right_weights):
            skip("partial credit (a choice worth part of the mark): quiz grades all-or-nothing")
            return
        if len(right) > 1:
            skip("several `=` answers in a one-answer question: quiz has one right choice")
            return
        question.type = "single"
    else:
        equal = max(right_weights) - min(right_weights) < 1e-6
        if not equal or abs(sum(right_weights) - 1) > 1e-4:
            skip(
                "partial credit (right choices whose weights are not equal and summing to "
                "100%): quiz grades all-or-nothing"
            )
            return
        question.type = "multiple"
    question.choices = tuple(choices)
    question.answer = tuple(right)
    question.feedback = feedback


def _read_true_false(answers: str, question: Carried) -> None:
    bits = answers.split("#", 2)
    answer = with_format(bits[0])
    wrong = with_format(bits[1]) if len(bits) > 1 else ""
    right = with_format(bits[2]) if len(bits) > 2 else ""
    is_true = answer in ("T", "TRUE")
    question.type = "true_false"
    question.answer = ("true" if is_true else "false",)
    said = {"true": right, "false": wrong} if is_true else {"true": wrong, "false": right}
    question.feedback = {key: text for key, text in said.items() if text}


def _read_short(answers: str, question: Carried, skip: _Report) -> None:
    parts = answers.split("=")
    parts[0] = parts[0].strip(TRIM)
    if not parts[0]:
        parts.pop(0)
    if not parts:
        skip("a short answer without an accepted answer")
        return
    accepted: list[str] = []
    for part in parts:
        weight, rest, trouble = answer_weight(part.strip(TRIM))
        if trouble is not None:
            skip(trouble)
            return
        if weight is not None and abs(weight - 1) > 1e-9:
            skip("partial credit (an answer worth part of the mark): quiz grades all-or-nothing")
            return
        text, said = _split_feedback(rest)
        if _has_wildcard(text):
            skip(f"the wildcard `*` in {text!r}: quiz matches typed answers exactly")
            return
        accepted.append(text.replace("\\*", "*"))
        if said:
            question.notes.append(f"feedback on the typed answer {text!r} was not carried")
    question.type = "short"
    question.answer = tuple(accepted)


def _has_wildcard(text: str) -> bool:
    """Moodle's short answers read `*` as a wildcard, unless written `\\*`."""
    return any(char == "*" and (i == 0 or text[i - 1] != "\\") for i, char in enumerate(text))
