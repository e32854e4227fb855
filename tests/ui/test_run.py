"""Opening and closing the app from the command line: start-up failures, exit codes, the log."""

from __future__ import annotations

import gc
import os
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import quiz.ui.run
from quiz import paths
from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.peek import peek_title
from quiz.ui.run import (
    GC_THRESHOLDS,
    STARTUP_GC_THRESHOLDS,
    STARTUP_SWITCH_INTERVAL,
    _after,
    run_app,
)
from quiz.ui.saving import ScoreStoreLike, StoreThread
from quiz.ui.screens.dialogs import ConfirmDialog
from tests.support.app import build_app
from tests.support.courses import course_load, write_course
from tests.support.fakes import FakeStoreError, FixedClock
from tests.support.paths import BUNDLED, MINI
from tests.support.waiting import shown, wait_for


def test_no_course_at_all_exits_1_before_the_app_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run_app(AppOptions(questions_dir=tmp_path / "nowhere", db_path=tmp_path / "db"))
    assert code == 1
    err = capsys.readouterr().err
    assert "nowhere" in err and "does not exist" in err
    assert "--questions" in err


def test_an_internal_error_goes_to_the_log_and_exits_1(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = build_app()
    app.internal_error = "Traceback (most recent call last):\nZeroDivisionError: boom\n"
    assert _after(app) == 1
    log = Path(os.environ["QUIZ_LOG"])
    assert "ZeroDivisionError: boom" in log.read_text(encoding="utf-8")
    err = capsys.readouterr().err
    assert f"the details are in {log}" in err and "Traceback" not in err


def test_a_signal_exits_128_plus_n_and_start_problems_are_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    app = build_app()
    app.shutdown.exit_signal = signal.SIGHUP
    assert _after(app) == 128 + signal.SIGHUP
    app = build_app()
    app.exit_lines = ["quiz: no exam preset 'x'"]
    assert _after(app) == 0  # the app's own return code (none here)
    assert "no exam preset 'x'" in capsys.readouterr().err


def _app_with_store(open_store: Callable[[], ScoreStoreLike]) -> QuizApp:
    options = AppOptions(questions_dir=MINI, db_path=Path("scores.sqlite3"))
    return make_app(
        options,
        store=None,
        store_thread=StoreThread(),
        clock=FixedClock(),
        course_loads=[course_load(MINI)],
        open_store=open_store,
    )


async def test_an_unusable_store_stops_the_app_with_its_message() -> None:
    def open_store() -> ScoreStoreLike:
        raise FakeStoreError("scores.sqlite3 cannot be written (read-only)", kind="readonly")

    app = _app_with_store(open_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to stop")
    assert app.return_code == 1
    assert app.exit_lines == ["quiz: scores.sqlite3 cannot be written (read-only)"]


async def test_a_damaged_store_is_offered_to_be_set_aside() -> None:
    def open_store() -> ScoreStoreLike:
        raise FakeStoreError("scores.sqlite3 is damaged", kind="corrupt")

    app = _app_with_store(open_store)
    async with app.run_test(size=(80, 24)) as pilot:
        await app.workers.wait_for_complete()
        dialog = await shown(pilot, ConfirmDialog)
        assert "scores.sqlite3 is damaged" in dialog.detail


def test_the_title_is_read_before_loading(tmp_path: Path) -> None:
    assert peek_title(BUNDLED) == "Laser skin tightening"
    assert peek_title(BUNDLED.parent) == "Laser skin tightening"
    quoted = write_course(tmp_path / "a", {"course.yaml": 'id: a\ntitle: "Quoted: title"\n'})
    assert peek_title(quoted) == "Quoted: title"
    complex_ = write_course(tmp_path / "b", {"course.yaml": "id: b\ntitle: >\n  folded\n"})
    assert peek_title(complex_) is None
    write_course(tmp_path / "c", {"course.yaml": "title: Another\n"})
    assert peek_title(tmp_path) is None, "several courses: no single title"


def test_threads_switch_sooner_and_the_collector_waits_longer_until_the_course_is_shown(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Textual's output thread gets the GIL sooner while the first frames are written, and
    the collector makes no pass while the form is built."""
    seen: list[tuple[float, tuple[int, ...]]] = []

    def make_app_that_only_starts(options: AppOptions, **kwargs: Any) -> QuizApp:
        app = make_app(options, **kwargs)

        def run() -> None:  # instead of a terminal: the start and its end
            seen.append((sys.getswitchinterval(), gc.get_threshold()))
            kwargs["process"].course_shown()
            seen.append((sys.getswitchinterval(), gc.get_threshold()))

        monkeypatch.setattr(app, "run", run)
        return app

    monkeypatch.setattr(quiz.ui.run, "make_app", make_app_that_only_starts)
    before, thresholds = sys.getswitchinterval(), gc.get_threshold()
    try:
        assert run_app(AppOptions(questions_dir=MINI, db_path=tmp_path / "scores.sqlite3")) == 0
    finally:
        gc.set_threshold(*thresholds)
    assert seen == [
        (STARTUP_SWITCH_INTERVAL, STARTUP_GC_THRESHOLDS),
        (before, GC_THRESHOLDS),
    ]
    assert sys.getswitchinterval() == before


def test_textual_parses_through_the_css_cache_while_the_app_runs_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """quiz.ui.textual_seams.keep_parsed_css, in the user's cache folder, for the run."""
    from textual.css.stylesheet import Stylesheet

    parse = Stylesheet._parse_rules
    during: list[bool] = []

    def make_app_that_only_starts(options: AppOptions, **kwargs: Any) -> QuizApp:
        app = make_app(options, **kwargs)

        def run() -> None:  # instead of a terminal
            during.append(Stylesheet._parse_rules is parse)
            sheet = Stylesheet()
            sheet.add_source("Static { color: red; }", read_from=("test", ""))
            sheet.parse()

        monkeypatch.setattr(app, "run", run)
        return app

    monkeypatch.setattr(quiz.ui.run, "make_app", make_app_that_only_starts)
    assert run_app(AppOptions(questions_dir=MINI, db_path=tmp_path / "scores.sqlite3")) == 0
    assert during == [False], "the cache is in use while the app runs"
    assert Stylesheet._parse_rules is parse, "and only then"
    assert list((paths.cache_dir() / "css").glob("*.pickle")), "in the user's cache folder"


def test_what_importing_the_app_made_is_frozen_before_the_collector_runs_again() -> None:
    # Else the collector's first pass after the import went over all of it (~20 ms
    # before the first frame). Run in a process of its own: the import is the app's.
    import subprocess

    code = (
        "import gc; from quiz import cli; run_app = cli._import_app(); "
        "print(run_app.__module__, gc.isenabled(), gc.get_freeze_count(), gc.get_count()[0])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    module, enabled, frozen, young = result.stdout.split()
    assert (module, enabled) == ("quiz.ui.run", "True")
    assert int(frozen) > 20_000  # Textual's and the app's objects
    assert int(young) < 1_000  # what the collector would look at next: next to nothing
