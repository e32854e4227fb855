"""Verification codes in the store: an exam's canonical record read from its rows, its
code written when it finishes, and the checks of `quiz verify`.

The rules (the record, the code, reading a code typed by a person, the signing key)
are quiz.domain.verification's. This module reads the record from the store and
keeps `attempt.verify_code` (schema version 8): `assign` writes it inside the
transaction that ends an exam (ScoreStore.finish_attempt, and crash recovery's
closings), so a finished exam never lacks its code; `check` recomputes it.

Nothing else about the record is kept: a check can say that the stored record no
longer gives the code, and, where the record disagrees with itself (a score that its
answers do not give, an answer stored as right that is not), which part. An edit
that keeps the record consistent is found by the code alone.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from quiz.domain.grading import grade, verdict
from quiz.domain.kinds import UnknownKind
from quiz.domain.verification import (
    AnswerGiven,
    CodeKind,
    ExamRecord,
    RecordedQuestion,
    SigningKeyError,
    code_of,
    kind_of_code,
    make_code,
    percent_text,
    read_signing_key,
    signing_key_path,
)
from quiz.storage.attempt_rows import find_detail
from quiz.storage.attempts import AttemptDetail
from quiz.storage.codec import asked_digest, format_utc
from quiz.storage.errors import StoreError
from quiz.storage.interning import Ids

CERTIFIED_STATUSES = ("completed", "timed_out")
"""The statuses of a finished exam: those get a code (not paused, abandoned or in
progress; practice and drill rounds never)."""


def signing_key_from_environment(environ: Mapping[str, str] | None = None) -> bytes | None:
    """The signing key QUIZ_SIGNING_KEY names (None when it is not set). Raises
    StoreError (kind 'other', naming the key file) when the file cannot be used, so
    every command and the app say so and stop, as for a store they cannot open."""
    path = signing_key_path(os.environ if environ is None else environ)
    if path is None:
        return None
    try:
        return read_signing_key(path)
    except SigningKeyError as error:
        raise StoreError("other", path, error.message) from None


def has_codes(connection: sqlite3.Connection) -> bool:
    """Whether the store's attempt table has the verify_code column (version 8 on)."""
    columns = {str(row[1]) for row in connection.execute("PRAGMA table_info(attempt)")}
    return "verify_code" in columns


def read_record(connection: sqlite3.Connection, ids: Ids, attempt_id: str) -> ExamRecord | None:
    """The canonical record of attempt `attempt_id` (its UUID) as the store holds it
    now; None when it is not a finished exam (or not in the store)."""
    found = _read(connection, ids, attempt_id)
    return None if found is None else found[0]


def _read(
    connection: sqlite3.Connection, ids: Ids, attempt_id: str
) -> tuple[ExamRecord, AttemptDetail] | None:
    row = connection.execute(
        "SELECT mode, status FROM attempt WHERE uuid = ?", (attempt_id,)
    ).fetchone()
    if row is None or row[0] != "exam" or row[1] not in CERTIFIED_STATUSES:
        return None
    detail = find_detail(connection, ids, attempt_id)
    if detail is None:
        return None
    return record_of(detail), detail


def record_of(detail: AttemptDetail) -> ExamRecord:
    """The canonical record of a finished exam, from the attempt as read back."""
    summary = detail.summary
    history: dict[int, list[AnswerGiven]] = {}
    for entry in detail.history:
        history.setdefault(entry.position, []).append(AnswerGiven(entry.response, entry.correct))
    questions = tuple(
        RecordedQuestion(
            position=item.question.position,
            question_id=item.question.question_id,
            version=asked_digest(summary.course, item.question).hex(),
            critical=item.question.critical,
            answers=tuple(history.get(item.question.position, ())),
        )
        for item in detail.items
    )
    assert summary.finished_at is not None  # a finished exam
    return ExamRecord(
        attempt_id=summary.id,
        learner=summary.learner,
        clinic=summary.clinic,
        identified=str(summary.identified),
        course=summary.course,
        course_version=summary.course_version,
        preset=summary.exam,
        status=str(summary.status),
        started_at=format_utc(summary.started_at),
        finished_at=format_utc(summary.finished_at),
        utc_offset_minutes=summary.utc_offset_minutes,
        correct=summary.correct if summary.correct is not None else 0,
        total=summary.total,
        percent=summary.percent if summary.percent is not None else 0.0,
        pass_mark=summary.pass_mark,
        passed=summary.passed,
        questions=questions,
    )


