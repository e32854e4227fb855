"""My scores: the learner's own attempts, newest first (Enter reviews one), and a trend
per section. The attempt columns are `quiz scores`'s spec (quiz.tables.attempts)."""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Static

from quiz.domain.model import Course
from quiz.storage.attempts import AttemptDetail, AttemptSummary
from quiz.storage.reader import ScoreReader
from quiz.storage.report_model import SectionTrend
from quiz.tables.attempts import ATTEMPTS
from quiz.tables.formats import local_minute, percent_text
from quiz.ui.literal import literal
from quiz.ui.screens.score_screen import LOADING, ScoresScreen
from quiz.ui.widgets.columns import add_columns, add_rows

BARS = "▁▂▃▄▅▆▇█"
TREND_POINTS = 12
"""The sparkline shows this many latest attempts at most."""


def sparkline(percents: list[float]) -> str:
    """One bar per attempt, on a fixed 0..100 scale (so a flat line means a steady score)."""
    top = len(BARS) - 1
    return "".join(BARS[round(max(0.0, min(100.0, p)) / 100 * top)] for p in percents)


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
        yield Static("", id="trend-title", markup=False)
        yield VerticalScroll(id="trends")
        yield Footer()

    def on_mount(self) -> None:
        add_columns(self.query_one("#my-attempts", DataTable), ATTEMPTS)
        course = self.course.id if self.course else None
        learner = self.learner

        def job(store: ScoreReader) -> tuple[list[AttemptSummary], tuple[SectionTrend, ...]]:
            return (
                store.list_attempts(learner=learner, course=course),
                store.section_trends(learner, course),
            )

        self.read(job, self.show)

    def show(self, found: tuple[list[AttemptSummary], tuple[SectionTrend, ...]]) -> None:
        attempts, trends = found
        self.loaded = True
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
        self._show_trends(trends)

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
        from quiz.domain.session import ReviewItem
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
        self.app.push_screen(ReviewScreen(course, items, title, subtitle=summary.learner))
