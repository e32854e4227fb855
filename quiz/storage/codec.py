"""How values are packed into the score store's columns, and read back.

Kept apart from the SQL so the encodings can be tested on their own and the
schema in `quiz.storage.schema` can point here for the details.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime, time, timedelta
from typing import NamedTuple

from quiz.domain.kinds import UnknownKind, kind_of
from quiz.domain.records import AskedQuestion, Response
from quiz.domain.versions import content_version

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
    """A response as stored, by its question's kind (quiz.domain.kinds): a bit per shown
    choice picked (single, multiple), 1/0 for true/false, the text for short; NULL for
    no answer.

    Raises ValueError when the response does not fit the question (a bug in the caller,
    or a damaged import file), or its type has no kind.
    """
    if response is None:
        return None
    return kind_of(asked.type).encode(asked, response)


def decode_response(asked: AskedQuestion, stored: int | str | None) -> Response:
    """The response `encode_response` stored."""
    if stored is None:
        return None
    return kind_of(asked.type).decode(asked, stored)


def is_choice_mask(question_type: str) -> bool:
    """Whether a stored response of `question_type` is a bit mask over the choices as
    shown (bit i: choice i), which reports count per choice; False for an unknown type."""
    try:
        return kind_of(question_type).stores_choice_mask
    except ValueError:
        return False


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


_content_keys: dict[tuple[str, str, str], int] = {}


def content_key(kind: str, choices: str, answer: str) -> int:
    """A version's content (quiz.domain.versions.content_version: the right answer and
    the choices, not the wording) as a 64-bit integer: the first 8 bytes of its hash,
    signed as SQLite's integers are. `choices` and `answer` are the stored JSON. A kind
    this program does not know is hashed from its type, sorted choices and answer. The
    drill's cards and the report's question statistics keep versions apart by it."""
    key = (kind, choices, answer)
    found = _content_keys.get(key)
    if found is not None:
        return found
    texts, answers = load_texts(choices), load_texts(answer)
    try:
        digest = content_version(_Content(kind, texts, answers)).removeprefix("sha256:")[:16]
    except UnknownKind:
        text = json.dumps([kind, sorted(texts), sorted(answers)], ensure_ascii=False)
        digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    value = int(digest, 16)
    if value >= 1 << 63:
        value -= 1 << 64  # SQLite's integers are signed
    _content_keys[key] = value
    return value


def version_label(content: int) -> str:
    """How a report names a content version: "v" and the first 4 hex digits of its
    content_version ("v3f2a"), the digits `course.lock` shows after "sha256:"."""
    return f"v{content % (1 << 64):016x}"[:5]


class _Content(NamedTuple):
    type: str
    choices: tuple[str, ...]
    answer: tuple[str, ...]


def dump_texts(texts: Sequence[str]) -> str:
    return json.dumps(list(texts), ensure_ascii=False)


def load_texts(text: str) -> tuple[str, ...]:
    values = json.loads(text)
    return tuple(str(v) for v in values)
