"""A typed answer with one slip in a long word counts, and the feedback shows the right
spelling; the store keeps exactly what was typed."""

from __future__ import annotations

from quiz.domain.records import Mode
from tests.support.app import build_app, screen_text, seed_for, settle, start
from tests.support.fakes import FakeStore
from tests.support.paths import FIXTURES
from tests.support.waiting import wait_for

KEYS = FIXTURES / "keys"


async def test_a_slip_is_forgiven_and_the_spelling_shown() -> None:
    store = FakeStore()
    app = build_app(KEYS, store=store)
    async with app.run_test(size=(80, 40)) as pilot:
        start(app, Mode.PRACTICE, seed=seed_for(app, "k1"))
        await wait_for(pilot, lambda: app.screen.query("#short-answer"), what="the typed question")
        await pilot.press(*"The colagen.", "enter")
        await wait_for(
            pilot, lambda: "The right spelling" in screen_text(app), what="the spelling line"
        )
        text = screen_text(app)
        assert "✓ Correct" in text
        assert "Accepted with a spelling slip. The right spelling: collagen" in text
        await settle(pilot, app)
    (answer,) = store.only.answers
    assert answer.response == "The colagen." and answer.correct


async def test_two_slips_are_wrong_and_no_spelling_line() -> None:
    app = build_app(KEYS)
    async with app.run_test(size=(80, 40)) as pilot:
        start(app, Mode.PRACTICE, seed=seed_for(app, "k1"))
        await wait_for(pilot, lambda: app.screen.query("#short-answer"), what="the typed question")
        await pilot.press(*"colagne", "enter")
        await wait_for(pilot, lambda: "Incorrect" in screen_text(app), what="the verdict")
        assert "spelling" not in screen_text(app)
