"""Practice: one question at a time, with feedback straight after each answer."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType

from quiz.domain.records import AttemptStatus
from quiz.domain.session import ReviewItem, right_indexes, shown_choices
from quiz.ui.attempt import AttemptRunner
from quiz.ui.screens.asking import AskingScreen
from quiz.ui.widgets.choices import ChoiceList
from quiz.ui.widgets.feedback import FeedbackPanel


class PracticeScreen(AskingScreen):
    """Ask, answer, feedback (with the cited passage), next."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "source", "Passage"),
        Binding("enter", "enter", "Submit/next"),
        Binding("escape", "leave", "Back", key_display="Esc"),
    ]

    def __init__(self, attempt: AttemptRunner) -> None:
        super().__init__(attempt)
        self.feedback: ReviewItem | None = None

    def on_mount(self) -> None:
        super().on_mount()
        self.show_question(0)

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick" and self.feedback is not None:
            return None  # the choices are locked after the answer: shown, dimmed
        return True

    def show_question(self, position: int) -> None:
        if not self.attempt.visit(position):
            return
        if self.feedback is not None:
            self.dim_choose_key(False)
        self.position = position
        self.feedback = None
        self.query_one("#feedback-area").remove_children()
        asked = self.session.asked[position]
        self.view.show(
            asked,
            total=len(self.session.asked),
            section_title=self.session.course.section_title(asked.section),
        )
        self.body.scroll_home(animate=False)
        self.focus_answer()
        self.refresh_status()

    def refresh_status(self) -> None:
        if self.feedback is None:
            self.set_status("Answer, then press Enter to submit. Esc goes back to the start.")
            return
        verdict = "Correct." if self.feedback.correct else "Incorrect."
        last = self.position + 1 >= len(self.session.asked)
        then = "see your results" if last else "go to the next question"
        self.set_status(f"{verdict} Press Enter to {then}; s shows the passage in the course text.")

    def action_enter(self) -> None:
        if self.feedback is None:
            self.action_submit()
        else:
            self.action_next()

    def after_pick(self) -> None:
        self.refresh_status()

    @on(ChoiceList.Picked)
    def picked(self) -> None:
        self.after_pick()

    def action_submit(self) -> None:
        if self.feedback is not None or self.attempt.over():
            return
        response = self.view.response()
        if response is None:
            self.app.bell()
            self.set_status("Choose an answer first (press its letter), then press Enter.")
            return
        record = self.attempt.answer(self.position, response)
        if record is None:
            return
        asked = self.session.asked[self.position]
        self.feedback = ReviewItem(
            asked, record.response, record.correct, self.session.questions[self.position]
        )
        self.view.freeze(right_indexes(asked) if shown_choices(asked) else None)
        self.body.focus()
        self.refresh_status()
        self.dim_choose_key(True)
        # The verdict shows at once (status line, marked choices); the panel with the
        # passage, which takes longer to lay out, follows in the next frame.
        self.call_after_refresh(self._show_feedback_panel, self.feedback)

    def _show_feedback_panel(self, item: ReviewItem) -> None:
        if item is not self.feedback:
            return  # moved on already
        panel = FeedbackPanel(self.session.course, item, show_response=False)
        self.query_one("#feedback-area").mount(panel)
        self.call_after_refresh(panel.scroll_visible, animate=False, top=True)

    def action_next(self) -> None:
        if self.position + 1 < len(self.session.asked):
            self.show_question(self.position + 1)
        else:
            self.attempt.finish(AttemptStatus.COMPLETED)

    def action_source(self) -> None:
        if self.feedback is None:
            # Before an answer the passage would give the answer away.
            self.set_status("Answer first: the passage opens after your answer.")
            return
        from quiz.ui.screens.source import SourceReaderScreen

        question = self.session.questions[self.position]
        self.app.push_screen(SourceReaderScreen(self.session.course, ref=question.source_ref))

    def action_leave(self) -> None:
        self.attempt.finish(AttemptStatus.ABANDONED)
