"""Moodle's GIFT format, read and written by Moodle's own rules (question/format/gift/
format.php in moodle/moodle), with our fields mapped as the README says.

Reading, as Moodle reads:

- questions are blocks of lines separated by blank lines (a line of only `0` ends one
  too: PHP's `empty("0")`); each line is trimmed; a line starting with `//` is a
  comment, where `[id:…]` and `[tag:…]` are found (`\\]` inside them is `]`);
- the escapes `\\\\ \\: \\# \\= \\{ \\} \\~ \\n` stand for the character (`\\n`: a new line);
  any other backslash is kept;
- `$CATEGORY: path` switches the category; `::name::` names the question;
- the answers are between the first `{` and the first `}`; with no braces the block is
  a description; `####` (the last) starts the general feedback;
- `[plain]`, `[html]`, `[moodle]` or `[markdown]` at the start of a text is its format;
- the type: `{}` essay, `{#…}` numerical, a `~` multiple choice (one answer per `=` or
  `~`, `%weight%` after `~`, `#feedback` after each; with no `=` several may be right),
  `=` with `->` matching, `T`/`TRUE`/`F`/`FALSE` true/false (`#wrong feedback#right
  feedback`), else short answer (`=a =b`, `%weight%` after `=`, `*` a wildcard).

Writing, as Moodle's writer does (escapes, `[plain]` on the question text, `~%w%` for
weights, `####` for the general feedback, a blank line after each question), with our
fields: the id as `::id::` and `[id:…]`, the section as `$CATEGORY:`, the explanation
as the general feedback followed by a `Source: "…"` line, the quote also as a
`// quiz-source:` comment (exact; Moodle drops comments), critical, difficulty, fact
and tags as `[tag:…]` (ours namespaced), a multiple question's right choices as equal
weights from Moodle's fixed list and its wrong ones as `~%-100%` (all-or-nothing, the
nearest Moodle has).

Input is untrusted: every step is a linear scan (no regular expression that can
backtrack), and every problem has its line and column.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from quiz.domain.model import Course, Problem, Question
from quiz.domain.question_io import (
    TAG_CRITICAL,
    TAG_DIFFICULTY,
    TAG_FACT,
    Carried,
    ReadResult,
    Skipped,
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
SOURCE_COMMENT = "// quiz-source: "
SOURCE_LINE = 'Source: "'
FORMATS = ("moodle", "html", "plain", "markdown")

# Escaped characters are held as a Unicode noncharacter and a filler while the structure
# is read, so that positions stay those of the file; noncharacters are refused in input.
_ESCAPES = {":": "\ufdd0", "#": "\ufdd1", "=": "\ufdd2", "{": "\ufdd3", "}": "\ufdd4"}
_ESCAPES |= {"~": "\ufdd5", "n": "\ufdd6"}
_FILL = "\ufddf"
_UNESCAPE = str.maketrans(
    {mark: ("\n" if char == "n" else char) for char, mark in _ESCAPES.items()} | {_FILL: None}
)


_TRIM = " \t\n\r\0\x0b"  # what PHP's trim() removes
_Report = Callable[[str], None]


def _is_noncharacter(char: str) -> bool:
    return "\ufdd0" <= char <= "\ufdef"


def _lines(text: str) -> list[str]:
    """The file's lines, split at new lines only (as PHP's file() does)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


# --- reading ---------------------------------------------------------------------------


@dataclass
class _Block:
    """One question's lines: the text Moodle reads (comment lines as a space) and where
    each of its characters came from."""

    text: str
    comments: list[tuple[int, int, str]]  # (line, column, the comment line)
    starts: list[int]  # index in `text` where each line starts
    lines: list[tuple[int, int]]  # (file line, column of its first character)
    offset: int = 0  # characters trimmed from the start of `text`

    def place(self, index: int) -> tuple[int, int]:
        """The file line and column of `text[index]` (after the trim)."""
        index += self.offset
        at = max(0, bisect.bisect_right(self.starts, index) - 1)
        line, column = self.lines[at]
        return line, column + index - self.starts[at]


def _blocks(text: str) -> Iterable[_Block]:
    lines: list[str] = []
    places: list[tuple[int, int]] = []
    comments: list[tuple[int, int, str]] = []

    def block() -> _Block:
        parts: list[str] = []
        starts: list[int] = []
        at = 0
        for line in lines:
            starts.append(at)
            parts.append(line)
            at += len(line) + 1
        joined = "\n".join(parts)
        stripped = joined.lstrip(_TRIM)
        return _Block(stripped.rstrip(_TRIM), comments, starts, places, len(joined) - len(stripped))

    for number, raw in enumerate(_lines(text), start=1):
        line = raw.strip(_TRIM)
        if line in ("", "0"):  # PHP's empty(): "0" ends a question as a blank line does
            if lines:
                yield block()
            lines, places, comments = [], [], []
            continue
        column = len(raw) - len(raw.lstrip(_TRIM)) + 1
        if line.startswith("//"):
            comments.append((number, column, line))
            line = " "
        lines.append(line)
        places.append((number, column))
    if lines:
        yield block()


def _escape_marks(text: str) -> str:
    """`text` with each escape as its mark and a filler (the same length)."""
    out: list[str] = []
    index = 0
    length = len(text)
    while index < length:
        found = text.find("\\", index)
        if found < 0:
            out.append(text[index:])
            break
        out.append(text[index:found])
        following = text[found + 1 : found + 2]
        if following == "\\":
            out.append("\\" + _FILL)
            index = found + 2
        elif following in _ESCAPES:
            out.append(_ESCAPES[following] + _FILL)
            index = found + 2
        else:
            out.append("\\")
            index = found + 1
    return "".join(out)


def _plain(text: str) -> str:
    """A marked text as the question's text: escapes made their characters, trimmed."""
    return text.translate(_UNESCAPE).strip(_TRIM)


def _with_format(text: str) -> str:
    """Moodle's parse_text_with_format: a leading `[format]` is dropped."""
    text = text.strip(_TRIM)
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS:
            text = text[end + 1 :]
    return _plain(text)


def _comment_tokens(comment: str, name: str) -> list[str]:
    """The values of `[name:…]` in a comment line (`\\]` stands for `]`)."""
    found: list[str] = []
    opener = f"[{name}:"
    at = comment.find(opener)
    while at >= 0:
        index = at + len(opener)
        value: list[str] = []
        closed = False
        while index < len(comment):
            char = comment[index]
            if char == "\\" and comment[index + 1 : index + 2] == "]":
                value.append("]")
                index += 2
                continue
            if char == "]":
                closed = True
                break
            if char < " " or char == "\x7f":
                break
            value.append(char)
            index += 1
        if closed and value:
            found.append("".join(value).strip())
        at = comment.find(opener, index)
    return found


def _weight(answer: str) -> tuple[float | None, str, str | None]:
    """Moodle's answer weight: (weight or None when there is none, the rest, a problem).

    Moodle's pattern is `^%-*([0-9]{1,2})\\.?([0-9]*)%`; read here without backtracking."""
    if not answer.startswith("%"):
        return None, answer, None
    index = 1
    while index < len(answer) and answer[index] == "-":
        index += 1
    digits = index
    while index < len(answer) and answer[index].isascii() and answer[index].isdigit():
        index += 1
    if index == digits:
        return None, answer, None
    if index < len(answer) and answer[index] == ".":
        index += 1
        while index < len(answer) and answer[index].isascii() and answer[index].isdigit():
            index += 1
    if index >= len(answer) or answer[index] != "%":
        return None, answer, None
    number = answer[1:index]
    rest = answer[index + 1 :]
    try:
        return float(number) / 100, rest, None
    except ValueError:
        return None, rest, f"the weight %{number}% is not a number"


