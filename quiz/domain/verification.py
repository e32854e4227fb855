"""Verification codes: an exam's canonical record, and the code derived from it.

Each finished exam (completed or timed out) gets a code such as `QZ-7K2M-9XTA-4FQP`
when it finishes. The code is derived from the attempt's canonical record: the fields
a certificate shows (the learner's name as typed, clinic, how she was identified, the
course and its content version, the preset, start and finish times with the attempt's
UTC offset, the score, percent, pass mark, result and the critical questions missed,
the attempt id) and every answer (each question's id and the version asked, each
response given to it and whether it was right). The record is serialised canonically
(JSON with sorted keys, no spaces, every string in Unicode NFC), so the same record
gives the same bytes on every computer.

Two kinds of code, told apart by their prefix so `quiz verify` knows which to compute:
- `QZ-…` (HASH): the first 60 bits of the record's SHA-256. Anyone who can write the
  store can change a record and compute its new code: it shows accidental damage and
  casual edits, not forgery.
- `QK-…` (HMAC): the first 60 bits of HMAC-SHA256 of the record under the manager's
  signing key (a file named by QUIZ_SIGNING_KEY). Without the key nobody can make the
  code of a changed record.

The 60 bits are written as 12 symbols of Crockford's base 32 (digits and upper-case
letters without I, L, O and U), in three groups of four. Read back, a code is taken
in any case, with or without dashes or spaces, O read as 0 and I or L as 1.

This module is the rules' one home; reading the record from the store is
quiz.storage.verification. Standard library only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path
from typing import Any

RECORD_FORMAT = 1
"""The layout of the canonical record (in the record itself, so a later layout can be
told apart from this one)."""

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
"""Crockford's base 32: no I, L, O or U."""
_READ_AS = {"O": "0", "I": "1", "L": "1"}
_SYMBOLS = 12
_BITS = 5 * _SYMBOLS
_GROUP = 4

SIGNING_KEY_ENV = "QUIZ_SIGNING_KEY"
"""The environment variable naming the signing key file."""
MIN_KEY_BYTES = 16
"""A shorter key file is refused: it is too easy to guess."""
MAX_KEY_BYTES = 64 * 1024
"""A longer one is refused too: it is surely the wrong file."""


class CodeKind(StrEnum):
    """How a code was made; its value is the code's prefix."""

    HASH = "QZ"  # SHA-256 of the record: anyone can recompute it
    HMAC = "QK"  # HMAC-SHA256 under the signing key: only its holder can


class CodeFormatError(ValueError):
    """Text that is not a verification code; the message shows the form of one."""


class SigningKeyError(Exception):
    """The signing key named by QUIZ_SIGNING_KEY cannot be used; `message` says why and
    what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class AnswerGiven:
    """One response given to a question (a changed answer has several, oldest first)."""

    response: str | list[str] | bool | None  # as exported: choice text(s), typed text
    correct: bool


@dataclass(frozen=True)
class RecordedQuestion:
    """A question as asked in the attempt, and every response given to it."""

    position: int  # 0-based order in the attempt
    question_id: str
    version: str  # the version asked (a digest of what was shown and its answer)
    critical: bool
    answers: tuple[AnswerGiven, ...]  # oldest first; empty when never answered

    @property
    def right(self) -> bool:
        """Whether the answer that counts (the last one) is right."""
        return bool(self.answers) and self.answers[-1].correct


@dataclass(frozen=True)
class ExamRecord:
    """An exam attempt as its certificate and its code see it.

    Times are whole seconds, UTC (as an export carries them); `utc_offset_minutes` is
    the terminal's offset when the attempt started (None: not known)."""

    attempt_id: str
    learner: str  # the name as typed for this attempt
    clinic: str | None
    identified: str  # 'typed' | 'pin' | 'witnessed' | 'central'
    course: str  # the course id
    course_version: str  # "sha256:..." of the course content
    preset: str | None
    status: str  # 'completed' | 'timed_out'
    started_at: str  # 2026-11-23T10:00:00Z
    finished_at: str
    utc_offset_minutes: int | None
    correct: int
    total: int
    percent: float
    pass_mark: int | None
    passed: bool | None
    questions: tuple[RecordedQuestion, ...]

    @property
    def critical_missed(self) -> tuple[str, ...]:
        """The ids of the critical questions not answered rightly, in the order asked."""
        return tuple(q.question_id for q in self.questions if q.critical and not q.right)

    def as_dict(self) -> dict[str, Any]:
        """The canonical record as a JSON object (`canonical_bytes` serialises it)."""
        return {
            "format": RECORD_FORMAT,
            "attempt": self.attempt_id,
            "learner": self.learner,
            "clinic": self.clinic,
            "identified": self.identified,
            "course": self.course,
            "course_version": self.course_version,
            "preset": self.preset,
            "status": self.status,
            "started_at": self.started_at,
            "finished_at": self.finished_at,
            "utc_offset_minutes": self.utc_offset_minutes,
            "correct": self.correct,
            "total": self.total,
            "percent": percent_text(self.percent),
            "pass_mark": self.pass_mark,
            "passed": self.passed,
            "critical_missed": list(self.critical_missed),
            "answers": [
                {
                    "position": q.position,
                    "question": q.question_id,
                    "version": q.version,
                    "critical": q.critical,
                    "given": [{"response": a.response, "correct": a.correct} for a in q.answers],
                }
                for q in self.questions
            ],
        }


