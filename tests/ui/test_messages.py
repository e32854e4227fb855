"""Screens tell the app what happened with messages, and an attempt ends with one
message however it ends (the runner notices the deadline in one place)."""

from __future__ import annotations

from textual.message import Message
from textual.widgets import Input

from quiz.domain.records import AskedQuestion, AttemptStatus, Mode, Response
from quiz.ui.attempt import AttemptRunner
from quiz.ui.screens.dialogs import ConfirmDialog
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.results import ResultsScreen
from tests.support.app import build_app, right_keys, settle, start
from tests.support.fakes import FixedClock
from tests.support.waiting import shown, wait_for


class Recorder:
    """The messages of the given types the app handled, each once (not per hop)."""

    def __init__(self, *types: type[Message]) -> None:
        self.types = types
        self.seen: list[Message] = []

    def __call__(self, message: Message) -> None:
        if isinstance(message, self.types) and message not in self.seen:
            self.seen.append(message)

    def of(self, kind: type[Message]) -> list[Message]:
        return [m for m in self.seen if isinstance(m, kind)]


async def test_home_posts_what_the_learner_asks_for() -> None:
    asked = Recorder(
        HomeScreen.StartRequested, HomeScreen.MyScoresRequested, HomeScreen.AllStaffRequested
    )
    app = build_app()
    async with app.run_test(size=(80, 24), message_hook=asked) as pilot:
        await wait_for(pilot, lambda: app.home.query("#start"), what="the form")
        await pilot.press(*"Ann", "tab")
        await pilot.press("a")
        await wait_for(pilot, lambda: asked.of(HomeScreen.AllStaffRequested), what="All staff")
        await pilot.press("escape", "m")
        await wait_for(pilot, lambda: asked.of(HomeScreen.MyScoresRequested), what="My scores")
        await pilot.press("escape", "ctrl+s")
        await shown(pilot, PracticeScreen)
    (request,) = asked.of(HomeScreen.StartRequested)
    assert isinstance(request, HomeScreen.StartRequested) and request.learner == "Ann"
    (scores,) = asked.of(HomeScreen.MyScoresRequested)
    assert isinstance(scores, HomeScreen.MyScoresRequested) and scores.learner == "Ann"


async def test_time_running_out_behind_a_dialog_ends_the_attempt_once() -> None:
    finished = Recorder(AttemptRunner.Finished)
    clock = FixedClock()
    app = build_app(clock=clock)
    async with app.run_test(size=(80, 24), message_hook=finished) as pilot:
        start(app, Mode.EXAM, seed=1, count=3, time_limit_seconds=30)
        await shown(pilot, ExamScreen)
        await pilot.press("ctrl+s")
        await shown(pilot, ConfirmDialog)
        clock.advance(31)
        await pilot.press("y")  # submitting after the deadline: timed out all the same
        await shown(pilot, ResultsScreen)
        await pilot.pause(0.3)  # the runner's deadline timer would have ticked again
        await settle(pilot, app)
    assert len(finished.of(AttemptRunner.Finished)) == 1
    assert app.attempt is not None and app.attempt.session.result is not None
    assert app.attempt.session.result.status is AttemptStatus.TIMED_OUT


async def test_after_the_deadline_the_runner_takes_no_answer() -> None:
    clock = FixedClock()
    app = build_app(clock=clock)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=1, count=2, time_limit_seconds=30)
        screen = await shown(pilot, ExamScreen)
        runner = screen.attempt
        clock.advance(31)
        asked = screen.session.asked[0]
        assert runner.answer(0, _right_response(asked)) is None
        assert not runner.active and runner.over()
        await shown(pilot, ResultsScreen)


def _right_response(asked: AskedQuestion) -> Response:
    from quiz.domain.answers import response_for, right_indexes

    return response_for(asked, right_indexes(asked))


async def test_a_saving_problem_reaches_the_question_screen() -> None:
    from tests.support.fakes import FakeStore

    store = FakeStore()
    store.fail_answers = 1
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=1, sections=["medicines"], count=1)
        screen = await shown(pilot, PracticeScreen)
        asked = screen.session.asked[0]
        if asked.type == "short":
            screen.view.query_one("#short-answer", Input).value = "something"
            await pilot.press("enter")
        else:
            await pilot.press(*right_keys(asked), "enter")
        await wait_for(pilot, lambda: app.saving_problem is not None, what="the problem")
        status = str(screen.query_one("#status").render())
        assert status.startswith("Not saved yet (the disk is full)")
