"""What a quiz session hands to the score store: plain records, no storage details.

The session (quiz.domain.session) builds these; the store (quiz.storage) saves
them; the UI passes them from one to the other. The question is saved as it was
asked (prompt, choices in the order shown, the right answer) so a review stays
true after a bank changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from quiz.domain.identity import Identification

# A response as it is exported: the choice text (single), a list of choice texts
# (multiple), the typed text (short), True/False (true_false); None when unanswered.
Response = str | list[str] | bool | None


class AttemptStatus(StrEnum):
    """Where an attempt stands. When each applies: quiz.domain.pausing (leaving one) and
    the README's Scores section."""

    IN_PROGRESS = "in_progress"  # being taken now, by a process that is running
    PAUSED = "paused"  # left unfinished, to be taken up again (quiz.domain.pausing)
    COMPLETED = "completed"
    TIMED_OUT = "timed_out"
    ABANDONED = "abandoned"

    @property
    def ended(self) -> bool:
        """Whether the attempt is over: not in progress, not paused."""
        return self not in OPEN_STATUSES


OPEN_STATUSES = frozenset({AttemptStatus.IN_PROGRESS, AttemptStatus.PAUSED})
"""The statuses of an attempt that has not ended (compare status text with `in`)."""


class Mode(StrEnum):
    PRACTICE = "practice"
    EXAM = "exam"
    DRILL = "drill"  # a round of the questions due (spaced repetition): never an exam result


@dataclass(frozen=True)
class AskedQuestion:
    """A question as it was put to the learner in one attempt."""

    position: int  # 0-based order in the attempt
    question_id: str
    section: str
    type: str  # the name of its kind (quiz.domain.kinds), as in Question.type
    prompt: str
    choices: tuple[str, ...]  # in the order shown; empty for true_false and short
    answer: tuple[str, ...]  # the right answer(s), as in Question.answer
    critical: bool = False


@dataclass(frozen=True)
class AttemptStart:
    """Everything known when an attempt begins."""

    learner: str
    course_id: str
    course_version: str
    mode: Mode
    sections: tuple[str, ...]
    exam: str | None  # the preset id, if any
    seed: int
    started_at: datetime  # timezone-aware UTC
    time_limit_seconds: int | None
    deadline_at: datetime | None  # wall-clock deadline, UTC; None without a limit
    pass_mark: int | None  # percent; None for practice
    questions: tuple[AskedQuestion, ...]
    identified: Identification = Identification.TYPED  # how the learner was known


@dataclass(frozen=True)
class AnswerRecord:
    """One answer as it was given. Changing an answer appends a new record."""

    question_id: str
    response: Response
    correct: bool
    seconds: float  # time spent on the question before answering
    answered_at: datetime  # timezone-aware UTC


@dataclass(frozen=True)
class AttemptResult:
    """The outcome written when an attempt ends."""

    status: AttemptStatus
    finished_at: datetime  # timezone-aware UTC
    correct: int
    total: int
    percent: float  # 0..100
    passed: bool | None  # None for practice
