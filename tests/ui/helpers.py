"""Building the app for tests, and answering questions by what they ask."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from time import monotonic
from typing import Any, TypeVar

from textual.app import App
from textual.geometry import Region
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget

from quiz.domain.loader import CourseLoad, load_course
from quiz.domain.records import AskedQuestion, Mode
from quiz.domain.session import letter, right_indexes, shown_choices
from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
from quiz.ui.screens.source import SourceReaderScreen
from tests.ui.fakes import FakeStore, FixedClock

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"
MINI = FIXTURES / "mini"
BUNDLED = Path(__file__).resolve().parents[2] / "questions" / "laser-skin-tightening"

_loaded: dict[Path, CourseLoad] = {}


def course_load(folder: Path) -> CourseLoad:
    """A loaded course folder (cached: courses are immutable)."""
    if folder not in _loaded:
        _loaded[folder] = load_course(folder)
    return _loaded[folder]


def build_app(
    folder: Path = MINI,
    *,
    store: FakeStore | None = None,
    clock: FixedClock | None = None,
    settings_path: Path | None = None,
    **options: Any,
) -> QuizApp:
    """The app on `folder`'s course (already loaded), a fake store and a fixed clock."""
    app_options = AppOptions(questions_dir=folder, db_path=Path("unused.sqlite3"), **options)
    return make_app(
        app_options,
        store=store if store is not None else FakeStore(),
        store_thread=StoreThread(),
        clock=clock or FixedClock(),
        course_loads=[course_load(folder)],
        settings_path=settings_path,
    )


def start(app: QuizApp, mode: Mode = Mode.PRACTICE, *, learner: str = "Ann", **kwargs: Any) -> None:
    """Start an attempt straight away (as Start on the home screen does)."""
    from quiz.ui.attempt import new_session

    assert app.course is not None
    preset = kwargs.pop("preset", None)
    session = new_session(app.course, app.clock, mode=mode, preset=preset, **kwargs)
    app.begin_attempt(session, learner, preset)


def right_keys(asked: AskedQuestion) -> list[str]:
    """The letter keys that pick the right answer."""
    return [letter(i).lower() for i in sorted(right_indexes(asked))]


def wrong_index(asked: AskedQuestion) -> int:
    """A choice that is not part of the right answer."""
    right = right_indexes(asked)
    return next(i for i in range(len(shown_choices(asked))) if i not in right)


def wrong_key(asked: AskedQuestion) -> str:
    """A letter key that picks a wrong answer."""
    return letter(wrong_index(asked)).lower()


WAIT_SECONDS = 10.0
"""How long `wait_for` lets the app run before the test fails. Far longer than any wait
takes on a loaded machine, so reaching it means the state never came."""


async def wait_for(
    pilot: Pilot[Any],
    predicate: Callable[[], object],
    *,
    what: str,
    timeout: float = WAIT_SECONDS,
) -> None:
    """Let the app run, a `pilot.pause()` at a time, until `predicate()` is true.

    Fails naming `what` if it is still false after `timeout` seconds. A test waits for the
    state it asserts, not for a number of pauses: on a busy machine one pause can end
    before layout, a scroll placed after layout, or a worker's result has come through.
    """
    deadline = monotonic() + timeout
    pauses = 0
    while not predicate():
        if monotonic() >= deadline:
            raise AssertionError(f"gave up waiting for {what} ({pauses} pauses, {timeout:g}s)")
        await pilot.pause()
        pauses += 1


ScreenT = TypeVar("ScreenT", bound=Screen[Any])


def ready(app: App[Any], screen_type: type[Screen[Any]]) -> bool:
    """Is the app showing a `screen_type` screen, mounted and laid out (so keys reach it)?"""
    screen = app.screen
    return isinstance(screen, screen_type) and screen.is_mounted and screen.region.area > 0


async def shown(pilot: Pilot[Any], screen_type: type[ScreenT]) -> ScreenT:
    """Wait until the app shows a `screen_type` screen, ready for keys; return it."""
    app = pilot.app
    await wait_for(pilot, lambda: ready(app, screen_type), what=f"a {screen_type.__name__} shown")
    screen = app.screen
    assert isinstance(screen, screen_type)
    return screen


# --- what the source reader shows ---


def laid_out(widget: Widget) -> bool:
    """Has the widget been given a place on the screen yet? (Regions are empty before.)"""
    return widget.region.area > 0


def quote_rows(reader: SourceReaderScreen) -> Region:
    """The screen rows where the highlighted quote is drawn."""
    assert reader.quote is not None
    rows = reader.quote.highlight_rows()
    assert rows is not None
    region = reader.quote.content_region
    return Region(region.x, region.y + rows[0], region.width, rows[1])


def heading_at_top(reader: SourceReaderScreen, index: int) -> bool:
    """Is section `index`'s heading the first row of the reader's text (laid out)?"""
    document = reader.document
    return laid_out(document) and (
        reader.headings[index].region.y == document.scrollable_content_region.y
    )


def quote_in_view(reader: SourceReaderScreen) -> bool:
    """Is the highlighted quote drawn inside the document's viewport?"""
    quote = reader.quote
    if quote is None or not laid_out(quote) or quote.highlight_rows() is None:
        return False
    return reader.document.scrollable_content_region.contains_region(quote_rows(reader))


async def settle(pilot: Pilot[Any], app: QuizApp) -> None:
    """Let pending messages and store writes finish."""
    await pilot.pause()
    app.store_thread.call(lambda: None)
    await pilot.pause()


def seed_for(app: QuizApp, question_id: str, **kwargs: Any) -> int:
    """A seed whose attempt asks `question_id` first (so a test knows what it answers)."""
    from quiz.domain.session import pick_questions

    assert app.course is not None
    for seed in range(500):
        selection = pick_questions(app.course, seed=seed, **kwargs)
        if selection.questions[0].id == question_id:
            return seed
    raise AssertionError(f"no seed asks {question_id} first")


MARKUP = "[bold]not bold[/] [@click=app.quit]quit[/] [/]"

MARKUP_COURSE = {
    "course.yaml": """\
format: 1
id: markup
title: "Markup [b]course[/b]"
description: "Brackets [/] stay as they are"
source: source.md
exams:
  check:
    title: "Check [red]now[/]"
    questions: 1
    include_critical: true
    time_limit: 10m
    pass_mark: 80
""",
    "source.md": """\
# Markup

## Brackets [bold]here[/] {#brackets}

The text says [bold]not bold[/] [@click=app.quit]quit[/] [/] and carries on.
""",
    "brackets.yaml": """\
format: 1
section: brackets
title: Brackets
questions:
  - id: br-01
    type: single
    prompt: "Which is right? [bold]not bold[/] [@click=app.quit]quit[/] [/]"
    choices: ["[bold]not bold[/] [@click=app.quit]quit[/] [/]", "[/] wrong [i]"]
    answer: "[bold]not bold[/] [@click=app.quit]quit[/] [/]"
    explanation: "Because [bold]not bold[/] [@click=app.quit]quit[/] [/]."
    source: "[bold]not bold[/] [@click=app.quit]quit[/] [/]"
    feedback:
      "[/] wrong [i]": "Feedback [bold]x[/] [@click=app.quit]quit[/] [/]"
    critical: true
""",
}


def write_course(folder: Path, files: dict[str, str]) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder
