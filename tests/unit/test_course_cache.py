"""The course cache: an unchanged course comes from it, equal to a fresh load; any
change to what the course was loaded from (or to the loader) loads it again."""

from __future__ import annotations

import os
import pickle
import shutil
import sys
import time
from pathlib import Path

import pytest

from quiz.domain import course_cache
from quiz.domain.course_cache import (
    cache_file,
    cached_course,
    keep_course,
    load_courses_cached,
)
from quiz.domain.loader import load_course, load_course_and_inputs, load_courses
from tests.support.paths import MINI

AN_HOUR_AGO = time.time() - 3600


def _aged(folder: Path) -> Path:
    """Every file (and the folder) last changed an hour ago, as a course is when opened."""
    for path in [*folder.iterdir(), folder]:
        os.utime(path, (AN_HOUR_AGO, AN_HOUR_AGO))
    return folder


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return _aged(Path(shutil.copytree(MINI, tmp_path / "mini")))


@pytest.fixture
def cache(tmp_path: Path) -> Path:
    return tmp_path / "cache"


def _kept(cache: Path, course: Path) -> None:
    load_courses_cached(course, cache)
    assert cache_file(cache, course).exists()


def test_an_unchanged_course_comes_from_the_cache_equal_to_a_fresh_load(
    course: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fresh = load_courses(course)
    first = load_courses_cached(course, cache)
    assert cache_file(cache, course).exists()
    assert oct(cache_file(cache, course).stat().st_mode & 0o777) == "0o600"
    assert oct(cache_file(cache, course).parent.stat().st_mode & 0o777) == "0o700"

    def no_loading(folder: Path) -> object:
        raise AssertionError("loaded again although nothing changed")

    monkeypatch.setattr("quiz.domain.loader.load_course_and_inputs", no_loading)
    again = load_courses_cached(course, cache)
    assert again == first == fresh
    (course_again,) = [load.course for load in again]
    assert course_again is not None and fresh[0].course is not None
    assert course_again.questions == fresh[0].course.questions
    assert course_again.source == fresh[0].course.source


@pytest.mark.parametrize(
    "change",
    [
        "edit a bank, same size",
        "edit the course text",
        "touch a bank",
        "add a bank",
        "remove a bank",
        "rename a bank",
        "replace a bank",
    ],
)
def test_any_change_to_what_the_course_was_loaded_from_loads_it_again(
    course: Path, cache: Path, change: str
) -> None:
    _kept(cache, course)
    bank = course / "swelling.yaml"
    text = bank.read_text(encoding="utf-8")
    if change == "edit a bank, same size":
        edited = text.replace("Swelling", "Swellinh", 1)
        assert edited != text and len(edited) == len(text)
        bank.write_text(edited, encoding="utf-8")
    elif change == "edit the course text":
        source = course / "source.md"
        source.write_text(source.read_text(encoding="utf-8") + "\nMore.\n", encoding="utf-8")
    elif change == "touch a bank":
        os.utime(bank)
    elif change == "add a bank":
        (course / "extra.yaml").write_text(text.replace("id: sw-", "id: ex-"), encoding="utf-8")
    elif change == "remove a bank":
        (course / "medicines.yaml").unlink()
    elif change == "rename a bank":
        bank.rename(course / "swelling-2.yaml")
    elif change == "replace a bank":
        copy = course / "copy.tmp"
        copy.write_text(text, encoding="utf-8")
        os.replace(copy, bank)
    (fresh,) = load_courses(course)
    assert load_courses_cached(course, cache) == [fresh]


def test_a_change_to_the_loader_or_python_loads_it_again(
    course: Path, cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _kept(cache, course)
    assert cached_course(cache, course) is not None
    monkeypatch.setattr(course_cache, "_stamp", ("another", sys.version, ()))
    assert cached_course(cache, course) is None


@pytest.mark.parametrize("damage", ["truncated", "garbage", "empty", "another object"])
def test_a_damaged_cache_file_is_ignored_and_written_anew(
    course: Path, cache: Path, damage: str
) -> None:
    _kept(cache, course)
    path = cache_file(cache, course)
    data = path.read_bytes()
    if damage == "truncated":
        path.write_bytes(data[: len(data) // 2])
    elif damage == "garbage":
        path.write_bytes(b"\x80\x05not a pickle at all")
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        with path.open("wb") as handle:
            pickle.dump((course_cache.code_stamp(), ()), handle)
            pickle.dump({"not": "a course"}, handle)
    assert cached_course(cache, course) is None
    assert load_courses_cached(course, cache) == load_courses(course)
    assert cached_course(cache, course) is not None, "written anew"


def test_a_cache_file_others_can_write_is_not_read(course: Path, cache: Path) -> None:
    _kept(cache, course)
    cache_file(cache, course).chmod(0o666)
    assert cached_course(cache, course) is None


def test_a_course_with_problems_is_never_kept(course: Path, cache: Path) -> None:
    bank = course / "swelling.yaml"
    bank.write_text(bank.read_text(encoding="utf-8") + "  - id: [broken\n", encoding="utf-8")
    _aged(course)
    (load,) = load_courses_cached(course, cache)
    assert load.problems
    assert not cache_file(cache, course).exists()


def test_a_course_changed_just_now_is_kept_only_at_a_later_opening(
    course: Path, cache: Path
) -> None:
    os.utime(course / "swelling.yaml")  # changed now: its next change might not show
    load_courses_cached(course, cache)
    assert not cache_file(cache, course).exists()
    _aged(course)
    load_courses_cached(course, cache)
    assert cache_file(cache, course).exists()


def test_a_cache_that_cannot_be_written_costs_nothing_but_the_load(
    course: Path, tmp_path: Path
) -> None:
    blocked = tmp_path / "blocked"
    blocked.write_text("a file where the cache folder would be")
    assert load_courses_cached(course, blocked) == load_courses(course)


def test_the_loader_reports_what_it_read(course: Path) -> None:
    load, inputs = load_course_and_inputs(course)
    assert load == load_course(course)
    read = {Path(path).name for path, _signature in inputs}
    assert read == {"mini", "course.yaml", "source.md", "swelling.yaml", "medicines.yaml"}


def test_keeping_a_course_replaces_the_file_whole(course: Path, cache: Path) -> None:
    load, inputs = load_course_and_inputs(course)
    keep_course(cache, course, load, inputs)
    keep_course(cache, course, load, inputs)
    assert [p.name for p in cache_file(cache, course).parent.iterdir()] == [
        cache_file(cache, course).name
    ], "no temporary file left behind"
