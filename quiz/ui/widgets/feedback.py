"""What a learner is told about one answer: right or wrong in words, the right answer,
the choice's own feedback, the explanation, and the cited passage in its paragraph.

A panel is updated in place for the next answer (`show`): practice keeps one for the
whole attempt, as mounting a new panel for every answer costs more than the answer.
Every line has its widget from the start; lines an answer does not need are hidden.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content
from textual.widgets import Static

from quiz.domain.answers import ReviewItem, describe_answer, describe_response
from quiz.domain.answers import choice_feedback as feedback_for_choices
from quiz.domain.grading import slip_spelling
from quiz.domain.model import Course
from quiz.ui.literal import literal
from quiz.ui.widgets.passage import PassageView
from quiz.ui.widgets.redraw import update_content

MISSING_QUESTION = (
    "This question is no longer in the course, so its explanation and passage cannot be shown."
)


def verdict_text(item: ReviewItem) -> str:
    """ "Correct" / "Incorrect" in words (never colour alone)."""
    if item.correct:
        return "✓ Correct"
    if not item.answered:
        return "✗ Unanswered (counts as wrong)"
    return "✗ Incorrect"


def choice_feedback(item: ReviewItem) -> list[tuple[str, str]]:
    """The bank's feedback for each choice the learner picked: (label, text)."""
    if item.question is None:
        return []
    return feedback_for_choices(item.question, item.asked, item.response)


def _line(label: str, text: str) -> Content:
    return Content.assemble((label, "bold"), literal(text))


def _show(widget: Static, content: Content | None) -> None:
    """Show `content` in `widget`, or hide the widget (and empty it) for None."""
    update_content(widget, content if content is not None else Content(""))
    widget.display = content is not None


class FeedbackPanel(VerticalGroup):
    """Feedback on one answer, for practice and for the review."""

    DEFAULT_CSS = """
    FeedbackPanel {
        margin: 1 0 0 0;
        padding: 0 1;
        border-left: thick $primary;
    }

    FeedbackPanel .verdict {
        text-style: bold;
    }

    FeedbackPanel .verdict.-correct {
        color: $text-success;
    }

    FeedbackPanel .verdict.-incorrect {
        color: $text-error;
    }

    FeedbackPanel .passage-label {
        margin: 1 0 0 0;
        color: $text-muted;
    }
    """

    def __init__(self, course: Course | None, item: ReviewItem, *, show_response: bool) -> None:
        super().__init__(classes="feedback")
        self.course = course
        self.item = item
        """The answer shown."""
        self.show_response = show_response
        self._verdict = Static("", markup=False, classes="verdict")
        self._response = self._slot()
        self._spelling = self._slot()
        self._right = self._slot()
        self._choice_lines: list[Static] = []
        self._missing = Static(MISSING_QUESTION, markup=False, classes="feedback-missing")
        self._explanation = self._slot("explanation")
        self._passage_label = Static("From the course text:", markup=False, classes="passage-label")
        self._passage: PassageView | None = None
        self._composed = False

    @staticmethod
    def _slot(classes: str = "feedback-line") -> Static:
        return Static("", markup=False, classes=classes)

    def compose(self) -> ComposeResult:
        self._fill(self.item)
        yield self._verdict
        yield self._response
        yield self._spelling
        yield self._right
        yield from self._choice_lines
        yield self._missing
        yield self._explanation
        yield self._passage_label
        if self._passage is not None:
            yield self._passage
        self._composed = True

    def show(self, item: ReviewItem) -> None:
        """Show the feedback on `item` instead, in the same widgets."""
        self.item = item
        self._fill(item)

    def _fill(self, item: ReviewItem) -> None:
        verdict = self._verdict
        update_content(verdict, Content(verdict_text(item)))
        verdict.set_class(item.correct, "-correct")
        verdict.set_class(not item.correct, "-incorrect")
        asked, response = item.asked, item.response
        shown = describe_response(asked, response) if self.show_response else None
        _show(self._response, _line("Your answer: ", shown) if shown is not None else None)
        spelling = slip_spelling(asked, response) if item.correct else None
        _show(
            self._spelling,
            _line("Accepted with a spelling slip. The right spelling: ", spelling)
            if spelling is not None
            else None,
        )
        right = None if item.correct else _line("The right answer: ", describe_answer(asked))
        _show(self._right, right)
        self._fill_choice_lines(
            [_line(f"About {label}: ", text) for label, text in choice_feedback(item)]
        )
        question = item.question if self.course is not None else None
        self._missing.display = question is None
        _show(self._explanation, _line("Why: ", question.explanation) if question else None)
        self._passage_label.display = question is not None
        if question is None or self.course is None:
            if self._passage is not None:
                self._passage.display = False
        elif self._passage is None:
            self._passage = PassageView(
                self.course, question.source_ref, classes="feedback-passage"
            )
            if self._composed:
                self.mount(self._passage)
        else:
            self._passage.show(question.source_ref)
            self._passage.display = True

    def _fill_choice_lines(self, lines: list[Content]) -> None:
        while len(self._choice_lines) < len(lines):
            widget = self._slot("choice-feedback")
            if self._composed:
                self.mount(widget, before=self._missing)
            self._choice_lines.append(widget)
        for index, widget in enumerate(self._choice_lines):
            _show(widget, lines[index] if index < len(lines) else None)
