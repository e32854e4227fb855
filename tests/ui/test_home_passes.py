"""The home screen names the learner's last pass of each exam whose pass stays valid for
a time (`valid_for`), and until when it holds or the day it expired; nothing for an exam
never passed. Shown once the name is known, from the store's thread, as the questions
due are; the first frame never waits for it."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from quiz.domain.answers import response_for, right_indexes
from quiz.domain.records import AttemptResult, AttemptStatus, Mode, Response
from quiz.launch import AppOptions
from quiz.settings import Settings, save_settings
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import ScoreStoreLike, StoreThread
from quiz.ui.screens.dialogs import ConfirmDialog
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.screens.scores import MyScoresScreen
from tests.support.app import build_app, start
from tests.support.courses import course_load
from tests.support.fakes import FakeStore, FixedClock, SavedAttempt
from tests.support.local_time import local_timezone
from tests.support.paths import BUNDLED, MINI
from tests.support.report_store import ALL, Given, save
from tests.support.store_records import RIGHT, make_start
from tests.support.waiting import shown, wait_for

SIZE = (80, 24)
PASSED_AT = datetime(2024, 6, 12, 12, 0, tzinfo=UTC)  # the clock starts on 1 Mar 2025
VALID = "Staff knowledge check: passed 12 Jun 2024, valid until 12 Jun 2025"
EXPIRED = "Staff knowledge check: passed 12 Jun 2024, expired on 12 Jun 2025"


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Local time is UTC: the day of a pass (taken in this computer's zone where the store
    keeps no offset) does not depend on the machine."""
    with local_timezone("UTC"):
        yield


def questions_with_validity(tmp_path: Path) -> Path:
    """The bundled course, its staff check valid for 12 months."""
    target = tmp_path / "course"
    shutil.copytree(BUNDLED, target)
    course_yaml = target / "course.yaml"
    text = course_yaml.read_text()
    course_yaml.write_text(
        text.replace("    pass_mark: 80\n", "    pass_mark: 80\n    valid_for: 12 months\n")
    )
    return target


def exam(learner: str, finished_at: datetime, *, passed: bool) -> SavedAttempt:
    """A finished staff check of `learner`'s."""
    start = make_start(learner, started_at=finished_at.replace(hour=11), exam="staff-check")
    return SavedAttempt(
        start,
        result=AttemptResult(
            status=AttemptStatus.COMPLETED,
            finished_at=finished_at,
            correct=4 if passed else 1,
            total=4,
            percent=100.0 if passed else 25.0,
            passed=passed,
        ),
    )


def passes_app(tmp_path: Path, *, learner: str | None = None) -> tuple[QuizApp, FixedClock]:
    """Ann passed the staff check on 12 Jun 2024 (and failed it since); Ben failed it."""
    folder = questions_with_validity(tmp_path)
    store = FakeStore()
    store.attempts = {
        "a1": exam("Ann", datetime(2024, 1, 5, 12, 0, tzinfo=UTC), passed=True),
        "a2": exam("Ann", PASSED_AT, passed=True),
        "a3": exam("Ann", datetime(2024, 9, 1, 12, 0, tzinfo=UTC), passed=False),
        "a4": exam("Ben", datetime(2024, 9, 1, 12, 0, tzinfo=UTC), passed=False),
    }
    settings = tmp_path / "settings.json"
    if learner is not None:
        save_settings(Settings(last_learner=learner), settings)
    clock = FixedClock()
    return app_on(folder, store, clock, settings), clock


def app_on(folder: Path, store: ScoreStoreLike, clock: FixedClock, settings: Path) -> QuizApp:
    """The app on the course in `folder` (loaded), `store` and `clock`."""
    return make_app(
        AppOptions(questions_dir=folder, db_path=settings.parent / "unused.sqlite3"),
        store=store,
        store_thread=StoreThread(),
        clock=clock,
        course_loads=[course_load(folder)],
        settings_path=settings,
    )


def passes_text(app: QuizApp) -> str | None:
    """The pass lines shown under the name (None: none shown)."""
    found = app.home.query("#home-passes")
    if not found or not found.first(Static).display:
        return None
    return str(found.first(Static).render())


async def name(pilot: Pilot[Any], app: QuizApp, learner: str) -> None:
    """Type `learner` into the name field and leave it (then the name is known)."""
    field = app.home.query_one("#learner", Input)
    field.focus()
    field.value = learner
    await pilot.press("tab")


