"""The export (`quiz scores --format json`) streamed straight from the attempt rows.

`export_texts` gives one attempt's JSON text at a time, byte for byte what
`json_text(detail.to_export_dict())` gives, without building the AttemptDetail:
`AttemptEncoder` encodes once the parts that repeat (a question as asked, a picked
choice, an answer's opening, a day), and takes a quick path for an attempt whose items
were each answered once (`plain_answers`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from quiz.domain.gc_pause import gc_paused
from quiz.domain.identity import Identification
from quiz.domain.records import AskedQuestion, AttemptStatus, Mode
from quiz.storage.attempt_rows.json_parts import (
    EXACT_MS,
    FRACTIONS,
    encode_text,
    fragment,
    harmless,
    scalar,
    seconds_text,
    with_flags,
)
from quiz.storage.attempt_rows.reading import DETAIL_COLUMNS, check_kind, columns_of, filtered
from quiz.storage.codec import decode_response, format_utc, from_ms, unpack_ints
from quiz.storage.flags import attempt_flags
from quiz.storage.interning import Ids

_ANSWERS = "SELECT attempt, item, response, correct, ms, at_ds FROM answer WHERE attempt IN "
_ANSWERS_ORDER = " ORDER BY attempt, item, rev"
_EXPORT_CHUNK = 200
"""Attempts read together, with one query for their answers (a query per attempt cost
a tenth of the export)."""
_DAY_MS = 86_400_000
_UNANSWERED = 'null,\n      "correct": false,\n      "seconds": null,\n      "answered_at": null'
_ANSWERED_AT = ',\n      "answered_at": '
_ATTEMPT = itemgetter(0)  # of an answer row of _ANSWERS
_ITEM = itemgetter(1)
_OPENINGS_KEPT = 50_000
"""Openings of answers kept, at most (a few MB: typed answers may all differ)."""


class AttemptEncoder:
    """Encodes attempts as `json_text(detail.to_export_dict())` does, reusing what repeats."""

    def __init__(self, connection: sqlite3.Connection, ids: Ids) -> None:
        self.connection = connection
        self.ids = ids
        # By asked_question id: the question as asked, the text of its answer object
        # before and after the answer's own fields, and the texts of the answers given
        # to it (not free text), by their stored value.
        self.questions: dict[int, tuple[AskedQuestion, str, str, dict[Any, str]]] = {}
        self.responses: dict[tuple[int, int, Any], str] = {}
        self.days: dict[int, str] = {}
        self.sections: dict[bytes, str] = {}
        # By asked_question id, then by stored response and right: an answer object's
        # text up to its seconds (`opening`), up to _OPENINGS_KEPT of them.
        self.openings: dict[int, dict[Any, str]] = {}
        self.openings_kept = 0
        self.closings: dict[int, str] = {}  # by asked_question id: its tail, closed
        self.in_order: list[list[int]] = []  # by count: [0, 1, ..., count - 1]
        # The time-of-day part of `utc`, closing quote included, by second of the day
        # (86,400 short strings, made for each export: never on the app's path).
        two = [f"{n:02d}" for n in range(60)]
        self.seconds_of_day = [
            f'{two[h]}:{two[m]}:{two[s]}Z"' for h in range(24) for m in range(60) for s in range(60)
        ]

    def utc(self, ms: int) -> str:
        """format_utc(from_ms(ms)), quoted for JSON."""
        day, rest = divmod(ms, _DAY_MS)
        return (self.days.get(day) or self.day(day)) + self.seconds_of_day[rest // 1000]

    def day(self, day: int) -> str:
        """The opening quote and date part of `utc` for day number `day` (kept)."""
        prefix = self.days[day] = '"' + format_utc(from_ms(day * _DAY_MS))[:11]
        return prefix

    def question(
        self, attempt_id: str, asked_id: int
    ) -> tuple[AskedQuestion, str, str, dict[Any, str]]:
        """The question as asked and what is kept of it (`questions`)."""
        found = self.questions.get(asked_id)
        if found is None:
            question = self.ids.asked_question(self.connection, asked_id, 0)
            check_kind(self.ids, attempt_id, question)
            head = (
                '    {\n      "question_id": '
                + fragment(question.question_id, 3)
                + ',\n      "section": '
                + fragment(question.section, 3)
                + ',\n      "response": '
            )
            tail = (
                ',\n      "type": '
                + fragment(str(question.type), 3)
                + ',\n      "prompt": '
                + fragment(question.prompt, 3)
                + ',\n      "choices": '
                + fragment(list(question.choices), 3)
                + ',\n      "right_answer": '
                + fragment(list(question.answer), 3)
                + ',\n      "critical": '
                + ("true" if question.critical else "false")
            )
            found = self.questions[asked_id] = (question, head, tail, {})
        return found

    def response(self, asked_id: int, question: AskedQuestion, stored: Any, level: int) -> str:
        if stored is None:
            return "null"
        if isinstance(stored, str):  # free text: not worth keeping
            decoded = decode_response(question, stored)
            if isinstance(decoded, str):
                return harmless(encode_text(decoded))
            return fragment(decoded, level)
        key = (asked_id, level, stored)
        text = self.responses.get(key)
        if text is None:
            text = self.responses[key] = fragment(decode_response(question, stored), level)
        return text

    def items_in_order(self, count: int) -> list[int]:
        """[0, 1, ..., count - 1] (kept)."""
        in_order = self.in_order
        while len(in_order) <= count:
            in_order.append(list(range(len(in_order))))
        return in_order[count]

    def plain_answers(
        self,
        attempt_id: str,
        started_at: int,
        asked_ids: list[int],
        rows: Sequence[tuple[Any, ...]],
        answers: list[str],
    ) -> int:
        """The texts of an attempt's answers where each item has one row (`rows`, in
        item order) added to `answers`, as `attempt`'s loop writes them; how many are
        right. Written out in one loop: it runs for most answers of an export."""
        right_count = 0
        openings, closings = self.openings, self.closings
        days, seconds_of_day = self.days, self.seconds_of_day
        append = answers.append
        for asked_id, (_attempt, _item, response, right, ms, at_ds) in zip(
            asked_ids, rows, strict=True
        ):
            opened = openings.get(asked_id)
            if opened is None:
                opened = self.openings_of(attempt_id, asked_id)
            if type(response) is int:
                opening = opened.get(response * 2 + right)  # right: 0 or 1 (the schema)
            else:
                opening = opened.get((response, right))
            if opening is None:
                opening = self.opening(attempt_id, asked_id, response, right)
            if right:
                right_count += 1
            day, rest = divmod(started_at + at_ds * 100, _DAY_MS)
            if 0 <= ms < EXACT_MS:
                append(
                    f"{opening}{ms // 1000}{FRACTIONS[ms % 1000]}{_ANSWERED_AT}"
                    f"{days.get(day) or self.day(day)}{seconds_of_day[rest // 1000]}"
                    f"{closings[asked_id]}"
                )
            else:
                append(
                    f"{opening}{float.__repr__(ms / 1000)}{_ANSWERED_AT}"
                    f"{days.get(day) or self.day(day)}{seconds_of_day[rest // 1000]}"
                    f"{closings[asked_id]}"
                )
        return right_count

    def openings_of(self, attempt_id: str, asked_id: int) -> dict[Any, str]:
        """The kept openings (`opening`) of a question's answers, made ready."""
        _question, _head, tail, _given = self.questions.get(asked_id) or self.question(
            attempt_id, asked_id
        )
        self.closings[asked_id] = tail + "\n    }"
        opened: dict[Any, str] = {}
        self.openings[asked_id] = opened
        return opened

    def opening(self, attempt_id: str, asked_id: int, response: Any, right: int) -> str:
        """An answer object's text up to its seconds (kept: `openings`)."""
        question, head, _tail, _given = self.questions.get(asked_id) or self.question(
            attempt_id, asked_id
        )
        text = (
            f"{head}{self.response(asked_id, question, response, 3)}"
            f',\n      "correct": {"true" if right else "false"}'
            ',\n      "seconds": '
        )
        if self.openings_kept < _OPENINGS_KEPT:
            self.openings_kept += 1
            key = response * 2 + right if type(response) is int else (response, right)
            self.openings[asked_id][key] = text
        return text

    def attempt(self, row: Sequence[Any], rows: Sequence[tuple[Any, ...]]) -> str:
        """The JSON text of the attempt of `row` (DETAIL_COLUMNS) with its answer `rows`
        (attempt, item, response, correct, ms, at_ds) in (item, rev) order."""
        (
            attempt_id,
            learner_name,
            _key,
            course,
            version,
            mode,
            exam,
            sections,
            seed,
            status,
            started_at,
            finished_at,
            time_limit,
            deadline_at,
            pass_mark,
            correct,
            total,
            percent,
            passed,
            identified,
            verify_code,
            clinic,
            utc_offset,
            _rowid,
            packed,
        ) = row
        # The answers come in (item, rev) order: each item's run of rows is its history,
        # the last one the answer that counts. Rows of items the attempt does not have
        # are left out.
        count = len(rows)
        at = 0
        answers: list[str] = []
        right_count = 0
        cached = self.questions
        days, seconds_of_day = self.days, self.seconds_of_day
        asked_ids = unpack_ints(packed)
        if count == len(asked_ids) and list(map(_ITEM, rows)) == self.items_in_order(count):
            # Every item answered once (most attempts): its rows are its items.
            right_count = self.plain_answers(attempt_id, started_at, asked_ids, rows, answers)
            asked_ids = []  # nothing left for the loop below
        for item, asked_id in enumerate(asked_ids):
            found = cached.get(asked_id) or self.question(attempt_id, asked_id)
            question, head, tail, given = found
            while at < count and rows[at][1] < item:
                at += 1
            first = at
            while at < count and rows[at][1] == item:
                at += 1
            if first == at:
                answers.append(head + _UNANSWERED + tail + "\n    }")
                continue
            _attempt, _item, response, right, ms, at_ds = rows[at - 1]
            if right:
                right_count += 1
            day, rest = divmod(started_at + at_ds * 100, _DAY_MS)
            shown = given.get(response) if type(response) is int else None
            if shown is None:
                shown = self.response(asked_id, question, response, 3)
                if type(response) is int:
                    given[response] = shown
            text = (
                f"{head}{shown}"
                f',\n      "correct": {"true" if right else "false"}'
                f',\n      "seconds": {seconds_text(ms)}'
                f',\n      "answered_at": '
                f"{days.get(day) or self.day(day)}{seconds_of_day[rest // 1000]}{tail}"
            )
            if at - first > 1:
                text += (
                    ',\n      "history": [\n'
                    + ",\n".join(
                        '        {\n          "response": '
                        + self.response(asked_id, question, response, 5)
                        + (
                            ',\n          "correct": true'
                            if right
                            else ',\n          "correct": false'
                        )
                        + ',\n          "seconds": '
                        + seconds_text(ms)
                        + ',\n          "answered_at": '
                        + self.utc(started_at + at_ds * 100)
                        + "\n        }"
                        for _attempt, _item, response, right, ms, at_ds in rows[first : at - 1]
                    )
                    + "\n      ]"
                )
            answers.append(text + "\n    }")
        if correct is None:
            correct = right_count
        if percent is None:
            percent = round(100.0 * correct / total, 2) if total else 0.0
        listed = self.sections.get(sections)
        if listed is None:
            codes = self.ids.section_codes(self.connection, sections)
            listed = self.sections[sections] = fragment(list(codes), 1)
        head = (
            f'{{\n  "id": {scalar(attempt_id)}'
            f',\n  "learner": {scalar(learner_name)}'
            f',\n  "course": {scalar(course)}'
            f',\n  "course_version": {scalar(version)}'
            f',\n  "mode": {scalar(str(Mode(mode)))}'
            f',\n  "exam": {scalar(exam)}'
            f',\n  "status": {scalar(str(AttemptStatus(status)))}'
            f',\n  "started_at": {self.utc(started_at)}'
            f',\n  "finished_at": '
            f"{self.utc(finished_at) if finished_at is not None else 'null'}"
            f',\n  "time_limit_seconds": {scalar(time_limit)}'
            f',\n  "correct": {scalar(correct)}'
            f',\n  "total": {scalar(total)}'
            f',\n  "percent": {float.__repr__(float(percent))}'
            f',\n  "passed": {scalar(None if passed is None else bool(passed))}'
            ',\n  "answers": '
        )
        tail = (
            f',\n  "sections": {listed}'
            f',\n  "seed": {scalar(seed)}'
            f',\n  "deadline_at": '
            f"{self.utc(deadline_at) if deadline_at is not None else 'null'}"
            f',\n  "pass_mark": {scalar(pass_mark)}'
            f',\n  "identified": {scalar(str(Identification(identified)))}'
            f',\n  "verify_code": {scalar(verify_code)}'
            f',\n  "clinic": {scalar(clinic)}'
            f',\n  "utc_offset_minutes": {scalar(utc_offset)}'
            "\n}"
        )
        if not answers:
            return f"{head}[]{tail}"
        # One join: the answers are most of the text, copied once. (Every text from
        # the store in it went through _harmless.)
        return "".join((head, "[\n", ",\n".join(answers), "\n  ]", tail))


