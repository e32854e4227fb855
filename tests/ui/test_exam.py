"""Exams: the countdown, moving between questions, changing answers, submitting, time running
out, and a critical question failing the exam whatever the percentage."""

from __future__ import annotations

from textual.widgets import Static

from quiz.domain.answers import response_for, right_indexes
from quiz.domain.records import AttemptStatus, Mode
from quiz.ui.screens.dialogs import ConfirmDialog
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.widgets.choices import ChoiceRow
from quiz.ui.widgets.countdown import Countdown
from tests.support.app import build_app, right_keys, seed_for, settle, start, text_of, wrong_key
from tests.support.fakes import FakeStore, FixedClock
from tests.support.waiting import shown, wait_for


def _right(screen: ExamScreen, position: int) -> None:
    """Answer `position` rightly through the session (long flows skip the key presses)."""
    asked = screen.session.asked[position]
    if asked.type == "short":
        screen.attempt.answer(position, screen.session.questions[position].answer[0])
    else:
        screen.attempt.answer(position, response_for(asked, right_indexes(asked)))
    if position == screen.position:
        # The screen saves what its view holds on every move: show the answer there too.
        screen.show_question(position)


async def test_an_exam_to_completion_with_a_changed_answer() -> None:
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        seed = seed_for(app, "sw-01")
        start(app, Mode.EXAM, seed=seed, time_limit_seconds=600)
        screen = await shown(pilot, ExamScreen)
        countdown = screen.query_one(Countdown)
        await wait_for(pilot, lambda: "Time left 10:00" in text_of(countdown), what="10:00 left")
        first = screen.session.asked[0]
        await pilot.press(wrong_key(first), "right", "left")
        assert screen.position == 0 and screen.session.is_answered(0)
        record = screen.session.record(0)
        assert record is not None and not record.correct
        await pilot.press(*right_keys(first))  # changed: the new choice replaces the old
        record = screen.session.record(0)
        assert record is not None and record.correct
        for position in range(1, len(screen.session.asked) - 1):
            _right(screen, position)
        screen.refresh_progress()
        assert "1 unanswered" in text_of(screen.query_one("#status", Static))
        await pilot.press("ctrl+s")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert "1 question unanswered" in dialog.detail
        await pilot.press("y")
        assert isinstance(app.screen, ResultsScreen)
        await settle(pilot, app)
    saved = store.only
    assert [a.correct for a in saved.answers[:2]] == [False, True]
    assert saved.answers[0].question_id == saved.answers[1].question_id == "sw-01"
    assert saved.result is not None and saved.result.status is AttemptStatus.COMPLETED
    assert saved.result.correct == 4 and saved.result.total == 5
    assert saved.result.passed is True
    assert saved.start.mode is Mode.EXAM and saved.start.pass_mark == 80


async def test_an_exam_ends_by_itself_when_time_runs_out() -> None:
    store = FakeStore()
    clock = FixedClock()
    app = build_app(store=store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=1, count=3, time_limit_seconds=20)
        screen = await shown(pilot, ExamScreen)
        _right(screen, 0)
        clock.advance(19)
        countdown = screen.query_one(Countdown)
        await wait_for(pilot, lambda: "Time left 0:01" in text_of(countdown), what="0:01 left")
        assert isinstance(app.screen, ExamScreen)
        clock.advance(1.5)
        results = await shown(pilot, ResultsScreen)  # the next tick sees the deadline passed
        score = text_of(results.query_one("#results-score", Static))
        assert "Score 1 of 3" in score and "Time ran out" in score
        assert "time used 0:20 of 0:20" in score
        assert "FAIL" in text_of(results.query_one("#results-title", Static))
        await settle(pilot, app)
    result = store.only.result
    assert result is not None and result.status is AttemptStatus.TIMED_OUT
    assert (result.correct, result.total, result.passed) == (1, 3, False)


async def test_the_mouse_picks_choices_and_moves_between_questions() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=seed_for(app, "sw-01"), time_limit_seconds=600)
        screen = await shown(pilot, ExamScreen)
        await pilot.click(ChoiceRow)  # the first choice
        assert screen.session.is_answered(0)
        # The strip: " 1  [2?] 3? ..." — each number takes 4 cells after 1 of padding.
        await pilot.click("#strip", offset=(1 + 2 * 4 + 1, 0))
        assert screen.position == 2


async def test_time_runs_out_while_a_dialog_is_open() -> None:
    store = FakeStore()
    clock = FixedClock()
    app = build_app(store=store, clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=1, count=3, time_limit_seconds=30)
        await shown(pilot, ExamScreen)
        await pilot.press("ctrl+s")
        assert isinstance(app.screen, ConfirmDialog)
        clock.advance(31)
        await shown(pilot, ResultsScreen)  # the runner checks the deadline 4 times a second
        await settle(pilot, app)
    result = store.only.result
    assert result is not None and result.status is AttemptStatus.TIMED_OUT


async def test_time_up_is_also_noticed_on_a_key_press() -> None:
    clock = FixedClock()
    app = build_app(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=1, count=2, time_limit_seconds=30)
        await shown(pilot, ExamScreen)
        clock.advance(31)
        await pilot.press("right")
        assert isinstance(app.screen, ResultsScreen)


async def test_a_wrong_critical_answer_fails_the_exam_and_the_results_say_which() -> None:
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        assert app.course is not None
        preset = app.course.exams["check"]
        start(app, Mode.EXAM, preset=preset, seed=2, count=5)
        screen = await shown(pilot, ExamScreen)
        critical = next(a for a in screen.session.asked if a.critical)
        for asked in screen.session.asked:
            if asked is not critical:
                _right(screen, asked.position)
        await pilot.press(*["right"] * critical.position, wrong_key(critical), "ctrl+s", "y")
        results = app.screen
        assert isinstance(results, ResultsScreen)
        assert "FAIL" in text_of(results.query_one("#results-title", Static))
        assert "80%" in text_of(results.query_one("#results-score", Static))
        summary = text_of(results.query_one("#results-critical", Static))
        assert f"Failed on critical question {critical.position + 1}:" in summary
        details = text_of(results.query_one("#critical-details", Static))
        assert critical.prompt in details
        await settle(pilot, app)
    result = store.only.result
    assert result is not None and result.percent == 80.0 and result.passed is False


async def test_leaving_an_exam_asks_first_and_keeps_the_answers() -> None:
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=1, count=3, time_limit_seconds=600)
        screen = await shown(pilot, ExamScreen)
        _right(screen, 0)
        await pilot.press("escape")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        await pilot.press("n")
        assert app.screen is screen
        await pilot.press("escape", "y")
        assert isinstance(app.screen, HomeScreen)
        await settle(pilot, app)
    saved = store.only
    assert len(saved.answers) == 1
    assert saved.result is not None and saved.result.status is AttemptStatus.ABANDONED


async def test_quitting_during_an_exam_asks_first() -> None:
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=1, count=3, time_limit_seconds=600)
        await shown(pilot, ExamScreen)
        await pilot.press("ctrl+q")
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog) and "Unanswered: 3 questions." in dialog.detail
        await pilot.press("n")
        assert isinstance(app.screen, ExamScreen)
        await pilot.press("ctrl+q", "y")
        await pilot.pause()
    assert app.return_code == 0
    result = store.only.result
    assert result is not None and result.status is AttemptStatus.ABANDONED
