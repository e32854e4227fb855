"""An attempt's answers in an export, checked (`AnswerReader`), into the form the store
writes them (records.Answers: stored responses, figures, the positions answered right).

Most answers are checked quickly, in one loop (`AnswerReader.answers`: it runs for every
answer of a file): a question already checked in this file with these very fields, a
response already seen to fit it. Any other answer has every check (`checked`), which
says what is wrong, if anything.
"""

from __future__ import annotations

from datetime import UTC, datetime
from operator import itemgetter
from pathlib import Path
from typing import Any

from quiz.domain.kinds import UnknownKind, kind_names, kind_of
from quiz.domain.records import AskedQuestion, Response
from quiz.storage.codec import EPOCH, decode_response, encode_response, seconds_to_ms
from quiz.storage.exchange.fields import MILLISECOND, NUMBERS, FieldReader, value_kind
from quiz.storage.exchange.records import (
    MS_LIMIT,
    AnswerRow,
    Answers,
    Checked,
    QuestionVersions,
    checked_key,
)

_RESPONSES_KEPT = 100_000
"""Responses checked once and remembered, at most (typed answers may all differ)."""

_ANSWER_FIELDS = itemgetter(
    "question_id",
    "choices",
    "right_answer",
    "section",
    "type",
    "prompt",
    "seconds",
    "correct",
    "response",
    "answered_at",
)
"""The fields of an answer the quick check reads (KeyError: one is missing)."""


class _NotPlain:
    """An answer the quick check leaves to the full one."""


_NOT_PLAIN = _NotPlain()
_EPOCH_DAY = EPOCH.toordinal()
_DAY_MS = 86_400_000


def stored_response(asked: AskedQuestion, response: Response) -> int | str | None:
    """The response as the store keeps it, as given back (a multiple answer in the
    order shown) and stored again. Raises ValueError when it does not fit."""
    return encode_response(asked, decode_response(asked, encode_response(asked, response)))


