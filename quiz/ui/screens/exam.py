"""Exam: a countdown always on screen, no feedback until the end, answers can change."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType

from quiz.domain.pausing import Leaving
from quiz.domain.records import AttemptStatus
from quiz.domain.text import counted, plural
from quiz.ui.screens.asking import AskingScreen
from quiz.ui.screens.dialogs import ConfirmDialog
from quiz.ui.widgets.choices import ChoiceList
from quiz.ui.widgets.strip import QuestionStrip

_MOVE = Binding.Group("Move", compact=True)


class ExamScreen(AskingScreen):
    """Move between the questions with ←/→, answer in any order, submit when done."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("left", "move(-1)", "Previous", key_display="←", priority=True, group=_MOVE),
        Binding("right", "move(1)", "Next", key_display="→", priority=True, group=_MOVE),
        Binding("enter", "next", "Next"),
        Binding("ctrl+s", "submit", "Submit", key_display="^s", priority=True),
        Binding("escape", "leave", "Leave", key_display="Esc"),
    ]

    def compose_above_body(self) -> ComposeResult:
        yield QuestionStrip(id="strip")

    def on_mount(self) -> None:
        super().on_mount()
        self.show_question(self.session.current)  # a paused exam: its first unanswered

    def show_question(self, position: int) -> None:
        if not self.attempt.visit(position):
            return
        self.position = position
        asked = self.session.asked[position]
        self.view.show(
            asked,
            total=len(self.session.asked),
            section_title=self.session.course.section_title(asked.section),
            response=self.session.response(position),
        )
        self.body.scroll_home(animate=False)
        self.focus_answer()
        self.refresh_progress()

    def refresh_progress(self) -> None:
        session = self.session
        marks = [" " if session.is_answered(i) else "?" for i in range(len(session.asked))]
        self.query_one("#strip", QuestionStrip).show(marks, self.position)
        self.refresh_status()

    def refresh_status(self) -> None:
        unanswered = len(self.session.unanswered())
        total = len(self.session.asked)
        answered = f"{total - unanswered} of {total} answered"
        if unanswered:
            answered += f", {unanswered} unanswered (marked ?)"
        self.set_status(f"{answered}. ←/→ move, Enter goes on, ctrl+s submits the exam.")

    # --- answering -------------------------------------------------------------------

    def _save_current(self) -> bool:
        """Keep what the current question's view holds (picked or typed, whatever its
        kind), before any move; False if the attempt is over (time is up)."""
        if self.attempt.over():
            return False
        position = self.position
        response = self.view.response()
        if response == self.session.response(position):
            return True
        if response is None:
            return self.attempt.clear(position)
        return self.attempt.answer(position, response) is not None

    def after_pick(self) -> None:
        if self._save_current():
            self.refresh_progress()

    @on(ChoiceList.Picked)
    def picked(self) -> None:
        # A click: the view and the session may already agree (saving is idempotent).
        self.after_pick()

    # --- moving ------------------------------------------------------------------------

    def action_goto_question(self, position: int) -> None:
        if self._save_current() and 0 <= position < len(self.session.asked):
            self.show_question(position)

    def action_move(self, step: int) -> None:
        target = self.position + step
        if 0 <= target < len(self.session.asked):
            self.action_goto_question(target)
        elif self._save_current():
            self.refresh_progress()

    def action_next(self) -> None:
        if not self._save_current():
            return
        if self.position + 1 < len(self.session.asked):
            self.show_question(self.position + 1)
        else:
            self.refresh_progress()
            self.action_submit()

    # --- ending ------------------------------------------------------------------------

    def action_submit(self) -> None:
        if not self._save_current():
            return
        unanswered = len(self.session.unanswered())
        if unanswered:
            detail = (
                f"{plural(unanswered, 'question')} unanswered: "
                f"{'it counts' if unanswered == 1 else 'they count'} as wrong. "
                "You cannot change answers after submitting."
            )
        else:
            detail = "Every question is answered. You cannot change answers after submitting."

        def answered(yes: bool | None) -> None:
            if yes:
                self.attempt.finish(AttemptStatus.COMPLETED)

        self.app.push_screen(
            ConfirmDialog("Submit the exam?", detail, yes="Submit", no="Keep working"), answered
        )

    def action_leave(self) -> None:
        self._save_current()
        if not self.attempt.active:
            return
        saved = counted(self.session.answered_count, "answer", "is", "are")
        detail = (
            f"Your {saved} saved and the exam is recorded as abandoned; you cannot come back to it."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self.attempt.leave(Leaving.LEFT)  # abandoned (quiz.domain.pausing)

        self.app.push_screen(
            ConfirmDialog("Leave the exam?", detail, yes="Leave", no="Stay"), answered
        )
