"""Moodle's Aiken format: one-answer questions only, no feedback.

As Moodle documents it ("Aiken format", docs.moodle.org) and reads it
(question/format/aiken/format.php): the question on one line; then its choices, one a
line, each an upper-case letter, `.` or `)`, a space and the text; then `ANSWER: X`.
Questions are separated by a blank line. Lines shorter than two characters are
ignored, as Moodle ignores them.

Only `single` questions can be written; the others are left out and listed. What Aiken
cannot hold (explanation, feedback, source quote, id) is not written, so a file read
back gives drafts: `quiz check` names what each still needs.
"""

from __future__ import annotations

from pathlib import Path

from quiz.domain.model import Course, Problem, Question
from quiz.domain.question_io import Carried, ReadResult, Unwritten, write_each

LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def _choice_line(line: str) -> bool:
    return len(line) >= 3 and line[0] in LETTERS and line[1] in ".)" and line[2] in " \t"


def _one_line(text: str) -> str:
    return " ".join(text.split())


def write_aiken(course: Course) -> tuple[str, list[Unwritten]]:
    """The course's single questions as Aiken, and the questions left out."""
    out: list[str] = []
    left: list[Unwritten] = []
    write_each(course.questions, write_question, out, left)
    return "\n".join(out), left


def write_question(question: Question) -> str | tuple[str]:
    """One question as Aiken lines, or (why it is left out,)."""
    if question.type != "single":
        return (f"a {question.type} question: Aiken holds one-answer questions only",)
    if len(question.choices) > len(LETTERS):
        return ("more than 26 choices: Aiken labels choices A to Z",)
    prompt = _one_line(question.prompt)
    if _choice_line(prompt) or prompt.startswith("ANSWER:") or len(prompt) < 2:
        return ("its prompt would be read as a choice or an answer line in Aiken",)
    lines = [prompt]
    for index, choice in enumerate(question.choices):
        lines.append(f"{LETTERS[index]}. {_one_line(choice)}")
    right = question.choices.index(question.answer[0])
    lines.append(f"ANSWER: {LETTERS[right]}")
    return "\n".join(lines) + "\n"


def read_aiken(path: Path, text: str) -> ReadResult:
    """The questions of an Aiken file, as `single` questions without ids, explanations
    or quotes (drafts)."""
    result = ReadResult()
    prompt: tuple[int, str] | None = None
    choices: list[tuple[int, str]] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")

    def unfinished(line: int, message: str) -> None:
        result.problems.append(Problem(path, line, 1, message))

    for number, raw in enumerate(lines, start=1):
        line = raw.strip()
        if len(line) < 2:
            continue
        column = len(raw) - len(raw.lstrip()) + 1
        if _choice_line(line):
            if prompt is None:
                unfinished(number, "a choice before its question: write the question first")
                continue
            choices.append((number, line[3:].strip()))
            continue
        if line.startswith("ANSWER:"):
            letter = line[len("ANSWER:") :].strip()[:1]
            if prompt is None:
                unfinished(number, "an ANSWER line without a question before it")
                continue
            if len(choices) < 2:
                result.problems.append(
                    Problem(path, number, column, "a question needs at least two choices")
                )
            elif letter not in LETTERS[: len(choices)]:
                shown = letter or "nothing"
                result.problems.append(
                    Problem(
                        path,
                        number,
                        column,
                        f"ANSWER: {shown} names no choice: write the letter of the right "
                        f"choice, A to {LETTERS[len(choices) - 1]}",
                    )
                )
            else:
                texts = tuple(text for _, text in choices)
                result.questions.append(
                    Carried(
                        line=prompt[0],
                        column=1,
                        type="single",
                        prompt=prompt[1],
                        choices=texts,
                        answer=(texts[LETTERS.index(letter)],),
                    )
                )
            prompt, choices = None, []
            continue
        if prompt is not None:
            if choices:
                unfinished(prompt[0], "a question without its ANSWER line: add `ANSWER: X`")
                prompt, choices = (number, line), []
                continue
            prompt = (prompt[0], prompt[1] + "\n" + line)
            continue
        prompt = (number, line)
    if prompt is not None:
        unfinished(prompt[0], "a question without its ANSWER line: add `ANSWER: X`")
    return result
