"""Reading a file written by `quiz scores --format json` back into AttemptDetails.

Every problem is an ImportFileError naming the file, the attempt and the field, so
`quiz import` can say exactly what is wrong. Nothing here touches the store.

A file's `correct`, `percent` and `passed` are not taken on trust: `recompute` gives
the verdict of a finished attempt from its answers and its questions as asked
(quiz.domain.grading), which the import stores; `RecomputedVerdict` is one attempt
whose file said otherwise (an older or hand-edited file), for the import to report.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any, NoReturn

from quiz.domain.grading import Verdict, verdict
from quiz.domain.kinds import UnknownKind, kind_names, kind_of
from quiz.domain.model import DEFAULT_PASS_MARK
from quiz.domain.records import AskedQuestion, AttemptStatus, Mode, Response
from quiz.domain.text import learner_key
from quiz.storage.attempts import (
    AnswerEntry,
    AttemptDetail,
    AttemptItem,
    AttemptSummary,
    order_history,
)
from quiz.storage.codec import decode_response, encode_response, from_ms, seconds_to_ms, to_ms


class ImportFileError(Exception):
    """A file that is not a usable export. `message` names the file and the place."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class RecomputedVerdict:
    """An imported attempt whose file's verdict is not the one its answers give."""

    attempt_id: str
    learner: str  # as typed for the attempt
    file_correct: int | None  # what the file said (None: not given)
    file_passed: bool | None
    verdict: Verdict  # what was stored


def recompute(detail: AttemptDetail) -> Verdict | None:
    """The verdict of a finished attempt from its answers that count (their `correct`
    flags, graded when they were given) and the critical flags of its questions as
    asked; None for an attempt still in progress. Practice and abandoned attempts have
    no pass or fail; an exam without a pass mark is held to DEFAULT_PASS_MARK, as the
    app does."""
    summary = detail.summary
    if summary.status is AttemptStatus.IN_PROGRESS:
        return None
    pass_mark = None
    if summary.mode is Mode.EXAM:
        pass_mark = summary.pass_mark if summary.pass_mark is not None else DEFAULT_PASS_MARK
    return verdict(
        [item.question.critical for item in detail.items],
        [position for position, item in enumerate(detail.items) if item.correct],
        pass_mark,
        abandoned=summary.status is AttemptStatus.ABANDONED,
    )


def disagreement(detail: AttemptDetail, outcome: Verdict) -> RecomputedVerdict | None:
    """What the attempt's file said, where it differs from the recomputed verdict: its
    `passed` (a missing one differs from a pass or a fail, not from no verdict), or its
    `correct` when given. None when they agree."""
    summary = detail.summary
    score_differs = summary.correct is not None and summary.correct != outcome.correct
    if summary.passed == outcome.passed and not score_differs:
        return None
    return RecomputedVerdict(
        attempt_id=summary.id,
        learner=summary.learner,
        file_correct=summary.correct,
        file_passed=summary.passed,
        verdict=outcome,
    )


def read_export_file(path: Path) -> list[AttemptDetail]:
    """Every attempt of the file, checked. The list is read an attempt at a time (the
    whole document is never held as JSON objects); a file that is not valid JSON, or not
    an export, is read again the plain way, so its message is the same whatever the
    size."""
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ImportFileError(f"{path}: cannot be read ({error.strerror or error}).") from None
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportFileError(
            f"{path}: is not UTF-8 text (byte {error.start}); give a file written by "
            "'quiz scores --format json'."
        ) from None
    del data
    try:
        return _read_entries(path, _stream_entries(text))
    except (ImportFileError, ValueError):
        pass  # said exactly as the whole-document reading says it
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ImportFileError(
            f"{path}:{error.lineno}:{error.colno}: not valid JSON ({error.msg}); give a file "
            "written by 'quiz scores --format json'."
        ) from None
    if not isinstance(document, list):
        raise ImportFileError(
            f"{path}: expected a list of attempts (a file written by "
            f"'quiz scores --format json'), found {_kind(document)}."
        )
    return _read_entries(path, iter(document))


def _read_entries(path: Path, entries: Iterator[object]) -> list[AttemptDetail]:
    attempts = []
    seen: set[str] = set()
    shared = _Shared()
    for index, entry in enumerate(entries, start=1):
        detail = _Reader(path, index, entry, shared).attempt()
        if detail.id in seen:
            raise ImportFileError(f"{path}: attempt {index}: id {detail.id} appears twice.")
        seen.add(detail.id)
        attempts.append(detail)
    return attempts


_SPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _stream_entries(text: str) -> Iterator[object]:
    """The entries of a JSON list, one at a time. Raises ValueError for anything else
    (not JSON, not a list, something after it), left to json.loads to say."""
    position = _SPACE.match(text, 0).end()  # type: ignore[union-attr]
    if not text.startswith("[", position):
        raise ValueError("not a list")
    position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
    if text.startswith("]", position):
        position += 1
    else:
        while True:
            entry, position = _DECODER.raw_decode(text, position)
            yield entry
            position = _SPACE.match(text, position).end()  # type: ignore[union-attr]
            if text.startswith(",", position):
                position = _SPACE.match(text, position + 1).end()  # type: ignore[union-attr]
            elif text.startswith("]", position):
                position += 1
                break
            else:
                raise ValueError("not a list")
    if _SPACE.match(text, position).end() != len(text):  # type: ignore[union-attr]
        raise ValueError("more after the list")


class _Shared:
    """What the attempts of one file have in common, checked once: the questions as
    asked (by their fields and position) and the responses to each."""

    def __init__(self) -> None:
        self.asked: dict[tuple[Any, ...], AskedQuestion] = {}
        self.responses: dict[tuple[Any, ...], Response] = {}


def _asked_key(position: int, answer: dict[str, Any]) -> tuple[Any, ...] | None:
    """The fields of a question as asked, as a key (None where they are not plain)."""
    choices = answer.get("choices")
    right = answer.get("right_answer")
    if type(choices) is not list or type(right) is not list:
        return None
    critical = answer.get("critical")
    return (
        position,
        answer.get("question_id"),
        answer.get("section"),
        answer.get("type"),
        answer.get("prompt"),
        tuple(choices),
        tuple(right),
        type(critical),
        critical,
    )


