"""The first frame is light: the shared stylesheet and the home screen's only, the
footer just after it, and the process tuned for start-up until the course is shown.
Every other screen's stylesheet is read when that screen is first shown."""

from __future__ import annotations

import os
import shutil
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.dom import DOMNode
from textual.widgets import Footer

import quiz.ui
from quiz.domain.course_cache import load_courses_cached
from quiz.domain.loader import load_course
from quiz.domain.records import Mode
from quiz.errors import StoreError
from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
from quiz.ui.screens.dialogs import ConfirmDialog
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.services import ProcessHooks
from tests.support.app import build_app, start
from tests.support.courses import course_load
from tests.support.fakes import FakeStore, FixedClock
from tests.support.paths import BUNDLED, MINI
from tests.support.waiting import shown, wait_for

UI = Path(quiz.ui.__file__).resolve().parent
SHARED = UI / "app.tcss"
HOME = UI / "screens" / "home.tcss"
OTHER_SCREENS = [UI / "screens" / name for name in ("results.tcss", "dialogs.tcss", "source.tcss")]


def read(app: App[None], path: Path) -> bool:
    """Has the app read the stylesheet at `path`?"""
    return app.stylesheet.has_source(str(path), "")


def _home_styles(app: QuizApp) -> list[tuple[str, str]]:
    """Each node's style on the home screen (but the footer's, which sets its own as
    its keys come)."""
    home = app.screen_stack[0]
    assert isinstance(home, HomeScreen)
    return [
        (f"{type(node).__name__}#{node.id}", node.styles.css)
        for node in home.walk_children(with_self=True)
        if not any(isinstance(n, Footer) for n in node.ancestors_with_self)
    ]


def _form_built(app: QuizApp) -> bool:
    return app.home.form_shown


def test_every_stylesheet_parses_on_its_own() -> None:
    variables = App[None]().get_css_variables()
    for path in sorted(UI.rglob("*.tcss")):
        stylesheet = Stylesheet(variables=variables)
        stylesheet.read(path)
        stylesheet.parse()
        assert stylesheet.rules, path


async def test_the_first_frame_reads_the_shared_and_the_home_stylesheets_only() -> None:
    app = build_app(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, partial(_form_built, app), what="the form built")
        assert read(app, SHARED) and read(app, HOME)
        assert not any(read(app, path) for path in OTHER_SCREENS)


async def test_each_screen_reads_its_stylesheet_when_first_shown() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=1, count=2, time_limit_seconds=60)
        await shown(pilot, ExamScreen)
        await pilot.press("ctrl+s")
        dialog = await shown(pilot, ConfirmDialog)
        assert read(app, UI / "screens" / "dialogs.tcss")
        width = dialog.query_one(".dialog").styles.width
        assert width is not None and width.value == 64
        await pilot.press("y")
        await shown(pilot, ResultsScreen)
        assert read(app, UI / "screens" / "results.tcss")


async def test_the_home_screen_looks_the_same_once_every_stylesheet_is_read() -> None:
    """A screen's stylesheet stays read once it is: no rule of another screen's may
    change the home screen."""
    app = build_app(BUNDLED)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, partial(_form_built, app), what="the form built")
        alone = _home_styles(app)
        for path in OTHER_SCREENS:
            app.stylesheet.read(path)
        app.stylesheet.reparse()
        app.stylesheet.update(app)
        await pilot.pause()
        assert _home_styles(app) == alone


async def test_a_dialog_over_the_home_screen_is_styled() -> None:
    def damaged() -> FakeStore:
        raise StoreError("corrupt", Path("scores.sqlite3"), "the score store is damaged")

    app = make_app(
        AppOptions(questions_dir=MINI, db_path=Path("scores.sqlite3")),
        open_store=damaged,
        store_thread=StoreThread(),
        clock=FixedClock(),
        course_loads=[course_load(MINI)],
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(pilot, ConfirmDialog)
        dialog = screen.query_one(".dialog")
        await wait_for(pilot, lambda: dialog.outer_size.width == 64, what="the dialog 64 wide")
        assert dialog.styles.width is not None and dialog.styles.width.value == 64


async def test_the_footer_comes_just_after_the_first_frame_with_the_keys() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:

        def descriptions() -> list[str]:
            footers = app.home.query(Footer)
            keys: list[DOMNode] = list(footers.first().children) if footers else []
            return [str(getattr(key, "description", "")) for key in keys]

        await wait_for(
            pilot,
            lambda: "Start" in descriptions() and "Quit" in descriptions(),
            what="the footer with Start and Quit",
        )


class Recorded(ProcessHooks):
    """Process hooks that note what the app told them."""

    def __init__(self, course: Callable[[], object]) -> None:
        self.course = course
        self.shown: list[object] = []
        self.signal_handlers: list[Callable[[int], None]] = []

    def app_started(self, on_signal: Callable[[int], None]) -> None:
        self.signal_handlers.append(on_signal)

    def course_shown(self) -> None:
        self.shown.append(self.course())


async def test_start_up_ends_once_the_course_is_shown() -> None:
    app: QuizApp | None = None
    hooks = Recorded(lambda: app.course if app is not None else None)
    app = make_app(
        AppOptions(questions_dir=MINI, db_path=Path("unused.sqlite3")),
        store=FakeStore(),
        store_thread=StoreThread(),
        clock=FixedClock(),
        loader=lambda folder: [course_load(folder)],
        process=hooks,
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: hooks.shown, what="start-up to end")
        assert hooks.shown == [app.course] and app.course is not None
        assert hooks.signal_handlers == [app.shutdown.signal_received]
        app.courses_loaded([course_load(MINI)])  # a second load: no second call
        await pilot.pause()
        assert len(hooks.shown) == 1


def _cached_course(tmp_path: Path) -> tuple[Path, Path]:
    """A copy of the mini course, last changed an hour ago, and a cache folder holding it."""
    course = Path(shutil.copytree(MINI, tmp_path / "mini"))
    an_hour_ago = time.time() - 3600
    for path in [*course.iterdir(), course]:
        os.utime(path, (an_hour_ago, an_hour_ago))
    cache = tmp_path / "cache"
    load_courses_cached(course, cache)
    return course, cache


def _app_on(course: Path, cache: Path) -> QuizApp:
    return make_app(
        AppOptions(questions_dir=course, db_path=Path("unused.sqlite3")),
        store=FakeStore(),
        store_thread=StoreThread(),
        clock=FixedClock(),
        cache_dir=cache,
    )


async def test_a_cached_course_is_shown_without_loading(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    course, cache = _cached_course(tmp_path)
    fresh = load_course(course).course

    def no_loading(folder: Path) -> object:
        raise AssertionError("the course was loaded although the cache had it")

    monkeypatch.setattr("quiz.domain.loader.load_course_and_inputs", no_loading)
    app = _app_on(course, cache)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        assert app.course is not None and app.course == fresh


async def test_an_out_of_date_cache_is_loaded_again(tmp_path: Path) -> None:

    course, cache = _cached_course(tmp_path)
    bank = course / "swelling.yaml"
    bank.write_text(bank.read_text(encoding="utf-8").replace("Swelling", "Puffiness"))
    os.utime(bank, (0, 0))  # an old time: only the change time and size tell
    app = _app_on(course, cache)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        assert app.course is not None
        assert any("Puffiness" in bank.title for bank in app.course.banks)
