"""Who sat it (issue 18 §1) in the app: a learner's PIN before anything starts under her
name, the growing wait after wrong ones, a manager's PIN before a witnessed exam and
before All staff, and what each attempt records."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Static

from quiz.domain.identity import Identification
from quiz.launch import AppOptions
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.saving import StoreThread
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.pin_dialogs import LearnerPinDialog, ManagerPinDialog, NewPinDialog
from quiz.ui.screens.scores import AllStaffScreen, MyScoresScreen
from tests.support.app import settle, text_of, typed_keys
from tests.support.courses import course_load
from tests.support.fakes import FixedClock
from tests.support.paths import MINI
from tests.support.waiting import shown, wait_for

PIN = "2580"


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as opened:
        yield opened


def witnessed_course(tmp_path: Path) -> Path:
    """The mini course with its exam preset witnessed."""
    folder = tmp_path / "witnessed"
    shutil.copytree(MINI, folder)
    course = folder / "course.yaml"
    text = course.read_text(encoding="utf-8")
    course.write_text(text.replace("    pass_mark: 80\n", "    pass_mark: 80\n    witness: true\n"))
    return folder


def app_for(store: ScoreStore, clock: FixedClock, folder: Path = MINI, **options: Any) -> QuizApp:
    return make_app(
        AppOptions(questions_dir=folder, db_path=store.path, **options),
        store=store,
        store_thread=StoreThread(),
        clock=clock,
        course_loads=[course_load(folder)],
        settings_path=store.path.with_name("settings.json"),
    )


def problem(app: QuizApp) -> str:
    return text_of(app.screen.query_one("#pin-problem", Static))


async def type_pin(pilot: Pilot[Any], pin: str) -> None:
    await pilot.press(*pin, "enter")


async def said(pilot: Pilot[Any], app: QuizApp, words: str) -> str:
    await wait_for(pilot, lambda: words in problem(app), what=f"the dialog to say {words!r}")
    return problem(app)


async def test_a_learner_with_a_pin_cannot_be_impersonated_by_typing_her_name(
    store: ScoreStore,
) -> None:
    clock = FixedClock()
    store.set_learner_pin("Ann", PIN, by="manager", now=clock.now())
    app = app_for(store, clock, exam="check", learner="ann")  # her name, as anyone types it
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await shown(pilot, LearnerPinDialog)
        assert dialog.query_one("#pin", Input).password  # masked
        await type_pin(pilot, "1111")
        assert "Wrong PIN. 4 more tries before you must wait." in await said(pilot, app, "Wrong")
        assert dialog.query_one("#pin", Input).value == ""  # the wrong PIN is gone
        await pilot.press("escape")
        await shown(pilot, HomeScreen)
        await settle(pilot, app)
        assert app.attempt is None
    assert store.list_attempts() == []  # nothing started: no attempt row


async def test_her_right_pin_starts_the_exam_and_the_attempt_records_pin(
    store: ScoreStore,
) -> None:
    clock = FixedClock()
    store.set_learner_pin("Ann", PIN, by="learner", now=clock.now())
    app = app_for(store, clock, exam="check", learner="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, LearnerPinDialog)
        await type_pin(pilot, PIN)
        await shown(pilot, ExamScreen)
        await settle(pilot, app)
    (attempt,) = store.list_attempts()
    assert attempt.identified is Identification.PIN


async def test_after_five_wrong_pins_she_waits_and_the_wait_doubles(store: ScoreStore) -> None:
    clock = FixedClock()
    store.set_learner_pin("Ann", PIN, by="manager", now=clock.now())
    app = app_for(store, clock, exam="check", learner="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, LearnerPinDialog)
        for tries_left in (4, 3, 2, 1):
            await type_pin(pilot, "1111")
            await said(pilot, app, f"{tries_left} more tr")
        await type_pin(pilot, "1111")
        assert "Wait 30 seconds, then try again." in await said(pilot, app, "Wait 30")
        await type_pin(pilot, PIN)  # the right PIN, too soon: not even checked
        await said(pilot, app, "Wait 30")
        clock.advance(20)
        await type_pin(pilot, PIN)
        assert "Wait 10 seconds" in await said(pilot, app, "Wait 10")
        clock.advance(10)
        await type_pin(pilot, "1111")  # the sixth wrong one: twice as long
        assert "Wait 60 seconds" in await said(pilot, app, "Wait 60")
        clock.advance(60)
        await type_pin(pilot, PIN)
        await shown(pilot, ExamScreen)
        await settle(pilot, app)
    (attempt,) = store.list_attempts()
    assert attempt.identified is Identification.PIN


async def test_pins_and_enters_in_one_burst_are_each_checked_in_order(
    store: ScoreStore,
) -> None:
    """A wrong PIN, Enter, the right one, Enter, typed before the first answer is back:
    the second Enter waits for the first check, then checks the second PIN."""
    clock = FixedClock()
    store.set_learner_pin("Ann", PIN, by="manager", now=clock.now())
    app = app_for(store, clock, exam="check", learner="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, LearnerPinDialog)
        await pilot.press(*"1111", "enter", *PIN, "enter")
        await shown(pilot, ExamScreen)
        await settle(pilot, app)
    (attempt,) = store.list_attempts()
    assert attempt.identified is Identification.PIN
    assert store.check_learner_pin("Ann", "0000", now=clock.now()).tries_left == 4  # reset


async def test_esc_right_after_a_wrong_pin_cancels_and_nothing_starts(store: ScoreStore) -> None:
    clock = FixedClock()
    store.set_learner_pin("Ann", PIN, by="manager", now=clock.now())
    app = app_for(store, clock, exam="check", learner="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, LearnerPinDialog)
        await pilot.press(*"1111", "enter", "escape")  # in order: checked, then closed
        await shown(pilot, HomeScreen)
        await settle(pilot, app)
        assert app.attempt is None
    assert store.list_attempts() == []
    assert store.check_learner_pin("Ann", "0000", now=clock.now()).tries_left == 3  # counted


async def test_the_wait_is_kept_in_the_store_not_in_the_app(store: ScoreStore) -> None:
    """Closing the app (or opening another one) does not start the count again."""
    clock = FixedClock()
    store.set_learner_pin("Ann", PIN, by="manager", now=clock.now())
    for _ in range(5):
        store.check_learner_pin("Ann", "9999", now=clock.now())
    app = app_for(store, clock, exam="check", learner="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, LearnerPinDialog)
        await type_pin(pilot, PIN)
        assert "Wait 30 seconds" in await said(pilot, app, "Wait")


async def test_a_witnessed_exam_does_not_start_without_a_manager(
    store: ScoreStore, tmp_path: Path
) -> None:
    app = app_for(store, FixedClock(), witnessed_course(tmp_path), exam="check", learner="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: app._notifications, what="a message")
        (note,) = [n.message for n in app._notifications]
        assert "witnessed by a manager" in note and "quiz managers add" in note
        await settle(pilot, app)
        assert app.attempt is None
    assert store.list_attempts() == []


async def test_a_witnessed_exam_starts_only_after_a_managers_pin(
    store: ScoreStore, tmp_path: Path
) -> None:
    clock = FixedClock()
    store.add_manager("Mia Boss", "4711", now=clock.now())
    app = app_for(store, clock, witnessed_course(tmp_path), exam="check", learner="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await shown(pilot, ManagerPinDialog)
        assert dialog.query_one("#pin", Input).password
        await pilot.press(*typed_keys("Mia Boss"), "enter", *PIN, "enter")  # Ann's guess
        assert "Wrong manager name or PIN" in await said(pilot, app, "Wrong")
        await pilot.press(*"4711", "enter")
        # Ann has no PIN and the clinic has managers: she is offered one (Esc: not now).
        await shown(pilot, NewPinDialog)
        await pilot.press("escape")
        await shown(pilot, ExamScreen)
        await settle(pilot, app)
    (attempt,) = store.list_attempts()
    assert attempt.identified is Identification.WITNESSED
    assert not store.learner_has_pin("Ann")


async def test_a_learner_sets_her_pin_when_offered_and_it_is_asked_next_time(
    store: ScoreStore,
) -> None:
    clock = FixedClock()
    store.add_manager("Mia Boss", "4711", now=clock.now())
    app = app_for(store, clock, exam="check", learner="Ann")
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, NewPinDialog)
        await pilot.press(*PIN, "enter", *"2581", "enter")
        assert "The two PINs differ" in await said(pilot, app, "differ")
        await pilot.press(*PIN, "enter", *PIN, "enter")
        await shown(pilot, ExamScreen)
        await settle(pilot, app)
    (attempt,) = store.list_attempts()
    assert attempt.identified is Identification.TYPED  # a PIN set just now proves nothing yet
    assert store.learner_has_pin("Ann")
    assert store.check_learner_pin("Ann", PIN, now=clock.now()).ok


async def test_my_scores_needs_her_pin_and_all_staff_a_managers(store: ScoreStore) -> None:
    clock = FixedClock()
    store.set_learner_pin("Ann", PIN, by="manager", now=clock.now())
    store.add_manager("Mia Boss", "4711", now=clock.now())
    app = app_for(store, clock)
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, HomeScreen)
        app.open_my_scores("Ann")
        await shown(pilot, LearnerPinDialog)
        await type_pin(pilot, "1111")
        await said(pilot, app, "Wrong PIN")
        assert not isinstance(app.screen, MyScoresScreen)
        await type_pin(pilot, PIN)
        await shown(pilot, MyScoresScreen)
        app.pop_screen()
        await shown(pilot, HomeScreen)
        app.open_all_staff()
        await shown(pilot, ManagerPinDialog)
        await pilot.press("escape")
        await shown(pilot, HomeScreen)
        app.open_all_staff()
        await shown(pilot, ManagerPinDialog)
        await pilot.press(*typed_keys("mia boss"), "enter", *"4711", "enter")
        await shown(pilot, AllStaffScreen)


async def test_without_managers_all_staff_opens_as_before(store: ScoreStore) -> None:
    app = app_for(store, FixedClock())
    async with app.run_test(size=(80, 24)) as pilot:
        await shown(pilot, HomeScreen)
        app.open_all_staff()
        await shown(pilot, AllStaffScreen)


# --- snapshots ----------------------------------------------------------------------------


def test_snapshot_the_learner_pin_dialog_after_a_wrong_pin(
    snap_compare: Any, tmp_path: Path
) -> None:
    store = ScoreStore.open(tmp_path / "scores.sqlite3")
    clock = FixedClock()
    store.set_learner_pin("Ann [admin]", PIN, by="manager", now=clock.now())
    app = app_for(store, clock, exam="check", learner="Ann [admin]")

    async def wrong(pilot: Pilot[Any]) -> None:
        await shown(pilot, LearnerPinDialog)
        await type_pin(pilot, "1111")
        await said(pilot, app, "Wrong")
        await pilot.press(*"12")  # masked as it is typed

    try:
        assert snap_compare(app, run_before=wrong, terminal_size=(80, 24))
    finally:
        store.close()


def test_snapshot_the_witness_dialog(snap_compare: Any, tmp_path: Path) -> None:
    store = ScoreStore.open(tmp_path / "scores.sqlite3")
    clock = FixedClock()
    store.add_manager("Mia Boss", "4711", now=clock.now())
    app = app_for(store, clock, witnessed_course(tmp_path), exam="check", learner="Ann")

    async def typed(pilot: Pilot[Any]) -> None:
        await shown(pilot, ManagerPinDialog)
        await pilot.press(*typed_keys("Mia Boss"), "enter", *"47")

    try:
        assert snap_compare(app, run_before=typed, terminal_size=(80, 24))
    finally:
        store.close()
