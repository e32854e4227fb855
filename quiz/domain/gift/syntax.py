"""GIFT's text as Moodle's reader sees it, and its escaping rules (their one home,
read and written): a file's lines and its question blocks (with where each character
came from), the escapes held as marks while the structure is read, a text's leading
`[format]`, the `[id:…]`/`[tag:…]` tokens of a comment line, an answer's `%weight%`,
and `escape`, Moodle's writer's repchar. The format as a whole is described in
quiz.domain.gift.

Every step is a linear scan (no regular expression that can backtrack): input is
untrusted.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from dataclasses import dataclass

SOURCE_COMMENT = "// quiz-source: "
"""The comment line that carries a question's quote exactly (Moodle drops comments)."""
SOURCE_LINE = 'Source: "'
"""How the quote closes the general feedback (the explanation) as Moodle shows it."""
FORMATS = ("moodle", "html", "plain", "markdown")

# Escaped characters are held as a Unicode noncharacter and a filler while the structure
# is read, so that positions stay those of the file; noncharacters are refused in input.
_ESCAPES = {":": "\ufdd0", "#": "\ufdd1", "=": "\ufdd2", "{": "\ufdd3", "}": "\ufdd4"}
_ESCAPES |= {"~": "\ufdd5", "n": "\ufdd6"}
_FILL = "\ufddf"
_UNESCAPE = str.maketrans(
    {mark: ("\n" if char == "n" else char) for char, mark in _ESCAPES.items()} | {_FILL: None}
)


TRIM = " \t\n\r\0\x0b"  # what PHP's trim() removes


def is_noncharacter(char: str) -> bool:
    return "\ufdd0" <= char <= "\ufdef"


def file_lines(text: str) -> list[str]:
    """The file's lines, split at new lines only (as PHP's file() does)."""
    return text.replace("\r\n", "\n").replace("\r", "\n").split("\n")


@dataclass
class Block:
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


def question_blocks(text: str) -> Iterable[Block]:
    lines: list[str] = []
    places: list[tuple[int, int]] = []
    comments: list[tuple[int, int, str]] = []

    def block() -> Block:
        parts: list[str] = []
        starts: list[int] = []
        at = 0
        for line in lines:
            starts.append(at)
            parts.append(line)
            at += len(line) + 1
        joined = "\n".join(parts)
        stripped = joined.lstrip(TRIM)
        return Block(stripped.rstrip(TRIM), comments, starts, places, len(joined) - len(stripped))

    for number, raw in enumerate(file_lines(text), start=1):
        line = raw.strip(TRIM)
        if line in ("", "0"):  # PHP's empty(): "0" ends a question as a blank line does
            if lines:
                yield block()
            lines, places, comments = [], [], []
            continue
        column = len(raw) - len(raw.lstrip(TRIM)) + 1
        if line.startswith("//"):
            comments.append((number, column, line))
            line = " "
        lines.append(line)
        places.append((number, column))
    if lines:
        yield block()


def escape_marks(text: str) -> str:
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


def plain(text: str) -> str:
    """A marked text as the question's text: escapes made their characters, trimmed."""
    return text.translate(_UNESCAPE).strip(TRIM)


def with_format(text: str) -> str:
    """Moodle's parse_text_with_format: a leading `[format]` is dropped."""
    text = text.strip(TRIM)
    if text.startswith("["):
        end = text.find("]")
        if end > 0 and text[1:end] in FORMATS:
            text = text[end + 1 :]
    return plain(text)


def comment_tokens(comment: str, name: str) -> list[str]:
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


def answer_weight(answer: str) -> tuple[float | None, str, str | None]:
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


def escape(text: str) -> str:
    """Moodle's repchar: the reserved characters escaped, new lines as `\\n`."""
    out = text.replace("\\", "\\\\")
    for char in "#=~{}:":
        out = out.replace(char, "\\" + char)
    return out.replace("\r", "").replace("\n", "\\n")
