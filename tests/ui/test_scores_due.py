"""The drill on the scores screens, with Pilot on a real score store and a clock the
tests move (nothing sleeps): My scores shows per section the questions due now and
this week (or when the next falls due); All staff's Drill tab shows each learner's due
count and leeches. Cards waiting to be made again are made on the store thread first.

The attempts are written through the store (tests/support/cards.take) at the clock's
times. QUESTIONS (tests/support/store_records) are swelling-01, swelling-04,
bruising-02 and the critical drugs-pregnancy-03, of the bundled course.

Every SVG under __snapshots__/test_scores_due/ was looked at before it was accepted.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.message import Message
from textual.pilot import Pilot
from textual.widgets import DataTable, Static, TabbedContent

from quiz.storage.card_model import RebuildProgress
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp
from quiz.ui.screens.scores import AllStaffScreen, MyScoresScreen, ScoresScreen
from tests.support.app import text_of
from tests.support.cards import DAY, take
from tests.support.fakes import FakeStoreError, FixedClock
from tests.support.local_time import local_timezone
from tests.support.report_store import CY
from tests.support.scores_screens import SIZE, loaded, rows_of, scores_app
from tests.support.waiting import wait_for

DAY_DELTA = timedelta(days=1)
SWELLING, BRUISING, DRUGS = "Swelling", "Bruising", "Drug interactions and pregnancy"


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Dates are shown in local time: make that UTC, whatever the machine."""
    with local_timezone("UTC"):
        yield


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as opened:
        yield opened


@pytest.fixture
def app(store: ScoreStore, clock: FixedClock, tmp_path: Path) -> QuizApp:
    """The app on the store, with the clock the attempts were taken by."""
    return scores_app(store, tmp_path, clock)


def lapse(store: ScoreStore, clock: FixedClock, learner: str, times: int) -> None:
    """swelling-01 known, then forgotten, `times` times over (a lapse each)."""
    for _ in range(times):
        take(store, clock, [True, None, None, None], learner=learner)
        clock.advance(5 * DAY)
        take(store, clock, [False, None, None, None], learner=learner)
        clock.advance(DAY)


def line(screen: ScoresScreen, selector: str) -> str:
    return text_of(screen.query_one(selector, Static))


async def my_scores(pilot: Pilot[Any], learner: str) -> MyScoresScreen:
    app = pilot.app
    assert isinstance(app, QuizApp)
    app.open_my_scores(learner)
    await loaded(pilot)
    screen = app.screen
    assert isinstance(screen, MyScoresScreen)
    return screen


async def drill_tab(pilot: Pilot[Any]) -> AllStaffScreen:
    app = pilot.app
    assert isinstance(app, QuizApp)
    app.open_all_staff()
    await loaded(pilot)
    screen = app.screen
    assert isinstance(screen, AllStaffScreen)
    await pilot.press("4")
    assert screen.query_one("#staff-tabs", TabbedContent).active == "drill"
    return screen


# --- My scores --------------------------------------------------------------------------


async def test_two_missed_questions_are_due_now_in_their_sections(
    app: QuizApp, store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [False, True, False, True])  # swelling-01 and bruising-02 missed
    async with app.run_test(size=SIZE) as pilot:
        screen = await my_scores(pilot, "ana RUIZ")
        rows = rows_of(screen.query_one("#due-table", DataTable))
        # The course's order of sections; the section's questions answered: Asked.
        assert [(r[0], r[1], r[3]) for r in rows] == [
            (SWELLING, "1", "2"),
            (BRUISING, "1", "1"),
            (DRUGS, "0", "1"),
        ]
        assert all(int(r[2]) >= int(r[1]) for r in rows)  # this week includes now
        week = sum(int(r[2]) for r in rows)
        assert line(screen, "#due-title") == (
            f"Due for a drill: 2 questions now, {week} within a week."
        )
        await pilot.press("escape")

        # A week and a day on, every question answered is due: the app's clock moved.
        clock.advance(8 * DAY)
        screen = await my_scores(pilot, "Ana Ruiz")
        rows = rows_of(screen.query_one("#due-table", DataTable))
        assert [(r[0], r[1], r[2]) for r in rows] == [
            (SWELLING, "2", "2"),
            (BRUISING, "1", "1"),
            (DRUGS, "1", "1"),
        ]