def assign(connection: sqlite3.Connection, ids: Ids, rowid: int, key: bytes | None) -> str | None:
    """Give attempt `rowid` its code, if it is a finished exam (inside the caller's
    write transaction, the one that ends it); the code, or None when it gets none (not
    a finished exam, or a store without the column). A code already there is replaced:
    the attempt's record may have changed (an attempt closed by recovery and then
    finished by its own process)."""
    if not has_codes(connection):
        return None
    row = connection.execute("SELECT uuid FROM attempt WHERE id = ?", (rowid,)).fetchone()
    if row is None:
        return None
    try:
        record = read_record(connection, ids, str(row[0]))
    except (StoreError, UnknownKind, ValueError):
        # A question of a kind this program does not know (or an answer it cannot
        # read): its record cannot be made here. The exam ends all the same, without
        # a code (`quiz verify --store` counts it); the program that knows the kind
        # gives it one with `quiz certificate`.
        record = None
    code = make_code(record, key) if record is not None else None
    try:
        connection.execute("UPDATE attempt SET verify_code = ? WHERE id = ?", (code, rowid))
    except sqlite3.IntegrityError:
        # Another attempt has this code (2^-60 for two records; never seen). The exam's
        # result matters more than its code: it stays without one, which
        # `quiz verify --store` names.
        connection.execute("UPDATE attempt SET verify_code = NULL WHERE id = ?", (rowid,))
        return None
    return code


@dataclass(frozen=True)
class Check:
    """One finished exam's stored code against its record as it is now."""

    attempt_id: str
    stored: str | None  # the code kept with the attempt (None: it has none)
    record: ExamRecord
    recomputed: str | None  # the code the record gives now (None: no key to make it)
    problems: tuple[str, ...]  # where the record disagrees with itself

    @property
    def kind(self) -> CodeKind | None:
        return kind_of_code(self.stored) if self.stored else None

    @property
    def matches(self) -> bool:
        return self.stored is not None and self.stored == self.recomputed

    @property
    def needs_key(self) -> bool:
        """A signed code, and no key to check it with."""
        return self.kind is CodeKind.HMAC and self.recomputed is None


def check(
    connection: sqlite3.Connection, ids: Ids, attempt_id: str, key: bytes | None
) -> Check | None:
    """Recompute the code of attempt `attempt_id` (a finished exam) and compare; None
    when it is not a finished exam."""
    found = _read(connection, ids, attempt_id)
    if found is None:
        return None
    record, detail = found
    stored = detail.summary.verify_code
    kind = kind_of_code(stored) if stored else (CodeKind.HMAC if key else CodeKind.HASH)
    recomputed = None if kind is CodeKind.HMAC and key is None else code_of(record, kind, key)
    return Check(attempt_id, stored, record, recomputed, inconsistencies(record, detail))


def stored_code(connection: sqlite3.Connection, attempt_id: str) -> str | None:
    row = connection.execute(
        "SELECT verify_code FROM attempt WHERE uuid = ?", (attempt_id,)
    ).fetchone()
    return None if row is None or row[0] is None else str(row[0])


def find(connection: sqlite3.Connection, code: str) -> str | None:
    """The attempt (UUID) whose stored code is `code` (in its stored form), if any."""
    if not has_codes(connection):
        return None
    row = connection.execute("SELECT uuid FROM attempt WHERE verify_code = ?", (code,)).fetchone()
    return None if row is None else str(row[0])


def finished_exams(connection: sqlite3.Connection) -> list[str]:
    """Every finished exam (UUID), in the order they started."""
    marks = ", ".join("?" * len(CERTIFIED_STATUSES))
    return [
        str(row[0])
        for row in connection.execute(
            f"""SELECT uuid FROM attempt WHERE mode = 'exam' AND status IN ({marks})
                ORDER BY started_at, id""",
            CERTIFIED_STATUSES,
        )
    ]


def check_all(connection: sqlite3.Connection, ids: Ids, key: bytes | None) -> Iterator[Check]:
    """`check` of every finished exam, in the order they started."""
    for attempt_id in finished_exams(connection):
        found = check(connection, ids, attempt_id, key)
        if found is not None:
            yield found


def inconsistencies(record: ExamRecord, detail: AttemptDetail) -> tuple[str, ...]:
    """Where the record disagrees with itself: the score, percent or result its
    answers do not give, an answer stored as right that is not a right answer. (A wrong
    answer stored as wrong is not regraded: a typed slip's forgiveness depends on the
    course's other texts, which the store does not keep.)"""
    problems: list[str] = []
    for item in detail.items:
        answer = item.answer
        if answer is None or not answer.correct:
            continue
        try:
            right = grade(item.question, answer.response)
        except (UnknownKind, ValueError, TypeError):
            continue
        if not right:
            problems.append(
                f"question {item.question.question_id} (number {item.question.position + 1})"
                f" is stored as answered right, but the answer given, {answer.response!r},"
                " is not a right answer"
            )
    right_positions = {q.position for q in record.questions if q.right}
    expected = verdict([q.critical for q in record.questions], right_positions, record.pass_mark)
    if record.total != len(record.questions):
        problems.append(
            f"total is {record.total}, but the attempt asked {len(record.questions)} questions"
        )
    if record.correct != expected.correct:
        problems.append(
            f"the score is {record.correct}/{record.total}, but the answers stored as right "
            f"are {expected.correct}"
        )
    if percent_text(record.percent) != percent_text(expected.percent):
        problems.append(
            f"the percent is {percent_text(record.percent)}, but the answers give "
            f"{percent_text(expected.percent)}"
        )
    if record.passed != expected.passed:
        said = {True: "passed", False: "not passed", None: "no result"}
        problems.append(
            f"the result is {said[record.passed]}, but the answers give {said[expected.passed]}"
        )
    return tuple(problems)
