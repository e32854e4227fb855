"""My scores (the learner's own attempts and a trend per section) and All staff (the
manager's report: staff by section, questions, sections).

The store is read in a thread worker, through the app's store thread when there is
one (so an attempt just finished is saved before it is read); the results come back
with `call_from_thread`. Every name and text from the store is shown literally (Text
cells, `literal` Content), without control characters. The numbers are the ones
`quiz report` prints: both call `ScoreStore.report`.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import ClassVar, Protocol, TypeVar, runtime_checkable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import DataTable, Footer, Static, TabbedContent, TabPane

from quiz.domain.model import Course
from quiz.domain.text import strip_control
from quiz.storage.attempts import AttemptDetail, AttemptSummary
from quiz.storage.reports import QuestionReport, Report, ReportFilter, SectionTrend
from quiz.ui.screens.base import QuizScreen
from quiz.ui.widgets.passage import literal

T = TypeVar("T")

NOTICE = (
    "Names are taken on trust. Anyone who can read the scores file can read everyone's "
    "results; separate computer accounts keep them apart."
)
LOADING = "Loading…"
BARS = "▁▂▃▄▅▆▇█"
TREND_POINTS = 12
"""The sparkline shows this many latest attempts at most."""
ATTEMPT_COLUMNS = (
    ("Started", 16, False),
    ("Kind", 8, False),
    ("Status", 11, False),
    ("Score", 7, True),
    ("Percent", 7, True),
    ("Result", 6, False),
)
STAFF_COLUMNS = (
    ("Learner", 16, False),
    ("Latest exam", 11, False),
    ("Section", 16, False),
    ("Tries", 5, True),
    ("Last", 4, True),
    ("Best", 4, True),
    ("Weak", 4, False),
)
QUESTION_COLUMNS = (
    ("Question", 20, False),
    ("Section", 16, False),
    ("Asked", 5, True),
    ("Facility", 8, True),
    ("Discr.", 6, True),
    ("Flag", 7, False),
)
SHARE_COLUMNS = (
    ("Section", 36, False),
    ("Staff", 5, True),
    ("At or above pass mark", 21, True),
    ("Share", 5, True),
)
Columns = tuple[tuple[str, int, bool], ...]
"""(label, width, aligned right) of each column of a table."""
TABLES: dict[str, Columns] = {
    "#staff-table": STAFF_COLUMNS,
    "#question-table": QUESTION_COLUMNS,
    "#section-table": SHARE_COLUMNS,
}
STATUS_WORDS = {
    "in_progress": "in progress",
    "completed": "completed",
    "timed_out": "timed out",
    "abandoned": "abandoned",
}


@runtime_checkable
class ReportStore(Protocol):
    """What these screens read: `quiz.storage.scores.ScoreStore` has it."""

    def list_attempts(
        self,
        *,
        learner: str | None = None,
        since: date | None = None,
        course: str | None = None,
    ) -> list[AttemptSummary]: ...

    def get_attempt(self, attempt_id: str) -> AttemptDetail | None: ...

    def report(self, report_filter: ReportFilter | None = None) -> Report: ...

    def section_trends(
        self, learner: str, course: str | None = None
    ) -> tuple[SectionTrend, ...]: ...


def cell(text: str, width: int, *, right: bool = False) -> Text:
    """A table cell shown literally (a name like "[bold]Ann" stays as typed), cut to
    `width` columns with an ellipsis, numbers aligned right."""
    value = Text(" ".join(strip_control(text).split()), no_wrap=True)
    if value.cell_len > width:
        value.truncate(width, overflow="ellipsis")
    if right:
        value.pad_left(width - value.cell_len)
    return value


def percent_text(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def sparkline(percents: list[float]) -> str:
    """One bar per attempt, on a fixed 0..100 scale (so a flat line means a steady score)."""
    top = len(BARS) - 1
    return "".join(BARS[round(max(0.0, min(100.0, p)) / 100 * top)] for p in percents)


def local_time(moment: datetime) -> str:
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


class ScoresScreen(QuizScreen[None]):
    """What both screens share: the store, reading it off the event loop, Esc."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", key_display="Esc"),
    ]

    def __init__(self, store: object | None, course: Course | None) -> None:
        super().__init__()
        self.store = store
        self.course = course
        self.loaded = False
        """Set once the first results (or a problem) are shown."""

    def section_title(self, course_id: str, section: str) -> str:
        if self.course is not None and self.course.id == course_id:
            return self.course.section_title(section)
        return section

    def status(self, text: str, *, problem: bool = False) -> None:
        line = self.query_one("#scores-status", Static)
        line.update(literal(text))
        line.set_class(problem, "problem")

    def read(self, job: Callable[[ReportStore], T], done: Callable[[T], None]) -> None:
        """Run `job(store)` in a thread; `done(result)` on the event loop."""
        store = self.store
        if store is None:
            self.status("The score store is not open yet: try again in a moment.", problem=True)
            return
        if not isinstance(store, ReportStore):
            self.status("This score store cannot show scores.", problem=True)
            return
        self._read(store, job, done)

    @work(thread=True, group="scores")
    def _read(
        self, store: ReportStore, job: Callable[[ReportStore], T], done: Callable[[T], None]
    ) -> None:
        thread = getattr(self.app, "store_thread", None)
        try:
            result = thread.call(job, store) if thread is not None else job(store)
        except Exception as error:  # a StoreError, or the store thread gone: say so
            message = getattr(error, "message", None) or str(error) or type(error).__name__
            self._back_on_the_loop(self._failed, str(message))
            return
        self._back_on_the_loop(done, result)

    def _back_on_the_loop(self, callback: Callable[[T], None], value: T) -> None:
        try:
            self.app.call_from_thread(callback, value)
        except RuntimeError:
            pass  # the app closed while the store was being read: nothing to show

    def _failed(self, message: str) -> None:
        self.loaded = True
        self.status(f"The scores could not be read: {message}", problem=True)

    def action_back(self) -> None:
        self.app.pop_screen()