class AnswerReader(FieldReader):
    """Checks the answers of one file's attempts, numbering their questions as asked in
    `versions` (shared by the whole file)."""

    def __init__(self, path: Path, versions: QuestionVersions) -> None:
        super().__init__(path)
        self.versions = versions

    def answers(self, answers: list[Any], started_ms: int) -> tuple[tuple[int, ...], Answers]:
        """The question numbers of an attempt's answers, and its answers as stored.

        Most answers are checked quickly, here (written out in one loop: it runs for
        every answer of a file): a question already checked in this file with these
        very fields, no history, fields of the right types, a response already seen to
        fit it, a time with a timezone. Any other has every check (`checked`), which
        says what is wrong, if anything."""
        versions = self.versions
        checked = versions.checked
        responses = versions.responses
        questions = versions.questions
        parse_time = datetime.fromisoformat
        prepared = Answers()
        add_figures = prepared.figures.extend
        add_stored = prepared.stored.append
        add_right = prepared.right.append
        numbers: list[int] = []
        seen: set[str] = set()
        for position, answer in enumerate(answers):
            try:
                (
                    question_id,
                    choices,
                    right,
                    section,
                    kind,
                    prompt,
                    seconds,
                    correct,
                    given,
                    answered_at,
                ) = _ANSWER_FIELDS(answer)  # one call for ten lookups
                if type(choices) is not list or type(right) is not list or "history" in answer:
                    raise KeyError
                critical = answer.get("critical")
                key = (
                    (question_id, len(choices), choices[0], choices[-1])
                    if choices
                    else (question_id,)
                )
                fields = (section, kind, prompt, choices, right)
                # (by checked_key; the `number` found is used after the loop)
                for known, known_critical, number in checked[key]:  # noqa: B007
                    if critical is known_critical and fields == known:
                        break
                else:
                    raise KeyError
                if question_id in seen:
                    raise KeyError
                if seconds is None:  # unanswered
                    if correct is not False or given is not None:
                        raise KeyError
                    seen.add(question_id)
                    numbers.append(number)
                    continue
                if type(correct) is not bool or type(seconds) not in NUMBERS:
                    raise KeyError
                response_key = (number, type(given), tuple(given) if type(given) is list else given)
                stored = responses.get(response_key, _NOT_PLAIN)
                if isinstance(stored, _NotPlain):
                    stored = stored_response(questions[number], given)  # ValueError: not plain
                    if len(responses) < _RESPONSES_KEPT:
                        responses[response_key] = stored
                moment = parse_time(answered_at)  # TypeError, ValueError
                zone = moment.tzinfo
                if zone is None:
                    raise KeyError
                if moment.microsecond:
                    at = (moment - EPOCH) // MILLISECOND  # codec.to_ms
                elif zone is UTC:  # whole seconds in UTC (as exports write them)
                    at = (moment.toordinal() - _EPOCH_DAY) * _DAY_MS + (
                        moment.hour * 3600 + moment.minute * 60 + moment.second
                    ) * 1000
                else:  # whole seconds: the float is exact
                    at = int(moment.timestamp()) * 1000
                ms = round(float(seconds) * 1000)  # OverflowError, ValueError: not finite
                if ms > MS_LIMIT:
                    raise KeyError
            except (KeyError, TypeError, ValueError, OverflowError):
                numbers.append(self.checked(position, answer, started_ms, seen, prepared))
                continue
            seen.add(question_id)
            numbers.append(number)
            add_stored(stored)
            if correct:
                add_right(position)
            add_figures(
                (
                    position,
                    0,
                    1 if correct else 0,
                    ms if ms > 0 else 0,
                    round((at - started_ms) / 100),  # codec.offset_ds
                    at,
                )
            )
        return tuple(numbers), prepared

    def checked(
        self,
        position: int,
        answer: Any,
        started_ms: int,
        seen: set[str],
        prepared: Answers,
    ) -> int:
        """Every check of one answer, added to `prepared`; its question's number."""
        outer = self.where
        self.where = f"{outer}: answer {position + 1}"
        if not isinstance(answer, dict):
            self.fail(f"expected an object, found {value_kind(answer)}")
        question_id = self.field(answer, "question_id", str)
        if question_id in seen:
            self.fail(f"question {question_id!r} appears twice in the attempt")
        seen.add(question_id)
        type_text = self.field(answer, "type", str)
        try:
            kind_of(type_text)  # any registered kind; kept as text
        except UnknownKind:
            self.fail(f"'type' {type_text!r} is not one of {', '.join(kind_names())}")
        asked = AskedQuestion(
            position=position,
            question_id=question_id,
            section=self.field(answer, "section", str),
            type=type_text,
            prompt=self.field(answer, "prompt", str),
            choices=self.texts(answer, "choices"),
            answer=self.texts(answer, "right_answer"),
            critical=bool(self.field(answer, "critical", bool, optional=True)),
        )
        records: list[tuple[AnswerRow, int]] = []
        for earlier in self.field(answer, "history", list, optional=True) or []:
            if not isinstance(earlier, dict):
                self.fail("'history' must be a list of objects")
            record = self.record(asked, earlier, started_ms, rev=len(records), required=True)
            assert record is not None
            records.append(record)
        latest = self.record(asked, answer, started_ms, rev=len(records), required=False)
        if latest is not None:
            records.append(latest)
        elif records:
            self.fail("has a 'history' but no latest answer ('seconds' is null)")
        for row, at in records:
            prepared.add(row, at)
        if records and records[-1][0][3]:
            prepared.right.append(position)
        number = self.versions.number(asked)
        choices, right, critical = answer["choices"], answer["right_answer"], answer.get("critical")
        version = Checked(
            (asked.section, type_text, asked.prompt, choices, right), critical, number
        )
        known = self.versions.checked.setdefault(checked_key(question_id, choices), [])
        if version not in known:
            known.append(version)
        self.where = outer
        return number

    def record(
        self,
        asked: AskedQuestion,
        obj: dict[str, Any],
        started_ms: int,
        *,
        rev: int,
        required: bool,
    ) -> tuple[AnswerRow, int] | None:
        """An answer's row and when it was given (ms), or None for no answer."""
        seconds = self.field(obj, "seconds", int, float, optional=True)
        response: Response = obj.get("response")
        correct = self.field(obj, "correct", bool)
        if seconds is None:
            if required:
                self.fail("an earlier answer in 'history' has no 'seconds'")
            if response is not None or correct:
                self.fail("an answered question needs 'seconds' (null means unanswered)")
            return None
        try:
            ms = seconds_to_ms(float(seconds))
        except (OverflowError, ValueError):
            ms = MS_LIMIT + 1
        if ms > MS_LIMIT:
            self.fail(f"'seconds' must be a number of seconds, not {seconds!r}")
        try:
            # As the store gives it back (a multiple answer in the order shown).
            stored = stored_response(asked, response)
        except ValueError as error:
            self.fail(f"'response' does not fit the question: {error}")
        answered = self.time(obj, "answered_at", optional=True)
        at = started_ms if answered is None else answered
        return (asked.position, rev, stored, int(correct), ms, round((at - started_ms) / 100)), at
