"""The Results screen's certificate key (c): offered once a finished exam is saved in a
real store, never for practice; pressing it writes the PDF into the certificates folder
(QUIZ_CERTIFICATES) under a new name each time and says where. And a snapshot of the
Results screen with the key in its footer."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from quiz.domain.answers import response_for, right_indexes
from quiz.domain.records import Mode
from quiz.launch import AppOptions
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.results import ResultsScreen
from tests.support.app import running, settle, start
from tests.support.courses import course_load
from tests.support.fakes import FixedClock
from tests.support.local_time import local_timezone
from tests.support.paths import MINI
from tests.support.waiting import shown, wait_for

LEARNER = "Ann Lee"


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    with local_timezone("UTC"):
        yield


@pytest.fixture
def folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    target = tmp_path / "certificates"
    monkeypatch.setenv("QUIZ_CERTIFICATES", str(target))
    return target


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    opened = ScoreStore.open(tmp_path / "scores.sqlite3")
    yield opened
    opened.close()


def real_app(store: ScoreStore, tmp_path: Path) -> QuizApp:
    course = tmp_path / "course"
    if not course.exists():
        shutil.copytree(MINI, course)
    return make_app(
        AppOptions(questions_dir=course, db_path=store.path),
        store=store,
        store_thread=StoreThread(),
        clock=FixedClock(),
        course_loads=[course_load(course)],
        settings_path=tmp_path / "settings.json",
    )


def answer_all_rightly(app: QuizApp) -> None:
    attempt = running(app)
    for asked in attempt.session.asked:
        if asked.type == "short":
            attempt.answer(asked.position, attempt.session.questions[asked.position].answer[0])
        else:
            attempt.answer(asked.position, response_for(asked, right_indexes(asked)))


def footer_keys(screen: ResultsScreen) -> set[str]:
    return {key for key, active in screen.active_bindings.items() if active.enabled}


async def passed_exam(pilot: Pilot[Any], app: QuizApp) -> ResultsScreen:
    assert app.course is not None
    start(app, Mode.EXAM, learner=LEARNER, preset=app.course.exams["check"], seed=3)
    await shown(pilot, ExamScreen)
    answer_all_rightly(app)
    running(app).finish()
    results = await shown(pilot, ResultsScreen)
    await settle(pilot, app)
    await wait_for(pilot, lambda: not results.saving, what="the result saved")
    return results


async def test_the_key_writes_a_certificate_and_says_where(
    store: ScoreStore, tmp_path: Path, folder: Path
) -> None:
    app = real_app(store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        results = await passed_exam(pilot, app)
        assert "c" in footer_keys(results)
        await pilot.press("c")
        await wait_for(
            pilot,
            lambda: (
                "written:" in str(results.query("#results-certificate").first(Static).render())
                if results.query("#results-certificate")
                else False
            ),
            what="the certificate written",
        )
        line = str(results.query_one("#results-certificate", Static).render())
        [written] = sorted(folder.glob("*.pdf"))
        assert line == f"Certificate written: {written}"
        assert written.name.startswith("certificate-Ann-Lee-")
        assert written.read_bytes().startswith(b"%PDF-")
        # Pressed again: a second file, never over the first.
        await pilot.press("c")
        await wait_for(pilot, lambda: len(list(folder.glob("*.pdf"))) == 2, what="a second file")
        assert {p.name for p in folder.glob("*.pdf")} == {
            written.name,
            written.name.replace(".pdf", " (2).pdf"),
        }
    [summary] = store.list_attempts()
    assert summary.verify_code is not None and summary.verify_code.startswith("QZ-")


async def test_practice_offers_no_certificate(
    store: ScoreStore, tmp_path: Path, folder: Path
) -> None:
    app = real_app(store, tmp_path)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.PRACTICE, learner=LEARNER, seed=3, count=2)
        await shown(pilot, PracticeScreen)
        running(app).finish()
        results = await shown(pilot, ResultsScreen)
        await settle(pilot, app)
        await wait_for(pilot, lambda: not results.saving, what="the result saved")
        assert "c" not in footer_keys(results) and "r" in footer_keys(results)
        await pilot.press("c")
        await pilot.pause()
        assert not results.query("#results-certificate")
    assert not folder.exists()


def test_results_with_the_certificate_key(
    store: ScoreStore, tmp_path: Path, folder: Path, snap_compare: Any
) -> None:
    app = real_app(store, tmp_path)

    async def run_before(pilot: Pilot[Any]) -> None:
        results = await passed_exam(pilot, app)
        await wait_for(pilot, lambda: "c" in footer_keys(results), what="the key offered")

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
