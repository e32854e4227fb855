"""Attempt rows read back as `AttemptSummary` and `AttemptDetail` (quiz.storage.attempts).

The SQL of `quiz scores`, My scores, a review and an export: which columns make a
summary, the joins that name them, and the answers of one attempt in order; and the
one INSERT of an answer (recording one, importing many).

`export_texts` is the export (`quiz scores --format json`) streamed straight from the
rows: one attempt's JSON text at a time, byte for byte what
`json_text(detail.to_export_dict())` gives, without building the AttemptDetail (the
parts that repeat, a question as asked and a picked choice, are encoded once).
"""

from __future__ import annotations

import json
import re
import sqlite3
from collections.abc import Iterator, Sequence
from datetime import date
from itertools import groupby
from operator import itemgetter
from typing import Any

from quiz.domain.gc_pause import gc_paused
from quiz.domain.identity import Identification
from quiz.domain.kinds import UnknownKind, kind_names, kind_of
from quiz.domain.records import AskedQuestion, AttemptStatus, Mode
from quiz.domain.text import learner_key
from quiz.storage.attempts import (
    AnswerEntry,
    AttemptDetail,
    AttemptFlag,
    AttemptItem,
    AttemptSummary,
    order_history,
)
from quiz.storage.codec import (
    decode_response,
    format_utc,
    from_ms,
    from_offset_ds,
    local_day_start_ms,
    to_ms,
    unpack_ints,
)
from quiz.storage.errors import StoreError
from quiz.storage.flags import attempt_flags
from quiz.storage.interning import Ids

SUMMARY_COLUMNS = """
    a.uuid, n.name, l.key, c.code, v.hash, a.mode, a.exam, a.sections, a.seed,
    a.status, a.started_at, a.finished_at, a.time_limit, a.deadline_at, a.pass_mark,
    a.correct, a.total, a.percent, a.passed, a.identified, a.verify_code, a.clinic,
    a.utc_offset
"""
DETAIL_COLUMNS = f"{SUMMARY_COLUMNS}, a.id, a.items"
_LATER_COLUMNS = {
    "clinic": "NULL",
    "utc_offset": "NULL",
    "identified": "'typed'",
    "verify_code": "NULL",
}
"""What a store older than versions 7 and 8 (tests make them) gives for the attempt
columns it lacks: what those versions give every older attempt."""


def _columns(connection: sqlite3.Connection, columns: str) -> str:
    """`columns` (SUMMARY_COLUMNS or DETAIL_COLUMNS) as this store can give them."""
    present = {
        row[0] for row in connection.execute("SELECT name FROM pragma_table_info('attempt')")
    }
    for column, stand_in in _LATER_COLUMNS.items():
        if column not in present:
            columns = columns.replace(f"a.{column}", stand_in)
    return columns


INSERT_ANSWER = (
    "INSERT INTO answer (attempt, item, rev, response, correct, ms, at_ds) "
    "VALUES (?, ?, ?, ?, ?, ?, ?)"
)
SUMMARY_FROM = """
    FROM attempt a
    JOIN learner l ON l.id = a.learner
    JOIN learner_name n ON n.id = a.learner_name
    JOIN course_version v ON v.id = a.course_version
    JOIN course c ON c.id = v.course
"""


def list_attempts(
    connection: sqlite3.Connection,
    ids: Ids,
    *,
    learner: str | None = None,
    since: date | None = None,
    course: str | None = None,
    clinic: str | None = None,
) -> list[AttemptSummary]:
    """Attempts, newest first. `learner` matches by learner_key; `since` is a local date;
    `clinic` keeps the attempts taken at that clinic."""
    sql, parameters = _filtered(
        _columns(connection, SUMMARY_COLUMNS), learner, since, course, clinic
    )
    rows = connection.execute(sql, parameters).fetchall()
    return [summary(connection, ids, row) for row in rows]


def _filtered(
    columns: str,
    learner: str | None,
    since: date | None,
    course: str | None,
    clinic: str | None = None,
) -> tuple[str, list[Any]]:
    """The SELECT of `list_attempts` (its filters and order) for `columns`."""
    where: list[str] = []
    parameters: list[Any] = []
    if learner is not None:
        where.append("l.key = ?")
        parameters.append(learner_key(learner))
    if clinic is not None:
        where.append("a.clinic = ?")
        parameters.append(clinic)
    if since is not None:
        where.append("a.started_at >= ?")
        parameters.append(local_day_start_ms(since))
    if course is not None:
        where.append("c.code = ?")
        parameters.append(course)
    sql = f"SELECT {columns} {SUMMARY_FROM}"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return sql + " ORDER BY a.started_at DESC, a.id DESC", parameters


