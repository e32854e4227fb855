"""Grading: one answer (right or wrong), and an attempt (percent, passed, critical
misses: the one home of the pass rule), with its scores per section.

Whether one answer is right is its question's kind's rule (quiz.domain.kinds);
`grade` only finds the kind and, for typed answers, the course's confusable texts.

An exam is passed when its percent reaches the pass mark and no critical question was
missed (answered wrongly or left unanswered). Every path that writes or shows a
verdict asks `verdict()`: the session when the learner finishes, crash recovery when it
closes an attempt whose process is gone, `quiz import` when it reads an attempt
exported elsewhere, and the report when a stored verdict is missing. Keeping one copy
is the point: three copies had drifted apart (the report ignored critical questions).

`verdict` needs no other quiz module: callers hand in the critical flags of the
questions as asked and which positions were answered rightly. The store imports it,
so this module imports only the kinds' registry (the kinds come on the first grade).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.domain.kinds import kind_of
from quiz.domain.text import typed_form

if TYPE_CHECKING:
    from quiz.domain.model import Course
    from quiz.domain.records import AskedQuestion, Response


@dataclass(frozen=True)
class Verdict:
    """The outcome of an attempt from its answers."""

    correct: int  # questions answered rightly
    total: int  # questions asked
    percent: float  # 0..100, to 2 decimals (for showing; `passed` never uses it)
    passed: bool | None  # None for practice and for abandoned attempts
    critical_missed: tuple[int, ...]  # positions of critical questions not answered rightly


def verdict(
    critical: Sequence[bool],
    right: Collection[int],
    pass_mark: int | None,
    *,
    abandoned: bool = False,
) -> Verdict:
    """The verdict of an attempt.

    `critical` holds the critical flag of each question as asked, by position; `right`
    the positions answered rightly (the answer that counts, not earlier ones);
    `pass_mark` the percent to reach, None for practice. An abandoned attempt was never
    finished: it neither passed nor failed. The pass mark is compared in whole numbers
    (correct * 100 >= pass_mark * total), so rounding the percent never flips a
    verdict; an attempt of no questions does not pass.
    """
    total = len(critical)
    rightly = {position for position in right if 0 <= position < total}
    correct = len(rightly)
    critical_missed = tuple(
        position for position, flag in enumerate(critical) if flag and position not in rightly
    )
    passed: bool | None = None
    if pass_mark is not None and not abandoned:
        passed = total > 0 and correct * 100 >= pass_mark * total and not critical_missed
    return Verdict(
        correct=correct,
        total=total,
        percent=round(100.0 * correct / total, 2) if total else 0.0,
        passed=passed,
        critical_missed=critical_missed,
    )


# --- one answer --------------------------------------------------------------------------


def grade(asked: AskedQuestion, response: Response, confusable: Iterable[str] = ()) -> bool:
    """Whether `response` is right, by its question's kind: multiple answers are
    all-or-nothing; typed answers match an accepted one by `match_typed` (case, end
    punctuation and a leading article ignored; one slip forgiven in a long word unless
    it is within one edit of a `confusable` text: see `confusable_texts`)."""
    if response is None:
        return False
    return kind_of(asked.type).grade(asked, response, confusable)


def slip_spelling(asked: AskedQuestion, response: Response) -> str | None:
    """For a typed answer accepted with a spelling slip: the accepted spelling."""
    if response is None:
        return None
    return kind_of(asked.type).slip_spelling(asked, response)


_confusable_cache: dict[str, frozenset[str]] = {}


def confusable_texts(course: Course) -> frozenset[str]:
    """Every accepted typed answer and every choice in the course, in `typed_form`: a
    typed slip within one edit of any of them (other than the question's own answers)
    is not forgiven. Cached by course version (a course is immutable)."""
    texts = _confusable_cache.get(course.version)
    if texts is None:
        texts = frozenset(
            typed_form(text)
            for question in course.questions
            for text in kind_of(question.type).confusable_texts(question)
        )
        _confusable_cache[course.version] = texts
    return texts


# --- scores per section ------------------------------------------------------------------


@dataclass(frozen=True)
class SectionScore:
    """How the learner did on the questions from one section."""

    section_id: str
    title: str
    correct: int
    total: int

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / self.total if self.total else 0.0

    def below(self, pass_mark: int) -> bool:
        # Whole numbers, so 4 of 5 against 80 is not lost to rounding.
        return self.correct * 100 < pass_mark * self.total


def section_scores(
    course: Course, asked: Sequence[AskedQuestion], correct: Mapping[int, bool]
) -> tuple[SectionScore, ...]:
    """Scores per section, in course order; `correct` maps positions to right/wrong."""
    totals: Counter[str] = Counter(a.section for a in asked)
    rights: Counter[str] = Counter(a.section for a in asked if correct.get(a.position, False))
    order = [s.id for s in course.source.sections]
    ids = sorted(totals, key=lambda s: (order.index(s) if s in order else len(order), s))
    return tuple(SectionScore(s, course.section_title(s), rights[s], totals[s]) for s in ids)
