"""`quiz report`'s "due for recertification" list: each learner whose last pass of a
preset with `valid_for` has expired, or who never passed it, as of the injected clock.

The fixture (tests/support/report_store.py): Ana passed the staff-check exam on 20 Oct
and 24 Nov 2026 (10:00 UTC); Ben and Cy sat it and failed; Dee only abandoned a
practice round. The course says the pass holds for one month.
"""

from __future__ import annotations

import csv
import io
import json
import shutil
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.commands import report as report_command
from quiz.domain.records import Mode, Response
from quiz.paths import bundled_questions_dir
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.fakes import FixedClock
from tests.support.local_time import local_timezone
from tests.support.report_store import ALL, CY, GIVEN, Given, build_store, save
from tests.support.store_records import RIGHT
from tests.unit.test_report_html import seen, strict_tree, table_rows

ANA_LAST_PASS_DAY = "2026-11-24"
ANA_EXPIRES = "2026-12-24"  # a month after her last pass
NEVER = (CY, "Ben Ode", "Dee Park")  # by key: "[bold]cy[/bold]" sorts before "ben ode"


class MovableClock(FixedClock):
    """A FixedClock set to `at` (UTC)."""

    def __init__(self, at: datetime) -> None:
        super().__init__()
        self.advance((at - self.now()).total_seconds())


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    with local_timezone("UTC"):
        yield


@pytest.fixture
def questions(tmp_path: Path) -> Path:
    """The bundled course, its staff check valid for one month."""
    target = tmp_path / "questions"
    shutil.copytree(bundled_questions_dir(), target)
    (course_yaml,) = target.glob("*/course.yaml")
    text = course_yaml.read_text()
    assert text.count("    pass_mark: 80\n") == 1
    course_yaml.write_text(
        text.replace("    pass_mark: 80\n", "    pass_mark: 80\n    valid_for: 1 month\n")
    )
    return target


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "scores.sqlite3"
    build_store(path)
    return path


def at(when: datetime, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report_command, "CLOCK", MovableClock(when))


def report_json(db: Path, questions: Path, capsys: pytest.CaptureFixture[str], *extra: str) -> Any:
    code, out, err = run_cli(
        ["report", "--db", str(db), "--questions", str(questions), "--format", "json", *extra],
        capsys,
    )
    assert code == 0, err
    return json.loads(out)


def due_rows(found: Any) -> list[tuple[str, str | None]]:
    return [(row["learner"], row["expired_on"]) for row in found["recertification"]]