# --- My scores --------------------------------------------------------------------------


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
        title = f"My scores · {self.learner}"
        if self.course is not None:
            title += f" · {self.course.title}"
        with Horizontal(id="topbar"):
            yield Static(literal(title), id="top-title", markup=False)
        yield Static(LOADING, id="scores-status", markup=False)
        table: DataTable[Text] = DataTable(id="my-attempts", cursor_type="row", zebra_stripes=True)
        yield table
        yield Static("", id="trend-title", markup=False)
        yield VerticalScroll(id="trends")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#my-attempts", DataTable)
        for label, width, right in ATTEMPT_COLUMNS:
            table.add_column(Text(label, justify="right" if right else "left"), width=width)
        course = self.course.id if self.course else None
        learner = self.learner

        def job(store: ReportStore) -> tuple[list[AttemptSummary], tuple[SectionTrend, ...]]:
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
        for attempt in attempts:
            table.add_row(*self._row(attempt), key=attempt.id)
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

    def _row(self, attempt: AttemptSummary) -> tuple[Text, ...]:
        if attempt.correct is None:
            score, percent = f"-/{attempt.total}", "—"
        else:
            score, percent = f"{attempt.correct}/{attempt.total}", percent_text(attempt.percent)
        result = "—" if attempt.passed is None else ("passed" if attempt.passed else "failed")
        cells = (
            local_time(attempt.started_at),
            str(attempt.mode),
            STATUS_WORDS.get(str(attempt.status), str(attempt.status)),
            score,
            percent,
            result,
        )
        return tuple(
            cell(text, width, right=right)
            for text, (_label, width, right) in zip(cells, ATTEMPT_COLUMNS, strict=True)
        )

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
            best = max(percents)
            noun = "attempt" if len(percents) == 1 else "attempts"
            words = f"last {percents[-1]:.0f}%, best {best:.0f}%, {len(percents)} {noun}"
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
        def job(store: ReportStore) -> AttemptDetail | None:
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
        percent = percent_text(summary.percent)
        title = f"{local_time(summary.started_at)} · {summary.mode} · {percent}"
        self.app.push_screen(ReviewScreen(course, items, title, subtitle=summary.learner))


