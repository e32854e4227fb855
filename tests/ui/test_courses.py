"""Several courses in `--questions`: the home screen offers a picker, remembered per
learner; a quiz asked for on the command line needs `--course` among several."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Select, Static

from quiz.domain.loader import load_course
from quiz.launch import AppOptions
from quiz.settings import load_settings
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.practice import PracticeScreen
from tests.support.app import settle
from tests.support.fakes import FakeStore, FixedClock
from tests.support.paths import MINI
from tests.support.waiting import shown, wait_for


@pytest.fixture
def two_courses(tmp_path: Path) -> Path:
    """A folder of two courses: `mini` and `other` (the same questions, another title)."""
    folder = tmp_path / "courses"
    shutil.copytree(MINI, folder / "mini")
    other = folder / "other"
    shutil.copytree(MINI, other)
    course_file = other / "course.yaml"
    text = course_file.read_text(encoding="utf-8")
    text = text.replace("id: mini", "id: other").replace("Mini course", "Other course")
    course_file.write_text(text, encoding="utf-8")
    return folder


def app_on(folder: Path, settings: Path, **options: Any) -> QuizApp:
    loads = [load_course(course) for course in sorted(folder.iterdir())]
    return make_app(
        AppOptions(questions_dir=folder, db_path=Path("unused.sqlite3"), **options),
        store=FakeStore(),
        store_thread=StoreThread(),
        clock=FixedClock(),
        course_loads=loads,
        settings_path=settings,
    )


def focused_id(app: QuizApp) -> str | None:
    return app.focused.id if app.focused is not None else None


def title(app: QuizApp) -> str:
    return str(app.home.query_one("#home-title", Static).render())


def sections_built_for(app: QuizApp, course_id: str) -> bool:
    return app.course is not None and app.course.id == course_id and bool(app.home.query("#kind"))


async def test_the_home_screen_offers_the_courses_and_builds_the_form_for_the_one_picked(
    two_courses: Path, tmp_path: Path
) -> None:
    app = app_on(two_courses, tmp_path / "settings.json")
    async with app.run_test(size=(80, 30)) as pilot:
        await wait_for(pilot, lambda: sections_built_for(app, "mini"), what="the first course")
        picker = app.home.query_one("#course", Select)
        await wait_for(pilot, lambda: picker.value == "mini", what="the picker on it")
        assert title(app) == "Mini course"
        picker.value = "other"
        await wait_for(pilot, lambda: sections_built_for(app, "other"), what="the other course")
        assert title(app) == "Other course"
        assert len(app.home.query("#kind")) == 1, "the form is built once, for the course picked"


async def test_one_course_has_no_picker(tmp_path: Path) -> None:
    folder = tmp_path / "courses"
    shutil.copytree(MINI, folder / "mini")
    app = app_on(folder, tmp_path / "settings.json")
    async with app.run_test(size=(80, 30)) as pilot:
        await wait_for(pilot, lambda: sections_built_for(app, "mini"), what="the course")
        assert not app.home.query("#course")


async def test_the_course_is_remembered_per_learner(two_courses: Path, tmp_path: Path) -> None:
    settings = tmp_path / "settings.json"
    settings.write_text(
        json.dumps({"last_learner": "Ann", "courses": {"ann": "other", "bea": "mini"}}),
        encoding="utf-8",
    )
    app = app_on(two_courses, settings)
    async with app.run_test(size=(80, 30)) as pilot:
        # Ann was here last: her course is chosen.
        await wait_for(pilot, lambda: sections_built_for(app, "other"), what="Ann's course")
        # Bea types her name and leaves the field: hers is chosen.
        # The name is filled in, so the Start button has the focus: go back to the name.
        await wait_for(pilot, lambda: focused_id(app) == "start", what="Start focused")
        app.home.query_one("#learner").focus()
        await wait_for(pilot, lambda: focused_id(app) == "learner", what="the name focused")
        await pilot.press("end", "ctrl+u", *"Bea", "tab")
        await wait_for(pilot, lambda: sections_built_for(app, "mini"), what="Bea's course")
        await pilot.press("ctrl+s")
        await shown(pilot, PracticeScreen)
        await settle(pilot, app)
    saved = load_settings(settings)
    assert saved.last_learner == "Bea"
    assert saved.course_for("Bea") == "mini" and saved.course_for("ANN") == "other"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"mode": "practice"}, "holds several courses; choose one with --course ID: mini, other"),
        ({"exam": "check"}, "holds several courses; choose one with --course ID: mini, other"),
        ({"course": "nope"}, "no course 'nope'; the courses: mini, other"),
    ],
)
async def test_without_a_known_course_a_quiz_is_a_usage_error(
    two_courses: Path, tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    app = app_on(two_courses, tmp_path / "settings.json", learner="Ann", **options)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to stop")
    assert app.return_code == 2
    assert message in app.exit_lines[0]


async def test_course_opens_a_quiz_on_that_course(two_courses: Path, tmp_path: Path) -> None:
    app = app_on(
        two_courses, tmp_path / "settings.json", course="other", mode="practice", learner="Ann"
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(pilot, PracticeScreen)
        assert screen.session.course.id == "other"


async def test_course_alone_opens_the_home_screen_on_it(two_courses: Path, tmp_path: Path) -> None:
    app = app_on(two_courses, tmp_path / "settings.json", course="other")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: sections_built_for(app, "other"), what="the course")
        assert isinstance(app.screen, HomeScreen)
