"""Review: each question with the learner's answer, the right answer, the explanation and
its passage. Opened from the results, and from the scores screens for a saved attempt."""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalGroup, VerticalScroll
from textual.content import Content
from textual.widgets import Footer, Static

from quiz.domain.answers import ReviewItem, right_indexes, shown_choices
from quiz.domain.model import Course
from quiz.ui.flagging import FLAG_ACTION, FLAG_BINDING, FlagSaver, ask_and_flag
from quiz.ui.literal import literal
from quiz.ui.screens.base import QuizScreen
from quiz.ui.widgets.feedback import FeedbackPanel, verdict_text
from quiz.ui.widgets.question import QuestionView
from quiz.ui.widgets.strip import QuestionStrip

_MOVE = Binding.Group("Move", compact=True)


def review_mark(item: ReviewItem) -> str:
    if item.correct:
        return "✓"
    return "✗" if item.answered else "?"


class ReviewScreen(QuizScreen[None]):
    """Read-only, one question at a time; ←/→ move, s opens the passage."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous", key_display="←", priority=True, group=_MOVE),
        Binding("right", "move(1)", "Next", key_display="→", priority=True, group=_MOVE),
        Binding("s", "source", "Passage"),
        Binding("escape", "back", "Back", key_display="Esc"),
        FLAG_BINDING,
    ]

    def __init__(
        self,
        course: Course | None,
        items: Sequence[ReviewItem],
        title: str = "Review",
        *,
        subtitle: str = "",
        flagger: FlagSaver | None = None,
    ) -> None:
        super().__init__()
        self.flagger = flagger
        """Saves a flag on the attempt reviewed (None: it cannot be flagged here)."""
        self.course = course
        self.items = tuple(items)
        self.review_title = title
        self.subtitle = subtitle
        self.position = 0

    def compose(self) -> ComposeResult:
        with Horizontal(id="topbar"):
            yield Static(
                Content.assemble(("Review", "bold"), " · ", literal(self.review_title)),
                id="top-title",
                markup=False,
            )
        yield QuestionStrip(id="strip")
        with VerticalScroll(id="body"):
            yield QuestionView(id="question")
            yield VerticalGroup(id="feedback-area")
        yield Static("", id="status", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        if self.items:
            self.show_item(0)
        else:
            self.query_one("#status", Static).update("This attempt has no questions.")

    def show_item(self, position: int) -> None:
        self.position = position
        item = self.items[position]
        asked = item.asked
        course = self.course
        view = self.query_one("#question", QuestionView)
        title = course.section_title(asked.section) if course else asked.section
        view.show(
            asked,
            total=len(self.items),
            section_title=title,
            response=item.response,
            hint="Your answer is marked below; the right answer too.",
        )
        view.freeze(right_indexes(asked) if shown_choices(asked) else None)
        area = self.query_one("#feedback-area")
        area.remove_children()
        area.mount(FeedbackPanel(course, item, show_response=True))
        self.query_one("#body", VerticalScroll).scroll_home(animate=False)
        self.query_one("#body", VerticalScroll).focus()
        marks = [review_mark(i) for i in self.items]
        self.query_one("#strip", QuestionStrip).show(marks, position)
        wrong = sum(1 for i in self.items if not i.correct)
        self.query_one("#status", Static).update(
            f"Question {position + 1} of {len(self.items)}: {verdict_text(item)[2:]}. "
            f"{wrong} to learn from (✗ wrong, ? unanswered). ←/→ move, s shows the "
            "passage, Esc goes back."
        )
        has_passage = item.question is not None
        if has_passage != self._had_passage:  # redraw the footer only when `s` comes or goes
            self._had_passage = has_passage
            self.refresh_bindings()

    _had_passage: bool | None = None

    @property
    def choice_count(self) -> int:
        return 0

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "source":
            return bool(self.items) and self.items[self.position].question is not None
        if action == FLAG_ACTION:
            return bool(self.items) and self.flagger is not None
        return True

    def action_goto_question(self, position: int) -> None:
        if 0 <= position < len(self.items):
            self.show_item(position)

    def action_move(self, step: int) -> None:
        self.action_goto_question(self.position + step)

    def action_source(self) -> None:
        question = self.items[self.position].question
        if question is not None and self.course is not None:
            from quiz.ui.screens.source import SourceReaderScreen

            self.app.push_screen(SourceReaderScreen(self.course, ref=question.source_ref))

    def action_flag(self) -> None:
        """Flag the question shown, with an optional note."""
        if self.flagger is None or not self.items:
            return
        asked = self.items[self.position].asked
        ask_and_flag(self, asked, self.position + 1, self.flagger, self.quiz_app.clock.now)

    def action_back(self) -> None:
        self.app.pop_screen()