# --- All staff --------------------------------------------------------------------------


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
        title = "All staff"
        if self.course is not None:
            title += f" · {self.course.title}"
        with Horizontal(id="topbar"):
            yield Static(literal(title), id="top-title", markup=False)
        yield Static(NOTICE, id="staff-notice", markup=False)
        yield Static(LOADING, id="scores-status", markup=False)
        with TabbedContent(id="staff-tabs"):
            with TabPane("Staff by section", id="staff"):
                yield DataTable(id="staff-table", cursor_type="row", zebra_stripes=True)
            with TabPane("Questions", id="questions"):
                yield DataTable(id="question-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="question-detail", markup=False)
            with TabPane("Sections", id="sections"):
                yield DataTable(id="section-table", cursor_type="row", zebra_stripes=True)
        yield Footer()

    def on_mount(self) -> None:
        for table_id, columns in TABLES.items():
            table = self.query_one(table_id, DataTable)
            for label, width, right in columns:
                table.add_column(Text(label, justify="right" if right else "left"), width=width)
        report_filter = ReportFilter(course=self.course.id if self.course else None)

        def job(store: ReportStore) -> Report:
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
        self._fill_staff(report)
        self._fill_questions(report)
        self._fill_sections(report)
        self.query_one("#staff-table", DataTable).focus()

    @staticmethod
    def _row(table: DataTable[Text], columns: Columns, *cells: str) -> None:
        table.add_row(
            *(
                cell(text, width, right=right)
                for text, (_label, width, right) in zip(cells, columns, strict=True)
            )
        )

    def _fill_staff(self, report: Report) -> None:
        table = self.query_one("#staff-table", DataTable)
        table.clear()
        for learner in report.learners:
            exam = learner.latest_exam
            if exam is None:
                outcome = "no exam"
            else:
                outcome = f"{'passed' if exam.passed else 'failed'} {exam.percent:.0f}%"
            for index, result in enumerate(learner.sections):
                first = index == 0
                self._row(
                    table,
                    STAFF_COLUMNS,
                    learner.name if first else "",
                    outcome if first else "",
                    self.section_title(result.course, result.section),
                    str(result.attempts),
                    percent_text(result.last_percent),
                    percent_text(result.best_percent),
                    "weak" if result.weak else "",
                )

    def _fill_questions(self, report: Report) -> None:
        table = self.query_one("#question-table", DataTable)
        table.clear()
        for question in report.questions:
            index = question.discrimination
            self._row(
                table,
                QUESTION_COLUMNS,
                question.question,
                self.section_title(question.course, question.section),
                str(question.asked),
                percent_text(question.facility),
                "—" if index is None else f"{index:.0f}",
                "FLAGGED" if question.flagged else "",
            )
        flagged = sum(1 for q in report.questions if q.flagged)
        self.query_one("#question-detail", Static).update(
            f"{flagged} of {len(report.questions)} questions flagged (facility below 50% or "
            "negative discrimination). Move to a question to see its wrong choices."
        )

    def _fill_sections(self, report: Report) -> None:
        table = self.query_one("#section-table", DataTable)
        table.clear()
        for share in report.sections:
            self._row(
                table,
                SHARE_COLUMNS,
                self.section_title(share.course, share.section),
                str(share.staff),
                str(share.at_or_above),
                percent_text(share.share),
            )

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
        table = {"staff": "#staff-table", "questions": "#question-table"}.get(
            pane, "#section-table"
        )
        self.query_one(table, DataTable).focus()


def question_detail(question: QuestionReport) -> str:
    """The line under the questions table: why it is flagged, and its wrong choices."""
    parts = [question.question]
    if question.flags:
        parts.append("flagged: " + ", ".join(question.flags))
    if question.wrong_choices:
        picks = "; ".join(
            f"{strip_control(c.choice)} {c.picks} of {question.asked} "
            f"({100 * c.picks / question.asked:.0f}%)"
            for c in question.wrong_choices
        )
        parts.append("wrong choices picked: " + picks)
    elif question.type in ("single", "multiple"):
        parts.append("no wrong choice picked")
    return " · ".join(parts)