def export_texts(
    connection: sqlite3.Connection,
    ids: Ids,
    *,
    learner: str | None = None,
    since: date | None = None,
    course: str | None = None,
    clinic: str | None = None,
) -> Iterator[str]:
    """The JSON text of each attempt `list_attempts` lists, in its order, read and
    encoded one at a time (memory stays flat however big the store)."""
    sql, parameters = filtered(
        columns_of(connection, DETAIL_COLUMNS), learner, since, course, clinic
    )
    exporter = AttemptEncoder(connection, ids)
    attempts = connection.execute(sql, parameters)
    while chunk := attempts.fetchmany(_EXPORT_CHUNK):
        # The collector paused while a chunk is made: its rows are thousands of tuples
        # (no cycles), and its passes over them were a twentieth of the export.
        with gc_paused():
            rowids = [row[-2] for row in chunk]  # DETAIL_COLUMNS: ..., a.id, a.items
            marks = ",".join("?" * len(rowids))
            read = connection.execute(f"{_ANSWERS}({marks}){_ANSWERS_ORDER}", rowids)
            # Grouped by attempt in C (the rows come in attempt order).
            answers = {rowid: list(group) for rowid, group in groupby(read, _ATTEMPT)}
            texts = [exporter.attempt(row, answers.get(row[-2], ())) for row in chunk]
            flagged = attempt_flags(connection, rowids)  # few: most attempts have none
            if flagged:
                texts = [
                    with_flags(text, flagged[row[-2]]) if row[-2] in flagged else text
                    for row, text in zip(chunk, texts, strict=True)
                ]
        yield from texts
