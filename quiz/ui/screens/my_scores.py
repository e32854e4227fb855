"""My scores: the learner's own attempts, newest first (Enter reviews one), their exam
percentages over time (Textual's `Sparkline`), a trend per section, and per section the
questions due for a drill now and within the week (or when the next one falls due). The
attempt columns are `quiz scores`'s spec (quiz.tables.attempts), the due ones
quiz.tables.due_counts."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Sparkline, Static

from quiz.domain.model import Course
from quiz.domain.records import Mode
from quiz.domain.text import plural
from quiz.storage.attempts import AttemptDetail, AttemptSummary
from quiz.storage.card_model import SectionDue
from quiz.storage.reader import ScoreReader
from quiz.storage.report_model import SectionTrend
from quiz.tables.attempts import ATTEMPTS
from quiz.tables.due_counts import SECTION_DUE, SectionDueView
from quiz.tables.formats import due_in, local_minute, percent_text, verdict_word
from quiz.ui.literal import literal
from quiz.ui.saving import ScoreStoreLike
from quiz.ui.screens.score_screen import LOADING, ScoresScreen
from quiz.ui.widgets.columns import add_columns, add_rows

if TYPE_CHECKING:
    from quiz.ui.flagging import FlagSaver

EXAM_POINTS = 24
"""The exam sparkline shows this many latest exams at most, one column each."""
BARS = "▁▂▃▄▅▆▇█"
TREND_POINTS = 12
"""The sparkline shows this many latest attempts at most."""


def sparkline(percents: list[float]) -> str:
    """One bar per attempt, on a fixed 0..100 scale (so a flat line means a steady score)."""
    top = len(BARS) - 1
    return "".join(BARS[round(max(0.0, min(100.0, p)) / 100 * top)] for p in percents)


def due_summary(counts: list[SectionDue], next_due: datetime | None, now: datetime) -> str:
    """The line over the due table: how many are due now and within the week, or, with
    none due now, when the next one falls due."""
    if not counts:
        return (
            "Nothing to drill yet: the questions of finished practice rounds and exams "
            "come back here when they are due."
        )
    due_now = sum(c.due_now for c in counts)
    this_week = sum(c.due_this_week for c in counts)
    if due_now:
        return f"Due for a drill: {plural(due_now, 'question')} now, {this_week} within a week."
    text = "Nothing is due for a drill now"
    if next_due is not None:
        when = due_in(next_due, now)
        text += f"; the next question is due {when if when.startswith('in ') else 'on ' + when}"
    return text + f" ({this_week} within a week)."


def counted_exams(attempts: list[AttemptSummary]) -> list[AttemptSummary]:
    """The learner's counted exams (completed or timed out, as the report counts them),
    oldest first, the latest EXAM_POINTS at most. `attempts`: newest first."""
    from quiz.storage.summaries import COUNTED_STATUSES

    exams = [
        a
        for a in reversed(attempts)
        if a.mode is Mode.EXAM and a.status in COUNTED_STATUSES and a.percent is not None
    ]
    return exams[-EXAM_POINTS:]


def exam_words(exams: list[AttemptSummary]) -> str:
    """The words beside the exam sparkline: how many, the range, the latest verdict."""
    percents = [a.percent or 0.0 for a in exams]
    last = f"{percent_text(percents[-1])}, {verdict_word(exams[-1].passed)}"
    if len(exams) == 1:
        return f"1 exam: {last}"
    low, high = percent_text(min(percents)), percent_text(max(percents))
    return f"{len(exams)} exams, {low} to {high}; last {last}"


class MyScoresScreen(ScoresScreen):
    """The learner's attempts, newest first (Enter reviews one), and a trend per section."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("r", "review", "Review attempt"),
        Binding("escape", "back", "Back", key_display="Esc"),
    ]

    def __init__(self, store: object | None, learner: str, course: Course | None) -> None:
        super().__init__(store, course)
        self.learner = learner
        self.attempts: list[AttemptSummary] = []

    def compose(self) -> ComposeResult:
        yield from self.topbar(f"My scores · {self.learner}")
        yield Static(LOADING, id="scores-status", markup=False)
        table: DataTable[Text] = DataTable(id="my-attempts", cursor_type="row", zebra_stripes=True)
        yield table
        with Horizontal(id="exam-trend"):
            yield Static("Exams, oldest to newest:", id="exam-trend-title", markup=False)
            yield Sparkline([], id="exam-sparkline")
            yield Static("", id="exam-trend-words", markup=False)
        yield Static("", id="recertification", markup=False)
        yield Static("", id="trend-title", markup=False)
        yield VerticalScroll(id="trends")
        yield Static("", id="due-title", markup=False)
        due: DataTable[Text] = DataTable(id="due-table", cursor_type="none", zebra_stripes=True)
        due.display = False
        yield due
        yield Footer()

    def on_mount(self) -> None:
        add_columns(self.query_one("#my-attempts", DataTable), ATTEMPTS)
        add_columns(self.query_one("#due-table", DataTable), SECTION_DUE)
        course = self.course.id if self.course else None
        learner = self.learner

        def job(store: ScoreReader) -> tuple[list[AttemptSummary], tuple[SectionTrend, ...]]:
            return (
                store.list_attempts(learner=learner, course=course),
                store.section_trends(learner, course),
            )

        self.read(job, self.show)
        self._read_passes()

    def _read_passes(self) -> None:
        """The date of the learner's next recertification of each preset of the course
        whose pass runs out (quiz.ui.passes); nothing asked when none does."""
        from quiz.ui.passes import recertification_line, valid_presets

        presets = valid_presets(self.course) if self.course is not None else ()
        self.query_one("#recertification").display = False
        if not presets or not isinstance(self.store, ScoreStoreLike):
            return
        learner, now = self.learner, self.now()

        def job(store: object) -> list[str]:
            assert isinstance(store, ScoreStoreLike)
            return [recertification_line(p) for p in store.learner_passes(learner, presets, now)]

        def shown(lines: list[str]) -> None:
            line = self.query_one("#recertification", Static)
            line.update(literal("\n".join(lines)))
            line.display = bool(lines)

        self.read(job, shown, lambda _message: None)  # a courtesy: the attempts say more

    def show(self, found: tuple[list[AttemptSummary], tuple[SectionTrend, ...]]) -> None:
        attempts, trends = found
        self.attempts = attempts
        table = self.query_one("#my-attempts", DataTable)
        table.clear()
        add_rows(table, ATTEMPTS, attempts, keys=[a.id for a in attempts])
        if not attempts:
            self.status(
                f"No attempts saved under the name {self.learner!r} yet. Scores are kept "
                "under the name typed on the home screen."
            )
        else:
            plural = "s" if len(attempts) != 1 else ""
            self.status(
                f"{len(attempts)} attempt{plural}, newest first. Enter (or r) opens the "
                "highlighted one for review."
            )
            table.focus()
        self._show_exams(attempts)
        self._show_trends(trends)
        if attempts:
            self._read_due()
        else:
            self.loaded = True  # no attempt: no card either

    # --- the drill: due now and this week, per section -----------------------------------

    def _read_due(self) -> None:
        course = self.course.id if self.course else None
        learner = self.learner
        now = self.now()

        def job(
            store: ScoreStoreLike,
        ) -> tuple[list[SectionDue], datetime | None, datetime]:
            counts = store.due_counts(learner, now=now, course=course)
            upcoming = store.next_due(learner, course=course)
            return counts, upcoming, now

        self.read_cards(job, self._show_due, self._due_failed)

    def preparing(self, text: str) -> None:
        self.query_one("#due-title", Static).update(text)

    def _show_due(self, found: tuple[list[SectionDue], datetime | None, datetime]) -> None:
        counts, upcoming, now = found
        counts = sorted(counts, key=self._section_order)
        self.query_one("#due-title", Static).update(due_summary(counts, upcoming, now))
        table = self.query_one("#due-table", DataTable)
        table.clear()
        add_rows(table, SECTION_DUE, SECTION_DUE.rows(SectionDueView(counts, self.section_title)))
        table.display = bool(counts)
        self.loaded = True

    def _due_failed(self, message: str) -> None:
        self.query_one("#due-title", Static).update(
            literal(f"The drill schedule could not be read: {message}")
        )
        self.loaded = True

    def _section_order(self, due: SectionDue) -> tuple[object, ...]:
        """The course's order of sections (the trends' order); others after, by id."""
        course = self.course
        if course is not None and course.id == due.course:
            ids = [section.id for section in course.source.sections]
            if due.section in ids:
                return (0, "", ids.index(due.section), "")
        return (1, due.course, 0, due.section)

    def _show_exams(self, attempts: list[AttemptSummary]) -> None:
        """The exam sparkline (hidden without an exam): one column per exam."""
        exams = counted_exams(attempts)
        row = self.query_one("#exam-trend", Horizontal)
        row.display = bool(exams)
        if not exams:
            return
        line = self.query_one("#exam-sparkline", Sparkline)
        line.styles.width = max(2, len(exams))
        line.data = [a.percent or 0.0 for a in exams]
        self.query_one("#exam-trend-words", Static).update(exam_words(exams))

    def _show_trends(self, trends: tuple[SectionTrend, ...]) -> None:
        title = self.query_one("#trend-title", Static)
        area = self.query_one("#trends", VerticalScroll)
        area.remove_children()
        if not trends:
            title.update("")
            return
        title.update("Each section, attempt by attempt (oldest to newest; bars from 0 to 100%):")
        rows = []
        for trend in trends:
            percents = [p.percent for p in trend.points]
            noun = "attempt" if len(percents) == 1 else "attempts"
            words = (
                f"last {percent_text(percents[-1])}, best {percent_text(max(percents))}, "
                f"{len(percents)} {noun}"
            )
            name = self.section_title(trend.course, trend.section)
            rows.append(
                Horizontal(
                    Static(literal(name), classes="trend-name", markup=False),
                    Static(sparkline(percents[-TREND_POINTS:]), classes="trend-line"),
                    Static(words, classes="trend-words", markup=False),
                    classes="trend-row",
                )
            )
        area.mount_all(rows)

    @on(DataTable.RowSelected, "#my-attempts")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value is not None:
            self.open_review(event.row_key.value)

    def action_review(self) -> None:
        table = self.query_one("#my-attempts", DataTable)
        if self.attempts and 0 <= table.cursor_row < len(self.attempts):
            self.open_review(self.attempts[table.cursor_row].id)

    def open_review(self, attempt_id: str) -> None:
        def job(store: ScoreReader) -> AttemptDetail | None:
            return store.get_attempt(attempt_id)

        self.read(job, self._review)

    def _review(self, detail: AttemptDetail | None) -> None:
        if detail is None:
            self.status("That attempt is no longer in the store.", problem=True)
            return
        from quiz.domain.answers import ReviewItem
        from quiz.ui.screens.review import ReviewScreen

        course = self.course
        items = [
            ReviewItem(
                asked=item.question,
                response=item.response,
                correct=item.correct,
                question=course.question(item.question.question_id) if course else None,
            )
            for item in detail.items
        ]
        summary = detail.summary
        title = f"{local_minute(summary.started_at)} · {summary.mode} · "
        title += percent_text(summary.percent)
        self.app.push_screen(
            ReviewScreen(
                course, items, title, subtitle=summary.learner, flagger=self._flagger(summary.id)
            )
        )

    def _flagger(self, attempt_id: str) -> FlagSaver | None:
        """Saves flags on the attempt reviewed, through the app's store (if open)."""
        from quiz.ui.flagging import saved_attempt_flagger

        store = self.quiz_app.store
        if store is None:
            return None
        return saved_attempt_flagger(self.quiz_app.store_thread, store, attempt_id)