def _kind(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true/false"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list):
        return "a list"
    return "an object"


class _Reader:
    def __init__(self, path: Path, index: int, entry: object, shared: _Shared) -> None:
        self.path = path
        self.where = f"attempt {index}"
        self.entry = entry
        self.shared = shared

    def fail(self, message: str) -> NoReturn:
        raise ImportFileError(f"{self.path}: {self.where}: {message}")

    def field(self, obj: dict[str, Any], name: str, *types: type, optional: bool = False) -> Any:
        if name not in obj:
            if optional:
                return None
            self.fail(f"'{name}' is missing")
        value = obj[name]
        if value is None and optional:
            return None
        if isinstance(value, bool) and bool not in types:
            self.fail(f"'{name}' must be {self._names(types)}, not {_kind(value)}")
        if not isinstance(value, types):
            self.fail(f"'{name}' must be {self._names(types)}, not {_kind(value)}")
        return value

    @staticmethod
    def _names(types: tuple[type, ...]) -> str:
        names = {str: "text", int: "a whole number", float: "a number", bool: "true or false"}
        names[list] = "a list"
        names[dict] = "an object"
        return " or ".join(dict.fromkeys(names.get(t, t.__name__) for t in types))

    def time(self, obj: dict[str, Any], name: str, *, optional: bool = False) -> datetime | None:
        text = self.field(obj, name, str, optional=optional)
        if text is None:
            return None
        try:
            moment = datetime.fromisoformat(text)
        except ValueError:
            self.fail(f"'{name}' is not a time like 2026-11-23T10:00:00Z: {text!r}")
        if moment.tzinfo is None:
            self.fail(f"'{name}' has no timezone (end it with Z): {text!r}")
        return from_ms(to_ms(moment))

    def texts(self, obj: dict[str, Any], name: str) -> tuple[str, ...]:
        values = self.field(obj, name, list)
        if not all(isinstance(v, str) for v in values):
            self.fail(f"'{name}' must be a list of texts")
        return tuple(values)

    def attempt(self) -> AttemptDetail:
        entry = self.entry
        if not isinstance(entry, dict):
            self.fail(f"expected an object, found {_kind(entry)}")
        attempt_id = self.field(entry, "id", str)
        if not attempt_id.strip():
            self.fail("'id' is empty")
        self.where = f"{self.where} (id {attempt_id})"
        learner = self.field(entry, "learner", str)
        if not learner_key(learner):
            self.fail("'learner' is empty")
        mode_text = self.field(entry, "mode", str)
        status_text = self.field(entry, "status", str)
        try:
            mode = Mode(mode_text)
        except ValueError:
            self.fail(f"'mode' must be practice or exam, not {mode_text!r}")
        try:
            status = AttemptStatus(status_text)
        except ValueError:
            self.fail(f"'status' {status_text!r} is not one of {', '.join(AttemptStatus)}")
        started_at = self.time(entry, "started_at")
        assert started_at is not None
        total = self.field(entry, "total", int)
        percent = self.field(entry, "percent", int, float, optional=True)
        answers = self.field(entry, "answers", list)
        if len(answers) != total:
            self.fail(f"'total' is {total} but there are {len(answers)} answers")
        sections = self.field(entry, "sections", list, optional=True) or []
        if not all(isinstance(s, str) for s in sections):
            self.fail("'sections' must be a list of section ids")
        items, history = self.items(answers, started_at)
        summary = AttemptSummary(
            id=attempt_id,
            learner=learner,
            learner_key=learner_key(learner),
            course=self.field(entry, "course", str),
            course_version=self.field(entry, "course_version", str),
            mode=mode,
            exam=self.field(entry, "exam", str, optional=True),
            sections=tuple(sections) or tuple(dict.fromkeys(i.question.section for i in items)),
            seed=self.field(entry, "seed", int, optional=True) or 0,
            status=status,
            started_at=started_at,
            finished_at=self.time(entry, "finished_at", optional=True),
            time_limit_seconds=self.field(entry, "time_limit_seconds", int, optional=True),
            deadline_at=self.time(entry, "deadline_at", optional=True),
            pass_mark=self.field(entry, "pass_mark", int, optional=True),
            correct=self.field(entry, "correct", int, optional=True),
            total=total,
            percent=float(percent) if percent is not None else None,
            passed=self.field(entry, "passed", bool, optional=True),
        )
        return AttemptDetail(summary=summary, items=tuple(items), history=history)

    def items(
        self, answers: list[Any], started_at: datetime
    ) -> tuple[list[AttemptItem], tuple[AnswerEntry, ...]]:
        items: list[AttemptItem] = []
        by_item: dict[int, list[AnswerEntry]] = {}
        seen: set[str] = set()
        outer = self.where
        for position, answer in enumerate(answers):
            fast = self.plain_item(position, answer, started_at)
            if fast is not None and fast.question.question_id not in seen:
                seen.add(fast.question.question_id)
                by_item[position] = [] if fast.answer is None else [fast.answer]
                items.append(fast)
                continue
            self.where = f"{outer}: answer {position + 1}"
            if not isinstance(answer, dict):
                self.fail(f"expected an object, found {_kind(answer)}")
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
            records: list[AnswerEntry] = []
            for earlier in self.field(answer, "history", list, optional=True) or []:
                if not isinstance(earlier, dict):
                    self.fail("'history' must be a list of objects")
                record = self.record(asked, earlier, started_at, required=True)
                assert record is not None
                records.append(record)
            latest = self.record(asked, answer, started_at, required=False)
            if latest is not None:
                records.append(latest)
            elif records:
                self.fail("has a 'history' but no latest answer ('seconds' is null)")
            by_item[position] = records
            items.append(AttemptItem(question=asked, answer=latest))
            key = _asked_key(position, answer)
            if key is not None:
                try:
                    self.shared.asked.setdefault(key, asked)
                except TypeError:  # not plain after all (a list inside 'choices')
                    pass
        self.where = outer
        return items, order_history(by_item)

    def plain_item(self, position: int, answer: Any, started_at: datetime) -> AttemptItem | None:
        """The common answer, checked quickly: an answered question already seen in
        this file (with these fields, at this position), no history, fields of the
        right types, a response already seen to fit it. None for any other (the full
        checks then say what is wrong, if anything)."""
        if type(answer) is not dict:
            return None
        seconds: Any = answer.get("seconds")
        correct = answer.get("correct")
        moment = answer.get("answered_at")
        if (
            type(seconds) not in (int, float)
            or type(correct) is not bool
            or type(moment) is not str
            or answer.get("history") not in (None, [])
        ):
            return None
        key = _asked_key(position, answer)
        if key is None:
            return None
        try:
            asked = self.shared.asked.get(key)
            if asked is None:
                return None
            given = answer.get("response")
            response_key = (key, type(given), tuple(given) if type(given) is list else given)
            response = self.shared.responses.get(response_key)
        except TypeError:  # not hashable: not plain
            return None
        if response is None and given is not None:
            try:
                response = decode_response(asked, encode_response(asked, given))
            except ValueError:
                return None
            if len(self.shared.responses) < 100_000:  # typed answers may all differ
                self.shared.responses[response_key] = response
        try:
            answered_at = datetime.fromisoformat(moment)
        except ValueError:
            return None
        if answered_at.tzinfo is None:
            return None
        entry = AnswerEntry(
            position=position,
            question_id=asked.question_id,
            response=response,
            correct=correct,
            seconds=seconds_to_ms(float(seconds)) / 1000,
            answered_at=from_ms(to_ms(answered_at)),
        )
        return AttemptItem(question=asked, answer=entry)

    def record(
        self, asked: AskedQuestion, obj: dict[str, Any], started_at: datetime, *, required: bool
    ) -> AnswerEntry | None:
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
            # As the store gives it back (a multiple answer in the order shown).
            response = decode_response(asked, encode_response(asked, response))
        except ValueError as error:
            self.fail(f"'response' does not fit the question: {error}")
        answered_at = self.time(obj, "answered_at", optional=True) or started_at
        return AnswerEntry(
            position=asked.position,
            question_id=asked.question_id,
            response=response,
            correct=correct,
            seconds=seconds_to_ms(float(seconds)) / 1000,
            answered_at=answered_at,
        )
