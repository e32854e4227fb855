"""All staff: the manager's report in tabs: the staff × section heat table, questions,
sections, the drill (each learner's questions due now and their leeches), and the
details of each learner's sections.

The heat table is quiz.tables.heat's grid, as the HTML report shows it (colour, number
and glyph). Each other report tab's table is the report's spec (quiz.tables.report), the
one `quiz report` prints, so the columns and the numbers are the same; only the sections
are named by their titles here. Both read the report with `ScoreStore.report`. The drill tab is
quiz.tables.due_counts.STAFF_DUE, from `ScoreStore.staff_due` at the app's clock.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from quiz.domain.model import Course
from quiz.domain.text import strip_control
from quiz.storage.card_model import LearnerDue
from quiz.storage.reader import ScoreReader
from quiz.storage.report_model import QuestionReport, Report, ReportFilter
from quiz.tables import report as tables
from quiz.tables.columns import Table
from quiz.tables.due_counts import STAFF_DUE, StaffDueView
from quiz.tables.formats import due_in, percent_of, percent_text
from quiz.tables.heat import LEGEND
from quiz.ui.literal import literal
from quiz.ui.saving import ScoreStoreLike
from quiz.ui.screens.score_screen import LOADING, ScoresScreen
from quiz.ui.widgets.columns import add_columns, add_rows
from quiz.ui.widgets.heat import show_heat

NOTICE = (
    "Names are taken on trust. Anyone who can read the scores file can read everyone's "
    "results; separate computer accounts keep them apart."
)
HEAT_PANE, HEAT_TABLE = "staff", "heat-table"
"""The first tab: the staff × section heat table (quiz.ui.widgets.heat)."""
TABS: tuple[tuple[str, str, Table[tables.ReportView, Any]], ...] = (
    ("questions", "question-table", tables.QUESTIONS),
    ("sections", "section-table", tables.SECTIONS),
    ("details", "staff-table", tables.STAFF_SECTIONS),
)
"""(pane id, table id, the table's spec) of each spec tab: the second, third and fifth."""
DRILL_PANE, DRILL_TABLE = "drill", "drill-table"
"""The fourth tab: each learner's due count and leeches (quiz.tables.due_counts)."""


class AllStaffScreen(ScoresScreen):
    """The report for a clinic manager: the heat table, questions, sections, the drill's
    due counts and leeches, and each learner's sections in detail."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("1", "tab('staff')", "Staff"),
        Binding("2", "tab('questions')", "Questions"),
        Binding("3", "tab('sections')", "Sections"),
        Binding("4", "tab('drill')", "Drill"),
        Binding("5", "tab('details')", "Details"),
        Binding("escape", "back", "Back", key_display="Esc"),
    ]

    def __init__(self, store: object | None, course: Course | None) -> None:
        super().__init__(store, course)
        self.report: Report | None = None
        self.staff_due: list[LearnerDue] = []

    def compose(self) -> ComposeResult:
        yield from self.topbar("All staff")
        yield Static(NOTICE, id="staff-notice", markup=False)
        yield Static(LOADING, id="scores-status", markup=False)
        with TabbedContent(id="staff-tabs"):
            with TabPane("Staff", id=HEAT_PANE):
                yield DataTable(id=HEAT_TABLE, cursor_type="row")
                yield Static(LEGEND, id="heat-legend", markup=False)
            for pane, table_id, spec in TABS[:2]:
                with TabPane(spec.title, id=pane):
                    yield DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
                    if pane == "questions":
                        yield Static("", id="question-detail", markup=False)
            with TabPane(STAFF_DUE.title, id=DRILL_PANE):
                yield Static(LOADING, id="drill-summary", markup=False)
                yield DataTable(id=DRILL_TABLE, cursor_type="row", zebra_stripes=True)
                yield Static("", id="drill-detail", markup=False)
            pane, table_id, spec = TABS[2]
            with TabPane("Details", id=pane):
                yield DataTable(id=table_id, cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        for _pane, table_id, spec in TABS:
            add_columns(self.query_one(f"#{table_id}", DataTable), spec)
        add_columns(self.query_one(f"#{DRILL_TABLE}", DataTable), STAFF_DUE)
        report_filter = ReportFilter(course=self.course.id if self.course else None)

        def job(store: ScoreReader) -> Report:
            return store.report(report_filter)

        self.read(job, self.show, self._report_failed)

    def _report_failed(self, message: str) -> None:
        self._failed(message)
        self._drill_line("#drill-summary", "")  # the status line says what went wrong

    def show(self, report: Report) -> None:
        self.report = report
        learners = len(report.learners)
        self.status(
            f"{report.attempts} finished attempts ({report.exams} exams) by {learners} "
            f"learner{'s' if learners != 1 else ''}: completed and timed out, practice and "
            "exams. Staff: each learner's latest attempt at each section, percent right "
            "(Details: tries, last and best)."
        )
        view = tables.ReportView.of(report, self.section_title)
        for _pane, table_id, spec in TABS:
            table = self.query_one(f"#{table_id}", DataTable)
            table.clear()
            add_rows(table, spec, spec.rows(view))
        show_heat(self.query_one(f"#{HEAT_TABLE}", DataTable), report, self.section_title)
        flagged = sum(1 for q in report.questions if q.flagged)
        self.query_one("#question-detail", Static).update(
            f"{flagged} of {len(report.questions)} questions flagged (facility below 50% or "
            "negative discrimination). Move to a question to see its wrong choices."
        )
        self.query_one(f"#{HEAT_TABLE}", DataTable).focus()
        self._read_drill()

    # --- the drill: due counts and leeches -----------------------------------------------

    def _read_drill(self) -> None:
        course = self.course.id if self.course else None
        now = self.now()

        def job(store: ScoreStoreLike) -> StaffDueView:
            return StaffDueView(store.staff_due(now=now, course=course), now)

        self.read_cards(job, self._show_drill, self._drill_failed)

    def preparing(self, text: str) -> None:
        self._drill_line("#drill-summary", text)

    def _show_drill(self, view: StaffDueView) -> None:
        self.staff_due = list(view.learners)
        table = self.query_one(f"#{DRILL_TABLE}", DataTable)
        table.clear()
        add_rows(table, STAFF_DUE, STAFF_DUE.rows(view))
        self._drill_line("#drill-summary", self.drill_summary(view))
        if view.learners:
            self._drill_line("#drill-detail", "Move to a learner to see their leeches.")
        self.loaded = True

    def _drill_failed(self, message: str) -> None:
        self._drill_line("#drill-summary", f"The drill schedule could not be read: {message}")
        self.loaded = True

    def _drill_line(self, selector: str, text: str) -> None:
        self.query_one(selector, Static).update(literal(text))

    def drill_summary(self, view: StaffDueView) -> str:
        """The line over the drill table."""
        if not view.learners:
            return "No drill schedule yet: it starts with the first finished round or exam."
        due = sum(d.due_now for d in view.learners)
        learners = sum(1 for d in view.learners if d.due_now)
        leeches = sum(len(d.leeches) for d in view.learners)
        threshold = self.report.leech_threshold if self.report else 4
        return (
            f"{due} question{'s' if due != 1 else ''} due for a drill now, for {learners} "
            f"of {len(view.learners)} learners; {leeches} leech{'es' if leeches != 1 else ''}"
            f". A leech: a question missed {threshold} times or more after having been known."
        )

    def learner_detail(self, due: LearnerDue, now: datetime) -> str:
        """The line under the drill table for the highlighted learner."""
        parts = [due.learner, f"{due.due_now} due now"]
        if due.next_due_at is not None and not due.due_now:
            parts.append(f"next due {due_in(due.next_due_at, now)}")
        if due.leeches:
            parts.append("leeches: " + ", ".join(self._question_text(q) for q in due.leeches))
        else:
            parts.append("no leeches")
        return " · ".join(parts)

    def _question_text(self, question_id: str) -> str:
        """A question id, with its section's title when the course has it."""
        course = self.course
        question = course.question(question_id) if course else None
        if course is None or question is None:
            return question_id
        return f"{question_id} ({course.section_title(question.section)})"

    @on(DataTable.RowHighlighted, f"#{DRILL_TABLE}")
    def _learner_highlighted(self, event: DataTable.RowHighlighted) -> None:
        if not 0 <= event.cursor_row < len(self.staff_due):
            return
        detail = self.learner_detail(self.staff_due[event.cursor_row], self.now())
        self._drill_line("#drill-detail", detail)

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
        tables_of = {p: t for p, t, _spec in TABS} | {
            DRILL_PANE: DRILL_TABLE,
            HEAT_PANE: HEAT_TABLE,
        }
        table_id = tables_of.get(pane, "section-table")
        self.query_one(f"#{table_id}", DataTable).focus()


def question_detail(question: QuestionReport) -> str:
    """The line under the questions table: the question (and its version, when it has
    several), why it is flagged, and its wrong choices."""
    parts = [question.label]
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
