"""Adding a column to the report is one edit of its spec (quiz.tables.report).

Here a column is added from the tests, nothing in quiz/ changed: it is then in the
printed report, its CSV and its JSON (`quiz report`), and on the All-staff screen.
The store, the app and local time (UTC) are those of test_scores_screens: the report
fixture's store, the app on it (tests/support/scores_screens.py).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import DataTable

from quiz.storage.report_model import ReportFilter
from quiz.storage.scores import ScoreStore
from quiz.tables.columns import Column, Shown
from quiz.tables.report import STAFF_SECTIONS, StaffSectionRow
from quiz.tables.text import TABLE_WIDTH, text_width
from quiz.ui.app import QuizApp
from quiz.ui.screens.scores import AllStaffScreen
from tests.support.cli import run_cli
from tests.support.local_time import local_timezone
from tests.support.report_store import build_store
from tests.support.scores_screens import SIZE, loaded, rows_of, scores_app


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Times are shown in local time: make that UTC, whatever the machine."""
    with local_timezone("UTC"):
        yield


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    """The report fixture's store, open."""
    path = tmp_path / "scores.sqlite3"
    build_store(path)
    with ScoreStore.open(path) as opened:
        yield opened


@pytest.fixture
def app(store: ScoreStore, tmp_path: Path) -> QuizApp:
    return scores_app(store, tmp_path)


RIGHT_OF_ASKED: Column[StaffSectionRow] = Column(
    "right_of_asked",
    value=lambda row: f"{row.result.right}/{row.result.asked}",
    table=Shown("r/a", 5, right=True),
    screen=Shown("R/A", 5, right=True),
)


@pytest.fixture
def with_the_column(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one edit: the column appended to the staff-by-section table's columns."""
    monkeypatch.setattr(STAFF_SECTIONS, "columns", (*STAFF_SECTIONS.columns, RIGHT_OF_ASKED))


def expected(store: ScoreStore, course: str | None = None) -> list[tuple[str, str]]:
    """(learner, right/asked) of each staff-by-section row, in order, from the report."""
    report = store.report(ReportFilter(course=course))
    return [(lr.name, f"{s.right}/{s.asked}") for lr in report.learners for s in lr.sections]


def quiz_report(db: Path, form: str, capsys: pytest.CaptureFixture[str]) -> str:
    code, out, err = run_cli(["report", "--db", str(db), "--format", form], capsys)
    assert code == 0, err
    return out


@pytest.mark.usefixtures("with_the_column")
async def test_a_column_added_to_the_spec_is_in_every_output(
    app: QuizApp, store: ScoreStore, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = expected(store)
    assert rows

    staff = json.loads(quiz_report(store.path, "json", capsys))["staff"]
    found = [(lr["learner"], s["right_of_asked"]) for lr in staff for s in lr["sections"]]
    assert found == rows
    assert all(list(s)[-1] == "right_of_asked" for lr in staff for s in lr["sections"])

    block = quiz_report(store.path, "csv", capsys).split("\r\n\r\n")[0]  # staff_sections
    header, *cells = list(csv.reader(io.StringIO(block)))
    assert header[0] == "table" and header[-1] == "right_of_asked"
    assert [(row[1], row[-1]) for row in cells] == rows

    lines = quiz_report(store.path, "table", capsys).splitlines()
    assert all(text_width(line) <= TABLE_WIDTH for line in lines)
    start = lines.index("STAFF BY SECTION")
    head = next(i for i in range(start, len(lines)) if lines[i].startswith("learner"))
    assert lines[head].endswith(" r/a")
    printed = [line.split()[-1] for line in lines[head + 1 : head + 1 + len(rows)]]
    assert printed == [value for _name, value in rows]

    async with app.run_test(size=SIZE) as pilot:
        app.open_all_staff()
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, AllStaffScreen) and app.course is not None
        table: DataTable[Any] = screen.query_one("#staff-table", DataTable)
        assert str(list(table.columns.values())[-1].label).strip() == "R/A"
        on_screen = [row[-1] for row in rows_of(table)]
        assert on_screen == [value for _name, value in expected(store, app.course.id)]


def test_without_the_column_the_outputs_do_not_have_it(
    store: ScoreStore, capsys: pytest.CaptureFixture[str]
) -> None:
    """The spec is read when the report is written: the added column was the only change."""
    assert "right_of_asked" not in quiz_report(store.path, "csv", capsys)
    assert " r/a" not in quiz_report(store.path, "table", capsys)
