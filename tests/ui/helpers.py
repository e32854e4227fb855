"""Building the app for tests, and answering questions by what they ask."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot

from quiz.domain.loader import CourseLoad, load_course
from quiz.domain.records import AskedQuestion, Mode
from quiz.domain.session import letter, right_indexes, shown_choices
from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
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
    preset = kwargs.pop("preset", None)
    session = app.new_session(mode=mode, preset=preset, **kwargs)
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
