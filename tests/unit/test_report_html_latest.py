"""The HTML report's latest exams: each learner's latest counted exam and how they were
identified, read from the visible cells and checked against `quiz report --format json`
(as tests/unit/test_report_html.py reads the rest of the page)."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.identity import Identification
from quiz.domain.records import Mode, Response
from quiz.storage.scores import ScoreStore
from quiz.tables.certified import identified_words
from tests.support.cli import run_cli
from tests.support.local_time import local_timezone
from tests.support.report_store import ALL, GIVEN, Given, build_store, save
from tests.support.store_records import RIGHT
from tests.unit.test_report_html import number, seen, strict_tree, table_rows


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    with local_timezone("UTC"):
        yield


def pages(db: Path, capsys: pytest.CaptureFixture[str]) -> tuple[dict[str, Any], list[list[str]]]:
    """The JSON report, and the rows of the HTML report's latest exams."""
    code, out, err = run_cli(["report", "--db", str(db), "--format", "json"], capsys)
    assert code == 0, err
    data = json.loads(out)
    code, out, err = run_cli(["report", "--db", str(db), "--format", "html"], capsys)
    assert code == 0, err
    return data, table_rows(strict_tree(out), "latest-exam-table")


def rows_of_latest(tree_rows: list[list[str]]) -> dict[str, list[str]]:
    return {row[0]: row[1:] for row in tree_rows}


def check_against_json(data: dict[str, Any], rows: list[list[str]]) -> None:
    shown = rows_of_latest(rows)
    with_exam = [s for s in data["staff"] if s["latest_exam"] is not None]
    assert list(shown) == [s["learner"] for s in with_exam]
    for staff in with_exam:
        exam = staff["latest_exam"]
        preset, result, day, identified = shown[staff["learner"]]
        assert preset == (exam["exam"] or "—")
        verdict, percent = result.split()
        assert verdict == ("passed" if exam["passed"] else "failed")
        assert abs((number(percent) or 0) - exam["percent"]) <= 0.5
        assert day == exam["started_at"][:10]
        assert identified == identified_words(exam["identified"])


def test_the_latest_exams_are_those_of_the_json_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    build_store(db)
    data, rows = pages(db, capsys)
    check_against_json(data, rows)
    # Ana, Ben and Cy sat exams; Dee did not (no row for her).
    assert sorted(row[0] for row in rows) == ["Ana Ruiz", "Ben Ode", "[bold]Cy[/bold]"]
    assert {row[4] for row in rows} == {"name typed (not checked)"}


def save_identified(store: ScoreStore, given: Given, how: Identification) -> None:
    """`given` saved as report_store.save saves it, its learner known `how`."""
    original = store.start_attempt
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(
            store, "start_attempt", lambda start: original(replace(start, identified=how))
        )
        save(store, given)


def test_a_pin_and_a_witnessed_exam_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    right: dict[str, list[Response]] = {q.question_id: [r] for q, r in zip(ALL, RIGHT, strict=True)}
    at = GIVEN[-1].at
    with ScoreStore.open(db) as store:
        save_identified(store, Given("Ivy Ng", Mode.EXAM, at, ALL, right), Identification.PIN)
        save_identified(store, Given("Wes Oz", Mode.EXAM, at, ALL, right), Identification.WITNESSED)
        save(store, Given("Tom Ek", Mode.EXAM, at, ALL, right))
    data, rows = pages(db, capsys)
    check_against_json(data, rows)
    shown = rows_of_latest(rows)
    assert shown["Ivy Ng"][3] == "learner's own PIN"
    assert shown["Wes Oz"][3] == "witnessed by a manager (manager's PIN)"
    assert shown["Tom Ek"][3] == "name typed (not checked)"


def test_no_exam_yet_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "scores.sqlite3"
    build_store(db, tuple(g for g in GIVEN if g.mode is Mode.PRACTICE))
    code, out, err = run_cli(["report", "--db", str(db), "--format", "html"], capsys)
    assert code == 0, err
    tree = strict_tree(out)
    assert tree.find(".//table[@id='latest-exam-table']") is None
    heading = tree.find(".//h2[@id='latest-exams']")
    assert heading is not None and seen(heading) == "Latest exams"
    assert "No exam yet." in out
