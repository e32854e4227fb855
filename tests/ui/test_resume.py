"""Paused attempts in the app, as a trainee meets them: a practice round left with Esc is
offered first on the home screen and taken up where it was left; a paused exam is
offered first, with its time left, before anything else can start; `--resume` goes
straight to it. A real score store; a fixed clock at the real time now (the store ends
paused attempts by the real time)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, RadioButton, Static

from quiz.domain.answers import response_for, right_indexes
from quiz.domain.model import Course
from quiz.domain.pausing import Leaving
from quiz.domain.records import AttemptStatus, Mode, Response
from quiz.domain.session import QuizSession
from quiz.launch import AppOptions
from quiz.settings import Settings, save_settings
from quiz.storage.scores import ScoreStore
from quiz.ui.app import QuizApp, make_app
from quiz.ui.attempt import new_session
from quiz.ui.saving import StoreThread
from quiz.ui.screens.dialogs import ConfirmDialog, ExamWaitingDialog
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.widgets.countdown import Countdown
from tests.support.app import right_input, start, text_of
from tests.support.courses import course_load
from tests.support.fakes import FixedClock
from tests.support.paths import BUNDLED
from tests.support.waiting import shown, wait_for

SIZE = (80, 24)


@pytest.fixture
def clock() -> FixedClock:
    moved = FixedClock()
    # Whole seconds: the store keeps times to the millisecond.
    moved.advance(int((datetime.now(UTC) - moved.now()).total_seconds()))
    return moved


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as opened:
        yield opened


def bundled() -> Course:
    course = course_load(BUNDLED).course
    assert course is not None
    return course


def app_for(
    store: ScoreStore,
    tmp_path: Path,
    clock: FixedClock,
    *,
    remembered: str | None = "Ann",
    **options: Any,
) -> QuizApp:
    """The app on the bundled course and `store`; `remembered` is the last learner (the
    home screen's name field holds it)."""
    settings = tmp_path / "settings.json"
    if remembered is not None:
        save_settings(Settings(last_learner=remembered), settings)
    return make_app(
        AppOptions(questions_dir=BUNDLED, db_path=tmp_path / "unused.sqlite3", **options),
        store=store,
        store_thread=StoreThread(),
        clock=clock,
        course_loads=[course_load(BUNDLED)],
        settings_path=settings,
    )


def right_response(session: QuizSession, position: int) -> Response:
    asked = session.asked[position]
    if asked.type == "short":
        return session.questions[position].answer[0]
    return response_for(asked, right_indexes(asked))


def right(session: QuizSession, position: int) -> None:
    session.answer(position, right_response(session, position))


def paused_exam(store: ScoreStore, clock: FixedClock, answered: int = 2) -> QuizSession:
    """The staff check started by Ann on this computer, `answered` questions answered in a
    minute, then its process gone: paused."""
    course = bundled()
    session = new_session(
        course, clock, mode=Mode.EXAM, preset=course.exams["staff-check"], seed=11
    )
    attempt_id = store.start_attempt(session.attempt_start("Ann"))
    clock.advance(60)
    for position in range(answered):
        right(session, position)
        store.record_answer(attempt_id, session.history[-1])
    store.finish_attempt(attempt_id, session.leave(Leaving.GONE))
    session.resumed_from = attempt_id  # for the test: which attempt it is
    return session


def paused_practice(store: ScoreStore, clock: FixedClock, answered: int = 1) -> str:
    course = bundled()
    session = new_session(course, clock, mode=Mode.PRACTICE, sections=["swelling"], count=4, seed=2)
    attempt_id = store.start_attempt(session.attempt_start("Ann"))
    for position in range(answered):
        right(session, position)
        store.record_answer(attempt_id, session.history[-1])
    store.finish_attempt(attempt_id, session.leave(Leaving.LEFT))
    return attempt_id


def offer_buttons(app: QuizApp) -> list[RadioButton]:
    return [b for b in app.home.query(RadioButton) if (b.id or "").startswith("kind-resume")]


async def offered(pilot: Pilot[Any], app: QuizApp, label: str) -> RadioButton:
    """Wait for the home screen to offer a paused round labelled `label`, chosen."""
    await wait_for(
        pilot,
        lambda: any(str(b.label) == label and b.value for b in offer_buttons(app)),
        what=f"{label!r} offered and chosen",
    )
    (button,) = [b for b in offer_buttons(app) if str(b.label) == label]
    return button


async def answer_on_screen(pilot: Pilot[Any], screen: PracticeScreen) -> None:
    """Answer the question shown rightly, and go on past its feedback."""
    await pilot.press(*right_input(screen.session.asked[screen.position]), "enter")
    await wait_for(pilot, lambda: screen.feedback is not None, what="the feedback")
    await pilot.press("enter")


# --- practice -------------------------------------------------------------------------


async def test_a_round_left_with_esc_is_offered_first_and_taken_up_where_it_was_left(
    store: ScoreStore, tmp_path: Path, clock: FixedClock
) -> None:
    app = app_for(store, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        start(app, Mode.PRACTICE, learner="Ann", sections=["swelling"], count=4, seed=5)
        screen = await shown(pilot, PracticeScreen)
        asked = screen.session.asked
        await answer_on_screen(pilot, screen)
        await answer_on_screen(pilot, screen)
        await wait_for(pilot, lambda: screen.step == 2, what="the third question")
        await pilot.press("escape")
        await shown(pilot, HomeScreen)
        assert any(
            "Practice paused with 2 of 4 questions left" in str(n.message)
            for n in app._notifications
        )
        await offered(pilot, app, "Resume practice: 2 of 4 left")
        (summary,) = store.list_attempts()
        assert summary.status is AttemptStatus.PAUSED
        assert app.home.query_one("#count", Input).placeholder == "2 left (paused)"

        await pilot.press("ctrl+s")
        again = await shown(pilot, PracticeScreen)
        assert again.session.asked == asked and again.session.resumed_from == summary.id
        assert again.step == 2 and again.position == 2
        assert again.session.answered_count == 2
        assert "Question 3 of 4" in text_of(again.query_one("#question-meta", Static))
        await answer_on_screen(pilot, again)
        await answer_on_screen(pilot, again)
        await shown(pilot, ResultsScreen)
        await pilot.press("escape")
        await shown(pilot, HomeScreen)
        await wait_for(pilot, lambda: not offer_buttons(app), what="nothing offered any more")
    (summary,) = store.list_attempts()
    assert summary.status is AttemptStatus.COMPLETED and summary.correct == 4
    detail = store.get_attempt(summary.id)
    assert detail is not None and len(detail.history) == 4


async def test_a_new_round_gives_up_a_paused_one_only_once_the_learner_was_shown_it(
    store: ScoreStore, tmp_path: Path, clock: FixedClock
) -> None:
    paused = paused_practice(store, clock)
    app = app_for(store, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        course = bundled()
        # A start asked for before the offer reached the screen: it is shown instead.
        session = new_session(course, clock, mode=Mode.PRACTICE, sections=["bruising"], count=2)
        app.post_message(HomeScreen.StartRequested(session, "Ann", None, frozenset()))
        await offered(pilot, app, "Resume practice: 3 of 4 left")
        problem = app.home.query_one("#home-problem", Static)
        await wait_for(pilot, lambda: "A paused practice round" in text_of(problem), what="why")
        assert app.attempt is None
        # Practice chosen over it: the new round starts, and the paused one is given up.
        app.home.query_one("#kind-practice", RadioButton).value = True
        await wait_for(pilot, lambda: app.home._chosen_paused() is None, what="practice chosen")
        await pilot.press("ctrl+s")
        await shown(pilot, PracticeScreen)
        await wait_for(
            pilot,
            lambda: any("was given up" in str(n.message) for n in app._notifications),
            what="the learner told",
        )
        app.store_thread.call(lambda: None)
    detail = store.get_attempt(paused)
    assert detail is not None and detail.summary.status is AttemptStatus.ABANDONED


async def test_another_name_typed_takes_the_offers_away(
    store: ScoreStore, tmp_path: Path, clock: FixedClock
) -> None:
    paused_practice(store, clock)
    app = app_for(store, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.home.form_shown, what="the form")
        await offered(pilot, app, "Resume practice: 3 of 4 left")
        app.home.query_one("#learner", Input).value = "Bo"
        await wait_for(pilot, lambda: not offer_buttons(app), what="Ann's offer taken away")
        assert app.home._chosen_paused() is None
        await pilot.press("ctrl+s")
        screen = await shown(pilot, PracticeScreen)
        assert screen.attempt.learner == "Bo" and screen.session.resumed_from is None


# --- exams ----------------------------------------------------------------------------


async def test_a_paused_exam_is_offered_first_with_its_real_time_left_and_resumed(
    store: ScoreStore, tmp_path: Path, clock: FixedClock
) -> None:
    first = paused_exam(store, clock)
    clock.advance(240)  # away four minutes: five of the fifteen used
    app = app_for(store, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        dialog = await shown(pilot, ExamWaitingDialog)
        countdown = dialog.query_one(Countdown)
        await wait_for(pilot, lambda: "Time left" in str(countdown.render()), what="the time")
        assert str(countdown.render()) == "Time left 10:00"
        assert "Staff knowledge check: 2 of 20 questions answered" in "\n".join(
            text_of(s) for s in dialog.query(Static)
        )
        # Not now: back home, but nothing starts before the learner chooses.
        await pilot.press("escape")
        await shown(pilot, HomeScreen)
        await pilot.press("ctrl+s")
        await shown(pilot, ExamWaitingDialog)
        assert app.attempt is None
        await pilot.press("r")
        screen = await shown(pilot, ExamScreen)
        session = screen.session
        assert session.resumed_from == first.resumed_from
        assert session.asked == first.asked
        given = [(r.question_id, r.response, r.correct) for r in session.history]
        assert given == [(r.question_id, r.response, r.correct) for r in first.history]
        assert screen.position == 2 and session.remaining_seconds() == 600
        for position in range(2, len(session.asked)):
            screen.attempt.answer(position, right_response(session, position))  # saved
        screen.show_question(screen.position)
        clock.advance(30)
        await pilot.press("ctrl+s")
        await shown(pilot, ConfirmDialog)
        await pilot.press("y")
        await shown(pilot, ResultsScreen)
        assert "time used 5:30 of 15:00" in "\n".join(text_of(s) for s in app.screen.query(Static))
        assert await running_saved(app)
    (summary,) = store.list_attempts()
    assert summary.status is AttemptStatus.COMPLETED and summary.passed is True
    assert summary.finished_at is not None
    assert (summary.finished_at - summary.started_at).total_seconds() == 330
    detail = store.get_attempt(summary.id)
    assert detail is not None and len(detail.history) == 20


async def running_saved(app: QuizApp) -> bool:
    attempt = app.attempt
    return attempt is not None and await attempt.wait_saved() is None


async def test_giving_up_a_waiting_exam_records_it_abandoned_and_goes_on(
    store: ScoreStore, tmp_path: Path, clock: FixedClock
) -> None:
    first = paused_exam(store, clock)
    app = app_for(store, tmp_path, clock)
    async with app.run_test(size=SIZE) as pilot:
        await shown(pilot, ExamWaitingDialog)
        await pilot.press("escape")
        await shown(pilot, HomeScreen)
        await pilot.press("ctrl+s")  # practice: the exam is offered first
        await shown(pilot, ExamWaitingDialog)
        await pilot.press("g")
        confirm = await shown(pilot, ConfirmDialog)
        assert "recorded as abandoned" in confirm.detail
        await pilot.press("y")
        screen = await shown(pilot, PracticeScreen)  # then what was asked for starts
        assert screen.session.mode is Mode.PRACTICE
        app.store_thread.call(lambda: None)
    assert first.resumed_from is not None
    detail = store.get_attempt(first.resumed_from)
    assert detail is not None and detail.summary.status is AttemptStatus.ABANDONED
    assert detail.summary.passed is None and len(detail.history) == 2


async def test_a_resumed_exam_whose_deadline_passes_while_open_times_out(
    store: ScoreStore, tmp_path: Path, clock: FixedClock
) -> None:
    first = paused_exam(store, clock)
    clock.advance(600)
    app = app_for(store, tmp_path, clock, remembered=None, resume=True, learner="Ann")
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, ExamScreen)  # straight in: --resume
        assert screen.session.remaining_seconds() == 15 * 60 - 660
        clock.advance(240)
        await shown(pilot, ResultsScreen)
        assert "Time ran out" in "\n".join(text_of(s) for s in app.screen.query(Static))
        assert await running_saved(app)
    assert first.resumed_from is not None
    detail = store.get_attempt(first.resumed_from)
    assert detail is not None
    summary = detail.summary
    assert summary.status is AttemptStatus.TIMED_OUT
    assert summary.finished_at == summary.deadline_at and len(detail.history) == 2


async def test_resume_with_nothing_paused_closes_the_app_saying_so(
    store: ScoreStore, tmp_path: Path, clock: FixedClock
) -> None:
    app = app_for(store, tmp_path, clock, remembered=None, resume=True, learner="Zed")
    async with app.run_test(size=SIZE) as pilot:
        await wait_for(pilot, lambda: app.return_code is not None, what="the app to close")
    assert app.return_code == 1
    assert app.exit_lines[0] == "quiz: Zed has no paused attempt to resume."
    assert store.list_attempts() == []


async def test_resume_goes_straight_into_the_paused_round(
    store: ScoreStore, tmp_path: Path, clock: FixedClock
) -> None:
    paused = paused_practice(store, clock, answered=2)
    app = app_for(store, tmp_path, clock, remembered=None, resume=True, learner="ann")
    async with app.run_test(size=SIZE) as pilot:
        screen = await shown(pilot, PracticeScreen)
        assert screen.session.resumed_from == paused and screen.step == 2
        assert screen.attempt.learner == "ann"
