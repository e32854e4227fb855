"""My scores and All staff in tests: the app on the bundled course and a given store,
waiting for a scores screen's results, and the rows a table shows."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.app import App
from textual.pilot import Pilot
from textual.widgets import DataTable

from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import ScoreStoreLike, StoreThread
from quiz.ui.screens.scores import ScoresScreen
from tests.support.courses import course_load
from tests.support.fakes import FixedClock
from tests.support.paths import BUNDLED
from tests.support.waiting import wait_for

SIZE = (80, 24)
"""The terminal size of the scores screen tests and snapshots."""


def scores_app(store: ScoreStoreLike, tmp_path: Path, clock: FixedClock | None = None) -> QuizApp:
    """The app on the bundled course, reading and writing `store`, a fixed clock (a new
    one at START unless given)."""
    return make_app(
        AppOptions(questions_dir=BUNDLED, db_path=tmp_path / "unused.sqlite3"),
        store=store,
        store_thread=StoreThread(),
        clock=clock or FixedClock(),
        course_loads=[course_load(BUNDLED)],
        settings_path=tmp_path / "settings.json",
    )


def scores_loaded(app: App[Any]) -> bool:
    """Is a scores screen showing, with what it read from the store?"""
    screen = app.screen
    return isinstance(screen, ScoresScreen) and screen.is_mounted and screen.loaded


async def loaded(pilot: Pilot[Any]) -> None:
    """Wait for the scores screen's store worker, and for its results to be shown."""
    app = pilot.app
    await wait_for(pilot, lambda: scores_loaded(app), what="the scores read and shown")


def rows_of(table: DataTable[Any]) -> list[list[str]]:
    """Every row of `table`, each cell as the text it shows (stripped)."""
    return [[str(c).strip() for c in table.get_row_at(i)] for i in range(table.row_count)]
