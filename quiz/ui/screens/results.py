"""Results: score, percent, pass or fail, time used, each section, and what to study next."""

from __future__ import annotations

from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalGroup, VerticalScroll
from textual.content import Content
from textual.widgets import Button, Footer, Static

from quiz.domain.answers import describe_response
from quiz.domain.durations import format_duration
from quiz.domain.grading import SectionScore
from quiz.domain.model import DEFAULT_PASS_MARK
from quiz.domain.records import AttemptStatus
from quiz.domain.text import counted
from quiz.ui.attempt import AttemptRunner
from quiz.ui.literal import literal
from quiz.ui.saving import NOT_SENT_MARK
from quiz.ui.screens.base import QuizScreen

TITLE_WIDTH = 40


def _short(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def section_table(scores: tuple[SectionScore, ...], pass_mark: int) -> Content:
    """One line a section: title, right of total, percent, and whether it is below the mark."""
    lines = [Content.styled(f"{'Section':<{TITLE_WIDTH}}  Score  Percent", "bold")]
    for score in scores:
        note = "  below the pass mark" if score.below(pass_mark) else ""
        lines.append(
            literal(_short(score.title, TITLE_WIDTH).ljust(TITLE_WIDTH))
            + f"  {score.correct:>2}/{score.total:<2}  {score.percent:>5.0f}%{note}"
        )
    return Content("\n").join(lines)


class ResultsScreen(QuizScreen[None]):
    """Shown when an attempt ends (completed or timed out)."""

    CSS_PATH = "results.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", "Review answers"),
        Binding("t", "save_again", "Try saving again"),
        Binding("c", "certificate", "Certificate"),
        Binding("escape", "home", "Back to start", key_display="Esc"),
        Binding("enter", "home", "Back to start", show=False),
    ]

    def __init__(self, attempt: AttemptRunner) -> None:
        super().__init__()
        self.attempt = attempt
        self.session = attempt.session
        self.save_error: str | None = None
        self.saving = True

    def compose(self) -> ComposeResult:
        session = self.session
        result = session.result
        assert result is not None
        with VerticalScroll(id="results-body"):
            yield Static(self._headline(), id="results-title", markup=False)
            yield Static(self._score_line(), id="results-score", markup=False)
            if self.attempt.is_drill:  # filled in once the drill is saved
                yield Static("", id="results-next", markup=False)
            summary = self._critical_summary()
            if summary is not None:
                yield Static(summary, id="results-critical", markup=False)
            mark = session.pass_mark if session.pass_mark is not None else DEFAULT_PASS_MARK
            yield Static(section_table(session.section_scores(), mark), id="results-sections")
            study = self._study_next()
            if study:
                yield Static(
                    f"Study next (below {mark}%, or where a critical question was missed). "
                    "Tab to a section and press Enter to read it in the course text.",
                    id="study-label",
                    markup=False,
                )
                with VerticalGroup(id="study-next"):
                    for score in study:
                        yield Button(
                            literal("Read: " + _short(score.title, 60)),
                            name=score.section_id,
                            classes="study",
                            compact=True,
                        )
            elif not self.attempt.is_drill:
                yield Static(
                    "Every section reached the pass mark.",
                    id="study-label",
                    markup=False,
                )
            details = self._critical_details()
            if details is not None:
                yield Static(details, id="critical-details", markup=False)
        yield Static("Saving your result…", id="results-saved", markup=False)
        yield Static(
            "Press r to review every answer, Esc to go back to the start, ctrl+q to quit.",
            id="status",
            markup=False,
        )
        yield Footer()

    def _study_next(self) -> list[SectionScore]:
        """Sections below the pass mark, and those of failed critical questions."""
        session = self.session
        missed = {a.section for a in session.critical_failures()} if session.pass_mark else set()
        below = {s.section_id for s in session.study_next()}
        return [s for s in session.section_scores() if s.section_id in below | missed]

    def _headline(self) -> Content:
        session = self.session
        result = session.result
        assert result is not None
        title = self.attempt.title
        if result.passed is None:
            return Content.assemble((f"{title}: finished", "bold"))
        verdict = "PASS" if result.passed else "FAIL"
        return Content.assemble(
            (f"{title}: ", "bold"), (verdict, "bold reverse" if result.passed else "bold")
        )

    def _score_line(self) -> str:
        session = self.session
        result = session.result
        assert result is not None
        if self.attempt.is_drill:
            first, fixed, wrong = session.drill_outcome()
            used = format_duration(session.time_used_seconds())
            return (
                f"{first + fixed + wrong} questions: {first} right the first time, "
                f"{fixed} fixed after a miss, {wrong} still to learn. Time used {used}."
            )
        parts = [f"Score {result.correct} of {result.total} ({result.percent:.0f}%)"]
        if session.pass_mark is not None:
            parts.append(f"pass mark {session.pass_mark}%")
        used = format_duration(session.time_used_seconds())
        if session.time_limit_seconds:
            used += f" of {format_duration(session.time_limit_seconds)}"
        parts.append(f"time used {used}")
        line = ", ".join(parts) + "."
        if result.status is AttemptStatus.TIMED_OUT:
            unanswered = len(session.unanswered())
            missed = counted(unanswered, "unanswered question", "counts", "count")
            line += f"\nTime ran out: the {missed} as wrong."
        return line

    def _critical_summary(self) -> Content | None:
        """Which critical questions failed the exam, in one sentence."""
        session = self.session
        failures = session.critical_failures() if session.pass_mark is not None else ()
        if not failures:
            return None
        numbers = [str(a.position + 1) for a in failures]
        listed = (
            numbers[0] if len(numbers) == 1 else ", ".join(numbers[:-1]) + " and " + numbers[-1]
        )
        noun = "question" if len(numbers) == 1 else "questions"
        return Content.assemble(
            (f"Failed on critical {noun} {listed}: ", "bold"),
            "a wrong or missing answer to a critical question fails the exam whatever "
            "the score (details below).",
        )

    def _critical_details(self) -> Content | None:
        session = self.session
        failures = session.critical_failures() if session.pass_mark is not None else ()
        if not failures:
            return None
        lines = [Content.styled("Critical questions answered wrongly or not at all:", "bold")]
        for asked in failures:
            answer = describe_response(asked, session.response(asked.position))
            lines.append(
                Content.assemble(
                    (f"Question {asked.position + 1}: ", "bold"),
                    literal(asked.prompt),
                    ("\nYour answer: ", "italic"),
                    literal(answer),
                )
            )
        return Content("\n").join(lines)

    def on_mount(self) -> None:
        self._wait_for_save()
        self.watch(self.quiz_app, "not_sent", self._show_saved, init=False)

    def _show_saved(self) -> None:
        """The "saved" line, once the result is saved: with the quiet mark while it is
        not sent to the central store yet."""
        if self.saving or self.save_error is not None:
            return
        saved = self.query_one("#results-saved", Static)
        not_sent = self.quiz_app.not_sent
        saved.update("Your result is saved." + (f" {NOT_SENT_MARK}" if not_sent else ""))

    @work(group="save", exclusive=True)
    async def _wait_for_save(self) -> None:
        self.saving = True
        self.refresh_bindings()
        error = await self.attempt.wait_saved()
        self.saving = False
        self.save_error = error
        saved = self.query_one("#results-saved", Static)
        if error is None:
            self._show_saved()
            if self.attempt.is_drill:
                self._show_when_due()
        else:
            saved.update(literal(f"Your result could not be saved: {error}. Press t to try again."))
        saved.set_class(error is not None, "problem")
        self.refresh_bindings()
        if self._certifiable():
            self.query_one("#status", Static).update(
                "Press r to review every answer, c for a certificate, Esc for the start."
            )

    @work(group="due", exclusive=True, thread=True)
    def _show_when_due(self) -> None:
        """After a drill is saved (its cards are updated then): which of its questions
        come back in the next drill, and when the others fall due."""
        from datetime import datetime, timedelta

        from quiz.tables.formats import due_when

        app, session = self.quiz_app, self.session
        store = app.store
        if store is None:
            return
        now = app.clock.now()
        asked = {a.question_id for a in session.asked}

        def read() -> list[datetime]:  # on the store thread: when each falls due
            cards = store.due_list(
                now=now,
                within=timedelta(days=36500),
                learner=self.attempt.learner,
                course=session.course.id,
            )
            return [card.due_at for card in cards if card.question_id in asked]

        try:
            cards = app.store_thread.call(read)
        except Exception:  # a courtesy line: the result itself is saved
            return
        again = sum(1 for due_at in cards if due_at <= now)
        later = [due_at for due_at in cards if due_at > now]
        lines = []
        if again:
            lines.append(
                f"{again} of them {'comes' if again == 1 else 'come'} back in your next drill: "
                "a question missed "
                "the first time is due again at once."
            )
        if later:
            others = "The next of the others falls due" if again else "The next falls due"
            lines.append(f"{others} {due_when(min(later), now)}.")
        text = " ".join(lines)
        self.app.call_from_thread(self.query_one("#results-next", Static).update, text)

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save_again":
            return self.save_error is not None and not self.saving
        if action == "certificate":
            return self._certifiable()
        return True

    def _certifiable(self) -> bool:
        """A finished exam, saved, in a store that keeps verification codes (the app's
        own: quiz.storage.scores.ScoreStore)."""
        result = self.session.result
        return (
            self.attempt.is_exam
            and result is not None
            and result.status in (AttemptStatus.COMPLETED, AttemptStatus.TIMED_OUT)
            and not self.saving
            and self.save_error is None
            and self.attempt.saver.attempt_id is not None
            and hasattr(self.quiz_app.store, "certified_record")
        )

    def action_certificate(self) -> None:
        if self._certifiable():
            self._show_certificate("Writing the certificate…")
            self._write_certificate()

    @work(group="certificate", thread=True)
    def _write_certificate(self) -> None:
        """Make the PDF (fpdf2 is imported here, on first use) and write it into the
        certificates folder under a new name; say where, or why not."""
        from quiz.ui.certificates import write_certificate

        message = write_certificate(
            self.quiz_app.store,
            self.quiz_app.store_thread,
            self.attempt.saver.attempt_id,
            self.session.course,
        )
        self.app.call_from_thread(self._show_certificate, message)

    def _show_certificate(self, message: str) -> None:
        if not self.is_attached:  # left meanwhile: say it where the learner is now
            self.app.notify(message, markup=False)
            return
        found = self.query("#results-certificate")
        if found:
            found.first(Static).update(literal(message))
        else:
            line = Static(literal(message), id="results-certificate")
            self.mount(line, after=self.query_one("#results-saved"))

    def action_save_again(self) -> None:
        self.attempt.save_again()
        self.query_one("#results-saved", Static).update("Saving your result…")
        self._wait_for_save()

    def action_review(self) -> None:
        from quiz.ui.screens.review import ReviewScreen

        self.app.push_screen(
            ReviewScreen(
                self.session.course,
                self.session.review(),
                self.attempt.title,
                flagger=self.attempt.flag,
            )
        )

    def action_home(self) -> None:
        self.app.pop_screen()

    @on(Button.Pressed, ".study")
    def study(self, event: Button.Pressed) -> None:
        from quiz.ui.screens.source import SourceReaderScreen

        course = self.session.course
        self.app.push_screen(SourceReaderScreen(course, section_id=event.button.name))
