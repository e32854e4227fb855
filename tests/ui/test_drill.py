"""The drill, as a trainee meets it: the questions she missed are due, the home screen
counts them, the round asks them first and brings a miss back, and the results say
what comes back when. A real score store (the cards are the store's), a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, Static

from quiz.domain.records import Mode
from quiz.launch import AppOptions
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
from quiz.ui.screens.dialogs import ConfirmDialog
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.results import ResultsScreen
from tests.support.app import right_input, screen_text, text_of, wrong_input
from tests.support.cards import take
from tests.support.courses import course_load
from tests.support.fakes import FixedClock
from tests.support.paths import BUNDLED
from tests.support.scores_screens import scores_app
from tests.support.waiting import shown, wait_for

MISSED = {"swelling-01", "bruising-02"}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    opened = ScoreStore.open(tmp_path / "scores.sqlite3")
    yield opened
    opened.close()


async def test_a_practice_miss_is_drilled_first_and_comes_back_in_the_round(
    store: ScoreStore, tmp_path: Path
) -> None:
    clock = FixedClock()
    # A practice round of four questions, two of them missed (tests.support.cards).
    take(store, clock, [False, True, False, True], learner="Ann")
    app = scores_app(store, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        home = app.home
        home.query_one("#learner", Input).value = "Ann"
        await pilot.press("tab")  # the name is known once the field is left
        drill = home.query_one("#kind-drill", RadioButton)
        await wait_for(pilot, lambda: "2 due for you" in str(drill.label), what="the drill's count")
        drill.value = True
        await pilot.press("ctrl+s")
        screen = await shown(pilot, PracticeScreen)
        session = screen.session
        assert session.mode is Mode.DRILL
        assert {a.question_id for a in session.asked} == MISSED
        first, second = session.asked

        # The first one missed again: it comes back at the end of the round.
        await pilot.press(*wrong_input(first), "enter")
        await wait_for(pilot, lambda: screen.feedback is not None, what="the feedback")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.position == second.position, what="question 2")
        await pilot.press(*right_input(second), "enter")
        await wait_for(pilot, lambda: screen.feedback is not None, what="the feedback")
        await pilot.press("enter")
        await wait_for(pilot, lambda: screen.position == first.position, what="asked again")
        assert "asked again" in text_of(screen.query_one("#question-meta", Static))
        assert "Question 3 of 3" in text_of(screen.query_one("#question-meta", Static))
        await pilot.press(*right_input(first), "enter")
        await wait_for(pilot, lambda: screen.feedback is not None, what="the feedback")
        await pilot.press("enter")

        results = await shown(pilot, ResultsScreen)
        assert (
            "2 questions: 1 right the first time, 1 fixed after a miss, 0 still to learn."
            in screen_text(app)
        )
        next_line = results.query_one("#results-next", Static)
        await wait_for(pilot, lambda: text_of(next_line), what="when they come back")
        assert "1 of them comes back in your next drill" in text_of(next_line)
        assert "The next of the others falls due on " in text_of(next_line)
    # Only the first answer in a drill is a review: the one missed is due again now,
    # the one right the first time is not due before a later day.
    due = {c.question_id for c in store.due_questions("Ann", now=clock.now())}
    assert due == {first.question_id}


async def test_with_nothing_due_the_drill_says_when_and_offers_the_weakest_section(
    store: ScoreStore, tmp_path: Path
) -> None:
    clock = FixedClock()
    take(store, clock, [True, True, True, True], learner="Ann")
    app = scores_app(store, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        app.start_drill("Ann")
        dialog = await shown(pilot, ConfirmDialog)
        text = screen_text(app)
        assert "No question is due for a drill now." in text
        assert "The next one falls due tomorrow at" in text or "falls due on" in text
        assert "Practise your weakest section" in text
        await pilot.press("y")
        screen = await shown(pilot, PracticeScreen)
        assert screen.session.mode is Mode.PRACTICE
        assert len(screen.session.selection.sections) == 1
        assert dialog is not app.screen


async def test_a_learner_with_no_cards_is_told_what_a_drill_is(
    store: ScoreStore, tmp_path: Path
) -> None:
    app = scores_app(store, tmp_path, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        app.start_drill("Nobody")
        await shown(pilot, ConfirmDialog)
        assert "You have no questions to drill yet." in screen_text(app)


async def test_quiz_mode_drill_opens_straight_into_the_round(
    store: ScoreStore, tmp_path: Path
) -> None:
    clock = FixedClock()
    take(store, clock, [False, True, False, True], learner="Ann")
    app = make_app(
        AppOptions(
            questions_dir=BUNDLED,
            db_path=tmp_path / "unused.sqlite3",
            mode="drill",
            learner="Ann",
            count=1,
            sections=("bruising",),
        ),
        store=store,
        store_thread=StoreThread(),
        clock=clock,
        course_loads=[course_load(BUNDLED)],
        settings_path=tmp_path / "settings.json",
    )
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await shown(pilot, PracticeScreen)
        assert screen.session.mode is Mode.DRILL
        assert [a.question_id for a in screen.session.asked] == ["bruising-02"]


# --- the new screens, as SVG snapshots (each looked at as a PNG before it was accepted)


async def _drill_to_the_second_asking(pilot: Pilot[Any]) -> PracticeScreen:
    app = pilot.app
    assert isinstance(app, QuizApp)
    await wait_for(pilot, lambda: app.home.form_shown, what="the form")
    app.start_drill("Ann", seed=5)  # the choices' order: the same every run
    screen = await shown(pilot, PracticeScreen)
    first, second = screen.session.asked
    await pilot.press(*wrong_input(first), "enter")
    await wait_for(pilot, lambda: screen.feedback is not None, what="the feedback")
    await pilot.press("enter")
    await pilot.press(*right_input(second), "enter")
    await wait_for(pilot, lambda: screen.feedback is not None, what="the feedback")
    await pilot.press("enter")
    await wait_for(pilot, lambda: screen.step == 2, what="the question asked again")
    return screen


def test_snapshot_a_drill_question_asked_again(
    store: ScoreStore, tmp_path: Path, snap_compare: Any
) -> None:
    clock = FixedClock()
    take(store, clock, [False, True, False, True], learner="Ann")
    app = scores_app(store, tmp_path, clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        await _drill_to_the_second_asking(pilot)

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


def test_snapshot_the_results_of_a_drill(
    store: ScoreStore, tmp_path: Path, snap_compare: Any
) -> None:
    clock = FixedClock()
    take(store, clock, [False, True, False, True], learner="Ann")
    app = scores_app(store, tmp_path, clock)

    async def run_before(pilot: Pilot[Any]) -> None:
        screen = await _drill_to_the_second_asking(pilot)
        await pilot.press(*right_input(screen.session.asked[0]), "enter")
        await wait_for(pilot, lambda: screen.feedback is not None, what="the feedback")
        await pilot.press("enter")
        results = await shown(pilot, ResultsScreen)
        line = results.query_one("#results-next", Static)
        await wait_for(pilot, lambda: text_of(line), what="when they come back")

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))
