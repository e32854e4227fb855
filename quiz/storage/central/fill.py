"""A pull's attempts put in the form the store writes them (exchange's PreparedAttempt)
straight from the server's rows (issue 16, the first pull's budget).

The import's reader (quiz.storage.exchange) checks an export file answer by answer: for
a pull that was most of the work, for rows the server has stored typed already. Here
each question as asked (a row of quiz.asked_question) is checked once, by the import's
own reader: the first attempt that asks it is read from its export, the reader's way.
An attempt whose questions were all checked so is then made from its rows directly:
its responses stored as the reader stores them (each response text of a question once),
its answers' figures and its verdict as the reader makes them. Anything out of the
ordinary (learners' flags, a mode, status or identification the reader does not know, a
question asked twice, a response that does not fit, a time too long) goes the reader's
way, which accepts it as it would from a file or says what is wrong. What comes out is
the reader's PreparedAttempt, field for field (tests/central/test_central_fill.py
compares both ways on a fixture), added by the import's code.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import datetime
from pathlib import Path
from typing import Any, NamedTuple

from quiz.domain.text import learner_key
from quiz.storage.codec import to_ms
from quiz.storage.exchange.answers import stored_response
from quiz.storage.exchange.reader import IDENTIFICATIONS, MODES, STATUSES, Reader
from quiz.storage.exchange.records import (
    MS_LIMIT,
    Answers,
    PreparedAttempt,
    QuestionVersions,
    attempt_fields,
)
from quiz.storage.exchange.spill import ExportedAttempts, Spill

SOURCE = Path("the central store")
"""How the attempts' source is named in the reader's messages."""
_KEPT = 100_000
"""Learner keys and stored responses kept per pull, at most (as the reader keeps them)."""


Given = tuple[int, int, str | None, bool, float, int]
"""One answer row (pull_reading._ANSWERS'): its attempt, item, response as JSON text (None: no
response), right, seconds and when (whole seconds since the epoch)."""


class Pulled(NamedTuple):
    """One attempt's rows: the attempt's (pull_reading._ATTEMPTS' columns but the last two), the
    asked_question ids of its items in order, its answers (by item, then rev) and its
    learners' flags as an export carries them."""

    row: tuple[Any, ...]
    asked: list[int]
    answers: list[Given]
    flags: list[dict[str, Any]] | None


class Filler:
    """Makes PreparedAttempts of pulled attempts (`prepared`), the reader's way where
    it must be; `export` makes an attempt's export dict (for the reader)."""

    def __init__(self, export: Callable[[Pulled], dict[str, Any]]) -> None:
        self.versions = QuestionVersions()
        self._reader = Reader(SOURCE, self.versions)
        self._export = export
        self._numbers: dict[int, int] = {}  # asked_question id -> QuestionVersions number
        self._stored: dict[tuple[int, str], int | str | None] = {}
        self._learner_keys: dict[str, str] = {}
        self._question_ids: list[str] = []  # of versions.questions, by number
        self.read_by_reader = 0  # attempts read the reader's way (tests look)

    def prepared(self, index: int, pulled: Pulled) -> PreparedAttempt:
        """The attempt as the store writes it. Raises exchange.ImportFileError."""
        made = None if pulled.flags else self._direct(pulled)
        if made is not None:
            return made
        self.read_by_reader += 1
        attempt = self._reader.attempt(index, self._export(pulled))
        for asked_id, number in zip(pulled.asked, attempt.questions, strict=True):
            self._numbers.setdefault(asked_id, number)
        questions = self.versions.questions
        self._question_ids.extend(q.question_id for q in questions[len(self._question_ids) :])
        return attempt

    def _direct(self, pulled: Pulled) -> PreparedAttempt | None:
        """The attempt made from its rows, or None: it goes the reader's way."""
        (
            _rowid, uuid, learner, course, course_version, mode, exam, status, started_at,
            finished_at, time_limit, correct, total, percent, passed, sections, seed,
            deadline_at, pass_mark, identified, verify_code,
        ) = pulled.row  # fmt: skip
        numbers_of = self._numbers
        if (
            mode not in MODES
            or status not in STATUSES
            or identified not in IDENTIFICATIONS
            or total != len(pulled.asked)
            or not uuid.strip()
        ):
            return None
        try:
            numbers = [numbers_of[asked_id] for asked_id in pulled.asked]
        except KeyError:  # a question not checked yet: the reader checks it
            return None
        versions = self.versions
        questions = versions.questions
        if len(set(map(self._question_ids.__getitem__, numbers))) != total:
            return None  # a question asked twice: the reader says so
        key = self._learner_keys.get(learner)
        if key is None:
            key = learner_key(learner)
            if len(self._learner_keys) < _KEPT:
                self._learner_keys[learner] = key
        if not key:
            return None
        started_ms = _whole_ms(started_at)
        answers = Answers()
        add_figures = answers.figures.extend
        add_stored = answers.stored.append
        stored_of = self._stored
        right_positions = answers.right
        last, last_right, rev = -1, False, 0
        for _attempt, item, response, right, seconds, answered_s in pulled.answers:
            if item == last:
                rev += 1
            else:
                if last_right:
                    right_positions.append(last)
                last, rev = item, 0
            last_right = right
            stored: int | str | None = None
            if response is not None:
                known = (numbers[item], response)
                if known in stored_of:
                    stored = stored_of[known]
                else:
                    try:
                        stored = stored_response(questions[known[0]], json.loads(response))
                    except ValueError:
                        return None  # does not fit: the reader says so
                    if len(stored_of) < _KEPT:
                        stored_of[known] = stored
            ms = round(seconds * 1000)
            if ms > MS_LIMIT:
                return None
            at = answered_s * 1000
            add_stored(stored)
            add_figures(
                (
                    item,
                    rev,
                    1 if right else 0,
                    ms if ms > 0 else 0,
                    round((at - started_ms) / 100),  # codec.offset_ds
                    at,
                )
            )
        if last_right:
            right_positions.append(last)
        finished_ms = None if finished_at is None else _whole_ms(finished_at)
        deadline_ms = None if deadline_at is None else _whole_ms(deadline_at)
        # The clinic and offset: not in an export (pull._place records them).
        fields = attempt_fields(
            uuid, learner, key, course, course_version, mode, exam, sections, seed, status,
            started_ms, finished_ms, time_limit, deadline_ms, pass_mark, correct, total,
            percent, passed, identified, verify_code, None, None,
        )  # fmt: skip
        return self._reader.finish(fields, tuple(numbers), answers)


def _whole_ms(moment: datetime) -> int:
    """A server time as its export gives it back: whole seconds (codec.format_utc)."""
    return to_ms(moment.replace(microsecond=0))


def read(filler: Filler, attempts: Iterable[Pulled]) -> ExportedAttempts:
    """The attempts as the import takes them (kept in a temporary file a batch at a
    time, as an export file's are). Raises exchange.ImportFileError."""
    spill = Spill()
    try:
        for index, pulled in enumerate(attempts, start=1):
            spill.add(filler.prepared(index, pulled))
        return spill.done(filler.versions)
    except BaseException:
        spill.file.close()
        raise