def read_gift(path: Path, text: str) -> ReadResult:
    """Every question of a GIFT file, as Moodle would read it, in our fields."""
    result = ReadResult()
    for number, line in enumerate(_lines(text), start=1):
        for column, char in enumerate(line, start=1):
            if _is_noncharacter(char):
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
    for block in _blocks(text):
        if not block.text.strip():
            continue  # only comments
        marked = _escape_marks(block.text)
        if marked.startswith("$CATEGORY:"):
            path_text = _plain(marked[len("$CATEGORY:") :])
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
    block: _Block,
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
            name = _plain(text[2:finish])
            rest = text[finish + 2 :]
            name_offset = finish + 2 + len(rest) - len(rest.lstrip(_TRIM))
            text = rest.strip(_TRIM)
    label = name or _plain(text)[:40]
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
    answers = text[start + 1 : finish].strip(_TRIM)
    if text.endswith("}"):
        prompt_marked = text[:start] + text[finish + 1 :]
    else:
        prompt_marked = text[:start] + "_____" + text[finish + 1 :]
    general = ""
    separator = answers.rfind("####")
    if separator >= 0:
        general = answers[separator + 4 :]
        answers = answers[:separator].strip(_TRIM)
    prompt = _with_format(prompt_marked)
    question = Carried(line=line, column=column, type="", prompt=prompt, choices=(), answer=())
    if category is not None:
        question.section, question.section_line = category
    _read_comments(block, question)
    if question.id is None and name is not None:
        question.id = name
    explanation = _with_format(general)
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
            check = answers[: answers.find("#")].strip(_TRIM)
        if check in ("T", "TRUE", "F", "FALSE"):
            _read_true_false(answers, question)
        else:
            _read_short(answers, question, skip)
    if question.type:
        result.questions.append(question)


def _read_comments(block: _Block, question: Carried) -> None:
    tags: list[str] = []
    for _line, _column, comment in block.comments:
        if comment.startswith(SOURCE_COMMENT) and question.source is None:
            question.source = _plain(_escape_marks(comment[len(SOURCE_COMMENT) :]))
            continue
        ids = _comment_tokens(comment, "id")
        if ids and question.id is None:
            question.id = ids[0]
        tags.extend(_comment_tokens(comment, "tag"))
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
    return _with_format(text), _with_format(feedback)


def _read_choices(answers: str, question: Carried, skip: _Report, problem: _Report) -> None:
    single = "=" in answers
    parts = answers.replace("=", "~=").split("~")
    parts[0] = parts[0].strip(_TRIM)
    if not parts[0]:
        parts.pop(0)
    if len(parts) < 2:
        problem("a multiple-choice question needs at least two answers")
        return
    choices: list[str] = []
    weights: list[float] = []
    feedback: dict[str, str] = {}
    for part in parts:
        part = part.strip(_TRIM)
        if part.startswith("="):
            weight = 1.0
            part = part[1:]
        else:
            read, part, trouble = _weight(part)
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
    answer = _with_format(bits[0])
    wrong = _with_format(bits[1]) if len(bits) > 1 else ""
    right = _with_format(bits[2]) if len(bits) > 2 else ""
    is_true = answer in ("T", "TRUE")
    question.type = "true_false"
    question.answer = ("true" if is_true else "false",)
    said = {"true": right, "false": wrong} if is_true else {"true": wrong, "false": right}
    question.feedback = {key: text for key, text in said.items() if text}


def _read_short(answers: str, question: Carried, skip: _Report) -> None:
    parts = answers.split("=")
    parts[0] = parts[0].strip(_TRIM)
    if not parts[0]:
        parts.pop(0)
    if not parts:
        skip("a short answer without an accepted answer")
        return
    accepted: list[str] = []
    for part in parts:
        weight, rest, trouble = _weight(part.strip(_TRIM))
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


# --- writing ---------------------------------------------------------------------------


def escape(text: str) -> str:
    """Moodle's repchar: the reserved characters escaped, new lines as `\\n`."""
    out = text.replace("\\", "\\\\")
    for char in "#=~{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")


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


@dataclass(frozen=True)
class Unwritten:
    """A question left out of an export, and why."""

    question: Question
    reason: str


def write_gift(course: Course) -> tuple[str, list[Unwritten]]:
    """The course's questions as GIFT, section by section, and those left out."""
    out: list[str] = [f"// {escape(course.title)}: questions exported from quiz\n\n"]
    left: list[Unwritten] = []
    for section in course.source.sections:
        questions = course.questions_in(section.id)
        if not questions:
            continue
        out.append(f"$CATEGORY: $course$/top/{course.id}/{section.id}\n\n")
        for question in questions:
            written = write_question(question)
            if isinstance(written, str):
                out.append(written)
            else:
                left.append(Unwritten(question, written[0]))
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
