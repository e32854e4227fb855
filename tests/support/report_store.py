"""A store of several learners' practice and exam attempts, for the report, learners and
scores-screen tests, with the answers kept as plain data so a test can compute the
expected numbers itself (not from the store or the report code).

tests/unit/test_report_data.py checks the data is what those tests need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from quiz.domain.model import QuestionType
from quiz.domain.records import (
    AnswerRecord,
    AskedQuestion,
    AttemptResult,
    AttemptStart,
    AttemptStatus,
    Mode,
    Response,
)
from quiz.storage.scores import ScoreStore

COURSE = "laser-skin-tightening"
VERSION = "sha256:" + "cd" * 32
EXAM_PASS_MARK = 75

SWELLING_01 = AskedQuestion(
    position=0,
    question_id="swelling-01",
    section="swelling",
    type=QuestionType.SINGLE,
    prompt="How long does swelling usually last?",
    choices=("About two weeks", "One to three days", "A few hours"),
    answer=("One to three days",),
)
# The same question with its choices shown in another order: another version.
SWELLING_01_SHUFFLED = replace(
    SWELLING_01, choices=("A few hours", "About two weeks", "One to three days")
)
SWELLING_04 = AskedQuestion(
    position=1,
    question_id="swelling-04",
    section="swelling",
    type=QuestionType.MULTIPLE,
    prompt="Which are true of swelling?",
    choices=("It lasts months", "It may be tender", "It eases in days"),
    answer=("It eases in days", "It may be tender"),
)
BRUISING_02 = AskedQuestion(
    position=2,
    question_id="bruising-02",
    section="bruising",
    type=QuestionType.TRUE_FALSE,
    prompt="Capillaries are small blood vessels.",
    choices=(),
    answer=("true",),
)
DRUGS_03 = AskedQuestion(
    position=3,
    question_id="drugs-pregnancy-03",
    section="drugs-pregnancy",
    type=QuestionType.SHORT,
    prompt="Name one acne medicine the course names.",
    choices=(),
    answer=("Accutane", "Retin-A"),
    critical=True,
)
ALL = (SWELLING_01, SWELLING_04, BRUISING_02, DRUGS_03)
SHUFFLED = (SWELLING_01_SHUFFLED, SWELLING_04, BRUISING_02, DRUGS_03)

R0, W0, W0b = "One to three days", "A few hours", "About two weeks"
R1, W1, W1b = ["It may be tender", "It eases in days"], ["It lasts months"], ["It may be tender"]
W1c = ["It lasts months", "It may be tender"]
CY = "[bold]Cy[/bold]"  # a name that would be markup if it were not shown literally


@dataclass(frozen=True)
class Given:
    """An attempt as the fixture makes it: responses by question id, in the order given
    (the last one counts); a question with no responses was left unanswered."""

    learner: str
    mode: Mode
    at: datetime
    questions: tuple[AskedQuestion, ...]
    responses: dict[str, list[Response]] = field(default_factory=dict)
    status: AttemptStatus = AttemptStatus.COMPLETED

    @property
    def counted(self) -> bool:
        return self.status in (AttemptStatus.COMPLETED, AttemptStatus.TIMED_OUT)

    def latest(self, question: AskedQuestion) -> Response:
        given = self.responses.get(question.question_id, [])
        return given[-1] if given else None

    def right(self, question: AskedQuestion) -> bool:
        return is_right(question, self.latest(question))

    @property
    def correct(self) -> int:
        return sum(self.right(q) for q in self.questions)

    @property
    def percent(self) -> float:
        return 100.0 * self.correct / len(self.questions)

    @property
    def pass_mark(self) -> int | None:
        return EXAM_PASS_MARK if self.mode is Mode.EXAM else None


def is_right(question: AskedQuestion, response: Response) -> bool:
    """Is `response` the right answer? Worked out here, not by the grading code."""
    if response is None:
        return False
    if question.type == QuestionType.SINGLE:
        return response == question.answer[0]
    if question.type == QuestionType.MULTIPLE:
        return isinstance(response, list) and set(response) == set(question.answer)
    if question.type == QuestionType.TRUE_FALSE:
        return response is (question.answer[0] == "true")
    assert isinstance(response, str)
    return response.casefold() in {a.casefold() for a in question.answer}


def _at(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour, 0, tzinfo=UTC)


GIVEN: tuple[Given, ...] = (
    Given("Ana Ruiz", Mode.EXAM, _at(10, 20), ALL, {
        "swelling-01": [R0], "swelling-04": [R1], "bruising-02": [True],
        "drugs-pregnancy-03": ["accutane"],
    }),
    Given("Ben Ode", Mode.PRACTICE, _at(10, 25), (SWELLING_01, SWELLING_04), {
        "swelling-01": [W0b], "swelling-04": [R1],
    }),
    Given("Ana Ruiz", Mode.PRACTICE, _at(11, 2), SHUFFLED, {
        "swelling-01": [W0], "swelling-04": [W1c], "bruising-02": [True],
    }),
    Given("Ben Ode", Mode.PRACTICE, _at(11, 5), (BRUISING_02,), {"bruising-02": [True]}),
    Given(CY, Mode.PRACTICE, _at(11, 10), SHUFFLED, {
        "swelling-01": [W0], "swelling-04": [R1], "bruising-02": [True],
        "drugs-pregnancy-03": ["aspirin"],
    }),
    Given("Ben Ode", Mode.EXAM, _at(11, 20), ALL, {
        "swelling-01": [W0], "swelling-04": [W1], "bruising-02": [True],
        "drugs-pregnancy-03": ["aspirin"],
    }),
    Given(CY, Mode.EXAM, _at(11, 21), ALL, {
        "swelling-01": [R0], "swelling-04": [R1, W1b], "drugs-pregnancy-03": ["Retin-A"],
    }, AttemptStatus.TIMED_OUT),
    Given("Dee Park", Mode.PRACTICE, _at(11, 22), ALL, {"swelling-01": [W0]},
          AttemptStatus.ABANDONED),
    Given("Ana Ruiz", Mode.EXAM, _at(11, 24), ALL, {
        "swelling-01": [W0, R0], "swelling-04": [R1], "bruising-02": [False],
        "drugs-pregnancy-03": ["retin-a"],
    }),
    Given("Ana Ruiz", Mode.PRACTICE, _at(12, 3), (SWELLING_01_SHUFFLED, BRUISING_02), {
        "swelling-01": [W0b], "bruising-02": [True],
    }),
)  # fmt: skip
"""Oldest first. Dee's attempt was abandoned: the reports do not count it."""


