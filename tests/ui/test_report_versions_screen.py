"""All staff with a question answered under two versions (issue 17): the Questions tab
has a row per version, says which is current, and the line under the table names the
version of the row highlighted. A store of questions of one version shows no version
column (tests/ui/test_scores_screens.py and its snapshots)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import DataTable, Static

from quiz.storage.scores import ScoreStore
from quiz.ui.screens.scores import AllStaffScreen
from tests.support.app import text_of
from tests.support.local_time import local_timezone
from tests.support.report_store import save
from tests.support.scores_screens import SIZE, loaded, rows_of, scores_app
from tests.support.waiting import wait_for
from tests.unit.test_report_versions import ATTEMPTS, FIXED, OLD, label


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    with local_timezone("UTC"):
        yield


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as opened:
        for given in ATTEMPTS:
            save(opened, given)
        yield opened


async def test_all_staff_lists_each_version_of_a_corrected_question(
    store: ScoreStore, tmp_path: Path
) -> None:
    app = scores_app(store, tmp_path)
    async with app.run_test(size=SIZE) as pilot:
        app.open_all_staff()
        await loaded(pilot)
        screen = app.screen
        assert isinstance(screen, AllStaffScreen)
        table = screen.query_one("#question-table", DataTable)
        headers = [str(c.label).strip() for c in table.ordered_columns]
        assert headers[:3] == ["Question", "Version", "Section"]
        rows = rows_of(table)
        assert [(r[0], r[1], r[3], r[4]) for r in rows if r[0] == "swelling-01"] == [
            ("swelling-01", f"{label(FIXED)} current", "3", "67%"),
            ("swelling-01", f"{label(OLD)} older", "3", "33%"),
        ]
        assert [r[1] for r in rows if r[0] != "swelling-01"] == ["", ""]  # one version each
        await pilot.press("2", "down")

        def detail() -> str:
            return text_of(screen.query_one("#question-detail", Static))

        older = f"swelling-01 ({label(OLD)}, older version)"
        await wait_for(pilot, lambda: detail().startswith(older), what="the older row's detail")
        assert "A few hours 2 of 3 (67%)" in detail()
