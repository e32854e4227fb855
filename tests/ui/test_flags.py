"""Flagging a question, as a learner does it: ctrl+f wherever the focus is (a typed
answer's field too), an optional note, Enter saves, Esc cancels; in practice, in a
drill, in a review, in an exam (kept, shown to nobody until the exam is over). A real
score store, a fixed clock."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input

from quiz.domain.records import Mode
from quiz.launch import AppOptions
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.flagging import SAVED, FlagDialog
from quiz.ui.saving import StoreThread
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.screens.review import ReviewScreen
from tests.support.app import right_input, seed_for, settle, start
from tests.support.cards import take
from tests.support.courses import course_load
from tests.support.fakes import FixedClock
from tests.support.paths import MINI
from tests.support.scores_screens import loaded, scores_app
from tests.support.waiting import shown, wait_for


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    opened = ScoreStore.open(tmp_path / "scores.sqlite3")
    yield opened
    opened.close()


def mini_app(store: ScoreStore, clock: FixedClock) -> QuizApp:
    return make_app(
        AppOptions(questions_dir=MINI, db_path=Path("unused.sqlite3")),
        store=store,
        store_thread=StoreThread(),
        clock=clock,
        course_loads=[course_load(MINI)],
    )


def notified(app: QuizApp, text: str) -> bool:
    return any(n.message == text for n in app._notifications)


async def flag_with(pilot: Pilot[Any], note: str) -> FlagDialog:
    """Press ctrl+f, type `note` into the dialog, press Enter; the dialog."""
    app = pilot.app
    await pilot.press("ctrl+f")
    dialog = await shown(pilot, FlagDialog)
    assert app.focused is dialog.query_one("#flag-note", Input)
    await pilot.press(*note)
    await pilot.press("enter")
    await wait_for(pilot, lambda: not isinstance(app.screen, FlagDialog), what="the dialog closed")
    return dialog


async def test_ctrl_f_flags_a_typed_question_without_typing_into_its_field(
    store: ScoreStore,
) -> None:
    clock = FixedClock()
    app = mini_app(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-03", sections=["swelling"]), sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        field = screen.view.text_field
        assert app.focused is field
        await pilot.press(*"thr")
        # Offered in the footer while the field has the focus: the field does not take it.
        assert app.screen.active_bindings["ctrl+f"].binding.description == "Flag"
        clock.advance(42)
        await flag_with(pilot, 'two answers <b>right</b>, "3" too')
        await wait_for(pilot, lambda: notified(app, SAVED), what="Flag saved")
        assert isinstance(app.screen, PracticeScreen)
        assert field.value == "thr" and app.focused is field  # nothing typed into it
        await settle(pilot, app)
    [flag] = store.shown_flags()
    assert (flag.question_id, flag.position, flag.mode) == ("sw-03", 0, "practice")
    assert flag.note == 'two answers <b>right</b>, "3" too'
    assert flag.prompt == "Swelling usually eases within one to how many days?"
    assert flag.learner == "Ann"
    assert flag.flagged_at == clock.now()  # the app's clock, moved 42 s on


async def test_esc_in_the_flag_dialog_keeps_nothing(store: ScoreStore) -> None:
    app = mini_app(store, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-01", sections=["swelling"]), sections=["swelling"])
        await shown(pilot, PracticeScreen)
        await pilot.press("ctrl+f")
        await shown(pilot, FlagDialog)
        await pilot.press(*"never mind", "escape")
        await shown(pilot, PracticeScreen)
        await settle(pilot, app)
        assert not notified(app, SAVED)
    assert store.shown_flags() == []


async def test_a_flag_in_a_drill(store: ScoreStore, tmp_path: Path) -> None:
    clock = FixedClock()
    take(store, clock, [False, True, False, True], learner="Ann")
    app = scores_app(store, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        app.start_drill("Ann", seed=5)
        screen = await shown(pilot, PracticeScreen)
        assert screen.session.mode is Mode.DRILL
        first = screen.session.asked[screen.session.order[0]]
        await flag_with(pilot, "")
        await wait_for(pilot, lambda: notified(app, SAVED), what="Flag saved")
        await settle(pilot, app)
    [flag] = store.shown_flags()
    assert (flag.question_id, flag.mode, flag.note) == (first.question_id, "drill", "")


async def test_a_flag_in_the_review_of_the_results(store: ScoreStore) -> None:
    app = mini_app(store, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-01", sections=["swelling"]), sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        for _ in screen.session.order:
            asked = screen.session.asked[screen.session.order[screen.step]]
            await pilot.press(*right_input(asked), "enter")
            await wait_for(pilot, lambda: screen.feedback is not None, what="the feedback")
            await pilot.press("enter")
        await shown(pilot, ResultsScreen)
        await pilot.press("r")
        review = await shown(pilot, ReviewScreen)
        await pilot.press("right")
        await wait_for(pilot, lambda: review.position == 1, what="the second question")
        second = review.items[1].asked
        await flag_with(pilot, "the passage says otherwise")
        await wait_for(pilot, lambda: notified(app, SAVED), what="Flag saved")
        assert isinstance(app.screen, ReviewScreen)
        await settle(pilot, app)
    [flag] = store.shown_flags()
    assert (flag.question_id, flag.position) == (second.question_id, second.position)
    assert flag.note == "the passage says otherwise"


async def test_an_exam_flag_is_kept_hidden_until_the_exam_is_over(store: ScoreStore) -> None:
    app = mini_app(store, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=3, time_limit_seconds=600)
        screen = await shown(pilot, ExamScreen)
        await flag_with(pilot, "two answers are right")
        await wait_for(pilot, lambda: notified(app, SAVED), what="Flag saved")
        await settle(pilot, app)
        assert store.shown_flags() == []  # kept, shown to nobody while the exam runs
        attempt = app.attempt
        assert attempt is not None
        attempt_id = attempt.saver.attempt_id
        await pilot.press("ctrl+s")
        await pilot.press("y")
        await shown(pilot, ResultsScreen)
        await settle(pilot, app)
        assert screen.session.result is not None
    [flag] = store.shown_flags()
    assert flag.attempt_id == attempt_id and flag.mode == "exam"
    detail = store.get_attempt(flag.attempt_id)
    assert detail is not None and detail.summary.correct == 0  # nothing answered: 0 right


def test_snapshot_the_flag_dialog_over_a_typed_question(
    store: ScoreStore, snap_compare: Any
) -> None:
    app = mini_app(store, FixedClock())

    async def run_before(pilot: Pilot[Any]) -> None:
        start(app, seed=seed_for(app, "sw-03", sections=["swelling"]), sections=["swelling"])
        await shown(pilot, PracticeScreen)
        await pilot.press(*"thr", "ctrl+f")
        dialog = await shown(pilot, FlagDialog)
        await pilot.press(*"two answers are right <b>")
        field = dialog.query_one("#flag-note", Input)
        await wait_for(pilot, lambda: field.value.endswith("<b>"), what="the note typed")

    assert snap_compare(app, run_before=run_before, terminal_size=(80, 24))


async def test_a_flag_in_the_review_of_a_saved_attempt_from_my_scores(
    store: ScoreStore, tmp_path: Path
) -> None:
    clock = FixedClock()
    attempt_id = take(store, clock, [True, False, True, True], learner="Ann")
    app = scores_app(store, tmp_path, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        app.open_my_scores("Ann")
        await loaded(pilot)
        await pilot.press("enter")
        review = await shown(pilot, ReviewScreen)
        await flag_with(pilot, "the explanation cites another paragraph")
        await wait_for(pilot, lambda: notified(app, SAVED), what="Flag saved")
        assert isinstance(app.screen, ReviewScreen)
        first = review.items[0].asked
        await settle(pilot, app)
    [flag] = store.shown_flags()
    assert (flag.attempt_id, flag.question_id, flag.position) == (
        attempt_id,
        first.question_id,
        first.position,
    )
