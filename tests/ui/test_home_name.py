"""Back on the home screen after an attempt, the learner's name is still there."""

from __future__ import annotations

from pathlib import Path

from textual.widgets import Input

from quiz.settings import Settings, save_settings
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.results import ResultsScreen
from tests.support.app import build_app, settle
from tests.support.waiting import shown, wait_for


async def test_the_name_given_with_learner_is_kept_on_the_home_screen() -> None:
    app = build_app(mode="practice", learner="Ana", count=1, seed=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.attempt is not None, what="the attempt started")
        await settle(pilot, app)
        await pilot.press("escape")  # leave the practice round
        home = await shown(pilot, HomeScreen)
        await wait_for(
            pilot, lambda: home.query_one("#learner", Input).value == "Ana", what="the name"
        )
        assert not isinstance(app.screen, ResultsScreen)


async def test_the_name_given_with_learner_comes_before_the_one_remembered(
    tmp_path: Path,
) -> None:
    """Whose paused rounds and questions due the home screen shows: the learner named."""
    settings = tmp_path / "settings.json"
    save_settings(Settings(last_learner="Zoë"), settings)
    app = build_app(mode="practice", learner="Dan", count=1, seed=1, settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.attempt is not None, what="the attempt started")
        assert app.home.query_one("#learner", Input).value == "Dan"
