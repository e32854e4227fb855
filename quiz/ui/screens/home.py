"""Home: the course, the learner's name, and what to take (sections, mode, count, time limit)."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from quiz.domain.durations import DurationError, format_duration, parse_duration
from quiz.settings import clean_name
from quiz.ui.literal import literal
from quiz.ui.screens.base import QuizScreen
from quiz.ui.widgets.fields import TextField

if TYPE_CHECKING:
    # Built when the course has loaded (imported then, not before the first frame).
    from textual.widgets import Button, RadioSet

    from quiz.domain.model import Course, ExamPreset
    from quiz.domain.records import Mode

HINT = "Type your name, choose sections and what to take, then press Enter or ctrl+s."


def preset_label(preset: ExamPreset) -> str:
    return (
        f"{preset.title}: {preset.questions} questions, "
        f"{format_duration(preset.time_limit_seconds)}, pass {preset.pass_mark}%"
    )


class HomeScreen(QuizScreen[None]):
    """The first screen. Shown while the course loads; filled in when it has."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", key_display="^s", priority=True),
        # Enter in a text field (its own Enter steps aside: see TextField).
        Binding("enter", "start", "Start", show=False),
        Binding("r", "reader", "Course text"),
        Binding("m", "my_scores", "My scores"),
        Binding("a", "all_staff", "All staff"),
    ]

    def compose(self) -> ComposeResult:
        # A light first frame (what can be shown before the course has loaded); the
        # footer is added just after it (see `_add_footer`), the rest of the form is
        # built from the course in `course_ready`.
        title = self.quiz_app.peeked_title
        yield Static(literal(title or "Loading the course…"), id="home-title", markup=False)
        yield Static("", id="home-description", markup=False)
        yield Static(self._loading_text(), id="home-loading", markup=False)
        with VerticalScroll(id="home-form"), Horizontal(id="name-row", classes="home-field"):
            yield Label("Your name")
            yield TextField(
                self.quiz_app.remembered_learner or "",
                placeholder="Type your name",
                id="learner",
                max_length=100,
                compact=True,
            )
        yield Static("", id="home-problem", markup=False)
        yield Static(HINT, id="home-hint", markup=False)

    def _compose_form(self, course: Course) -> ComposeResult:
        from textual.widgets import Button, RadioSet

        from quiz.ui.widgets.marks import MarkedRadioButton as RadioButton
        from quiz.ui.widgets.marks import MarkedSelectionList

        with Horizontal(id="home-columns"):
            with Vertical(id="home-left"):
                yield Label("Sections (Space turns one on or off)")
                yield MarkedSelectionList(
                    *(
                        (literal(f"{s.title} ({len(course.questions_in(s.id))})"), s.id, True)
                        for s in course.source.sections
                        if course.questions_in(s.id)
                    ),
                    id="sections",
                    compact=True,
                )
            with Vertical(id="home-right"):
                with Horizontal(classes="home-field"):
                    yield Label("Questions")
                    yield TextField(
                        id="count",
                        type="integer",
                        placeholder=f"all ({len(course.questions)})",
                        compact=True,
                    )
                with Horizontal(classes="home-field"):
                    yield Label("Time limit")
                    yield TextField(
                        id="time-limit", placeholder="none, or 90s/10m/1h", compact=True
                    )
                yield Static(
                    "Leave these empty for every question and no time limit "
                    "(or the exam preset's).",
                    id="home-fields-hint",
                    markup=False,
                )
        yield Label("What to take", id="kind-label")
        yield RadioSet(
            RadioButton("Practice: feedback after each answer", value=True),
            RadioButton("Exam: timed, no feedback until the results"),
            *(
                RadioButton(literal(preset_label(preset)), name=preset.id)
                for preset in course.exams.values()
            ),
            id="kind",
            compact=True,
        )
        with Horizontal(id="home-buttons"):
            yield Button("Start", id="start", variant="primary", compact=True)
            yield Button("Course text", id="reader", compact=True)
            yield Button("My scores", id="my-scores", compact=True)
            yield Button("All staff", id="all-staff", compact=True)

    mounted = False
    """Set once the screen is up (the course may finish loading before or after)."""
    _loading_timer: Timer | None = None

    def on_mount(self) -> None:
        self.mounted = True
        self.call_after_refresh(self._add_footer)
        self.query_one("#learner", Input).focus()
        if self.quiz_app.course is not None:
            self.course_ready()
        else:
            self._loading_timer = self.set_interval(0.5, self._show_loading)

    async def _add_footer(self) -> None:
        # Textual's Footer shows no keys on the frame it is mounted in anyway (it waits
        # for the screen's bindings); mounted after the first frame, its module, CSS and
        # layout are not on the first frame's path (~3 ms), and its keys show as soon.
        from textual.widgets import Footer

        if not self.is_attached:  # the app closed first (a usage error)
            return
        await self.mount(Footer())
        self.refresh_bindings()  # the footer shows the keys it is told of once mounted

    def _loading_text(self) -> str:
        seconds = self.quiz_app.loading_seconds()
        shown = f" ({seconds:.0f} s)" if seconds >= 1 else ""
        return f"Loading the course{shown}… You can type your name meanwhile."

    def _show_loading(self) -> None:
        self.query_one("#home-loading", Static).update(self._loading_text())

    def course_ready(self) -> None:
        """The course has loaded: show it and build the form from it."""
        course = self.quiz_app.course
        assert course is not None
        if self.query("#home-columns"):
            return
        self.query_one("#home-loading").display = False
        if self._loading_timer is not None:
            self._loading_timer.stop()
        self.query_one("#home-title", Static).update(literal(course.title))
        self.query_one("#home-description", Static).update(literal(course.description))
        self.query_one("#home-form").mount_compose(self._compose_form(course))
        if self.query_one("#learner", Input).value:
            self.call_after_refresh(self._focus_start)

    def _focus_start(self) -> None:
        if self.app.focused is self.query_one("#learner", Input):
            self.query_one("#start").focus()

    # --- reading the form -----------------------------------------------------------

    def _kind(self) -> RadioSet:
        from textual.widgets import RadioSet

        return self.query_one("#kind", RadioSet)

    def _preset(self) -> ExamPreset | None:
        course = self.quiz_app.course
        pressed = self._kind().pressed_button
        if course is None or pressed is None or pressed.name is None:
            return None
        return course.exams.get(pressed.name)

    def _mode(self) -> Mode:
        from quiz.domain.records import Mode

        index = self._kind().pressed_index
        return Mode.PRACTICE if index <= 0 else Mode.EXAM

    def on_radio_set_changed(self) -> None:
        preset = self._preset()
        course = self.quiz_app.course
        count = self.query_one("#count", Input)
        limit = self.query_one("#time-limit", Input)
        if preset is not None:
            count.placeholder = f"{preset.questions} (preset)"
            limit.placeholder = f"{format_duration(preset.time_limit_seconds)} (preset)"
        elif course is not None:
            count.placeholder = f"all ({len(course.questions)})"
            limit.placeholder = "none, or 90s/10m/1h"

    def _problem(self, text: str, focus: str | None = None) -> None:
        self.query_one("#home-problem", Static).update(text)
        if focus:
            self.query_one(focus).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        actions = {
            "start": self.action_start,
            "reader": self.action_reader,
            "my-scores": self.action_my_scores,
            "all-staff": self.action_all_staff,
        }
        action = actions.get(event.button.id or "")
        if action is not None:
            action()

    def action_start(self) -> None:
        app = self.quiz_app
        if not app.ready or not self.query("#home-columns"):
            self._problem("The course is still loading: a moment, please.")
            return
        learner = clean_name(self.query_one("#learner", Input).value)
        if not learner:
            self._problem("Type your name first: scores are kept under it.", "#learner")
            return
        from textual.widgets import SelectionList

        sections = self.query_one("#sections", SelectionList).selected
        if not sections:
            self._problem("Choose at least one section.", "#sections")
            return
        count_text = self.query_one("#count", Input).value.strip()
        count = int(count_text) if count_text.lstrip("-").isdigit() else None
        if count_text and (count is None or count < 1):
            self._problem("The number of questions must be a whole number from 1.", "#count")
            return
        limit_text = self.query_one("#time-limit", Input).value.strip()
        try:
            limit = parse_duration(limit_text) if limit_text else None
        except DurationError as error:
            self._problem(f"Time limit: {error}", "#time-limit")
            return
        from quiz.domain.session import SelectionError

        preset = self._preset()
        course = app.course
        assert course is not None
        all_sections = [s.id for s in course.source.sections if course.questions_in(s.id)]
        chosen = None if preset is not None and sections == all_sections else sections
        try:
            session = app.new_session(
                mode=self._mode(),
                sections=chosen,
                count=count,
                time_limit_seconds=limit,
                preset=preset,
            )
        except SelectionError as error:
            self._problem(error.message[0].upper() + error.message[1:] + ".")
            return
        self._problem("")
        app.begin_attempt(session, learner, preset)

    # --- other screens -----------------------------------------------------------------

    def _course(self) -> Course | None:
        if self.quiz_app.course is None:
            self._problem("The course is still loading: a moment, please.")
        return self.quiz_app.course

    def action_reader(self) -> None:
        if self._course() is not None:
            self.quiz_app.open_source()

    def action_my_scores(self) -> None:
        learner = clean_name(self.query_one("#learner", Input).value)
        if not learner:
            self._problem("Type your name first to see your scores.", "#learner")
            return
        if self._course() is not None:
            self.quiz_app.open_my_scores(learner)

    def action_all_staff(self) -> None:
        if self._course() is not None:
            self.quiz_app.open_all_staff()