def find_detail(connection: sqlite3.Connection, ids: Ids, attempt_id: str) -> AttemptDetail | None:
    """The attempt of id (UUID) `attempt_id`, if it is in the store."""
    row = connection.execute(
        f"SELECT {_columns(connection, DETAIL_COLUMNS)} {SUMMARY_FROM} WHERE a.uuid = ?",
        (attempt_id,),
    ).fetchone()
    return None if row is None else detail(connection, ids, row)


def summary(connection: sqlite3.Connection, ids: Ids, row: Sequence[Any]) -> AttemptSummary:
    """An attempt from a row of `SUMMARY_COLUMNS`."""
    (
        attempt_id,
        learner_name,
        key,
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
    ) = row[:23]
    return AttemptSummary(
        id=attempt_id,
        learner=learner_name,
        learner_key=key,
        course=course,
        course_version=version,
        mode=Mode(mode),
        exam=exam,
        sections=ids.section_codes(connection, sections),
        seed=seed,
        status=AttemptStatus(status),
        started_at=from_ms(started_at),
        finished_at=from_ms(finished_at) if finished_at is not None else None,
        time_limit_seconds=time_limit,
        deadline_at=from_ms(deadline_at) if deadline_at is not None else None,
        pass_mark=pass_mark,
        correct=correct,
        total=total,
        percent=float(percent) if percent is not None else None,
        passed=None if passed is None else bool(passed),
        identified=Identification(identified),
        verify_code=verify_code,
        clinic=clinic,
        utc_offset_minutes=utc_offset,
    )


def detail(connection: sqlite3.Connection, ids: Ids, row: Sequence[Any]) -> AttemptDetail:
    """An attempt with its questions and answers, from a row of `DETAIL_COLUMNS`."""
    found = summary(connection, ids, row)
    rowid, packed = row[23], row[24]
    started = to_ms(found.started_at)
    questions = [
        ids.asked_question(connection, asked_id, position)
        for position, asked_id in enumerate(unpack_ints(packed))
    ]
    for question in questions:
        _check_kind(ids, found.id, question)
    by_item: dict[int, list[AnswerEntry]] = {}
    for item, response, correct, ms, at_ds in connection.execute(
        """SELECT item, response, correct, ms, at_ds FROM answer WHERE attempt = ?
           ORDER BY item, rev""",
        (rowid,),
    ):
        if not 0 <= item < len(questions):
            continue  # an answer to a question not in the attempt: cannot be shown
        question = questions[item]
        by_item.setdefault(item, []).append(
            AnswerEntry(
                position=item,
                question_id=question.question_id,
                response=decode_response(question, response),
                correct=bool(correct),
                seconds=ms / 1000,
                answered_at=from_offset_ds(at_ds, started),
            )
        )
    latest = {item: entries[-1] for item, entries in by_item.items()}
    history = order_history(by_item)
    items = tuple(AttemptItem(question=q, answer=latest.get(q.position)) for q in questions)
    flags = attempt_flags(connection, [rowid]).get(rowid, ())
    return AttemptDetail(summary=found, items=items, history=history, flags=tuple(flags))


def _check_kind(ids: Ids, attempt_id: str, question: AskedQuestion) -> None:
    try:
        kind_of(question.type)
    except UnknownKind:
        raise StoreError(
            "other",
            ids.path,
            f"{ids.path}: attempt {attempt_id} asked question {question.question_id!r} of "
            f"type {question.type!r}, which this program does not know (it knows "
            f"{', '.join(kind_names())}), so its answers cannot be read. The file was "
            "not changed. Use the program that saved it (with that question type).",
        ) from None


# --- the export, streamed -----------------------------------------------------------------

_ANSWERS = "SELECT attempt, item, response, correct, ms, at_ds FROM answer WHERE attempt IN "
_ANSWERS_ORDER = " ORDER BY attempt, item, rev"
_EXPORT_CHUNK = 200
"""Attempts read together, with one query for their answers (a query per attempt cost
a tenth of the export)."""
_encode_text = json.encoder.encode_basestring  # the C encoder of json.dumps(ensure_ascii=False)
_C1 = re.compile("[\x7f-\x9f]")
_DAY_MS = 86_400_000
_FRACTIONS = tuple(f".{n:03d}".rstrip("0") if n else ".0" for n in range(1000))
_EXACT_MS = 10**12
"""Below this many milliseconds (31 years), repr(ms / 1000) is the whole seconds and
`_FRACTIONS[ms % 1000]`: the double nearest a number of milliseconds is closer to it
than to any shorter decimal (checked for every ms below 3 million and at random up to
here). Formatting the integers skips the float's shortest-repr search."""
_UNANSWERED = 'null,\n      "correct": false,\n      "seconds": null,\n      "answered_at": null'
_ANSWERED_AT = ',\n      "answered_at": '
_ATTEMPT = itemgetter(0)  # of an answer row of _ANSWERS
_ITEM = itemgetter(1)
_OPENINGS_KEPT = 50_000
"""Openings of answers kept, at most (a few MB: typed answers may all differ)."""


