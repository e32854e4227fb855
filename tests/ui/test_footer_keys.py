"""The footer never offers a key that something else takes where the focus is.

While a text field has the focus it types every character key, so no character key
may be in the footer then; once the focus leaves the field, the keys come back and
do what the footer says.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.widgets import Button, Input

from quiz.domain.records import Mode
from quiz.settings import Settings, save_settings
from quiz.ui.app import QuizApp
from quiz.ui.attempt import new_session
from quiz.ui.screens.dialogs import ConfirmDialog, ExamWaitingDialog, NameDialog
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.scores import MyScoresScreen
from tests.support.app import build_app, seed_for, start
from tests.support.courses import course_load
from tests.support.fakes import FakeStore, FixedClock
from tests.support.paths import MINI
from tests.support.paused import paused_from
from tests.support.waiting import shown, wait_for


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


async def test_a_waiting_exam_offers_its_letters_and_none_the_focused_button_takes(
    tmp_path: Path,
) -> None:
    """The dialog's footer offers r, g and Esc; the focused button takes Enter and Space,
    which the footer does not offer; each letter does what the footer says."""
    course = course_load(MINI).course
    assert course is not None
    clock = FixedClock()
    exam = new_session(course, clock, mode=Mode.EXAM, preset=course.exams["check"], seed=1)
    store = FakeStore()
    store.paused = [paused_from(exam, learner="Ann")]
    settings = tmp_path / "settings.json"
    save_settings(Settings(last_learner="Ann"), settings)
    app = build_app(store=store, clock=clock, settings_path=settings)
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await shown(pilot, ExamWaitingDialog)
        await wait_for(pilot, lambda: "r" in offered(app), what="the dialog's keys")
        assert offered(app) == {"r": "Resume", "g": "Give up", "escape": "Not now"}
        focused = app.focused
        assert isinstance(focused, Button) and focused.id == "resume"
        assert not {"enter", "space"} & set(offered(app))
        await pilot.press("g")
        await shown(pilot, ConfirmDialog)
        assert dialog is not app.screen
