"""A typed answer with one slip in a long word counts, and the feedback shows the right
spelling; the store keeps exactly what was typed."""

from __future__ import annotations

from textual.widgets import Static

from quiz.domain.records import Mode
from tests.ui.fakes import FakeStore
from tests.ui.helpers import FIXTURES, build_app, seed_for, settle, start
from tests.ui.waiting import wait_until

KEYS = FIXTURES / "keys"


def _texts(app: object) -> str:
    return "\n".join(str(s.render()) for s in app.screen.query(Static))  # type: ignore[attr-defined]


async def test_a_slip_is_forgiven_and_the_spelling_shown() -> None:
    store = FakeStore()
    app = build_app(KEYS, store=store)
    async with app.run_test(size=(80, 40)) as pilot:
        start(app, Mode.PRACTICE, seed=seed_for(app, "k1"))
        await wait_until(pilot, lambda: app.screen.query("#short-answer"), "the typed question")
        await pilot.press(*"The colagen.", "enter")
        await wait_until(pilot, lambda: "The right spelling" in _texts(app), "the spelling line")
        text = _texts(app)
        assert "✓ Correct" in text
        assert "Accepted with a spelling slip. The right spelling: collagen" in text
        await settle(pilot, app)
    (answer,) = store.only.answers
    assert answer.response == "The colagen." and answer.correct


async def test_two_slips_are_wrong_and_no_spelling_line() -> None:
    app = build_app(KEYS)
    async with app.run_test(size=(80, 40)) as pilot:
        start(app, Mode.PRACTICE, seed=seed_for(app, "k1"))
        await wait_until(pilot, lambda: app.screen.query("#short-answer"), "the typed question")
        await pilot.press(*"colagne", "enter")
        await wait_until(pilot, lambda: "Incorrect" in _texts(app), "the verdict")
        assert "spelling" not in _texts(app)
