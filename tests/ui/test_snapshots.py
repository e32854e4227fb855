"""SVG snapshots of each screen at 80x24: seeded, fixed clock, no cursor blink, fake store.

Every SVG under __snapshots__/test_snapshots/ was looked at before it was accepted.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.widgets import RadioButton

from quiz.domain.answers import response_for, right_indexes
from quiz.domain.records import Mode
from quiz.settings import Settings, save_settings
from quiz.ui.app import QuizApp
from quiz.ui.attempt import new_session
from quiz.ui.screens.dialogs import ExamWaitingDialog
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.screens.source import SourceReaderScreen
from quiz.ui.widgets.countdown import Countdown
from tests.support.app import (
    build_app,
    fixed_clock,
    running,
    seed_for,
    settle,
    start,
    wrong_index,
    wrong_key,
)
from tests.support.courses import course_load
from tests.support.fakes import FakeStore, FixedClock
from tests.support.paths import BUNDLED
from tests.support.paused import paused_from
from tests.support.source_reader import quote_in_view
from tests.support.waiting import shown, wait_for

SIZE = (80, 24)


@pytest.fixture
def app(tmp_path: Path) -> QuizApp:
    return build_app(BUNDLED, settings_path=tmp_path / "settings.json")


def _answer_rightly(app: QuizApp, positions: range) -> None:
    attempt = running(app)
    for position in positions:
        asked = attempt.session.asked[position]
        if asked.type == "short":
            attempt.answer(position, attempt.session.questions[position].answer[0])
        else:
            attempt.answer(position, response_for(asked, right_indexes(asked)))
    screen = app.screen
    if isinstance(screen, ExamScreen | PracticeScreen):
        # The exam saves what its view holds on every move: show the answers there too.
        screen.show_question(screen.position)


def test_home(app: QuizApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=SIZE)


def test_practice_question_with_a_choice_picked(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        assert app.course is not None
        seed = seed_for(app, "procedure-02", sections=["procedure"])
        start(app, seed=seed, sections=["procedure"], count=4)
        await shown(pilot, PracticeScreen)
        await pilot.press("b")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_practice_feedback_with_the_passage(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        seed = seed_for(app, "swelling-01", sections=["swelling"])
        start(app, seed=seed, sections=["swelling"], count=4)
        await shown(pilot, PracticeScreen)
        asked = running(app).session.asked[0]
        await pilot.press(wrong_key(asked), "enter")
        await settle(pilot, app)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_exam_question_with_the_countdown(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        assert app.course is not None
        start(app, Mode.EXAM, preset=app.course.exams["staff-check"], seed=11)
        screen = await shown(pilot, ExamScreen)
        _answer_rightly(app, range(0, 5))
        screen.action_goto_question(5)
        countdown = screen.query_one(Countdown)
        await wait_for(pilot, lambda: "Time left" in str(countdown.render()), what="the countdown")
        before = str(countdown.render())
        fixed_clock(app).advance(125)
        await wait_for(
            pilot, lambda: str(countdown.render()) != before, what="the countdown's next time"
        )

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_submit_confirmation(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        start(app, Mode.EXAM, seed=11, count=6, time_limit_seconds=600)
        await shown(pilot, ExamScreen)
        _answer_rightly(app, range(0, 4))
        await pilot.press("ctrl+s")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_results_of_an_exam_failed_on_a_critical_question(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        assert app.course is not None
        start(app, Mode.EXAM, preset=app.course.exams["staff-check"], seed=11)
        await shown(pilot, ExamScreen)
        attempt = running(app)
        session = attempt.session
        critical = next(a.position for a in session.asked if a.critical)
        _answer_rightly(app, range(0, len(session.asked)))
        asked = session.asked[critical]
        if asked.type == "short":
            attempt.answer(critical, "no idea")
        else:
            attempt.answer(critical, response_for(asked, [wrong_index(asked)]))
        fixed_clock(app).advance(9 * 60 + 30)
        attempt.finish()
        await shown(pilot, ResultsScreen)
        await settle(pilot, app)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_review_of_a_wrong_answer(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        seed = seed_for(app, "swelling-01", sections=["swelling"])
        start(app, Mode.EXAM, seed=seed, sections=["swelling"], count=3, time_limit_seconds=300)
        await shown(pilot, ExamScreen)
        asked = running(app).session.asked[0]
        await pilot.press(wrong_key(asked), "ctrl+s", "y")
        await shown(pilot, ResultsScreen)
        await settle(pilot, app)
        await pilot.press("r")
        await shown(pilot, ReviewScreen)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_source_reader_opened_from_feedback(app: QuizApp, snap_compare: Any) -> None:
    async def run_before(pilot: Pilot[Any]) -> None:
        seed = seed_for(app, "bruising-01", sections=["bruising"])
        start(app, seed=seed, sections=["bruising"], count=2)
        await shown(pilot, PracticeScreen)
        asked = running(app).session.asked[0]
        await pilot.press(wrong_key(asked), "enter", "s")
        reader = await shown(pilot, SourceReaderScreen)
        await wait_for(
            pilot,
            lambda: reader.document.scroll_y > 0 and quote_in_view(reader),
            what="the reader scrolled to the quote",
        )

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_too_small_window(app: QuizApp, snap_compare: Any) -> None:
    assert snap_compare(app, terminal_size=(40, 10))


def _paused_app(tmp_path: Path, mode: Mode) -> QuizApp:
    """The app on the bundled course, Ann's name remembered, and a round of hers paused
    (practice: two of five answered; an exam, the staff check: two answered, then five
    of its fifteen minutes gone)."""
    course = course_load(BUNDLED).course
    assert course is not None
    clock = FixedClock()
    if mode is Mode.EXAM:
        session = new_session(course, clock, mode=mode, preset=course.exams["staff-check"], seed=11)
    else:
        session = new_session(course, clock, mode=mode, sections=["swelling"], count=5, seed=3)
    for position in range(2):
        asked = session.asked[position]
        if asked.type == "short":
            session.answer(position, session.questions[position].answer[0])
        else:
            session.answer(position, response_for(asked, right_indexes(asked)))
    clock.advance(60)
    store = FakeStore()
    store.paused = [paused_from(session, learner="Ann")]
    clock.advance(240)
    settings = tmp_path / "settings.json"
    save_settings(Settings(last_learner="Ann"), settings)
    return build_app(BUNDLED, store=store, clock=clock, settings_path=settings)


def test_home_offering_a_paused_practice_round(tmp_path: Path, snap_compare: Any) -> None:
    app = _paused_app(tmp_path, Mode.PRACTICE)

    async def run_before(pilot: Pilot[Any]) -> None:
        await wait_for(
            pilot,
            lambda: any(
                b.value for b in app.home.query("#kind .resume-offer").results(RadioButton)
            ),
            what="the paused round offered",
        )
        await settle(pilot, app)

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)


def test_a_paused_exam_offered_with_its_time_left(tmp_path: Path, snap_compare: Any) -> None:
    app = _paused_app(tmp_path, Mode.EXAM)

    async def run_before(pilot: Pilot[Any]) -> None:
        dialog = await shown(pilot, ExamWaitingDialog)
        countdown = dialog.query_one(Countdown)
        await wait_for(pilot, lambda: "10:00" in str(countdown.render()), what="the time left")

    assert snap_compare(app, run_before=run_before, terminal_size=SIZE)