def start_of(given: Given) -> AttemptStart:
    """The start of `given`'s attempt, as the app hands it to the store."""
    questions = tuple(replace(q, position=i) for i, q in enumerate(given.questions))
    exam = given.mode is Mode.EXAM
    return AttemptStart(
        learner=given.learner,
        course_id=COURSE,
        course_version=VERSION,
        mode=given.mode,
        sections=tuple(dict.fromkeys(q.section for q in questions)),
        exam="staff-check" if exam else None,
        seed=7,
        started_at=given.at,
        time_limit_seconds=900 if exam else None,
        deadline_at=given.at + timedelta(seconds=900) if exam else None,
        pass_mark=given.pass_mark,
        questions=questions,
    )


def save(store: ScoreStore, given: Given) -> str:
    """`given` written through the store as the app writes an attempt; returns its id."""
    attempt_id = store.start_attempt(start_of(given))
    moment = given.at
    for question in given.questions:
        for response in given.responses.get(question.question_id, []):
            moment += timedelta(seconds=20)
            store.record_answer(
                attempt_id,
                AnswerRecord(
                    question_id=question.question_id,
                    response=response,
                    correct=is_right(question, response),
                    seconds=12.5,
                    answered_at=moment,
                ),
            )
    pass_mark = given.pass_mark
    store.finish_attempt(
        attempt_id,
        AttemptResult(
            status=given.status,
            finished_at=moment + timedelta(seconds=30),
            correct=given.correct,
            total=len(given.questions),
            percent=round(given.percent, 2),
            passed=None if pass_mark is None else given.percent >= pass_mark,
        ),
    )
    return attempt_id


def build_store(
    path: Path,
    attempts: tuple[Given, ...] = GIVEN,
    *,
    open_store: Callable[[Path], ScoreStore] = ScoreStore.open,
) -> list[str]:
    """The store of `attempts` at `path` (opened with `open_store`: a terminal of the
    central store, tests/support/backends.py); returns their ids, in the same order."""
    with open_store(path) as store:
        return [save(store, given) for given in attempts]
