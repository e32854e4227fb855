"""The first frame is light: the stylesheet's first part only, the footer just after it,
and the process tuned for start-up until the course is shown."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.app import App
from textual.css.stylesheet import Stylesheet
from textual.widgets import Footer

import quiz.ui.app
from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
from quiz.ui.screens.dialogs import ConfirmDialog
from quiz.ui.screens.home import HomeScreen
from quiz.ui.styles import REST, REST_MARKER, STYLESHEET, stylesheet_parts
from tests.ui.fakes import FakeStore, FixedClock
from tests.ui.helpers import BUNDLED, MINI, build_app, course_load


def _home_styles(app: QuizApp) -> list[tuple[str, str]]:
    home = app.screen_stack[0]
    assert isinstance(home, HomeScreen)
    return [
        (f"{type(node).__name__}#{node.id}", node.styles.css)
        for node in home.walk_children(with_self=True)
    ]


def test_the_stylesheet_is_one_file_in_two_parts() -> None:
    text = STYLESHEET.read_text(encoding="utf-8")
    first, rest = stylesheet_parts()
    assert text.count(REST_MARKER) == 1
    assert first + rest.lstrip("\n") == text
    # The rest keeps the file's line numbers (for Textual's CSS error messages).
    before = rest[: rest.index(REST_MARKER)]
    assert before.count("\n") == text[: text.index(REST_MARKER)].count("\n") and not before.strip()
    for part in (first, rest):  # each part parses on its own
        stylesheet = Stylesheet(variables=App[None]().get_css_variables())
        stylesheet.add_source(part)
        stylesheet.parse()
        assert stylesheet.rules


def test_without_a_marker_the_whole_file_is_the_first_part(tmp_path: Path) -> None:
    path = tmp_path / "quiz.tcss"
    path.write_text("Static { color: red; }\n", encoding="utf-8")
    assert stylesheet_parts(path) == ("Static { color: red; }\n", "")


async def test_the_home_screen_needs_only_the_first_part_of_the_stylesheet(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Home (its form included) looks the same with the first part of quiz.tcss alone
    as with the whole file read at start."""
    whole = STYLESHEET.read_text(encoding="utf-8")
    styles = []
    for whole_file in (False, True):
        if whole_file:
            monkeypatch.setattr(quiz.ui.app, "stylesheet_parts", lambda: (whole, ""))
        app = build_app(BUNDLED)
        app.load_rest_of_stylesheet = lambda: None  # type: ignore[method-assign]
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert app.home.query("#home-columns"), "the form is built"
            styles.append(_home_styles(app))
    assert styles[0] == styles[1]


async def test_the_rest_of_the_stylesheet_is_read_after_the_first_frame() -> None:
    app = build_app()
    assert not app.stylesheet.has_source(str(STYLESHEET), REST)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.stylesheet.has_source(str(STYLESHEET), REST)


async def test_a_screen_shown_before_the_rest_is_read_is_styled_with_it() -> None:
    class Damaged(Exception):
        kind = "corrupt"
        path = Path("scores.sqlite3")
        message = "the score store is damaged"

    app = make_app(
        AppOptions(questions_dir=MINI, db_path=Damaged.path),
        store=None,
        store_thread=StoreThread(),
        clock=FixedClock(),
        course_loads=[course_load(MINI)],
        damaged_store=Damaged(),  # the dialog opens in on_mount, before the first frame
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, ConfirmDialog)
        dialog = app.screen.query_one(".dialog")
        assert dialog.styles.width is not None and dialog.styles.width.value == 64
        assert dialog.outer_size.width == 64


async def test_the_footer_comes_just_after_the_first_frame_with_the_keys() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        footer = app.home.query_one(Footer)
        await pilot.pause()
        descriptions = [str(getattr(key, "description", "")) for key in footer.children]
        assert "Start" in descriptions and "Quit" in descriptions


async def test_start_up_ends_once_the_course_is_shown() -> None:
    calls: list[Any] = []
    app = make_app(
        AppOptions(questions_dir=MINI, db_path=Path("unused.sqlite3")),
        store=FakeStore(),
        store_thread=StoreThread(),
        clock=FixedClock(),
        loader=lambda folder: [course_load(folder)],
        started=lambda: calls.append(app.course),
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert calls == [app.course] and app.course is not None
        app.courses_loaded([course_load(MINI)])  # a second load: no second call
        await pilot.pause()
        assert len(calls) == 1
