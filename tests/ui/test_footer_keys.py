"""The footer never offers a key that something else takes where the focus is.

While a text field has the focus it types every character key, so no character key
may be in the footer then; once the focus leaves the field, the keys come back and
do what the footer says.
"""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widgets import Input

from quiz.domain.records import Mode
from quiz.ui.app import QuizApp
from quiz.ui.screens.dialogs import NameDialog
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.scores import MyScoresScreen
from tests.support.app import build_app, seed_for, start
from tests.support.waiting import wait_for


def offered(app: QuizApp) -> dict[str, str]:
    """The keys the footer shows now (key -> description)."""
    shown = {}
    for key, active in app.screen.active_bindings.items():
        if active.binding.show:
            shown[key] = active.binding.description
    return shown


def typed_keys(app: QuizApp) -> list[str]:
    return [key for key in offered(app) if len(key) == 1 or key == "space"]


async def test_home_name_field_offers_no_letter_and_m_types_into_the_name() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.focused, Input), what="the name field focused")
        assert app.focused is not None and app.focused.id == "learner"
        assert typed_keys(app) == [], f"the footer offers {offered(app)} while typing a name"
        await pilot.press(*"Maria", "space", "m")
        assert app.query_one("#learner", Input).value == "Maria m"
        assert isinstance(app.screen, HomeScreen), "m typed; it did not open My scores"
        # Leaving the field brings the keys back, and they do what they say.
        await pilot.press("tab")
        await wait_for(pilot, lambda: "m" in offered(app), what="m offered once the field is left")
        assert offered(app)["m"] == "My scores"
        await pilot.press("m")
        await wait_for(pilot, lambda: isinstance(app.screen, MyScoresScreen), what="My scores")


async def _typed_question_offers_no_letter(pilot: Pilot[Any], app: QuizApp) -> None:
    await wait_for(pilot, lambda: isinstance(app.focused, Input), what="the answer field focused")
    assert typed_keys(app) == [], f"the footer offers {offered(app)} while typing an answer"
    await pilot.press(*"a b s")
    assert app.screen.query_one("#short-answer", Input).value == "a b s"


async def test_practice_typed_answer_offers_no_letter() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(
            app,
            Mode.PRACTICE,
            seed=seed_for(app, "sw-03", sections=["swelling"]),
            sections=["swelling"],
        )
        await _typed_question_offers_no_letter(pilot, app)
        # After the answer the field is done with: the passage key is offered again.
        await pilot.press("enter")
        await wait_for(pilot, lambda: "s" in offered(app), what="s offered after the answer")


async def test_exam_typed_answer_offers_no_letter() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        seed = seed_for(app, "sw-03", sections=["swelling"])
        start(app, Mode.EXAM, seed=seed, sections=["swelling"], time_limit_seconds=600)
        await _typed_question_offers_no_letter(pilot, app)


async def test_name_dialog_offers_no_letter_and_enter_starts() -> None:
    app = build_app(mode="practice")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: isinstance(app.screen, NameDialog), what="the name dialog")
        await wait_for(pilot, lambda: isinstance(app.focused, Input), what="its field focused")
        assert typed_keys(app) == []
        await pilot.press(*"Ann", "enter")
        await wait_for(pilot, lambda: app.attempt is not None, what="the attempt started")
        assert app.attempt is not None and app.attempt.learner == "Ann"
