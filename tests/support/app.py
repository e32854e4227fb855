"""The app for tests: built on a loaded course with a fake store and a fixed clock,
started straight into an attempt, and answered by what each question asks."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import Static

from quiz.domain.answers import right_indexes, shown_choices
from quiz.domain.kinds.base import letter
from quiz.domain.records import AskedQuestion, Mode
from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.attempt import AttemptRunner
from quiz.ui.saving import StoreThread
from tests.support.courses import course_load
from tests.support.fakes import FakeStore, FixedClock
from tests.support.paths import MINI


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


def seed_for(app: QuizApp, question_id: str, **kwargs: Any) -> int:
    """A seed whose attempt asks `question_id` first (so a test knows what it answers)."""
    from quiz.domain.selection import pick_questions

    assert app.course is not None
    for seed in range(500):
        selection = pick_questions(app.course, seed=seed, **kwargs)
        if selection.questions[0].id == question_id:
            return seed
    raise AssertionError(f"no seed asks {question_id} first")


def running(app: QuizApp) -> AttemptRunner:
    """The attempt under way (the test has started one)."""
    assert app.attempt is not None, "no attempt under way"
    return app.attempt


def fixed_clock(app: QuizApp) -> FixedClock:
    """The app's clock: the FixedClock `build_app` gave it, which a test moves on."""
    clock = app.clock
    assert isinstance(clock, FixedClock), f"the app's clock is a {type(clock).__name__}"
    return clock


async def settle(pilot: Pilot[Any], app: QuizApp) -> None:
    """Let pending messages and store writes finish."""
    await pilot.pause()
    app.store_thread.call(lambda: None)
    await pilot.pause()


# --- answering by what the question asks ---


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


def typed_keys(text: str) -> list[str]:
    """The keys that type `text` into a field (Pilot names some characters)."""
    names = {" ": "space", "-": "minus", ".": "full_stop", ",": "comma", "'": "apostrophe"}
    return [names.get(char, char) for char in text]


def right_input(asked: AskedQuestion) -> list[str]:
    """The keys that answer `asked` rightly, whatever its type (letters, or typing)."""
    if shown_choices(asked):
        return right_keys(asked)
    return typed_keys(asked.answer[0])


def wrong_input(asked: AskedQuestion) -> list[str]:
    """The keys that answer `asked` wrongly, whatever its type."""
    if shown_choices(asked):
        return [wrong_key(asked)]
    return typed_keys("not the answer")


# --- what the screen shows ---


def text_of(widget: Static) -> str:
    """What a Static shows, as plain text."""
    return str(widget.render())


def screen_text(app: App[Any]) -> str:
    """What every Static of the current screen shows, one after another, a line each."""
    return "\n".join(text_of(static) for static in app.screen.query(Static))