async def test_the_learners_pass_shows_then_expires_as_the_clock_moves(tmp_path: Path) -> None:
    app, clock = passes_app(tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        answered: list[str] = []  # the learners whose passes reached the screen
        show = app.home.show_passes

        def noted(learner: str, lines: list[tuple[str, bool]]) -> None:
            answered.append(learner)
            show(learner, lines)

        app.home.show_passes = noted  # type: ignore[method-assign]
        assert passes_text(app) is None  # nobody named yet: nothing is asked
        await name(pilot, app, "ann")  # matched as the store matches names
        await wait_for(pilot, lambda: passes_text(app) == VALID, what="Ann's pass")
        assert not app.home.query_one("#home-passes").has_class("expired")

        # Another name: Ann's line goes at once; Ben never passed: nothing is shown.
        field = app.home.query_one("#learner", Input)
        field.focus()
        field.value = "Ben"
        await wait_for(pilot, lambda: passes_text(app) is None, what="Ann's pass hidden")
        await pilot.press("tab")
        await wait_for(pilot, lambda: "Ben" in answered, what="Ben's passes looked up")
        assert passes_text(app) is None

        # 110 days on (19 Jun 2025): Ann's pass expired on its anniversary.
        clock.advance(110 * 86400)
        await name(pilot, app, "Ann")
        await wait_for(pilot, lambda: passes_text(app) == EXPIRED, what="the pass expired")
        assert app.home.query_one("#home-passes").has_class("expired")


def test_home_with_the_learners_pass(tmp_path: Path, snap_compare: Any) -> None:
    app, _clock = passes_app(tmp_path, learner="Ann")

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: passes_text(app) == VALID, what="Ann's pass")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_course_without_validity_asks_nothing(tmp_path: Path) -> None:
    """The bundled course sets no validity: no preset to ask the store about."""
    from quiz.ui.passes import valid_presets

    bundled = course_load(BUNDLED).course
    assert bundled is not None
    assert valid_presets(bundled) == ()
    course = course_load(questions_with_validity(tmp_path)).course
    assert course is not None
    (preset,) = valid_presets(course)
    assert (preset.exam, preset.title, preset.validity.text()) == (
        "staff-check",
        "Staff knowledge check",
        "12 months",
    )


def test_home_with_the_learners_pass_expired(tmp_path: Path, snap_compare: Any) -> None:
    app, clock = passes_app(tmp_path, learner="Ann")
    clock.advance(110 * 86400)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for(pilot, lambda: passes_text(app) == EXPIRED, what="Ann's pass expired")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


async def recertification_on_my_scores(pilot: Pilot[Any], app: QuizApp, store: ScoreStore) -> str:
    """The recertification line of Ann's My scores, once read; then back home."""
    screen = MyScoresScreen(store, "Ann", app.course)
    await app.push_screen(screen)
    line = screen.query_one("#recertification", Static)
    await wait_for(pilot, lambda: line.display, what="the recertification line")
    text = str(line.render())
    app.pop_screen()
    await wait_for(pilot, lambda: app.screen is app.home, what="home again")
    return text


async def test_my_scores_gives_the_date_of_the_next_recertification(tmp_path: Path) -> None:
    """Read from a real store: Ann's last pass of the staff check, then its expiry."""
    folder = questions_with_validity(tmp_path)
    right: dict[str, list[Response]] = {q.question_id: [r] for q, r in zip(ALL, RIGHT, strict=True)}
    store = ScoreStore.open(tmp_path / "scores.sqlite3")
    try:
        save(store, Given("Ann", Mode.EXAM, PASSED_AT, ALL, right))
        clock = FixedClock()
        app = app_on(folder, store, clock, tmp_path / "settings.json")
        async with app.run_test(size=SIZE) as pilot:
            await wait_for(pilot, lambda: app.home.form_shown, what="the form")
            for moved, expected in (
                (0, "Staff knowledge check: next recertification by 12 Jun 2025"),
                (
                    110 * 86400,
                    "Staff knowledge check: expired on 12 Jun 2025, due for recertification",
                ),
            ):
                clock.advance(moved)
                shown = await recertification_on_my_scores(pilot, app, store)
                assert shown == expected
    finally:
        store.close()


async def test_an_exam_passed_shows_on_the_home_screen_on_the_way_back(tmp_path: Path) -> None:
    """The mini course's quick check, valid for a year: Ann passes it in the app."""
    folder = tmp_path / "mini"
    shutil.copytree(MINI, folder)
    course_yaml = folder / "course.yaml"
    course_yaml.write_text(course_yaml.read_text() + "    valid_for: 1 year\n")
    app = build_app(folder, store=FakeStore(), settings_path=tmp_path / "settings.json")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        assert app.course is not None
        start(app, Mode.EXAM, learner="Ann", preset=app.course.exams["check"])
        screen = await shown(pilot, ExamScreen)
        for position, asked in enumerate(screen.session.asked):
            if asked.type == "short":
                screen.attempt.answer(position, screen.session.questions[position].answer[0])
            else:
                screen.attempt.answer(position, response_for(asked, right_indexes(asked)))
        screen.show_question(screen.position)
        await pilot.press("ctrl+s")
        await wait_for(
            pilot, lambda: isinstance(app.screen, ConfirmDialog | ResultsScreen), what="submitting"
        )
        if isinstance(app.screen, ConfirmDialog):
            await pilot.press("y")
        await shown(pilot, ResultsScreen)
        await pilot.press("escape")
        # The clock stands at 1 Mar 2025 09:00 UTC: the pass holds until 1 Mar 2026.
        expected = "Quick check: passed 1 Mar 2025, valid until 1 Mar 2026"
        await wait_for(pilot, lambda: passes_text(app) == expected, what="the new pass")


async def test_a_lookup_that_comes_back_after_the_app_has_closed_changes_nothing() -> None:
    """The store thread's answers (passes, questions due) can arrive as the app closes,
    when no screen is left: they are dropped, not an IndexError in the closing app."""
    app = build_app()
    async with app.run_test(size=(80, 24)):
        pass
    assert not app.screen_stack
    app.on_quiz_app_passes_found(QuizApp.PassesFound("Ana", [("a pass", False)]))
    app.on_quiz_app_due_counted(QuizApp.DueCounted("Ana", 3))
