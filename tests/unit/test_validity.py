"""How long a pass stays valid (quiz.domain.validity), and `valid_for` in course.yaml."""

from __future__ import annotations

import shutil
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from quiz.domain.loader import load_course
from quiz.domain.validity import (
    Validity,
    ValidityError,
    add_period,
    expires_at,
    has_expired,
    parse_validity,
    valid_until,
)
from tests.support.cli import run_cli
from tests.support.local_time import local_timezone
from tests.support.paths import MINI


@pytest.mark.parametrize(
    ("text", "count", "unit"),
    [
        ("12 months", 12, "months"),
        ("1 month", 1, "months"),
        ("1 year", 1, "years"),
        ("2 Years", 2, "years"),
        ("6 weeks", 6, "weeks"),
        ("1 week", 1, "weeks"),
        ("30days", 30, "days"),
        ("  1 day ", 1, "days"),
    ],
)
def test_periods_are_read_in_either_number_and_case(text: str, count: int, unit: str) -> None:
    assert parse_validity(text) == Validity(count, unit)


@pytest.mark.parametrize(
    ("value", "said"),
    [
        ("12", "has no unit"),
        (12, "has no unit"),
        ("0 months", "is zero"),
        ("-1 months", "is not a period"),
        ("1.5 years", "is not a period"),
        ("twelve months", "is not a period"),
        ("12 fortnights", "is not a period"),
        ("1 year 6 months", "is not a period"),
        ("101 years", "longer than 100 years"),
        (True, "is not a period"),
    ],
)
def test_bad_periods_say_what_is_accepted(value: object, said: str) -> None:
    with pytest.raises(ValidityError) as raised:
        parse_validity(value)
    assert said in str(raised.value)
    if said != "is zero" and "longer" not in said:
        assert "such as `12 months`" in str(raised.value)


def test_a_period_reads_back_as_written() -> None:
    assert Validity(12, "months").text() == "12 months"
    assert Validity(1, "years").text() == "1 year"
    assert Validity(1, "days").text() == "1 day"


@pytest.mark.parametrize(
    ("start", "period", "end"),
    [
        (date(2026, 3, 3), "12 months", date(2027, 3, 3)),
        (date(2026, 1, 31), "1 month", date(2026, 2, 28)),  # clamped to the month's end
        (date(2028, 1, 31), "1 month", date(2028, 2, 29)),  # a leap year's February
        (date(2026, 3, 31), "1 month", date(2026, 4, 30)),
        (date(2026, 8, 31), "6 months", date(2027, 2, 28)),
        (date(2026, 12, 15), "1 month", date(2027, 1, 15)),  # across the year's end
        (date(2028, 2, 29), "1 year", date(2029, 2, 28)),  # 29 Feb, a year on
        (date(2028, 2, 29), "4 years", date(2032, 2, 29)),
        (date(2028, 2, 29), "12 months", date(2029, 2, 28)),
        (date(2026, 2, 28), "1 year", date(2027, 2, 28)),
        (date(2026, 12, 31), "2 weeks", date(2027, 1, 14)),
        (date(2028, 2, 28), "1 day", date(2028, 2, 29)),
        (date(2026, 5, 1), "100 years", date(2126, 5, 1)),
    ],
)
def test_calendar_months_and_years_keep_the_day_clamped_to_the_month_end(
    start: date, period: str, end: date
) -> None:
    assert add_period(start, parse_validity(period)) == end


def test_the_finish_date_is_taken_in_the_attempts_own_offset() -> None:
    year = parse_validity("1 year")
    # 23:30 UTC on 28 Feb 2027 is already 1 Mar in Berlin (+60) and still 28 Feb in
    # New York (-300): the pass is a Berlin pass of 1 Mar, a New York pass of 28 Feb.
    finished = datetime(2027, 2, 28, 23, 30, tzinfo=UTC)
    assert valid_until(finished, year, 60) == date(2028, 3, 1)
    assert valid_until(finished, year, -300) == date(2028, 2, 28)
    assert valid_until(finished, year, 0) == date(2028, 2, 28)
    # An offset not known (a terminal without a clinic): this computer's zone.
    with local_timezone("Europe/Berlin"):
        assert valid_until(finished, year, None) == date(2028, 3, 1)
    with local_timezone("America/New_York"):
        assert valid_until(finished, year, None) == date(2028, 2, 28)
    # 29 Feb 2028 in Sydney (+600) is 28 Feb 2028 14:00 UTC
    sydney_leap_day = datetime(2028, 2, 28, 14, 0, tzinfo=UTC)
    assert valid_until(sydney_leap_day, year, 600) == date(2029, 2, 28)
    assert valid_until(sydney_leap_day, parse_validity("1 month"), 600) == date(2028, 3, 29)


def test_a_pass_expires_at_the_start_of_its_day_in_its_offset() -> None:
    months = parse_validity("12 months")
    finished = datetime(2026, 3, 3, 9, 0, tzinfo=UTC)
    assert expires_at(finished, months, 60) == datetime(2027, 3, 2, 23, 0, tzinfo=UTC)
    # The day before, it still holds; from midnight of the day, it has expired.
    assert not has_expired(finished, months, datetime(2027, 3, 2, 22, 59, 59, tzinfo=UTC), 60)
    assert has_expired(finished, months, datetime(2027, 3, 2, 23, 0, tzinfo=UTC), 60)
    with local_timezone("UTC"):
        assert not has_expired(finished, months, datetime(2027, 3, 2, 23, 0, tzinfo=UTC), None)
        assert has_expired(finished, months, datetime(2027, 3, 3, 0, 0, tzinfo=UTC), None)


def _mini(tmp_path: Path, exam_lines: str) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    course = target / "course.yaml"
    course.write_text(course.read_text().rstrip("\n") + "\n" + exam_lines)
    return target


def test_a_preset_reads_its_validity(tmp_path: Path) -> None:
    folder = _mini(tmp_path, "    valid_for: 12 months\n")
    loaded = load_course(folder)
    assert loaded.problems == ()
    assert loaded.course is not None
    assert loaded.course.exams["check"].valid_for == Validity(12, "months")


def test_a_preset_without_validity_has_none(tmp_path: Path) -> None:
    loaded = load_course(_mini(tmp_path, ""))
    assert loaded.course is not None
    assert loaded.course.exams["check"].valid_for is None


@pytest.mark.parametrize(
    ("line", "said"),
    [
        ("    valid_for: 12\n", "'valid_for': '12' has no unit"),
        ("    valid_for: 0 years\n", "'valid_for': '0 years' is zero"),
        ("    valid_for: soon\n", "'valid_for': 'soon' is not a period of validity"),
        ("    valid_for: [12, months]\n", "'valid_for' must be one value"),
    ],
)
def test_a_bad_validity_is_a_problem_at_its_line(tmp_path: Path, line: str, said: str) -> None:
    folder = _mini(tmp_path, line)
    course_yaml = folder / "course.yaml"
    expected_line = course_yaml.read_text().splitlines().index(line.rstrip("\n")) + 1
    loaded = load_course(folder)
    found = [p for p in loaded.problems if "valid_for" in p.message]
    assert len(found) == 1, loaded.problems
    assert found[0].path == course_yaml
    assert found[0].line == expected_line
    assert said in found[0].message


def test_quiz_check_lists_the_validity_of_a_preset(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = _mini(tmp_path, "    valid_for: 2 years\n")
    code, out, err = run_cli(["check", str(folder)], capsys)
    assert code == 0, err
    lines = out.splitlines()
    exam = lines.index("  exam check: Quick check")
    assert lines[exam + 2] == "    a pass is valid for 2 years"
