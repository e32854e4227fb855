"""My scores and All staff, with Pilot on a real score store (the report fixture), and
SVG snapshots at 80x24.

Every SVG under __snapshots__/test_scores_screens/ was looked at before it was accepted.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TabbedContent

from quiz.storage.reports import ReportFilter
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.screens.scores import (
    NOTICE,
    AllStaffScreen,
    MyScoresScreen,
    ScoresScreen,
    sparkline,
)
from tests.support.app import text_of
from tests.support.fakes import FakeStore, FixedClock
from tests.support.local_time import local_timezone
from tests.support.report_store import CY, GIVEN, build_store
from tests.support.scores_screens import SIZE, loaded, rows_of, scores_app
from tests.support.waiting import laid_out, ready, shown, wait_for


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


NOW = datetime(2026, 12, 4, 10, 0, tzinfo=UTC)
"""The app's clock: the day after the fixture's last attempt (for the drill's due counts)."""


@pytest.fixture
def app(store: ScoreStore, tmp_path: Path) -> QuizApp:
    clock = FixedClock()
    clock.advance((NOW - clock.now()).total_seconds())
    return scores_app(store, tmp_path, clock)


async def click_on_home(pilot: Pilot[Any], selector: str) -> None:
    """Click a widget of the home screen once it is drawn (the form comes after the first
    frame)."""
    app = pilot.app

    def drawn() -> bool:
        return ready(app, HomeScreen) and any(laid_out(w) for w in app.screen.query(selector))

    await wait_for(pilot, drawn, what=f"{selector} drawn on the home screen")
    await pilot.click(selector)


def status_of(screen: ScoresScreen) -> str:
    """The screen's status line ("" before it is built)."""
    lines = screen.query("#scores-status")
    return text_of(lines.first(Static)) if screen.is_mounted and lines else ""


def question_detail(screen: AllStaffScreen) -> str:
    """The line under the questions table (a summary until a question is highlighted)."""
    details = screen.query("#question-detail")
    return text_of(details.first(Static)) if details else ""


# --- My scores --------------------------------------------------------------------------


async def test_my_scores_lists_the_attempts_newest_first(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.open_my_scores("  ana RUIZ")
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, MyScoresScreen) and screen.loaded
        rows = rows_of(screen.query_one("#my-attempts", DataTable))
        anas = [g for g in GIVEN if g.learner == "Ana Ruiz"]
        assert [r[0][:10] for r in rows] == [g.at.strftime("%Y-%m-%d") for g in reversed(anas)]
        newest, exam = rows[0], rows[1]
        assert newest[1:] == ["practice", "completed", "1/2", "50%", "—"]
        assert exam[1:] == ["exam", "completed", "3/4", "75%", "passed"]
        words = [text_of(w) for w in screen.query(".trend-words").results(Static)]
        names = [text_of(w) for w in screen.query(".trend-name").results(Static)]
        assert names == ["Swelling", "Bruising", "Drug interactions and pregnancy"]
        # Swelling, oldest to newest: 100, 0, 100, 0 (computed by hand from the fixture).
        assert words[0] == "last 0%, best 100%, 4 attempts"
        lines = [text_of(w) for w in screen.query(".trend-line").results(Static)]
        assert lines[0] == sparkline([100, 0, 100, 0])
        # A day after Ana's last attempt: swelling-01 (missed in it) and swelling-04 (right
        # ten days before) are due now, the critical drugs question within the week.
        due = rows_of(screen.query_one("#due-table", DataTable))
        assert due == [
            ["Swelling", "2", "2", "2"],
            ["Bruising", "0", "0", "1"],
            ["Drug interactions and pregnancy", "0", "1", "1"],
        ]
        title = text_of(screen.query_one("#due-title", Static))
        assert title == "Due for a drill: 2 questions now, 3 within a week."


async def test_enter_opens_the_review_of_the_attempt(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.open_my_scores("Ana Ruiz")
        await loaded(pilot)
        await pilot.press("down", "enter")  # the 24 Nov exam
        review = await shown(pilot, ReviewScreen)
        assert len(review.items) == 4
        assert [item.correct for item in review.items] == [True, True, False, True]
        assert review.items[0].question is not None  # the bank's question, for the why
        await pilot.press("escape")
        assert isinstance(app.screen, MyScoresScreen)
        await pilot.press("escape")
        assert not isinstance(app.screen, MyScoresScreen)


async def test_my_scores_for_a_name_with_no_attempts(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.open_my_scores("Zed")
        await loaded(pilot)
        status = text_of(app.screen.query_one("#scores-status", Static))
        assert "No attempts saved under the name 'Zed' yet" in status


async def test_a_name_in_brackets_is_shown_as_typed(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        app.open_my_scores(CY)
        await loaded(pilot)
        title = text_of(app.screen.query_one("#top-title", Static))
        assert CY in title
        assert len(rows_of(app.screen.query_one("#my-attempts", DataTable))) == 2


async def test_loading_shows_first_and_a_store_without_reports_says_so(tmp_path: Path) -> None:
    app = scores_app(FakeStore(), tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        screen = MyScoresScreen(app.store, "Ann", app.course)
        app.push_screen(screen)
        await wait_for(
            pilot, lambda: "cannot show scores" in status_of(screen), what="cannot show scores"
        )
        other = MyScoresScreen(None, "Ann", app.course)
        app.push_screen(other)
        await wait_for(pilot, lambda: "not open yet" in status_of(other), what="not open yet")


async def test_the_screen_reads_through_the_store_thread(
    app: QuizApp, store: ScoreStore, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    original = store.report

    def report(report_filter: ReportFilter | None = None) -> Any:
        import threading

        threads.append(threading.current_thread().name)
        return original(report_filter)

    monkeypatch.setattr(store, "report", report)
    async with app.run_test(size=SIZE) as pilot:
        app.open_all_staff()
        await loaded(pilot)
    assert threads and threads[0].startswith("quiz-store")


# --- All staff --------------------------------------------------------------------------


async def test_all_staff_shows_the_numbers_quiz_report_prints(
    app: QuizApp, store: ScoreStore
) -> None:
    report = store.report(ReportFilter(course="laser-skin-tightening"))
    async with app.run_test(size=SIZE) as pilot:
        app.open_all_staff()
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, AllStaffScreen)
        assert text_of(screen.query_one("#staff-notice", Static)) == NOTICE
        staff = rows_of(screen.query_one("#staff-table", DataTable))
        expected = []
        for learner in report.learners:
            for index, s in enumerate(learner.sections):
                expected.append(
                    [
                        learner.name if index == 0 else "",
                        s.attempts,
                        f"{s.last_percent:.0f}%",
                        f"{s.best_percent:.0f}%",
                        "weak" if s.weak else "",
                    ]
                )
        assert [[r[0], int(r[3]), r[4], r[5], r[6]] for r in staff] == expected
        assert staff[0][0] == CY  # literally, not as markup
        ana = next(r for r in staff if r[0] == "Ana Ruiz")
        assert ana[1] == "passed 75%"
        questions = rows_of(screen.query_one("#question-table", DataTable))
        assert [(r[0], int(r[2]), r[3], r[5]) for r in questions] == [
            (q.question, q.asked, f"{q.facility:.0f}%", "FLAGGED" if q.flagged else "")
            for q in report.questions
        ]
        await pilot.press("2")
        assert screen.query_one("#staff-tabs", TabbedContent).active == "questions"
        await wait_for(
            pilot,
            lambda: "swelling-01" in question_detail(screen),
            what="the first question's detail",
        )
        detail = text_of(screen.query_one("#question-detail", Static))
        assert "swelling-01" in detail and "A few hours 3 of 8 (38%)" in detail
        assert "flagged: facility below 50%" in detail
        await pilot.press("3")
        sections = rows_of(screen.query_one("#section-table", DataTable))
        assert [(r[0], r[3]) for r in sections] == [
            (screen.section_title(s.course, s.section), f"{s.share:.0f}%") for s in report.sections
        ]
        await pilot.press("escape")
        assert not isinstance(app.screen, AllStaffScreen)


async def test_all_staff_and_my_scores_are_reached_from_the_home_screen(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await click_on_home(pilot, "#all-staff")
        await loaded(pilot)
        assert isinstance(app.screen, AllStaffScreen)
        await pilot.press("escape")
        await click_on_home(pilot, "#learner")
        await pilot.press(*"Ben Ode")
        await click_on_home(pilot, "#my-scores")
        await loaded(pilot)
        assert isinstance(app.screen, MyScoresScreen) and app.screen.learner == "Ben Ode"
        assert len(rows_of(app.screen.query_one("#my-attempts", DataTable))) == 3


# --- snapshots --------------------------------------------------------------------------


def test_snapshot_my_scores(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app.open_my_scores("Ana Ruiz")
        await loaded(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_snapshot_all_staff(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app.open_all_staff()
        await loaded(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_snapshot_all_staff_questions(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        app.open_all_staff()
        await loaded(pilot)
        await pilot.press("2")
        screen = app.screen
        assert isinstance(screen, AllStaffScreen)
        await wait_for(
            pilot,
            lambda: "Move to a question" not in question_detail(screen),
            what="the first question's detail",
        )

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
