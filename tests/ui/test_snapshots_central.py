"""SVG snapshots of the quiet "not sent yet" mark (a central store configured, sending
failing): on an exam question's status line, beside the saved result, and under the
home screen's hint. 80x24,
seeded, fixed clock, fake store; the mark set as the background sender would set it.

Every SVG under __snapshots__/test_snapshots_central/ was looked at before it was
accepted."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Static

from quiz.domain.records import Mode
from quiz.ui.app import QuizApp
from quiz.ui.saving import NOT_SENT_MARK
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.results import ResultsScreen
from tests.support.app import build_app, running, settle, start
from tests.support.paths import BUNDLED
from tests.support.waiting import shown, wait_for

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path: Path) -> QuizApp:
    return build_app(BUNDLED, settings_path=tmp_path / "settings.json")


def test_exam_question_not_sent_yet(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        start(app, Mode.EXAM, seed=11, count=6, time_limit_seconds=600)
        screen = await shown(pilot, ExamScreen)
        app.not_sent = True
        status = screen.query_one("#status", Static)
        await wait_for(pilot, lambda: NOT_SENT_MARK in str(status.render()), what="the mark")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_results_saved_not_sent_yet(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        start(app, Mode.PRACTICE, seed=3, count=2)
        running(app).finish()
        screen = await shown(pilot, ResultsScreen)
        await settle(pilot, app)
        app.not_sent = True
        saved = screen.query_one("#results-saved", Static)
        await wait_for(pilot, lambda: NOT_SENT_MARK in str(saved.render()), what="the mark")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_home_not_sent_yet(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        home = await shown(pilot, HomeScreen)
        await settle(pilot, app)
        app.not_sent = True
        hint = home.query_one("#home-hint", Static)
        await wait_for(pilot, lambda: NOT_SENT_MARK in str(hint.render()), what="the mark")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


async def test_the_home_screens_mark_comes_and_goes_with_the_senders_state(app: QuizApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        home = await shown(pilot, HomeScreen)
        hint = home.query_one("#home-hint", Static)
        assert NOT_SENT_MARK not in str(hint.render())
        app.not_sent = True
        await wait_for(pilot, lambda: NOT_SENT_MARK in str(hint.render()), what="the mark")
        app.not_sent = False
        await wait_for(pilot, lambda: NOT_SENT_MARK not in str(hint.render()), what="it gone")