def percent_text(percent: float) -> str:
    """A percent as the record holds it: two decimals ("80.00"), so a float's last bits
    (which a database may not keep) never change a code."""
    return f"{percent:.2f}"


def canonical_bytes(record: ExamRecord) -> bytes:
    """The record serialised canonically: JSON, keys sorted, no spaces, strings NFC."""
    text = json.dumps(
        _nfc(record.as_dict()),
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
        allow_nan=False,
    )
    return text.encode("utf-8")


def _nfc(value: Any) -> Any:
    if isinstance(value, str):
        return unicodedata.normalize("NFC", value)
    if isinstance(value, list):
        return [_nfc(item) for item in value]
    if isinstance(value, dict):
        return {_nfc(key): _nfc(item) for key, item in value.items()}
    return value


def make_code(record: ExamRecord, key: bytes | None) -> str:
    """The record's code: HMAC-SHA256 under `key` (a QK- code), or, without a key, its
    SHA-256 (a QZ- code)."""
    kind = CodeKind.HASH if key is None else CodeKind.HMAC
    return code_of(record, kind, key)


def code_of(record: ExamRecord, kind: CodeKind, key: bytes | None) -> str:
    """The record's code of the given kind (`key` is needed for HMAC)."""
    data = canonical_bytes(record)
    if kind is CodeKind.HMAC:
        if key is None:
            raise ValueError("an HMAC code needs the signing key")
        digest = hmac.new(key, data, hashlib.sha256).digest()
    else:
        digest = hashlib.sha256(data).digest()
    value = int.from_bytes(digest[:8], "big") >> (64 - _BITS)
    symbols = "".join(ALPHABET[(value >> (5 * i)) & 31] for i in reversed(range(_SYMBOLS)))
    groups = [symbols[i : i + _GROUP] for i in range(0, _SYMBOLS, _GROUP)]
    return "-".join([kind.value, *groups])


def normalise_code(text: str) -> str:
    """A code as typed, in its stored form (`QZ-7K2M-9XTA-4FQP`): any case, dashes and
    spaces anywhere, O for 0 and I or L for 1. Raises CodeFormatError."""
    compact = "".join(ch for ch in text.upper() if ch not in "- \t")
    prefix, body = compact[:2], compact[2:]
    kinds = {kind.value for kind in CodeKind}
    body = "".join(_READ_AS.get(ch, ch) for ch in body)
    if prefix not in kinds or len(body) != _SYMBOLS or any(ch not in ALPHABET for ch in body):
        shown = text.strip() or "(nothing)"
        raise CodeFormatError(
            f"{shown!r} is not a verification code: a code looks like QZ-7K2M-9XTA-4FQP "
            "(QZ or QK, then 12 letters and digits)"
        )
    groups = [body[i : i + _GROUP] for i in range(0, _SYMBOLS, _GROUP)]
    return "-".join([prefix, *groups])


def kind_of_code(code: str) -> CodeKind:
    """The kind of a code in its stored form."""
    return CodeKind(code[:2])


def read_signing_key(path: Path) -> bytes:
    """The signing key in the file at `path`: its bytes, surrounding whitespace (a
    trailing newline) removed. Raises SigningKeyError saying what is wrong."""
    where = f"The signing key file {path} (named by {SIGNING_KEY_ENV})"
    try:
        if path.is_dir():
            raise SigningKeyError(f"{where} is a folder: name the key file itself.")
        with open(path, "rb") as handle:
            data = handle.read(MAX_KEY_BYTES + 1)
    except FileNotFoundError:
        raise SigningKeyError(
            f"{where} does not exist. Check the path, or unset {SIGNING_KEY_ENV} to make "
            "unsigned codes."
        ) from None
    except PermissionError:
        raise SigningKeyError(
            f"{where} cannot be read: permission denied. Run as the user who owns it."
        ) from None
    except OSError as error:
        raise SigningKeyError(f"{where} cannot be read: {error.strerror or error}.") from None
    if len(data) > MAX_KEY_BYTES:
        raise SigningKeyError(
            f"{where} is over {MAX_KEY_BYTES // 1024} KiB: it is surely not a key file."
        )
    key = data.strip()
    if len(key) < MIN_KEY_BYTES:
        raise SigningKeyError(
            f"{where} holds {len(key)} bytes: a key needs at least {MIN_KEY_BYTES}. Make one "
            "with: python3 -c 'import secrets; print(secrets.token_hex(32))' > FILE"
        )
    return key


def signing_key_path(environ: Mapping[str, str]) -> Path | None:
    """The key file QUIZ_SIGNING_KEY names in `environ` (None: not set, or empty)."""
    value = environ.get(SIGNING_KEY_ENV)
    return Path(value).expanduser() if value else None
