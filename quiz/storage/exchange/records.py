"""Attempts in the form the store writes them: `PreparedAttempt` (its fields, in their
one order: `attempt_fields` makes an attempt's own ones, for the file's reader and for
the central store's first pull, quiz.storage.central.fill), an attempt's answers as
they are gathered (`Answers`), and the questions as asked in some attempts, each
version numbered once (`QuestionVersions`, with what reading a file remembers of the
questions it checked: `Checked`).
"""

from __future__ import annotations

import struct
from array import array
from collections.abc import Sequence
from dataclasses import replace
from typing import Any, NamedTuple

from quiz.domain.records import AskedQuestion

AnswerRow = tuple[int, int, int | str | None, int, int, int]
"""One answer as the store keeps it (an answer row but its attempt's id): the position of
its question, its rev (0 for the first answer to it), the response as stored
(codec.encode_response), right (1/0), milliseconds taken, and when it was given
(tenths of a second after the attempt started: codec.offset_ds)."""

FIGURES = 6
"""Integers per answer in PreparedAttempt.figures: the position of its question, its rev,
right (1/0), milliseconds taken, when (codec.offset_ds) and when (ms since the epoch)."""
MS_LIMIT = 1 << 62
"""Milliseconds taken above this are no time a learner took (and would not fit)."""


FileFlag = tuple[str, int, str, int, str]
"""A learner's flag as PreparedAttempt keeps it: id, position, question id, when (ms), note."""


class PreparedAttempt(NamedTuple):
    """One attempt of an export file, checked: its fields as the file gives them (its
    `correct`, `percent` and `passed` too), times in milliseconds since the epoch, its
    questions by number (`QuestionVersions`), its answers as stored (`stored`, and
    FIGURES integers each, packed: `figures`; each question's in the order given, the
    questions in order), and the verdict they give (`recompute`): correct, percent,
    passed; None while in progress. Its fields are plain values: it is written to a
    temporary file with marshal, and its answers are made into rows in C (`columns`)."""

    id: str
    learner: str
    learner_key: str
    course: str
    course_version: str
    mode: str
    exam: str | None
    sections: tuple[str, ...]
    seed: int
    status: str
    started_ms: int
    finished_ms: int | None
    time_limit_seconds: int | None
    deadline_ms: int | None
    pass_mark: int | None
    correct: int | None
    total: int
    percent: float | None
    passed: bool | None
    identified: str  # an Identification ('typed' when the file has none)
    verify_code: str | None  # kept as it is (quiz.storage.verification computes it)
    clinic: str | None  # the clinic it was taken at (None: the file names none)
    utc_offset_minutes: int | None  # that terminal's UTC offset (None: not known)
    questions: tuple[int, ...]
    stored: tuple[int | str | None, ...]
    figures: bytes
    verdict: tuple[int, float, bool | None] | None
    flags: tuple[FileFlag, ...] = ()
    """Learners' flags on its questions (quiz.storage.flags), as the file gives them."""

    def columns(self) -> tuple[array[int], ...]:
        """The FIGURES columns of its answers: positions, revs, right, ms, when (ds),
        when (ms)."""
        figures = array("q")
        figures.frombytes(self.figures)
        return tuple(figures[column::FIGURES] for column in range(FIGURES))


def attempt_fields(
    attempt_id: str,
    learner: str,
    learner_key: str,
    course: str,
    course_version: str,
    mode: str,
    exam: str | None,
    sections: Sequence[str] | None,
    seed: int | None,
    status: str,
    started_ms: int,
    finished_ms: int | None,
    time_limit_seconds: int | None,
    deadline_ms: int | None,
    pass_mark: int | None,
    correct: int | None,
    total: int,
    percent: float | None,
    passed: bool | None,
    identified: str,
    verify_code: str | None,
    clinic: str | None,
    utc_offset_minutes: int | None,
) -> tuple[Any, ...]:
    """An attempt's own fields: PreparedAttempt's first ones (up to `utc_offset_minutes`,
    its parameters), in their order, as an export gives them (its sections a tuple, none
    when empty; its seed 0 when none; its percent a float). The file's reader (both its
    ways) and the central store's first pull make them here. The quick ways pass them
    in order (a call with 23 keywords costs twenty times one without, once an attempt);
    tests/unit/test_exchange_records.py holds its parameters to PreparedAttempt's
    fields."""
    return (
        attempt_id,
        learner,
        learner_key,
        course,
        course_version,
        mode,
        exam,
        tuple(sections) if sections else (),
        seed or 0,
        status,
        started_ms,
        finished_ms,
        time_limit_seconds,
        deadline_ms,
        pass_mark,
        correct,
        total,
        None if percent is None else float(percent),
        passed,
        str(identified),
        verify_code,
        clinic,
        utc_offset_minutes,
    )


class Answers:
    """An attempt's answers as they are checked, gathered for its PreparedAttempt."""

    __slots__ = ("figures", "right", "stored")

    def __init__(self) -> None:
        self.figures: list[int] = []  # FIGURES a row (packed by `packed`)
        self.stored: list[int | str | None] = []
        self.right: list[int] = []  # the positions whose answer that counts is right

    def add(self, row: AnswerRow, at: int) -> None:
        position, rev, stored, right, ms, at_ds = row
        self.figures.extend((position, rev, right, ms, at_ds, at))
        self.stored.append(stored)

    def packed(self) -> bytes:
        """The figures as array("q", figures).tobytes() gives them (struct packs a list of
        integers several times faster than an array takes them)."""
        return struct.pack(f"{len(self.figures)}q", *self.figures)


def question_identity(asked: AskedQuestion) -> tuple[Any, ...]:
    """Everything of a question as asked but where: one version of it."""
    return (
        asked.question_id,
        asked.section,
        str(asked.type),
        asked.prompt,
        asked.choices,
        asked.answer,
        asked.critical,
    )


class QuestionVersions:
    """The questions as asked in some attempts, each version once, numbered."""

    def __init__(self) -> None:
        self.questions: list[AskedQuestion] = []  # by number; position 0
        self._numbers: dict[tuple[Any, ...], int] = {}  # by question_identity
        self.sections: list[str] = []  # of each, by number
        self.critical: list[bool] = []
        self.checked: dict[tuple[Any, ...], list[Checked]] = {}
        """The fields of the questions of a file that were checked (`Checked`), by
        `checked_key` (several versions of a question may share one)."""
        self.responses: dict[tuple[Any, ...], int | str | None] = {}
        """Stored responses by (number, response in the file) that were checked."""

    def number(self, asked: AskedQuestion) -> int:
        identity = question_identity(asked)
        number = self._numbers.get(identity)
        if number is None:
            number = self._numbers[identity] = len(self.questions)
            self.questions.append(replace(asked, position=0) if asked.position else asked)
            self.sections.append(asked.section)
            self.critical.append(asked.critical)
        return number

    def done_reading(self) -> None:
        """Forget what only reading a file needs."""
        self.checked.clear()
        self.responses.clear()


def checked_key(question_id: str, choices: list[Any]) -> tuple[Any, ...]:
    """Where the checked versions of a question with these choices are kept: by a few
    short fields (hashing every field of every answer would cost more than the rest of
    its checks); the others are compared."""
    return (question_id, len(choices), choices[0], choices[-1]) if choices else (question_id,)


class Checked(NamedTuple):
    """A question as a file gives it, checked (`AnswerReader.checked`), and its number."""

    fields: tuple[str, str, str, list[str], list[str]]
    """Its section, type, prompt, choices and right answer (compared as one tuple)."""
    critical: bool | None  # as the file gives it: true, false, or null / not given
    number: int
