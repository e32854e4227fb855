"""A question kind defined in the tests (`number`, tests/support/number_kind.py) with its own
answer widget (tests/support/number_widget.py) is shown and answered in the app: practice
with feedback, an exam with a changed answer, and the review."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from quiz.domain.records import AttemptStatus, Mode
from quiz.ui.app import QuizApp
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.review import ReviewScreen
from quiz.ui.widgets.choices import ChoiceList
from quiz.ui.widgets.question import (
    QuestionView,
    register_answer_widget,
    unregister_answer_widget,
)
from tests.support.app import build_app, screen_text, seed_for, settle, start
from tests.support.courses import write_course
from tests.support.fakes import FakeStore
from tests.support.number_kind import NAME, NUMBER_COURSE, number_kind_registered
from tests.support.number_widget import NumberAnswer, number_question_type
from tests.support.waiting import wait_for


@pytest.fixture
def numbers(tmp_path: Path) -> Iterator[Path]:
    with number_question_type():
        yield write_course(tmp_path / "numbers", NUMBER_COURSE)


def _number_field(app: QuizApp) -> NumberAnswer:
    return app.screen.query_one("#number-answer", NumberAnswer)


async def test_a_number_question_is_shown_in_its_own_widget_and_answered(numbers: Path) -> None:
    store = FakeStore()
    app = build_app(numbers, store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "n-days"), count=3)
        await wait_for(pilot, lambda: app.screen.query("#number-answer"), what="the question")
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        field = _number_field(app)
        assert field.display and not screen.view.query_one(ChoiceList).display
        assert not screen.view.text_field.display
        assert "Type a number in the box." in screen_text(app)
        await pilot.click("#number-answer")
        await pilot.press("x", "3", ".", "0", "enter")  # the field takes no letter
        assert screen.feedback is not None and screen.feedback.correct
        assert field.disabled
        await wait_for(pilot, lambda: "✓ Correct" in screen_text(app), what="the feedback panel")
        await settle(pilot, app)
    (answer,) = store.only.answers
    assert (answer.question_id, answer.response, answer.correct) == ("n-days", "3", True)


async def test_moving_between_kinds_shows_the_right_widget(numbers: Path) -> None:
    app = build_app(numbers)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, Mode.EXAM, seed=seed_for(app, "n-days"), count=3, time_limit_seconds=600)
        await wait_for(pilot, lambda: app.screen.query("#number-answer"), what="the question")
        screen = app.screen
        assert isinstance(screen, ExamScreen)
        kinds = [asked.type for asked in screen.session.asked]
        await pilot.click("#number-answer")
        await pilot.press("4", "right")  # typed, then saved on the move
        assert screen.session.response(0) == "4"
        for position, kind in enumerate(kinds):
            screen.action_goto_question(position)
            await wait_for(
                pilot,
                lambda: _number_field(app).display is (kind == NAME),  # noqa: B023
                what=f"question {position + 1} shown",
            )
            assert screen.view.query_one(ChoiceList).display is (kind != NAME)
        screen.action_goto_question(0)
        await pilot.pause()
        assert _number_field(app).value == "4"  # the answer given is shown again
        await pilot.click("#number-answer")
        await pilot.press("end", "backspace", "3", "right")
        record = screen.session.record(0)
        assert record is not None and (record.response, record.correct) == ("3", True)
        screen.attempt.finish(AttemptStatus.COMPLETED)
        await pilot.pause()
        assert screen.session.result is not None and screen.session.result.correct >= 1


async def test_the_review_shows_a_number_answer(numbers: Path) -> None:
    app = build_app(numbers)
    async with app.run_test(size=(80, 30)) as pilot:
        start(app, seed=seed_for(app, "n-hours"), count=3)
        await wait_for(pilot, lambda: app.screen.query("#number-answer"), what="the question")
        screen = app.screen
        assert isinstance(screen, PracticeScreen)
        await pilot.click("#number-answer")
        await pilot.press("2", "4", "enter")
        assert screen.feedback is not None and not screen.feedback.correct
        await wait_for(
            pilot, lambda: "The right answer: 48" in screen_text(app), what="the feedback"
        )
        items = screen.session.review()
        app.push_screen(ReviewScreen(app.course, items))
        await wait_for(
            pilot,
            lambda: isinstance(app.screen, ReviewScreen) and app.screen.query("#number-answer"),
            what="the review",
        )
        assert _number_field(app).value == "24" and _number_field(app).disabled
        assert "Your answer: 24" in screen_text(app)


async def test_a_widget_registered_after_the_view_was_built_is_mounted_when_needed(
    tmp_path: Path,
) -> None:
    folder = write_course(tmp_path / "numbers", NUMBER_COURSE)
    with number_kind_registered():
        app = build_app(folder)
        async with app.run_test(size=(80, 24)) as pilot:
            start(app, seed=seed_for(app, "s-days"), count=3)
            await wait_for(pilot, lambda: app.screen.query(QuestionView), what="the question")
            view = app.screen.query_one(QuestionView)
            assert not view.query(NumberAnswer)
            register_answer_widget(NAME, NumberAnswer)
            try:
                screen = app.screen
                assert isinstance(screen, PracticeScreen)
                number_at = next(i for i, a in enumerate(screen.session.asked) if a.type == NAME)
                screen.show_question(number_at)
                await wait_for(pilot, lambda: _number_field(app).display, what="the number field")
            finally:
                unregister_answer_widget(NAME)
