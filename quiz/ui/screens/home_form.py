"""The part of the home screen built from the course, once it has loaded (and again
when another course is picked). Its widgets are imported here, when it is built: they
are not needed for the first frame."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Label, Static

from quiz.domain.durations import format_duration
from quiz.ui.literal import literal
from quiz.ui.widgets.fields import TextField

if TYPE_CHECKING:
    from quiz.domain.model import Course, ExamPreset
    from quiz.domain.pausing import PausedAttempt


DRILL_LABEL = "Drill: the questions you are due to revise"


def drill_label(due: int | None) -> str:
    """The drill's choice on the home screen, with the learner's count when known."""
    if due is None:
        return DRILL_LABEL
    return f"Drill: {due} due for you, weakest first" if due else "Drill: nothing due for you now"


def resume_label(paused: PausedAttempt) -> str:
    """A paused round offered on the home screen: "Resume practice: 12 of 51 left"."""
    return f"Resume {paused.mode}: {paused.left} of {paused.to_ask} left"


def preset_label(preset: ExamPreset) -> str:
    return (
        f"{preset.title}: {preset.questions} questions, "
        f"{format_duration(preset.time_limit_seconds)}, pass {preset.pass_mark}%"
        + (", witnessed" if preset.witness else "")
    )


def import_form_widgets() -> None:
    """Import the modules of the widgets `compose_course` makes (the loader's thread
    does, so that the main thread does not when it shows the course)."""
    from textual.widgets import Button, RadioSet  # noqa: F401

    from quiz.ui.widgets.marks import MarkedRadioButton, MarkedSelectionList  # noqa: F401


def compose_picker(courses: list[Course], course: Course) -> ComposeResult:
    """The course picker (when `--questions` holds several courses), on `course`."""
    from textual.widgets import Select

    with Horizontal(id="course-row", classes="home-field"):
        yield Label("Course")
        yield Select(
            [(literal(c.title), c.id) for c in courses],
            value=course.id,
            allow_blank=False,
            id="course",
            compact=True,
        )


def compose_course(course: Course) -> ComposeResult:
    """What the home screen builds from `course`: its sections, what to take, the buttons."""
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
                yield TextField(id="time-limit", placeholder="none, or 90s/10m/1h", compact=True)
            yield Static(
                "Leave these empty for every question and no time limit (or the exam preset's).",
                id="home-fields-hint",
                markup=False,
            )
    yield Label("What to take", id="kind-label")
    yield RadioSet(
        RadioButton("Practice: feedback after each answer", value=True, id="kind-practice"),
        RadioButton("Exam: timed, no feedback until the results", id="kind-exam"),
        RadioButton(DRILL_LABEL, id="kind-drill"),
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
