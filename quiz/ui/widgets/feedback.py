"""What a learner is told about one answer: right or wrong in words, the right answer,
the choice's own feedback, the explanation, and the cited passage in its paragraph."""

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
        self.show_response = show_response

    def compose(self) -> ComposeResult:
        item = self.item
        verdict = Static(verdict_text(item), markup=False, classes="verdict")
        verdict.set_class(item.correct, "-correct")
        verdict.set_class(not item.correct, "-incorrect")
        yield verdict
        if self.show_response:
            yield self._line("Your answer: ", describe_response(item.asked, item.response))
        spelling = slip_spelling(item.asked, item.response) if item.correct else None
        if spelling is not None:
            yield self._line("Accepted with a spelling slip. The right spelling: ", spelling)
        if not item.correct:
            yield self._line("The right answer: ", describe_answer(item.asked))
        for label, text in choice_feedback(item):
            yield self._line(f"About {label}: ", text, classes="choice-feedback")
        question = item.question
        if question is None or self.course is None:
            yield Static(
                "This question is no longer in the course, so its explanation and "
                "passage cannot be shown.",
                markup=False,
                classes="feedback-missing",
            )
            return
        yield self._line("Why: ", question.explanation, classes="explanation")
        yield Static("From the course text:", markup=False, classes="passage-label")
        yield PassageView(self.course, question.source_ref, classes="feedback-passage")

    @staticmethod
    def _line(label: str, text: str, *, classes: str = "feedback-line") -> Static:
        return Static(
            Content.assemble((label, "bold"), literal(text)), markup=False, classes=classes
        )
