"""All staff: the manager's report in three tabs (staff by section, questions, sections).

Each tab's table is the report's spec (quiz.tables.report), the one `quiz report`
prints, so the columns and the numbers are the same; only the sections are named by
their titles here. Both read the report with `ScoreStore.report`.
"""

from __future__ import annotations

from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from quiz.domain.model import Course
from quiz.domain.text import strip_control
from quiz.storage.reader import ScoreReader
from quiz.storage.report_model import QuestionReport, Report, ReportFilter
from quiz.tables import report as tables
from quiz.tables.columns import Table
from quiz.tables.formats import percent_of, percent_text
from quiz.ui.literal import literal
from quiz.ui.screens.score_screen import LOADING, ScoresScreen
from quiz.ui.widgets.columns import add_columns, add_rows

NOTICE = (
    "Names are taken on trust. Anyone who can read the scores file can read everyone's "
    "results; separate computer accounts keep them apart."
)
TABS: tuple[tuple[str, str, Table[tables.ReportView, Any]], ...] = (
    ("staff", "staff-table", tables.STAFF_SECTIONS),
    ("questions", "question-table", tables.QUESTIONS),
    ("sections", "section-table", tables.SECTIONS),
)
"""(pane id, table id, the table's spec) of each tab, in order."""


class AllStaffScreen(ScoresScreen):
    """The report for a clinic manager, in three tabs."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "tab('staff')", "Staff"),
        Binding("2", "tab('questions')", "Questions"),
        Binding("3", "tab('sections')", "Sections"),
        Binding("escape", "back", "Back", key_display="Esc"),
    ]

    def __init__(self, store: object | None, course: Course | None) -> None:
        super().__init__(store, course)
        self.report: Report | None = None

    def compose(self) -> ComposeResult:
        yield from self.topbar("All staff")
        yield Static(NOTICE, id="staff-notice", markup=False)
        yield Static(LOADING, id="scores-status", markup=False)
        with TabbedContent(id="staff-tabs"):
            for pane, table_id, spec in TABS:
                with TabPane(spec.title, id=pane):
                    yield DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
                    if pane == "questions":
                        yield Static("", id="question-detail", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        for _pane, table_id, spec in TABS:
            add_columns(self.query_one(f"#{table_id}", DataTable), spec)
        report_filter = ReportFilter(course=self.course.id if self.course else None)

        def job(store: ScoreReader) -> Report:
            return store.report(report_filter)

        self.read(job, self.show)

    def show(self, report: Report) -> None:
        self.loaded = True
        self.report = report
        learners = len(report.learners)
        self.status(
            f"{report.attempts} finished attempts ({report.exams} exams) by {learners} "
            f"learner{'s' if learners != 1 else ''}: completed and timed out, practice and "
            "exams. Last/Best: percent right in the section; weak: below the pass mark on "
            "the latest attempt at it."
        )
        view = tables.ReportView.of(report, self.section_title)
        for _pane, table_id, spec in TABS:
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear()
            add_rows(table, spec, spec.rows(view))
        flagged = sum(1 for q in report.questions if q.flagged)
        self.query_one("#question-detail", Static).update(
            f"{flagged} of {len(report.questions)} questions flagged (facility below 50% or "
            "negative discrimination). Move to a question to see its wrong choices."
        )
        self.query_one("#staff-table", DataTable).focus()

    @on(DataTable.RowHighlighted, "#question-table")
    def _question_highlighted(self, event: DataTable.RowHighlighted) -> None:
        report = self.report
        if report is None or not 0 <= event.cursor_row < len(report.questions):
            return
        self.query_one("#question-detail", Static).update(
            literal(question_detail(report.questions[event.cursor_row]))
        )

    def action_tab(self, pane: str) -> None:
        self.query_one("#staff-tabs", TabbedContent).active = pane
        table_id = next((t for p, t, _spec in TABS if p == pane), "section-table")
        self.query_one(f"#{table_id}", DataTable).focus()


def question_detail(question: QuestionReport) -> str:
    """The line under the questions table: why it is flagged, and its wrong choices."""
    parts = [question.question]
    if question.flags:
        parts.append("flagged: " + ", ".join(question.flags))
    if question.wrong_choices:
        picks = "; ".join(
            f"{strip_control(c.choice)} {c.picks} of {question.asked} "
            f"({percent_text(percent_of(c.picks, question.asked))})"
            for c in question.wrong_choices
        )
        parts.append("wrong choices picked: " + picks)
    elif question.counts_choices:
        parts.append("no wrong choice picked")
    return " · ".join(parts)
