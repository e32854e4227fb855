"""The All staff heat table (colour, number and glyph: quiz.tables.heat, as in the HTML
report) and the exam sparkline of My scores, with Pilot on the report fixture's store,
a 200-learner report for scrolling, and SVG snapshots at 80x24 with colour and with
NO_COLOR.

Every SVG under __snapshots__/test_report_heat/ was looked at (as PNG) before it was
accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Sparkline, Static

from quiz.storage.report_model import (
    ExamResult,
    LearnerReport,
    Report,
    ReportFilter,
)
from quiz.storage.scores import ScoreStore
from quiz.tables.heat import Heat, heat_of
from quiz.tables.report import exam_outcome
from quiz.ui.app import QuizApp
from quiz.ui.screens.scores import AllStaffScreen, MyScoresScreen
from quiz.ui.widgets.heat import HEAT_STYLES
from tests.support.app import text_of
from tests.support.fakes import FixedClock
from tests.support.local_time import local_timezone
from tests.support.report_store import COURSE, build_store
from tests.support.scores_screens import SIZE, loaded, rows_of, scores_app
from tests.support.waiting import wait_for

NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    with local_timezone("UTC"):
        yield


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    path = tmp_path / "scores.sqlite3"
    build_store(path)
    with ScoreStore.open(path) as opened:
        yield opened


def make_app(store: object, tmp_path: Path) -> QuizApp:
    clock = FixedClock()
    clock.advance((NOW - clock.now()).total_seconds())
    return scores_app(store, tmp_path, clock)  # type: ignore[arg-type]


@pytest.fixture
def app(store: ScoreStore, tmp_path: Path) -> QuizApp:
    return make_app(store, tmp_path)


@pytest.fixture
def no_color_app(store: ScoreStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> QuizApp:
    """The app as a NO_COLOR terminal runs it (Textual reads the variable when it starts)."""
    monkeypatch.setenv("NO_COLOR", "1")
    return make_app(store, tmp_path)


async def all_staff(pilot: Pilot[Any]) -> AllStaffScreen:
    app = pilot.app
    assert isinstance(app, QuizApp)
    app.open_all_staff()
    await loaded(pilot)
    screen = app.screen
    assert isinstance(screen, AllStaffScreen)
    return screen


# --- the heat table -------------------------------------------------------------------------


async def test_the_heat_table_shows_each_learners_latest_percent_and_glyph(
    app: QuizApp, store: ScoreStore
) -> None:
    report = store.report(ReportFilter(course=COURSE))
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_staff(pilot)
        table: DataTable[Any] = screen.query_one("#heat-table", DataTable)
        assert table.has_focus
        sections = [s.section for s in report.sections]
        headers = [str(c.label) for c in table.columns.values()]
        assert headers[:2] == ["Learner", "Latest exam"]
        assert len(headers) == 2 + len(sections)
        expected = []
        for learner in report.learners:
            by_section = {r.section: r for r in learner.sections}
            cells = []
            for section in sections:
                result = by_section.get(section)
                glyph = heat_of(result).glyph
                cells.append(
                    f"{glyph} —" if result is None else f"{glyph} {result.last_percent:.0f}%"
                )
            name = learner.name if len(learner.name) <= 14 else learner.name[:13] + "…"
            expected.append([name, exam_outcome(learner.latest_exam), *cells])
        assert rows_of(table) == expected
        assert expected[0][0] == "[bold]Cy[/bol…"  # literally, not as markup (cut to 14)
        weak = [c for row in expected for c in row[2:] if c.startswith(Heat.WEAK.glyph)]
        assert weak and any(c.startswith(Heat.STRONG.glyph) for row in expected for c in row[2:])
        # Each cell carries its level's colour (the same hex as the HTML report's).
        first = table.get_row_at(0)[2]
        assert first.spans[-1].style == HEAT_STYLES[Heat.WEAK]
        background = HEAT_STYLES[Heat.WEAK].bgcolor
        assert background is not None and background.name == Heat.WEAK.colour
        legend = text_of(screen.query_one("#heat-legend", Static))
        assert all(h.glyph in legend and h.meaning in legend for h in Heat)
        await pilot.press("5")
        assert rows_of(screen.query_one("#staff-table", DataTable))  # the details, as before
        await pilot.press("1")
        assert table.has_focus


def _many(report: Report, count: int) -> Report:
    """`report` with `count` learners, each a copy of the fixture's first learner with
    another name and another latest percent in its first section."""
    model = report.learners[0]
    at = datetime(2026, 11, 1, tzinfo=UTC)
    learners = []
    for number in range(count):
        first = replace(model.sections[0], last_percent=float(number % 101), last_pass_mark=80)
        learners.append(
            LearnerReport(
                name=f"Learner {number:03d}",
                key=f"learner {number:03d}",
                attempts=1,
                last_at=at + timedelta(minutes=number),
                latest_exam=ExamResult("staff-check", at, 50.0, 80, False),
                sections=(first, *model.sections[1:]),
            )
        )
    return replace(report, learners=tuple(learners))


class ManyLearners:
    """The store, but its report has 200 learners (made, not saved: quick to build)."""

    def __init__(self, store: ScoreStore, report: Report) -> None:
        self._store = store
        self._report = report

    def report(self, report_filter: ReportFilter | None = None) -> Report:
        return self._report

    def __getattr__(self, name: str) -> Any:
        return getattr(self._store, name)


async def test_the_heat_table_scrolls_through_200_learners(
    store: ScoreStore, tmp_path: Path
) -> None:
    report = _many(store.report(ReportFilter(course=COURSE)), 200)
    app = make_app(ManyLearners(store, report), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = await all_staff(pilot)
        table: DataTable[Any] = screen.query_one("#heat-table", DataTable)
        assert table.row_count == 200
        assert table.scroll_y == 0 and table.max_scroll_y > 0
        await pilot.press("ctrl+end")
        await wait_for(
            pilot,
            lambda: table.cursor_row == 199 and table.scroll_y == table.max_scroll_y,
            what="the last row scrolled to",
        )
        last = rows_of(table)[199]
        assert last[0] == "Learner 199" and last[2] == f"{Heat.STRONG.glyph} {199 % 101}%"
        # The last row is on the screen, above the legend.
        row_y = table.region.y + 1 + 199 - int(table.scroll_y)  # 1: the header line
        assert table.region.y < row_y < table.region.bottom
        await pilot.press("ctrl+home")
        await wait_for(
            pilot,
            lambda: table.cursor_row == 0 and table.scroll_y == 0,
            what="the first row scrolled to",
        )


# --- the exam sparkline -----------------------------------------------------------------------


async def test_my_scores_shows_the_exam_percentages_as_a_sparkline(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.open_my_scores("Ana Ruiz")
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MyScoresScreen)
        line = screen.query_one("#exam-sparkline", Sparkline)
        # Ana's exams, oldest first: 4 of 4 on 2026-10-20, 3 of 4 on 2026-11-24.
        assert list(line.data or []) == [100.0, 75.0]
        assert line.size.width == 2
        words = text_of(screen.query_one("#exam-trend-words", Static))
        assert words == "2 exams, 75% to 100%; last 75%, passed"


async def test_my_scores_without_an_exam_shows_no_sparkline(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.open_my_scores("Nobody Yet")
        await loaded(pilot)
        assert not app.screen.query_one("#exam-trend").display


# --- snapshots --------------------------------------------------------------------------------


def test_snapshot_heat_table_no_color(no_color_app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        await all_staff(pilot)

    assert snap_compare(no_color_app, run_before=run_before, terminal_size=SIZE)


def test_snapshot_my_scores_sparkline_no_color(no_color_app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        no_color_app.open_my_scores("Ana Ruiz")
        await loaded(pilot)

    assert snap_compare(no_color_app, run_before=run_before, terminal_size=SIZE)


def test_snapshot_heat_table_200_learners(
    store: ScoreStore, tmp_path: Path, snap_compare: Any
) -> None:
    report = _many(store.report(ReportFilter(course=COURSE)), 200)
    app = make_app(ManyLearners(store, report), tmp_path)

    async def run_before(pilot: Pilot[Any]) -> None:
        await all_staff(pilot)
        await pilot.press("ctrl+end")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
