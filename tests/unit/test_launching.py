"""Which course and which quiz the command line asks for (`--course`, `--mode`, `--exam`),
and the course each learner last chose, remembered in settings.json."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from quiz.cli import main
from quiz.domain.clock import SystemClock
from quiz.domain.loader import load_course
from quiz.domain.model import Course
from quiz.errors import QuizError, SelectionError
from quiz.launch import AppOptions
from quiz.settings import Settings, load_settings, remember_learner, save_settings
from quiz.ui.launching import chosen_course, requested_quiz
from tests.support.cli import run_cli
from tests.support.paths import MINI


@pytest.fixture(scope="module")
def courses() -> list[Course]:
    mini = load_course(MINI).course
    assert mini is not None
    return [mini, replace(mini, id="other", title="Other course")]


def options(**given: Any) -> AppOptions:
    return AppOptions(questions_dir=Path("courses"), db_path=Path("scores.sqlite3"), **given)


def test_the_course_is_the_one_named_else_the_remembered_else_the_first(
    courses: list[Course],
) -> None:
    assert chosen_course(options(course="other"), courses).id == "other"
    assert chosen_course(options(), courses, remembered="other").id == "other"
    assert chosen_course(options(), courses, remembered="gone").id == "mini"
    assert chosen_course(options(mode="practice"), courses[:1]).id == "mini"


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"course": "nope"}, "no course 'nope'; the courses: mini, other"),
        (
            {"mode": "exam"},
            "courses holds several courses; choose one with --course ID: mini, other",
        ),
        ({"exam": "check"}, "choose one with --course ID: mini, other"),
    ],
)
def test_a_quiz_among_several_courses_needs_a_known_course(
    courses: list[Course], given: dict[str, object], message: str
) -> None:
    with pytest.raises(QuizError, match=message):
        chosen_course(options(**given), courses)


def test_the_requested_quiz(courses: list[Course]) -> None:
    mini = courses[0]
    assert requested_quiz(options(), mini) is None
    request = requested_quiz(options(exam="check", seed=3), mini)
    assert request is not None and request.preset is mini.exams["check"]
    first, again = request.session(SystemClock()), request.session(SystemClock())
    assert first.asked == again.asked and first.exam == "check"
    with pytest.raises(QuizError, match="no exam preset 'nope'; this course's presets: check"):
        requested_quiz(options(exam="nope"), mini)
    nowhere = requested_quiz(options(mode="practice", sections=("nowhere",)), mini)
    assert nowhere is not None
    with pytest.raises(SelectionError, match="unknown section 'nowhere'"):
        nowhere.session(SystemClock())


def test_course_is_an_option_of_the_app_only(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["--course", "mini", "scores"])
    assert exit_.value.code == 2
    assert "--course opens the app" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        main(["--course", " ", "--mode", "practice"])
    assert exit_.value.code == 2
    assert "--course: give a course id" in capsys.readouterr().err


def test_each_learners_course_is_remembered(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    remember_learner("Ann", path, "other")
    remember_learner(" bea ", path, "mini")
    remember_learner("Cy", path)  # no course chosen: Ann's and Bea's stay
    settings = load_settings(path)
    assert settings.last_learner == "Cy"
    assert settings.course_for("ANN") == "other" and settings.course_for("Bea") == "mini"
    assert settings.course_for("Cy") is None and settings.course_for(None) is None
    assert json.loads(path.read_text(encoding="utf-8"))["courses"] == {
        "ann": "other",
        "bea": "mini",
    }


@pytest.mark.parametrize("courses", ['"mini"', "[1]", '{"ann": 5}', '{"": "mini"}'])
def test_damaged_course_choices_are_left_out(tmp_path: Path, courses: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(f'{{"last_learner": "Ann", "courses": {courses}}}', encoding="utf-8")
    assert load_settings(path) == Settings(last_learner="Ann")


def test_settings_without_choices_are_written_as_before(tmp_path: Path) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(last_learner="Zoë"), path)
    assert json.loads(path.read_text(encoding="utf-8")) == {"last_learner": "Zoë"}


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--mode", "drill", "--time-limit", "10m"], "a drill is untimed"),
        (["--mode", "drill", "--exam", "staff-check"], "cannot be used with --mode drill"),
    ],
)
def test_a_drill_refuses_what_does_not_apply_to_it(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _out, err = run_cli(args, capsys)
    assert code == 2 and message in err