async def test_with_nothing_due_it_says_when_the_next_question_is(
    app: QuizApp, store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [True, True, True, True])
    upcoming = store.next_due("Ana Ruiz")
    assert upcoming is not None and upcoming > clock.now()
    async with app.run_test(size=SIZE) as pilot:
        screen = await my_scores(pilot, "Ana Ruiz")
        rows = rows_of(screen.query_one("#due-table", DataTable))
        assert [r[1] for r in rows] == ["0", "0", "0"]
        week = sum(int(r[2]) for r in rows)
        # A question answered right is due a day or more after the answer, and the
        # answers were given less than a minute ago.
        assert upcoming - clock.now() < DAY_DELTA
        assert line(screen, "#due-title") == (
            f"Nothing is due for a drill now; the next question is due in 23h ({week} "
            "within a week)."
        )


async def test_a_learner_without_attempts_sees_no_drill_table(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await my_scores(pilot, "Zed")
        assert not screen.query_one("#due-table", DataTable).display
        assert line(screen, "#due-title") == ""


async def test_cards_waiting_to_be_made_are_made_on_the_store_thread_first(
    app: QuizApp, store: ScoreStore, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    take(store, clock, [False, True, False, True])
    take(store, clock, [True, True, True, True], learner="Ben Ode")
    # A change of the scheduler settings: every learner's cards wait for a rebuild.
    assert store.change_scheduler_settings(replace(store.scheduler_settings(), retention=0.85))
    assert store.cards_to_rebuild() == 2
    threads: list[str] = []
    original = store.rebuild_cards

    def rebuild_cards(progress: Any = None, learner: str | None = None) -> RebuildProgress:
        threads.append(threading.current_thread().name)
        return original(progress, learner)

    monkeypatch.setattr(store, "rebuild_cards", rebuild_cards)
    messages: list[Message] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        screen = await my_scores(pilot, "Ana Ruiz")
        assert threads and threads[0].startswith("quiz-store")
        assert store.cards_to_rebuild() == 0
        preparing = [m for m in messages if isinstance(m, ScoresScreen.Preparing)]
        assert preparing[0].progress is None  # "Preparing the drill schedule…" at once
        last = preparing[-1].progress
        assert last is not None and last.learners_done == last.learners_total == 2
        text = ScoresScreen.preparing_text(last)
        assert text.startswith("Preparing the drill schedule… 2 of 2 learners")
        rows = rows_of(screen.query_one("#due-table", DataTable))
        assert [r[1] for r in rows] == ["1", "1", "0"]


async def test_a_read_only_store_shows_its_cards_as_they_are(
    app: QuizApp, store: ScoreStore, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    take(store, clock, [False, True, True, True])

    def read_only(progress: Any = None) -> RebuildProgress:
        raise FakeStoreError("scores.sqlite3 is read-only", kind="readonly")

    monkeypatch.setattr(store, "cards_to_rebuild", lambda: 1)
    monkeypatch.setattr(store, "rebuild_cards", read_only)
    async with app.run_test(size=SIZE) as pilot:
        screen = await my_scores(pilot, "Ana Ruiz")
        assert line(screen, "#due-title").startswith("Due for a drill: 1 question now")


async def test_a_store_error_on_the_cards_is_said_and_the_attempts_stay(
    app: QuizApp, store: ScoreStore, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    take(store, clock, [False, True, True, True])

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise FakeStoreError("the disk is full")

    monkeypatch.setattr(store, "due_counts", broken)
    monkeypatch.setattr(store, "staff_due", broken)
    async with app.run_test(size=SIZE) as pilot:
        screen = await my_scores(pilot, "Ana Ruiz")
        assert line(screen, "#due-title") == (
            "The drill schedule could not be read: the disk is full"
        )
        assert len(rows_of(screen.query_one("#my-attempts", DataTable))) == 1
        await pilot.press("escape")
        staff = await drill_tab(pilot)
        assert line(staff, "#drill-summary") == (
            "The drill schedule could not be read: the disk is full"
        )
        assert rows_of(staff.query_one("#staff-table", DataTable))  # the report is shown


class MadridClock(FixedClock):
    """The fixed clock's time, told in another timezone (as a system clock might)."""

    def now(self) -> datetime:
        return super().now().astimezone(ZoneInfo("Europe/Madrid"))


async def test_now_reaches_the_store_in_utc(
    store: ScoreStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    clock = MadridClock()
    take(store, clock, [False, True, True, True])
    seen: list[datetime] = []
    due_counts, staff_due = store.due_counts, store.staff_due

    def counts(learner: str, *, now: datetime, course: str | None = None) -> Any:
        seen.append(now)
        return due_counts(learner, now=now, course=course)

    def staff(*, now: datetime, course: str | None = None) -> Any:
        seen.append(now)
        return staff_due(now=now, course=course)

    monkeypatch.setattr(store, "due_counts", counts)
    monkeypatch.setattr(store, "staff_due", staff)
    app = scores_app(store, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await my_scores(pilot, "Ana Ruiz")
        await pilot.press("escape")
        await drill_tab(pilot)
    assert len(seen) == 2
    assert clock.now().tzinfo is not UTC
    assert all(now.tzinfo is UTC and now == clock.now() for now in seen)


# --- All staff --------------------------------------------------------------------------


def staff_with_a_leech(store: ScoreStore, clock: FixedClock) -> None:
    """Ana: swelling-01 forgotten four times (a leech), due now; Ben: all known twice,
    none due for days; Cy (a name that would be markup): two missed, due now."""
    lapse(store, clock, "Ana Ruiz", 4)
    take(store, clock, [True, True, True, True], learner="Ben Ode")
    clock.advance(DAY)  # Ben's due again, remembered: due days later
    take(store, clock, [True, True, True, True], learner="Ben Ode")
    take(store, clock, [False, True, False, True], learner=CY)


async def test_all_staff_shows_due_counts_and_a_leech(
    app: QuizApp, store: ScoreStore, clock: FixedClock
) -> None:
    staff_with_a_leech(store, clock)
    upcoming = store.next_due("Ben Ode")
    assert upcoming is not None and upcoming - clock.now() > DAY_DELTA
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill_tab(pilot)
        rows = rows_of(screen.query_one("#drill-table", DataTable))
        assert rows == [
            [CY, "2", "now", "0", ""],  # literally, not as markup
            ["Ana Ruiz", "1", "now", "1", "swelling-01"],
            ["Ben Ode", "0", f"{upcoming:%Y-%m-%d}", "0", ""],
        ]
        assert line(screen, "#drill-summary") == (
            "3 questions due for a drill now, for 2 of 3 learners; 1 leech. A leech: a "
            "question missed 4 times or more after having been known."
        )
        await wait_for(
            pilot,
            lambda: line(screen, "#drill-detail").startswith(CY),
            what="the first learner's detail",
        )
        assert line(screen, "#drill-detail") == f"{CY} · 2 due now · no leeches"
        await pilot.press("down")
        assert line(screen, "#drill-detail") == (
            "Ana Ruiz · 1 due now · leeches: swelling-01 (Swelling)"
        )
        await pilot.press("down")
        assert line(screen, "#drill-detail") == (
            f"Ben Ode · 0 due now · next due {upcoming:%Y-%m-%d} · no leeches"
        )
        await pilot.press("1")
        assert screen.query_one("#staff-tabs", TabbedContent).active == "staff"


async def test_all_staff_without_cards_says_so(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        screen = await drill_tab(pilot)
        assert rows_of(screen.query_one("#drill-table", DataTable)) == []
        assert line(screen, "#drill-summary").startswith("No drill schedule yet")


# --- snapshots --------------------------------------------------------------------------


def test_snapshot_all_staff_drill(
    app: QuizApp, store: ScoreStore, clock: FixedClock, snap_compare: Any
) -> None:
    staff_with_a_leech(store, clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await drill_tab(pilot)
        await pilot.press("down")
        await wait_for(
            pilot,
            lambda: "leeches: swelling-01" in line(screen, "#drill-detail"),
            what="Ana's leech",
        )

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_snapshot_my_scores_with_nothing_due(
    app: QuizApp, store: ScoreStore, clock: FixedClock, snap_compare: Any
) -> None:
    take(store, clock, [False, True, True, True])
    clock.advance(30)
    take(store, clock, [True, True, True, True])

    async def run_before(pilot: Pilot[Any]) -> None:
        await my_scores(pilot, "Ana Ruiz")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
