"""Practice: answers get feedback at once, with the right answer and the cited passage."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Static

from quiz.domain.records import AttemptStatus, Mode
from quiz.ui.screens.home import HomeScreen
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.screens.results import ResultsScreen
from quiz.ui.screens.source import SourceReaderScreen
from quiz.ui.widgets.choices import ChoiceRow
from quiz.ui.widgets.feedback import FeedbackPanel
from quiz.ui.widgets.passage import PassageView
from tests.support.app import build_app, right_keys, seed_for, settle, start, wrong_key
from tests.support.fakes import FakeStore
from tests.support.source_reader import quote_in_view
from tests.support.waiting import shown, wait_for


def _text(node: Widget, selector: str) -> str:
    return str(node.query_one(selector, Static).render())


async def test_a_right_then_a_wrong_answer_get_feedback_with_the_passage() -> None:
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, sections=["swelling"], count=2, seed=3)
        screen = await shown(pilot, PracticeScreen)
        # A single-answer question, whatever the seed put first.
        first = screen.session.asked[0]
        assert first.type in ("single", "true_false", "multiple", "short")
        await _answer(pilot, screen, right=True)
        panel = screen.query_one(FeedbackPanel)
        assert "✓ Correct" in _text(panel, ".verdict")
        assert panel.query(PassageView), "the cited passage is shown"
        assert "Correct." in _text(screen, "#status")

        await pilot.press("enter")  # next question
        assert screen.position == 1 and not _feedback_shown(screen)
        await _answer(pilot, screen, right=False)
        panel = screen.query_one(FeedbackPanel)
        assert "✗ Incorrect" in _text(panel, ".verdict")
        assert "The right answer:" in " ".join(
            str(s.render()) for s in panel.query(".feedback-line").results(Static)
        )
        await pilot.press("enter")  # past the last question: the results
        assert isinstance(app.screen, ResultsScreen)
        await settle(pilot, app)
    saved = store.only
    assert [a.correct for a in saved.answers] == [True, False]
    assert saved.result is not None and saved.result.status is AttemptStatus.COMPLETED
    assert saved.start.mode is Mode.PRACTICE and saved.start.learner == "Ann"
    assert store.threads == {"quiz-store_0"}, "the store is used from its one thread only"


def _feedback_shown(screen: PracticeScreen) -> bool:
    """Is a feedback panel on the screen (practice hides its one panel between answers)?"""
    return any(panel.display for panel in screen.query(FeedbackPanel))


async def _answer(pilot: Pilot[Any], screen: PracticeScreen, *, right: bool) -> None:
    asked = screen.session.asked[screen.position]
    if asked.type == "short":
        question = screen.session.questions[screen.position]
        text = question.answer[0] if right else "no idea"
        screen.view.text_field.value = text
        await pilot.press("enter")
        return
    keys = right_keys(asked) if right else [wrong_key(asked)]
    await pilot.press(*keys, "enter")


async def test_a_multiple_answer_question_is_all_or_nothing() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-04", sections=["swelling"]), sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        asked = screen.session.asked[0]
        assert asked.type == "multiple"
        wrong = wrong_key(asked)
        # Letters toggle: the wrong one goes on and off again, then both right ones.
        await pilot.press(wrong, wrong, *right_keys(asked))
        rows = screen.query(ChoiceRow)
        assert sum("[x]" in str(row.render()) for row in rows) == 2
        await pilot.press("enter")
        assert screen.feedback is not None and screen.feedback.correct
        marked = [str(row.render()) for row in rows]
        assert sum("right answer" in line for line in marked) == 2


async def test_one_right_choice_of_two_is_incorrect() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-04", sections=["swelling"]), sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        await pilot.press(right_keys(screen.session.asked[0])[0], "enter")
        assert screen.feedback is not None and not screen.feedback.correct
        line = " ".join(str(s.render()) for s in screen.query(".feedback-line").results(Static))
        assert "The right answer:" in line


async def test_a_typed_answer_is_matched_loosely_and_letters_type_letters() -> None:
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-03", sections=["swelling"]), sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        assert app.focused is screen.view.text_field
        await pilot.press("T", "h", "r", "e", "e", "space", "enter")
        assert screen.feedback is not None and screen.feedback.correct
        assert screen.view.text_field.disabled
        await settle(pilot, app)
    assert store.only.answers[0].response == "Three"


async def test_enter_without_an_answer_says_what_to_do() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-01", sections=["swelling"]), sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        await pilot.press("enter")
        assert screen.feedback is None
        assert "Choose an answer first" in _text(screen, "#status")


async def test_s_opens_the_source_reader_at_the_highlighted_quote() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-01", sections=["swelling"]), sections=["swelling"])
        practice = await shown(pilot, PracticeScreen)
        await pilot.press("s")  # not offered before answering: it would give the answer away
        assert not isinstance(app.screen, SourceReaderScreen)
        await pilot.press(wrong_key(practice.session.asked[0]), "enter", "s")
        reader = app.screen
        assert isinstance(reader, SourceReaderScreen)
        question = practice.session.questions[0]
        assert reader.ref == question.source_ref
        assert reader.quote is not None
        assert reader.quote.highlighted_text == "usually eases within one to three days"
        await wait_for(pilot, lambda: quote_in_view(reader), what="the quote in view")
        document = reader.document
        top = document.scroll_y
        quote_y = reader.quote.virtual_region.y
        assert top <= quote_y < top + document.scrollable_content_region.height
        await pilot.press("escape")
        assert app.screen is practice


async def test_a_failed_save_keeps_the_answer_tells_the_learner_and_retries() -> None:
    store = FakeStore()
    store.fail_answers = 1
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, sections=["swelling"], count=2, seed=1)
        screen = await shown(pilot, PracticeScreen)
        await _answer(pilot, screen, right=True)
        await settle(pilot, app)
        await wait_for(
            pilot, lambda: app.saving_problem == "the disk is full", what="the saving problem told"
        )
        assert "Not saved yet (the disk is full)" in _text(screen, "#status")
        assert store.only.answers == [] and app.attempt is not None
        assert app.attempt.saver.unsaved == 1
        await pilot.press("enter")
        await _answer(pilot, screen, right=True)  # the next write takes both
        await settle(pilot, app)
        await wait_for(pilot, lambda: app.saving_problem is None, what="saving told to work again")
        assert len(store.only.answers) == 2


async def test_esc_in_practice_goes_home_keeps_the_answers_and_pauses_the_round() -> None:
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, sections=["swelling"], count=3, seed=1)
        screen = await shown(pilot, PracticeScreen)
        await _answer(pilot, screen, right=True)
        await pilot.press("escape")
        assert isinstance(app.screen, HomeScreen)
        await settle(pilot, app)
    saved = store.only
    assert len(saved.answers) == 1
    assert saved.result is not None and saved.result.status is AttemptStatus.PAUSED
    assert saved.result.passed is None


async def test_esc_after_the_last_answer_completes_the_round() -> None:
    """Nothing is left to ask: leaving the round ends it, counted, with its results."""
    store = FakeStore()
    app = build_app(store=store)
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, sections=["swelling"], count=1, seed=1)
        screen = await shown(pilot, PracticeScreen)
        await _answer(pilot, screen, right=True)
        await pilot.press("escape")
        await shown(pilot, ResultsScreen)
        await settle(pilot, app)
    saved = store.only
    assert saved.result is not None and saved.result.status is AttemptStatus.COMPLETED


async def test_after_feedback_the_footer_shows_choose_dimmed_until_the_next_question() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        seed = seed_for(app, "sw-01", sections=["swelling"])
        start(app, sections=["swelling"], count=3, seed=seed)
        screen = await shown(pilot, PracticeScreen)

        def choose_keys() -> list[Widget]:
            return [k for k in screen.query("FooterKey") if getattr(k, "action", "") == "pick(0)"]

        def choose_key() -> Widget:
            keys = choose_keys()
            assert len(keys) == 1 and "Choose" in str(keys[0].render())
            return keys[0]

        def choose_dimmed() -> bool | None:
            """Is the footer's Choose key dimmed (None while the footer is rebuilt)?"""
            keys = choose_keys()
            return keys[0].has_class("-disabled") if len(keys) == 1 else None

        assert not choose_key().has_class("-disabled")
        assert screen.check_action("pick", (0,)) is True
        await _answer(pilot, screen, right=False)
        await wait_for(pilot, lambda: choose_dimmed() is True, what="Choose dimmed after feedback")
        assert choose_key().has_class("-disabled")
        assert screen.check_action("pick", (0,)) is None  # shown dimmed if the footer is redrawn
        picked = [str(row.render()) for row in screen.query(ChoiceRow)]
        await pilot.press("a")  # the letters do nothing now
        assert [str(row.render()) for row in screen.query(ChoiceRow)] == picked
        await pilot.press("s")  # s still opens the passage (not "pick the 19th choice")
        assert isinstance(app.screen, SourceReaderScreen)
        await pilot.press("escape")
        await pilot.press("enter")  # the next question: the letters choose again
        await wait_for(
            pilot,
            lambda: screen.position == 1 and choose_dimmed() is False,
            what="the next question, Choose no longer dimmed",
        )
        assert screen.feedback is None and screen.position == 1
        assert not choose_key().has_class("-disabled")
        assert screen.check_action("pick", (0,)) is True
