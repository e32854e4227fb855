"""Practice: one question at a time, with feedback straight after each answer."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.binding import Binding, BindingType
from textual.screen import Screen

from quiz.domain.answers import ReviewItem, right_indexes, shown_choices
from quiz.domain.pausing import Leaving
from quiz.domain.records import AttemptStatus
from quiz.ui.attempt import AttemptRunner
from quiz.ui.screens.asking import AskingScreen
from quiz.ui.textual_seams import expect_vertical_scrollbar, settle_vertical_scrollbar
from quiz.ui.widgets.choices import ChoiceList
from quiz.ui.widgets.feedback import FeedbackPanel


class PracticeScreen(AskingScreen):
    """Ask, answer, feedback (with the cited passage), next."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("s", "source", "Passage"),
        Binding("enter", "enter", "Submit/next"),
        Binding("escape", "leave", "Pause", key_display="Esc"),
    ]

    def __init__(self, attempt: AttemptRunner) -> None:
        super().__init__(attempt)
        self.step = attempt.session.steps_done
        """How many questions were shown before this one (`session.order`: a drill asks
        a missed question again at the end of the round). A paused round taken up again
        goes on from where it was left."""
        self.feedback: ReviewItem | None = None
        self._panel: FeedbackPanel | None = None
        """The feedback panel, once the first answer is given; hidden between answers."""
        self._choose_dimmed = False
        self._question_scrollbar = False
        """Whether the body needed its scrollbar for the last question (before feedback)."""

    def on_mount(self) -> None:
        super().on_mount()
        self.screen_layout_refresh_signal.subscribe(self, self._laid_out)
        if self.step < len(self.session.order):
            self.show_question(self.session.order[self.step])
        else:  # taken up again with every question answered: nothing left to ask
            self.attempt.finish(AttemptStatus.COMPLETED)

    def _laid_out(self, _screen: Screen[None]) -> None:
        # The footer's Choose key is dimmed while the choices are locked (`allows` says
        # the same), once the frame that shows the question or the verdict is out:
        # restyling the key before would delay that frame.
        dim = self.feedback is not None
        if dim != self._choose_dimmed:
            self._choose_dimmed = dim
            self.dim_choose_key(dim)

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "pick" and self.feedback is not None:
            return None  # the choices are locked after the answer: shown, dimmed
        return True

    def show_question(self, position: int) -> None:
        if not self.attempt.visit(position):
            return
        self.position = position
        self.feedback = None
        # At once: a deferred scroll would first draw the new question at the old
        # offset (scrolled to the feedback), with its first lines out of view.
        self.body.scroll_home(animate=False, immediate=True)
        if self._panel is not None:
            self._panel.display = False
        asked = self.session.asked[position]
        order = self.session.order
        self.view.show(
            asked,
            total=len(order),
            section_title=self.session.course.section_title(asked.section),
            number=self.step + 1,
            again=order.index(position) < self.step,
        )
        if self._panel is not None:
            # The feedback's scrollbar goes with it (at 80x24), in this frame rather than
            # after it (see _show_feedback_panel); as the question before needed,
            # without the cost of measuring this one before it is shown.
            expect_vertical_scrollbar(self.body, self._question_scrollbar)
        self.focus_answer()
        self.refresh_status()

    @property
    def shown_number(self) -> int:
        return self.step + 1

    def refresh_status(self) -> None:
        if self.feedback is None:
            self.set_status("Answer, then press Enter to submit. Esc pauses: resume it from home.")
            return
        verdict = "Correct." if self.feedback.correct else "Incorrect."
        last = self.step + 1 >= len(self.session.order)
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
        self._question_scrollbar = self.body.show_vertical_scrollbar
        asked = self.session.asked[self.position]
        self.feedback = ReviewItem(
            asked, record.response, record.correct, self.session.questions[self.position]
        )
        # The focus moves before a typed answer's field is disabled, or it would move
        # twice (and the footer be redrawn twice).
        self.body.focus()
        self.view.freeze(right_indexes(asked) if shown_choices(asked) else None)
        self.refresh_status()
        # The verdict shows at once (status line, marked choices); the panel with the
        # passage, which takes longer to lay out, follows in the next frame.
        self.call_after_refresh(self._show_feedback_panel, self.feedback)

    def _show_feedback_panel(self, item: ReviewItem) -> None:
        if item is not self.feedback:
            return  # moved on already
        panel = self._panel
        if panel is None:
            panel = self._panel = FeedbackPanel(self.session.course, item, show_response=False)
            # In the body itself, below the (empty) feedback area: each container a
            # panel sits in is drawn again, line by line, on every frame it changes.
            self.body.mount(panel)
        else:  # updated in place: mounting a new panel for every answer costs more
            panel.show(item)
            panel.display = True
        # Textual would find out that the body now overflows (at 80x24 it does, mostly)
        # only by laying it out, then lay everything out again, narrower, in one more
        # frame: the costliest of an answer.
        settle_vertical_scrollbar(self.body)
        self.call_after_refresh(self._scroll_to_feedback, item)

    def _scroll_to_feedback(self, item: ReviewItem) -> None:
        # Once the panel is laid out (not if the learner has moved on and it is hidden
        # again). At once: the offset is known now, and deferring it would cost a frame.
        if item is self.feedback and self._panel is not None:
            self._panel.scroll_visible(animate=False, top=True, immediate=True)

    def action_next(self) -> None:
        order = self.session.order  # a drill's grows when a question is missed
        if self.step + 1 < len(order):
            self.step += 1
            self.show_question(order[self.step])
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
        # Paused, to be resumed from the home screen (quiz.domain.pausing).
        self.attempt.leave(Leaving.LEFT)
