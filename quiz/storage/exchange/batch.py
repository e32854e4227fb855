"""Prepared attempts and AttemptDetails, each made from the other: `prepare` puts an
AttemptDetail in the form the store writes it (an attempt not read from a file: the
import takes any), and `PreparedBatch` is some prepared attempts that, as a sequence,
give the AttemptDetail of each, made only when one is asked for (to compare with an
attempt of the same id already in the store), and its verdict recomputed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from typing import overload

from quiz.domain.grading import Verdict
from quiz.domain.identity import Identification
from quiz.domain.records import AttemptStatus, Mode
from quiz.storage.attempt_rows.reading import stored_answer
from quiz.storage.attempts import (
    AnswerEntry,
    AttemptDetail,
    AttemptFlag,
    AttemptItem,
    AttemptSummary,
    order_history,
)
from quiz.storage.codec import (
    encode_response,
    from_ms,
    offset_ds,
    seconds_to_ms,
    to_ms,
)
from quiz.storage.exchange.records import Answers, PreparedAttempt, QuestionVersions
from quiz.storage.exchange.verdicts import (
    RecomputedVerdict,
    recompute,
    recomputed_verdict,
    verdict_of,
)


def prepare(detail: AttemptDetail, versions: QuestionVersions) -> PreparedAttempt:
    """An AttemptDetail in the form the store writes it."""
    summary = detail.summary
    started = to_ms(summary.started_at)
    revs: dict[int, int] = {}
    rows = []
    for entry in detail.history:
        rev = revs.get(entry.position, 0)
        revs[entry.position] = rev + 1
        question = detail.items[entry.position].question
        row = (
            entry.position,
            rev,
            encode_response(question, entry.response),
            int(entry.correct),
            seconds_to_ms(entry.seconds),
            offset_ds(entry.answered_at, started),
        )
        rows.append((row, to_ms(entry.answered_at)))
    answers = Answers()
    for row, at in sorted(rows, key=lambda pair: pair[0][:2]):  # by position, then rev
        answers.add(row, at)
    outcome = recompute(detail)
    return PreparedAttempt(
        id=summary.id,
        learner=summary.learner,
        learner_key=summary.learner_key,
        course=summary.course,
        course_version=summary.course_version,
        mode=str(summary.mode),
        exam=summary.exam,
        sections=summary.sections,
        seed=summary.seed,
        status=str(summary.status),
        started_ms=started,
        finished_ms=to_ms(summary.finished_at) if summary.finished_at else None,
        time_limit_seconds=summary.time_limit_seconds,
        deadline_ms=to_ms(summary.deadline_at) if summary.deadline_at else None,
        pass_mark=summary.pass_mark,
        correct=summary.correct,
        total=summary.total,
        percent=summary.percent,
        passed=summary.passed,
        identified=str(summary.identified),
        verify_code=summary.verify_code,
        clinic=summary.clinic,
        utc_offset_minutes=summary.utc_offset_minutes,
        questions=tuple(versions.number(item.question) for item in detail.items),
        stored=tuple(answers.stored),
        figures=answers.packed(),
        verdict=None if outcome is None else (outcome.correct, outcome.percent, outcome.passed),
        flags=tuple(
            (flag.id, flag.position, flag.question_id, to_ms(flag.flagged_at), flag.note)
            for flag in detail.flags
        ),
    )


class PreparedBatch(Sequence[AttemptDetail]):
    """Some attempts in the form the store writes them (`attempts`), with the questions
    they were asked. As a sequence, the AttemptDetail of each, made when asked for."""

    def __init__(self, attempts: list[PreparedAttempt], versions: QuestionVersions) -> None:
        self.attempts = attempts
        self.versions = versions

    @classmethod
    def of(cls, details: Iterable[AttemptDetail]) -> PreparedBatch:
        versions = QuestionVersions()
        return cls([prepare(detail, versions) for detail in details], versions)

    def __len__(self) -> int:
        return len(self.attempts)

    @overload
    def __getitem__(self, index: int) -> AttemptDetail: ...

    @overload
    def __getitem__(self, index: slice) -> PreparedBatch: ...

    def __getitem__(self, index: int | slice) -> AttemptDetail | PreparedBatch:
        if isinstance(index, slice):
            return PreparedBatch(self.attempts[index], self.versions)
        return self.detail(self.attempts[index])

    def detail(self, attempt: PreparedAttempt) -> AttemptDetail:
        """The attempt as `quiz scores` would read it back."""
        questions = [
            replace(self.versions.questions[number], position=position)
            for position, number in enumerate(attempt.questions)
        ]
        by_item: dict[int, list[AnswerEntry]] = {position: [] for position in range(len(questions))}
        positions, _, rights, mss, _, ats = attempt.columns()
        for position, stored, right, ms, at in zip(
            positions, attempt.stored, rights, mss, ats, strict=True
        ):
            by_item[position].append(
                stored_answer(questions[position], stored, right, ms, from_ms(at))
            )
        items = tuple(
            AttemptItem(question=asked, answer=by_item[position][-1] if by_item[position] else None)
            for position, asked in enumerate(questions)
        )
        summary = AttemptSummary(
            id=attempt.id,
            learner=attempt.learner,
            learner_key=attempt.learner_key,
            course=attempt.course,
            course_version=attempt.course_version,
            mode=Mode(attempt.mode),
            exam=attempt.exam,
            sections=attempt.sections,
            seed=attempt.seed,
            status=AttemptStatus(attempt.status),
            started_at=from_ms(attempt.started_ms),
            finished_at=None if attempt.finished_ms is None else from_ms(attempt.finished_ms),
            time_limit_seconds=attempt.time_limit_seconds,
            deadline_at=None if attempt.deadline_ms is None else from_ms(attempt.deadline_ms),
            pass_mark=attempt.pass_mark,
            correct=attempt.correct,
            total=attempt.total,
            percent=attempt.percent,
            passed=attempt.passed,
            identified=Identification(attempt.identified),
            verify_code=attempt.verify_code,
            clinic=attempt.clinic,
            utc_offset_minutes=attempt.utc_offset_minutes,
        )
        flags = tuple(
            AttemptFlag(flag_id, position, question_id, from_ms(flagged_ms), note)
            for flag_id, position, question_id, flagged_ms, note in attempt.flags
        )
        return AttemptDetail(
            summary=summary, items=items, history=order_history(by_item), flags=flags
        )

    def verdict(self, attempt: PreparedAttempt) -> Verdict | None:
        """`recompute` of the attempt, whole (`attempt.verdict` holds what is stored)."""
        positions, _, rights, *_ = attempt.columns()
        counts = dict(zip(positions, rights, strict=True))  # each question's last answer
        questions = self.versions.questions
        return verdict_of(
            attempt.status,
            attempt.mode,
            attempt.pass_mark,
            [questions[number].critical for number in attempt.questions],
            [position for position, right in counts.items() if right],
        )

    def disagreement(self, attempt: PreparedAttempt) -> RecomputedVerdict | None:
        """What a finished attempt's file said, where it differs from its verdict."""
        assert attempt.verdict is not None
        correct, _, passed = attempt.verdict
        if attempt.passed == passed and attempt.correct in (None, correct):
            return None
        outcome = self.verdict(attempt)
        assert outcome is not None
        return recomputed_verdict(
            attempt.id, attempt.learner, attempt.correct, attempt.passed, outcome
        )
