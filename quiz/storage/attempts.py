"""Saved attempts as the rest of the program sees them: frozen dataclasses, no SQL.

`AttemptDetail.to_export_dict()` is the JSON shape of `quiz scores --format json`,
which `quiz import` reads back (quiz.storage.exchange).
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from quiz.domain.identity import Identification
from quiz.domain.records import AskedQuestion, AttemptStatus, Mode, Response
from quiz.storage.codec import format_utc


@dataclass(frozen=True)
class AttemptSummary:
    """One attempt, without its answers (a row of `quiz scores`, of My scores)."""

    id: str  # the attempt's UUID
    learner: str  # the name as typed for this attempt
    learner_key: str  # learner_key(name): the same person whatever the spelling
    course: str
    course_version: str  # "sha256:..." of the course content in use
    mode: Mode
    exam: str | None  # the exam preset id, if any
    sections: tuple[str, ...]  # the sections chosen
    seed: int
    status: AttemptStatus
    started_at: datetime  # UTC
    finished_at: datetime | None
    time_limit_seconds: int | None
    deadline_at: datetime | None
    pass_mark: int | None
    correct: int | None  # None while in progress
    total: int  # questions asked
    percent: float | None  # 0..100; None while in progress
    passed: bool | None  # None for practice and unfinished attempts
    identified: Identification = Identification.TYPED  # how the learner was known
    verify_code: str | None = None  # the verification code, once one is computed
    clinic: str | None = None  # the clinic of the terminal that ran it (None: none known)
    utc_offset_minutes: int | None = None  # that terminal's UTC offset at the start

    @property
    def finished(self) -> bool:
        """Whether the attempt has ended (not in progress, not paused)."""
        return self.status.ended


@dataclass(frozen=True)
class AnswerEntry:
    """One answer as it was given (an attempt's history holds every one, in order)."""

    position: int  # of the question in the attempt
    question_id: str
    response: Response
    correct: bool
    seconds: float
    answered_at: datetime  # UTC


@dataclass(frozen=True)
class AttemptItem:
    """A question of an attempt as it was asked, and the answer that counts."""

    question: AskedQuestion
    answer: AnswerEntry | None  # the latest answer; None when never answered

    @property
    def response(self) -> Response:
        return self.answer.response if self.answer else None

    @property
    def correct(self) -> bool:
        return self.answer.correct if self.answer else False


@dataclass(frozen=True)
class SectionResult:
    section: str
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0


@dataclass(frozen=True)
class AttemptFlag:
    """A learner's flag on a question of an attempt, as an export carries it."""

    id: str  # the flag's uuid
    position: int  # of the question in the attempt
    question_id: str
    flagged_at: datetime  # UTC
    note: str  # one line (quiz.domain.flags.clean_note)

    def to_export_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "position": self.position,
            "question_id": self.question_id,
            "flagged_at": format_utc(self.flagged_at),
            "note": self.note,
        }


@dataclass(frozen=True)
class AttemptDetail:
    """An attempt with every question as asked, the answers that count, and the history."""

    summary: AttemptSummary
    items: tuple[AttemptItem, ...]  # in the order asked
    history: tuple[AnswerEntry, ...]  # every answer given, oldest first
    flags: tuple[AttemptFlag, ...] = field(default=(), compare=False)
    """Learners' flags on its questions that may be shown (quiz.storage.flags), in the
    order raised. Not part of what the attempt is: two copies of one attempt are the
    same whatever flags each has (an import adds those it lacks)."""

    @property
    def id(self) -> str:
        return self.summary.id

    @property
    def questions(self) -> tuple[AskedQuestion, ...]:
        return tuple(item.question for item in self.items)

    def correct_count(self) -> int:
        return sum(1 for item in self.items if item.correct)

    def section_results(self) -> tuple[SectionResult, ...]:
        """Right and asked per section, in the order the sections were first asked."""
        totals = Counter(item.question.section for item in self.items)
        rights = Counter(item.question.section for item in self.items if item.correct)
        return tuple(SectionResult(s, rights[s], totals[s]) for s in totals)

    def to_export_dict(self) -> dict[str, Any]:
        """The JSON shape of `quiz scores --format json` (the fields after `answers` are
        what `quiz import` needs to rebuild the attempt elsewhere)."""
        summary = self.summary
        correct = summary.correct if summary.correct is not None else self.correct_count()
        percent = summary.percent
        if percent is None:
            percent = round(100.0 * correct / summary.total, 2) if summary.total else 0.0
        earlier: dict[int, list[AnswerEntry]] = {}
        for entry in self.history:
            earlier.setdefault(entry.position, []).append(entry)
        return {
            "id": summary.id,
            "learner": summary.learner,
            "course": summary.course,
            "course_version": summary.course_version,
            "mode": str(summary.mode),
            "exam": summary.exam,
            "status": str(summary.status),
            "started_at": format_utc(summary.started_at),
            "finished_at": format_utc(summary.finished_at) if summary.finished_at else None,
            "time_limit_seconds": summary.time_limit_seconds,
            "correct": correct,
            "total": summary.total,
            "percent": float(percent),
            "passed": summary.passed,
            "answers": [
                _export_item(item, earlier.get(item.question.position, [])) for item in self.items
            ],
            "sections": list(summary.sections),
            "seed": summary.seed,
            "deadline_at": format_utc(summary.deadline_at) if summary.deadline_at else None,
            "pass_mark": summary.pass_mark,
            "identified": str(summary.identified),
            "verify_code": summary.verify_code,
            "clinic": summary.clinic,
            "utc_offset_minutes": summary.utc_offset_minutes,
        } | ({"flags": [flag.to_export_dict() for flag in self.flags]} if self.flags else {})


def order_history(by_item: dict[int, list[AnswerEntry]]) -> tuple[AnswerEntry, ...]:
    """Every answer in the order given: by time, but each question's answers always in
    their own order (even if the clock went back between two of them)."""
    everything = sorted(
        (entry for entries in by_item.values() for entry in entries),
        key=lambda e: (e.answered_at, e.position),
    )
    pending = {item: iter(entries) for item, entries in by_item.items()}
    return tuple(next(pending[entry.position]) for entry in everything)


def _export_item(item: AttemptItem, records: list[AnswerEntry]) -> dict[str, Any]:
    question, answer = item.question, item.answer
    exported: dict[str, Any] = {
        "question_id": question.question_id,
        "section": question.section,
        "response": answer.response if answer else None,
        "correct": answer.correct if answer else False,
        "seconds": answer.seconds if answer else None,
        "answered_at": format_utc(answer.answered_at) if answer else None,
        "type": str(question.type),
        "prompt": question.prompt,
        "choices": list(question.choices),
        "right_answer": list(question.answer),
        "critical": question.critical,
    }
    if len(records) > 1:  # the answer was changed: the earlier ones, oldest first
        exported["history"] = [
            {
                "response": r.response,
                "correct": r.correct,
                "seconds": r.seconds,
                "answered_at": format_utc(r.answered_at),
            }
            for r in records[:-1]
        ]
    return exported
