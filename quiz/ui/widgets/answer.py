"""What the question view asks of the widget a question kind is answered in.

Each kind is answered in a widget registered for it in quiz.ui.widgets.question
(`register_answer_widget`): the choice list for single, multiple and true_false, a
text field for short. The view keeps one widget of each class for the whole attempt,
shows the one the question's kind needs and hides the others (showing costs less than
mounting).

A widget class inherits from its Textual base first, then from `AnswerWidget`, so that
its styles are the base's: `class ChoiceList(VerticalGroup, AnswerWidget)`.
"""

from __future__ import annotations

from collections.abc import Iterable

from textual.widget import Widget

from quiz.domain.records import AskedQuestion, Response


class AnswerWidget(Widget):
    """Shows a question's answer area and reads the learner's response from it."""

    def show_answer(self, asked: AskedQuestion, response: Response) -> None:
        """Show `asked`, with `response` already picked or typed (exams, the review)."""
        raise NotImplementedError

    def hide_answer(self) -> None:
        """Another kind's widget is shown instead (the view hides this one)."""

    def read_response(self, asked: AskedQuestion) -> Response:
        """What the learner has picked or typed (None if nothing)."""
        raise NotImplementedError

    def freeze(self, right: Iterable[int] | None = None) -> None:
        """No more changes (practice after feedback, the review); `right` marks the
        right choices where there are choices."""
        self.disabled = True

    def focus_answer(self) -> bool:
        """Take the focus where the answer is typed; False where keys pick (letters)."""
        return False