def _seconds(ms: int) -> str:
    """repr(ms / 1000): the seconds of an answer as json.dumps writes them."""
    if 0 <= ms < _EXACT_MS:
        return f"{ms // 1000}{_FRACTIONS[ms % 1000]}"
    return float.__repr__(ms / 1000)


def _c1_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def _harmless(text: str) -> str:
    """`text` (JSON) with C1 controls and DEL escaped, as json_text does."""
    if text.isascii() and "\x7f" not in text:
        return text
    return _C1.sub(_c1_escape, text)


def _scalar(value: Any) -> str:
    """A scalar as json.dumps writes it (where no C1 escaping differs)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return _harmless(_encode_text(value))
    if isinstance(value, int):
        return int.__repr__(value)
    return _fragment(value, 0)


def _fragment(value: Any, level: int) -> str:
    """`value` as json.dumps(indent=2) writes it `level` deep in a bigger document."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return _harmless(text.replace("\n", "\n" + "  " * level))


class _Exporter:
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
            _check_kind(self.ids, attempt_id, question)
            head = (
                '    {\n      "question_id": '
                + _fragment(question.question_id, 3)
                + ',\n      "section": '
                + _fragment(question.section, 3)
                + ',\n      "response": '
            )
            tail = (
                ',\n      "type": '
                + _fragment(str(question.type), 3)
                + ',\n      "prompt": '
                + _fragment(question.prompt, 3)
                + ',\n      "choices": '
                + _fragment(list(question.choices), 3)
                + ',\n      "right_answer": '
                + _fragment(list(question.answer), 3)
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
                return _harmless(_encode_text(decoded))
            return _fragment(decoded, level)
        key = (asked_id, level, stored)
        text = self.responses.get(key)
        if text is None:
            text = self.responses[key] = _fragment(decode_response(question, stored), level)
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
            if 0 <= ms < _EXACT_MS:
                append(
                    f"{opening}{ms // 1000}{_FRACTIONS[ms % 1000]}{_ANSWERED_AT}"
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
                f',\n      "seconds": {_seconds(ms)}'
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
                        + _seconds(ms)
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
            listed = self.sections[sections] = _fragment(list(codes), 1)
        head = (
            f'{{\n  "id": {_scalar(attempt_id)}'
            f',\n  "learner": {_scalar(learner_name)}'
            f',\n  "course": {_scalar(course)}'
            f',\n  "course_version": {_scalar(version)}'
            f',\n  "mode": {_scalar(str(Mode(mode)))}'
            f',\n  "exam": {_scalar(exam)}'
            f',\n  "status": {_scalar(str(AttemptStatus(status)))}'
            f',\n  "started_at": {self.utc(started_at)}'
            f',\n  "finished_at": '
            f"{self.utc(finished_at) if finished_at is not None else 'null'}"
            f',\n  "time_limit_seconds": {_scalar(time_limit)}'
            f',\n  "correct": {_scalar(correct)}'
            f',\n  "total": {_scalar(total)}'
            f',\n  "percent": {float.__repr__(float(percent))}'
            f',\n  "passed": {_scalar(None if passed is None else bool(passed))}'
            ',\n  "answers": '
        )
        tail = (
            f',\n  "sections": {listed}'
            f',\n  "seed": {_scalar(seed)}'
            f',\n  "deadline_at": '
            f"{self.utc(deadline_at) if deadline_at is not None else 'null'}"
            f',\n  "pass_mark": {_scalar(pass_mark)}'
            f',\n  "identified": {_scalar(str(Identification(identified)))}'
            f',\n  "verify_code": {_scalar(verify_code)}'
            f',\n  "clinic": {_scalar(clinic)}'
            f',\n  "utc_offset_minutes": {_scalar(utc_offset)}'
            "\n}"
        )
        if not answers:
            return f"{head}[]{tail}"
        # One join: the answers are most of the text, copied once. (Every text from
        # the store in it went through _harmless.)
        return "".join((head, "[\n", ",\n".join(answers), "\n  ]", tail))


def _with_flags(text: str, flags: Sequence[AttemptFlag]) -> str:
    """An attempt's JSON text with its learners' flags, as `to_export_dict` puts them
    (last, and only when it has some)."""
    listed = _fragment([flag.to_export_dict() for flag in flags], 1)
    return f'{text[:-2]},\n  "flags": {listed}\n}}'


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
    sql, parameters = _filtered(
        _columns(connection, DETAIL_COLUMNS), learner, since, course, clinic
    )
    exporter = _Exporter(connection, ids)
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
                    _with_flags(text, flagged[row[-2]]) if row[-2] in flagged else text
                    for row, text in zip(chunk, texts, strict=True)
                ]
        yield from texts
