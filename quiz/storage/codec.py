"""How values are packed into the score store's columns, and read back.

Kept apart from the SQL so the encodings can be tested on their own and the
schema in `quiz.storage.db` can point here for the details.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta

from quiz.domain.model import QuestionType
from quiz.domain.records import AskedQuestion, Response

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
_MILLISECOND = timedelta(milliseconds=1)


# --- times ------------------------------------------------------------------------------


def to_ms(moment: datetime) -> int:
    """Milliseconds since the Unix epoch; `moment` must carry a timezone."""
    if moment.tzinfo is None:
        raise ValueError(f"a time without a timezone cannot be stored: {moment!r}")
    return (moment - EPOCH) // _MILLISECOND


def from_ms(ms: int) -> datetime:
    """The UTC time `ms` milliseconds after the Unix epoch."""
    return EPOCH + timedelta(milliseconds=ms)


def local_day_start_ms(day: date) -> int:
    """The first millisecond of `day` in this computer's local timezone."""
    return to_ms(datetime.combine(day, time(0)).astimezone())


def local_month_number(ms: int) -> int:
    """The local month of `ms` as YYYYMM (the `month` column of the summary tables)."""
    moment = from_ms(ms).astimezone()
    return moment.year * 100 + moment.month


def offset_ds(moment: datetime, started_ms: int) -> int:
    """When `moment` is, in tenths of a second after `started_ms` (answer.at_ds)."""
    return round((to_ms(moment) - started_ms) / 100)


def from_offset_ds(at_ds: int, started_ms: int) -> datetime:
    return from_ms(started_ms + at_ds * 100)


def format_utc(moment: datetime) -> str:
    """`2026-11-23T10:00:00Z`: whole seconds, UTC."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def seconds_to_ms(seconds: float) -> int:
    return max(0, round(seconds * 1000))


# --- lists of small integers ------------------------------------------------------------


def pack_ints(values: Iterable[int]) -> bytes:
    """Non-negative integers as unsigned LEB128 varints (1 byte below 128, 2 below 16384)."""
    out = bytearray()
    for value in values:
        if value < 0:
            raise ValueError("only non-negative integers can be packed")
        while True:
            low = value & 0x7F
            value >>= 7
            if value:
                out.append(low | 0x80)
            else:
                out.append(low)
                break
    return bytes(out)


def unpack_ints(data: bytes) -> list[int]:
    values: list[int] = []
    value = shift = 0
    for byte in data:
        value |= (byte & 0x7F) << shift
        if byte & 0x80:
            shift += 7
        else:
            values.append(value)
            value = shift = 0
    if shift:
        raise ValueError("truncated integer list")
    return values


# --- responses --------------------------------------------------------------------------


def encode_response(asked: AskedQuestion, response: Response) -> int | str | None:
    """A response as stored: a bit per shown choice picked (single, multiple), 1/0 for
    true/false, the text for short, NULL for no answer.

    Raises ValueError when the response does not fit the question (a bug in the caller,
    or a damaged import file).
    """
    if response is None:
        return None
    kind = asked.type
    if kind == QuestionType.TRUE_FALSE:
        if not isinstance(response, bool):
            raise ValueError(f"a true/false response must be true or false, not {response!r}")
        return int(response)
    if kind == QuestionType.SHORT:
        if not isinstance(response, str):
            raise ValueError(f"a short response must be text, not {response!r}")
        return response
    if kind == QuestionType.SINGLE:
        if not isinstance(response, str):
            raise ValueError(f"a single-answer response must be one choice, not {response!r}")
        picked = [response]
    elif kind == QuestionType.MULTIPLE:
        if not isinstance(response, list) or not all(isinstance(r, str) for r in response):
            raise ValueError(f"a multiple-answer response must be a list, not {response!r}")
        picked = response
    else:
        raise ValueError(f"unknown question type {kind!r}")
    mask = 0
    for text in picked:
        try:
            mask |= 1 << asked.choices.index(text)
        except ValueError:
            raise ValueError(f"{text!r} is not one of the choices shown") from None
    return mask


def decode_response(asked: AskedQuestion, stored: int | str | None) -> Response:
    if stored is None:
        return None
    kind = asked.type
    if kind == QuestionType.TRUE_FALSE:
        return bool(stored)
    if kind == QuestionType.SHORT:
        return str(stored)
    if not isinstance(stored, int):
        raise ValueError(f"stored response {stored!r} is not a choice mask")
    picked = [c for i, c in enumerate(asked.choices) if stored >> i & 1]
    if kind == QuestionType.SINGLE:
        return picked[0] if picked else None
    return picked


# --- the question as asked --------------------------------------------------------------


def asked_digest(course_id: str, asked: AskedQuestion) -> bytes:
    """The identity of a question version: everything the learner saw, and the answer."""
    content = [
        course_id,
        asked.question_id,
        asked.section,
        str(asked.type),
        asked.prompt,
        list(asked.choices),
        list(asked.answer),
        asked.critical,
    ]
    return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode()).digest()


def dump_texts(texts: Sequence[str]) -> str:
    return json.dumps(list(texts), ensure_ascii=False)


def load_texts(text: str) -> tuple[str, ...]:
    values = json.loads(text)
    return tuple(str(v) for v in values)
