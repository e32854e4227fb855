"""The report from the summaries equals the report straight from the attempts.

A report without a learner filter reads the summary tables (whole months, and the part
month a `since` starts in from its attempts); `report_from_attempts` reads
every counted attempt and answer. Both must give the same report, for every period and
course, whatever the local timezone (months and `since` are local). And the summaries
kept attempt by attempt equal a rebuild's.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import asdict, replace
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.records import AnswerRecord, AttemptResult, Mode
from quiz.storage import report_from_attempts, report_from_summaries, reports
from quiz.storage.reports import Report, ReportFilter
from quiz.storage.scores import ScoreStore
from tests.support.local_time import local_timezone
from tests.support.report_store import ALL, COURSE, GIVEN, SHUFFLED, Given, is_right, save, start_of
from tests.support.summaries import assert_summaries_are_rebuilt_ones

OTHER_COURSE = "chemical-peels"

# Attempts at the edges of months (in UTC; a month earlier or later elsewhere), and in a
# second course that shares question ids with the first.
EDGES: tuple[Given, ...] = (
    Given("Ben Ode", Mode.EXAM, datetime.fromisoformat("2026-10-31T23:30:00+00:00"), SHUFFLED, {
        "swelling-01": ["A few hours"], "swelling-04": [["It may be tender"]],
        "bruising-02": [True],
    }),
    Given("Ana Ruiz", Mode.PRACTICE, datetime.fromisoformat("2026-12-01T00:30:00+00:00"), ALL, {
        "swelling-01": ["One to three days"], "drugs-pregnancy-03": ["aspirin"],
    }),
)  # fmt: skip
IN_OTHER_COURSE: tuple[Given, ...] = (
    Given("Ana Ruiz", Mode.EXAM, datetime.fromisoformat("2026-11-26T09:00:00+00:00"), ALL, {
        "swelling-01": ["About two weeks"], "bruising-02": [False],
    }),
    Given("Eve Sato", Mode.PRACTICE, datetime.fromisoformat("2026-12-05T09:00:00+00:00"), ALL, {
        "swelling-01": ["One to three days"], "swelling-04": [["It lasts months"]],
    }),
)  # fmt: skip


@pytest.fixture(scope="module", params=["UTC", "Pacific/Auckland", "America/Los_Angeles"])
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The computer's local timezone (months and `since` dates are local), for the
    making of the store and the reports alike."""
    with local_timezone(request.param) as name:
        yield name


def save_in_course(store: ScoreStore, given: Given, course: str) -> str:
    start = replace(start_of(given), course_id=course, course_version="sha256:" + "ef" * 32)
    attempt_id = store.start_attempt(start)
    moment = given.at
    for question in given.questions:
        for response in given.responses.get(question.question_id, []):
            moment += timedelta(seconds=20)
            store.record_answer(
                attempt_id,
                AnswerRecord(
                    question.question_id, response, is_right(question, response), 9.0, moment
                ),
            )
    store.finish_attempt(
        attempt_id,
        AttemptResult(
            status=given.status,
            finished_at=moment + timedelta(seconds=30),
            correct=given.correct,
            total=len(given.questions),
            percent=round(given.percent, 2),
            passed=None if given.pass_mark is None else given.percent >= given.pass_mark,
        ),
    )
    return attempt_id


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory, zone: str) -> Path:
    """One store per timezone, read by every test (none changes it)."""
    path = tmp_path_factory.mktemp("store") / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        for given in sorted((*GIVEN, *EDGES), key=lambda g: g.at):
            save(store, given)
        for given in IN_OTHER_COURSE:
            save_in_course(store, given, OTHER_COURSE)
    return path


def same(mine: Any, theirs: Any, where: str = "report") -> None:
    """Equal, floats to rounding (sums over months add in another order)."""
    if isinstance(mine, float) and isinstance(theirs, float):
        assert math.isclose(mine, theirs, rel_tol=1e-9, abs_tol=1e-9), where
    elif isinstance(mine, dict) and isinstance(theirs, dict):
        assert mine.keys() == theirs.keys(), where
        for key in mine:
            same(mine[key], theirs[key], f"{where}.{key}")
    elif isinstance(mine, list | tuple) and isinstance(theirs, list | tuple):
        assert len(mine) == len(theirs), where
        for index, (a, b) in enumerate(zip(mine, theirs, strict=True)):
            same(a, b, f"{where}[{index}]")
    else:
        assert mine == theirs, where


def both(path: Path, report_filter: ReportFilter) -> tuple[Report, Report]:
    with ScoreStore.open(path, create=False) as store:
        connection = store._connection
        with reports.snapshot(connection):
            names = reports.Names(connection)
            from_summaries = report_from_summaries.report_from_summaries(
                connection, report_filter, names
            )
            from_attempts = report_from_attempts.report_from_attempts(
                connection, report_filter, names
            )
    return from_summaries, from_attempts


SINCE = [
    None,
    *(
        date.fromisoformat(day)
        for day in (
            "2026-10-01",
            "2026-10-21",
            "2026-10-31",
            "2026-11-01",
            "2026-11-02",
            "2026-11-15",
            "2026-11-21",
            "2026-11-30",
            "2026-12-01",
            "2026-12-04",
            "2027-01-01",
        )
    ),
]


@pytest.mark.parametrize("since", SINCE)
@pytest.mark.parametrize("course", [None, COURSE, OTHER_COURSE, "no-such-course"])
def test_the_summaries_give_the_report_the_attempts_give(
    db: Path, since: date | None, course: str | None
) -> None:
    from_summaries, from_attempts = both(db, ReportFilter(since=since, course=course))
    same(asdict(from_summaries), asdict(from_attempts))


def test_the_comparison_covers_what_the_report_shows(db: Path) -> None:
    """The stores above hold what could differ: several courses, months, weak sections,
    wrong choices, exams and practice, attempts on either side of a `since`."""
    report, _ = both(db, ReportFilter())
    assert set(report.courses) == {COURSE, OTHER_COURSE}
    assert any(learner.weak_sections for learner in report.learners)
    assert any(q.wrong_choices and q.wrong_choices[0].picks for q in report.questions)
    assert any(c.picks == 0 for q in report.questions for c in q.wrong_choices)
    part, _ = both(db, ReportFilter(since=date(2026, 11, 21)))
    assert 0 < part.attempts < report.attempts and part.exams < report.exams


def test_one_learner_is_read_from_their_attempts(db: Path) -> None:
    with ScoreStore.open(db, create=False) as store:
        report = store.report(ReportFilter(learner="ana ruiz"))
    _, from_attempts = both(db, ReportFilter(learner="ana ruiz"))
    same(asdict(report), asdict(from_attempts))


def test_kept_summaries_equal_a_rebuild(db: Path) -> None:
    with ScoreStore.open(db, create=False) as store:
        assert_summaries_are_rebuilt_ones(store._connection)