def test_a_current_pass_is_not_due_and_those_who_never_passed_are(
    db: Path, questions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1 Dec: Ana's October pass has expired, but her November one holds.
    at(datetime(2026, 12, 1, 12, 0, tzinfo=UTC), monkeypatch)
    found = report_json(db, questions, capsys)
    assert due_rows(found) == [(name, None) for name in NEVER]
    row = found["recertification"][0]
    assert row["course"] == "laser-skin-tightening"
    assert row["exam"] == "staff-check"
    assert row["exam_title"] == "Staff knowledge check"
    assert row["valid_for"] == "1 month"
    assert row["last_passed_at"] is None
    assert found["recertification_as_of"] == "2026-12-01T12:00:00Z"


def test_an_expired_pass_shows_from_its_day_on_as_the_clock_moves(
    db: Path, questions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at(datetime(2026, 12, 23, 23, 59, 59, tzinfo=UTC), monkeypatch)
    assert "Ana Ruiz" not in [name for name, _ in due_rows(report_json(db, questions, capsys))]

    at(datetime(2026, 12, 24, 0, 0, tzinfo=UTC), monkeypatch)
    found = report_json(db, questions, capsys)
    # Never passed first, then the expired passes.
    assert due_rows(found) == [*((name, None) for name in NEVER), ("Ana Ruiz", ANA_EXPIRES)]
    ana = found["recertification"][-1]
    assert ana["last_passed_at"].startswith(ANA_LAST_PASS_DAY + "T10:")


def test_one_learners_report_lists_only_them(
    db: Path, questions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at(datetime(2027, 1, 5, tzinfo=UTC), monkeypatch)
    found = report_json(db, questions, capsys, "--learner", "ana ruiz")
    assert due_rows(found) == [("Ana Ruiz", ANA_EXPIRES)]
    # --since narrows the report's period, not who is certified.
    found = report_json(db, questions, capsys, "--since", "2026-12-01")
    assert ("Ana Ruiz", ANA_EXPIRES) in due_rows(found)


def test_the_table_and_csv_show_the_list(
    db: Path, questions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at(datetime(2027, 1, 5, tzinfo=UTC), monkeypatch)
    args = ["report", "--db", str(db), "--questions", str(questions)]
    code, out, err = run_cli(args, capsys)
    assert code == 0, err
    block = out[out.index("DUE FOR RECERTIFICATION") :].splitlines()
    assert block[1] == "=" * len("Due for recertification")
    assert "As of 2027-01-05" in block[2]
    rows = [line for line in block if line.startswith("Staff knowledge check")]
    assert [line.split()[-1] for line in rows] == ["passed", "passed", "passed", ANA_EXPIRES]
    assert ANA_LAST_PASS_DAY in rows[-1] and "expired on" in rows[-1]
    assert "Ana Ruiz" in rows[-1] and CY in rows[0]
    assert all(len(line) <= 80 for line in out.splitlines())

    code, out, err = run_cli([*args, "--format", "csv"], capsys)
    assert code == 0, err
    found = [row for row in csv.reader(io.StringIO(out)) if row and row[0] == "recertification"]
    header = next(csv.reader(io.StringIO(out[out.index("table,course,exam,exam_title") :])))
    assert header[1:] == [
        "course",
        "exam",
        "exam_title",
        "valid_for",
        "learner",
        "last_passed_at",
        "expired_on",
    ]
    assert [(row[5], row[7]) for row in found] == [
        (CY, ""),
        ("Ben Ode", ""),
        ("Dee Park", ""),
        ("Ana Ruiz", ANA_EXPIRES),
    ]


@pytest.fixture
def ana_db(tmp_path: Path) -> Path:
    """Ana's attempts alone: her pass of 24 Nov 2026 holds until 24 Dec."""
    path = tmp_path / "ana.sqlite3"
    build_store(path, tuple(g for g in GIVEN if g.learner == "Ana Ruiz"))
    return path


def test_nobody_due_says_so_and_no_validity_means_no_list(
    ana_db: Path,
    questions: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = ana_db
    at(datetime(2026, 12, 2, tzinfo=UTC), monkeypatch)
    code, out, err = run_cli(["report", "--db", str(db), "--questions", str(questions)], capsys)
    assert code == 0, err
    assert "DUE FOR RECERTIFICATION" in out
    block = out[out.index("DUE FOR RECERTIFICATION") :].split("\n\n")[0]
    assert block.splitlines()[-1] == "nobody is due"
    assert report_json(db, questions, capsys)["recertification"] == []

    # The bundled course sets no validity: no list, and its course.yaml is never parsed.
    code, out, err = run_cli(["report", "--db", str(db)], capsys)
    assert code == 0, err
    assert "RECERTIFICATION" not in out
    found = report_json(db, bundled_questions_dir(), capsys)
    assert found["recertification"] == [] and found["recertification_as_of"] is None


def test_a_bad_validity_is_named_with_its_line(
    db: Path, questions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    (course_yaml,) = questions.glob("*/course.yaml")
    text = course_yaml.read_text().replace("valid_for: 1 month", "valid_for: 1 moon")
    course_yaml.write_text(text)
    line = text.splitlines().index("    valid_for: 1 moon") + 1
    at(datetime(2027, 1, 5, tzinfo=UTC), monkeypatch)
    code, out, err = run_cli(["report", "--db", str(db), "--questions", str(questions)], capsys)
    assert code == 0
    assert f"{course_yaml}:{line}:16: 'valid_for': '1 moon' is not a period" in err
    assert "run `quiz check`" in err
    assert "RECERTIFICATION" not in out


def test_the_pass_day_is_the_attempts_own_and_month_ends_clamp(
    tmp_path: Path,
    questions: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Eve passes at 20:00 UTC on 31 Jan 2027 on a Tokyo terminal (+9 h): 1 Feb there.
    # Fay passes at the same moment on a terminal in UTC: 31 Jan, valid until 28 Feb.
    db = tmp_path / "clinics.sqlite3"
    finish = datetime(2027, 1, 31, 20, 0, tzinfo=UTC) - timedelta(minutes=2)
    right: dict[str, list[Response]] = {q.question_id: [r] for q, r in zip(ALL, RIGHT, strict=True)}
    with local_timezone("Asia/Tokyo"), ScoreStore.open(db, clinic="tokyo") as store:
        save(store, Given("Eve Ong", Mode.EXAM, finish, ALL, right))
    with local_timezone("UTC"), ScoreStore.open(db, clinic="london") as store:
        save(store, Given("Fay Poe", Mode.EXAM, finish, ALL, right))
    at(datetime(2027, 2, 28, 12, 0, tzinfo=UTC), monkeypatch)
    assert due_rows(report_json(db, questions, capsys)) == [("Fay Poe", "2027-02-28")]
    at(datetime(2027, 2, 28, 15, 0, tzinfo=UTC), monkeypatch)  # 1 Mar in Tokyo
    assert due_rows(report_json(db, questions, capsys)) == [
        ("Fay Poe", "2027-02-28"),
        ("Eve Ong", "2027-03-01"),
    ]
    # The printed table gives each pass's own day: 1 Feb for Eve's Tokyo pass.
    code, out, err = run_cli(["report", "--db", str(db), "--questions", str(questions)], capsys)
    assert code == 0, err
    lines = out[out.index("DUE FOR RECERTIFICATION") :].splitlines()
    assert [line.split()[-4:] for line in lines if "Ong" in line or "Poe" in line] == [
        ["2027-01-31", "expired", "on", "2027-02-28"],
        ["2027-02-01", "expired", "on", "2027-03-01"],
    ]


# --- the HTML report, read as a person reads it ------------------------------------------


def html_page(db: Path, questions: Path, capsys: pytest.CaptureFixture[str]) -> ET.Element:
    code, out, err = run_cli(
        ["report", "--db", str(db), "--questions", str(questions), "--format", "html"], capsys
    )
    assert code == 0, err
    return strict_tree(out)


def test_the_html_report_shows_the_list_of_the_json_report(
    db: Path, questions: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    at(datetime(2027, 1, 5, tzinfo=UTC), monkeypatch)
    found = report_json(db, questions, capsys)
    tree = html_page(db, questions, capsys)
    rows = table_rows(tree, "recertification-table")
    expected = [
        [
            row["exam_title"],
            row["learner"],
            (row["last_passed_at"] or "")[:10],
            f"expired on {row['expired_on']}" if row["expired_on"] else "never passed",
        ]
        for row in found["recertification"]
    ]
    assert rows == expected
    assert rows[-1] == [
        "Staff knowledge check",
        "Ana Ruiz",
        ANA_LAST_PASS_DAY,
        f"expired on {ANA_EXPIRES}",
    ]
    assert [r[1] for r in rows[:3]] == list(NEVER)  # CY's brackets shown as written
    heading = tree.find(".//h2[@id='recertification']")
    assert heading is not None and seen(heading) == "Due for recertification"


def test_the_html_report_says_when_nobody_is_due_and_has_no_list_without_validity(
    ana_db: Path,
    questions: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    db = ana_db
    at(datetime(2026, 12, 2, tzinfo=UTC), monkeypatch)
    tree = html_page(db, questions, capsys)
    assert tree.find(".//table[@id='recertification-table']") is None
    none = tree.find(".//p[@id='recertification-none']")
    assert none is not None and seen(none) == "Nobody is due."
    tree = html_page(db, bundled_questions_dir(), capsys)
    assert tree.find(".//h2[@id='recertification']") is None
