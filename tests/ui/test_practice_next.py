"""Practice reuses its widgets from one question to the next (the question view, the
choice rows, one feedback panel updated in place): what is shown must still be exactly
the current question, and after an answer exactly its feedback, whatever came before."""

from __future__ import annotations

from typing import Any

from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Input, Static

from quiz.domain.answers import describe_answer, letter, shown_choices
from quiz.domain.records import AskedQuestion
from quiz.ui.screens.practice import PracticeScreen
from quiz.ui.widgets.choices import ChoiceRow
from quiz.ui.widgets.feedback import FeedbackPanel, choice_feedback
from quiz.ui.widgets.question import how_to_answer
from tests.support.app import build_app, right_keys, seed_for, start, wrong_key
from tests.support.waiting import shown, wait_for

VERDICT_WORDS = ("Correct", "Incorrect", "← right answer", "← your answer", "Why:", "The right")


def displayed(widget: Widget) -> bool:
    """Is `widget` drawn at all (it and every container around it displayed)?"""
    return all(node.display for node in widget.ancestors_with_self if isinstance(node, Widget))


def texts_shown(screen: PracticeScreen) -> list[str]:
    """The text of every Static drawn in the body, in order."""
    return [str(s.render()) for s in screen.body.query(Static) if displayed(s)]


def panel_shown(screen: PracticeScreen) -> FeedbackPanel | None:
    panels = [p for p in screen.query(FeedbackPanel) if displayed(p)]
    assert len(panels) <= 1
    return panels[0] if panels else None


def assert_only_the_question(screen: PracticeScreen, asked: AskedQuestion, total: int) -> None:
    """The screen shows `asked`, unanswered, and nothing of an earlier question."""
    view = screen.view
    meta = str(view.query_one("#question-meta", Static).render())
    assert meta.startswith(f"Question {asked.position + 1} of {total} · ")
    assert str(view.query_one("#question-prompt", Static).render()) == asked.prompt
    assert str(view.query_one("#question-hint", Static).render()) == how_to_answer(asked)
    rows = [row for row in screen.query(ChoiceRow) if displayed(row)]
    choices = shown_choices(asked)
    assert [row.text for row in rows] == list(choices)
    for row in rows:
        line = str(row.render())
        assert "(•)" not in line and "[x]" not in line, "nothing picked yet"
        assert not row.picked and row.verdict is None
    field = screen.query_one("#short-answer", Input)
    if choices:
        assert not displayed(field)
    else:
        assert displayed(field) and field.value == "" and not field.disabled
        assert screen.app.focused is field
    assert panel_shown(screen) is None
    assert not any(word in text for text in texts_shown(screen) for word in VERDICT_WORDS)
    assert screen.body.scroll_y == 0, "the question is shown from its first line"


def assert_only_its_feedback(screen: PracticeScreen, right: bool) -> None:
    """The feedback panel is about the current question's answer, and nothing else."""
    asked = screen.session.asked[screen.position]
    question = screen.session.questions[screen.position]
    panel = panel_shown(screen)
    assert panel is not None and panel.item.asked is asked
    lines = [str(s.render()) for s in panel.query(Static) if displayed(s)]
    assert all(lines), "no blank line left where another answer had one"
    assert lines[0] == ("✓ Correct" if right else "✗ Incorrect")
    right_line = f"The right answer: {describe_answer(asked)}"
    assert (right_line in lines) is not right
    assert f"Why: {question.explanation}" in lines
    others = [q for q in screen.session.questions if q.explanation != question.explanation]
    assert not any(f"Why: {q.explanation}" in lines for q in others)
    about = [line for line in lines if line.startswith("About ")]
    assert screen.feedback is not None
    expected = [f"About {label}: {text}" for label, text in choice_feedback(screen.feedback)]
    assert about == expected, "this answer's choice feedback, and no other"
    assert panel.query_one(".passage--text", Static).display
    title = screen.session.course.section_title(question.source_ref.section_id)
    assert title in lines


async def _answer(pilot: Pilot[Any], screen: PracticeScreen, *, right: bool) -> None:
    asked = screen.session.asked[screen.position]
    if not shown_choices(asked):
        question = screen.session.questions[screen.position]
        await pilot.press(*(question.answer[0] if right else "nope"), "enter")
    else:
        await pilot.press(*(right_keys(asked) if right else [wrong_key(asked)]), "enter")
    await wait_for(pilot, lambda: panel_shown(screen) is not None, what="the feedback panel")


async def test_every_next_question_shows_only_itself_and_its_own_feedback() -> None:
    """Every kind (single, true/false, typed, multiple) after another kind, answered
    alternately wrong and right, so that lines come and go in the one panel."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-01", sections=["swelling", "medicines"]))
        screen = await shown(pilot, PracticeScreen)
        asked = screen.session.asked
        total = len(asked)
        assert {a.type for a in asked} == {"single", "true_false", "short", "multiple"}
        for position in range(total):

            def at(expected: int = position) -> bool:
                return screen.position == expected

            await wait_for(pilot, at, what=f"question {position + 1}")
            assert_only_the_question(screen, asked[position], total)
            right = position % 2 == 1
            await _answer(pilot, screen, right=right)
            assert screen.feedback is not None and screen.feedback.correct is right
            assert_only_its_feedback(screen, right)
            if position + 1 < total:
                await pilot.press("enter")


async def test_a_wrong_answer_with_choice_feedback_then_a_right_one_leaves_no_line_behind() -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-01", sections=["swelling"]), sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        # "About two weeks" is wrong, and has feedback of its own.
        index = shown_choices(screen.session.asked[0]).index("About two weeks")
        await pilot.press(letter(index).lower(), "enter")
        await wait_for(pilot, lambda: panel_shown(screen) is not None, what="the feedback panel")
        about = f"About {letter(index)}. About two weeks: Much shorter than that."
        assert about in texts_shown(screen)
        await pilot.press("enter")
        await _answer(pilot, screen, right=True)
        shown_now = texts_shown(screen)
        assert not any(text.startswith("About ") for text in shown_now)
        assert not any(text.startswith("The right answer") for text in shown_now)
        assert "Why: Swelling usually eases within one to three days." not in shown_now


async def test_moving_on_quickly_never_shows_the_old_feedback_under_the_new_question() -> None:
    """Enter straight after an answer (before its panel came): the panel stays hidden."""
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        start(app, seed=seed_for(app, "sw-01", sections=["swelling"]), sections=["swelling"])
        screen = await shown(pilot, PracticeScreen)
        await pilot.press("a", "enter", "enter")
        await wait_for(pilot, lambda: screen.position == 1, what="the second question")
        for _ in range(5):
            await pilot.pause()
        assert_only_the_question(screen, screen.session.asked[1], len(screen.session.asked))
