"""A finished exam's record in words: the lines `quiz verify` prints and the certificate
shows (quiz.commands.certificate), so both say the same thing the same way.

The record is quiz.domain.verification's `ExamRecord`; nothing here reads a store.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta, timezone
from typing import TYPE_CHECKING

from quiz.domain.verification import CodeKind, ExamRecord, kind_of_code, percent_text

if TYPE_CHECKING:
    from quiz.domain.model import Course

IDENTIFIED_WORDS = {
    "typed": "name typed (not checked)",
    "pin": "learner's own PIN",
    "witnessed": "witnessed by a manager (manager's PIN)",
    "central": "central store login",
}
"""How the learner was identified (attempt.identified), as a person reads it."""

STATUS_WORDS = {"completed": "completed", "timed_out": "ended when time ran out"}

CODE_KIND_WORDS = {
    CodeKind.HASH: "a hash of the record, not signed: anyone able to change the score "
    "store could make a new one",
    CodeKind.HMAC: "signed with the clinic's signing key",
}


def identified_words(identified: str) -> str:
    return IDENTIFIED_WORDS.get(identified, identified)


def offset_text(minutes: int | None) -> str:
    """`UTC+01:00`, `UTC-03:30`, or `UTC` when the offset is not known (the time is
    then shown in UTC)."""
    if minutes is None:
        return "UTC"
    sign = "+" if minutes >= 0 else "-"
    hours, rest = divmod(abs(minutes), 60)
    return f"UTC{sign}{hours:02d}:{rest:02d}"


def attempt_moment(utc_text: str, offset_minutes: int | None) -> datetime:
    """A record's time (`2026-11-23T10:00:00Z`) on the attempt's own clock."""
    moment = datetime.strptime(utc_text, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    if offset_minutes is None:
        return moment
    return moment.astimezone(timezone(timedelta(minutes=offset_minutes)))


def time_text(utc_text: str, offset_minutes: int | None) -> str:
    """`2026-11-23 11:00 (UTC+01:00)`: the attempt's own local time and its offset."""
    moment = attempt_moment(utc_text, offset_minutes)
    return f"{moment:%Y-%m-%d %H:%M} ({offset_text(offset_minutes)})"


def score_text(record: ExamRecord) -> str:
    return f"{record.correct}/{record.total} ({percent_text(record.percent)}%)"


def result_text(record: ExamRecord) -> str:
    return "passed" if record.passed else "not passed"


def critical_text(record: ExamRecord) -> str:
    missed = record.critical_missed
    if not missed:
        return "no critical question missed"
    return f"critical questions missed: {', '.join(missed)}"


def short_version(version: str) -> str:
    """A content version (`sha256:…`) as a person compares it: its first 12 hex digits."""
    return version.removeprefix("sha256:")[:12]


@dataclass(frozen=True)
class Titles:
    """What the store does not keep: the course's and the preset's titles, from the
    course folder when it is there (None: shown by id)."""

    course: str | None = None
    preset: str | None = None


def titles_for(record: ExamRecord, course: Course | None) -> Titles:
    """The course's and the preset's titles, from `course` when it is the record's."""
    if course is None or course.id != record.course:
        return Titles()
    preset = course.exams.get(record.preset) if record.preset is not None else None
    return Titles(course.title, preset.title if preset is not None else None)


def valid_until_for(record: ExamRecord, course: Course | None) -> date | None:
    """The day a pass falls due again, when its preset (in `course` as it is now) sets
    `valid_for` (quiz.domain.validity); None for a fail or without one."""
    if not record.passed or course is None or course.id != record.course:
        return None
    preset = course.exams.get(record.preset) if record.preset is not None else None
    validity = getattr(preset, "valid_for", None)
    if validity is None:
        return None
    from quiz.domain.validity import valid_until

    finished = attempt_moment(record.finished_at, None)
    return valid_until(finished, validity, record.utc_offset_minutes)


def why_no_certificate(mode: str, status: str) -> str | None:
    """Why an attempt gets no certificate nor result statement (None: it gets one):
    only a finished exam does."""
    if mode == "practice":
        return "it is a practice round, not an exam: only a finished exam has a certificate"
    if mode == "drill":
        return "it is a drill round, not an exam: only a finished exam has a certificate"
    if status == "paused":
        return "the exam is paused, not finished: finish it first"
    if status == "in_progress":
        return "the exam is still in progress: finish it first"
    if status == "abandoned":
        return "the exam was abandoned, not finished: it has no result to certify"
    if status not in ("completed", "timed_out"):
        return f"its status is {status}: only a finished exam has a certificate"
    return None


def record_lines(
    record: ExamRecord,
    code: str | None,
    titles: Titles = Titles(),
    valid_until: date | None = None,
) -> list[tuple[str, str]]:
    """The record as (label, value) lines, in the certificate's order."""
    course = record.course if titles.course is None else f"{titles.course} ({record.course})"
    preset = record.preset or "-"
    if titles.preset is not None and record.preset is not None:
        preset = f"{titles.preset} ({record.preset})"
    lines = [
        ("Learner", record.learner),
        ("Clinic", record.clinic or "-"),
        ("Identified by", identified_words(record.identified)),
        ("Course", course),
        ("Content version", short_version(record.course_version)),
        ("Exam", preset),
        ("Started", time_text(record.started_at, record.utc_offset_minutes)),
        (
            "Finished",
            f"{time_text(record.finished_at, record.utc_offset_minutes)}, "
            f"{STATUS_WORDS.get(record.status, record.status)}",
        ),
        ("Score", score_text(record)),
        ("Pass mark", f"{record.pass_mark}%" if record.pass_mark is not None else "-"),
        ("Result", result_text(record)),
        ("Critical questions", critical_text(record)),
    ]
    if valid_until is not None and record.passed:
        lines.append(("Valid until", f"{valid_until.day} {valid_until:%b %Y}"))
    lines.append(("Attempt id", record.attempt_id))
    if code is not None:
        lines.append(("Verification code", code))
    return lines


def code_kind_words(code: str) -> str:
    return CODE_KIND_WORDS[kind_of_code(code)]


def answer_lines(record: ExamRecord) -> list[str]:
    """Every question of the record: number, id, right or wrong, and the answer that
    counts (with how many times it was changed)."""
    lines = []
    for question in record.questions:
        mark = "right" if question.right else ("wrong" if question.answers else "unanswered")
        critical = ", critical" if question.critical else ""
        given = ""
        if question.answers:
            given = f": {_response_text(question.answers[-1].response)}"
            if len(question.answers) > 1:
                given += f" (changed {len(question.answers) - 1}x)"
        lines.append(
            f"{question.position + 1:>3}. {question.question_id} ({mark}{critical}){given}"
        )
    return lines


def _response_text(response: object) -> str:
    if response is True:
        return "true"
    if response is False:
        return "false"
    if isinstance(response, list):
        return "; ".join(str(item) for item in response)
    return str(response)
