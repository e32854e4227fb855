"""Home: the course, the learner's name, and what to take (sections, mode, count, time limit).

The screen shows what it can before the course has loaded, and builds the rest of its
form when the app's `course` is set (and again when the learner picks another course,
if `--questions` holds several). What the learner asks for is posted to the app. Once
the learner's name is known, the app shows their paused rounds here (`show_paused`):
"Resume practice: 12 of 51 left", first in "What to take", and chosen.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from quiz.domain.durations import DurationError, format_duration, parse_duration
from quiz.settings import clean_name
from quiz.ui.literal import literal
from quiz.ui.screens.base import QuizScreen
from quiz.ui.screens.home_form import compose_course, compose_picker, drill_label, resume_label
from quiz.ui.widgets.fields import TextField

if TYPE_CHECKING:
    # Built when the course has loaded (imported then, not before the first frame).
    from textual.widget import AwaitMount
    from textual.widgets import Button, RadioButton, RadioSet, Select

    from quiz.domain.model import Course, ExamPreset
    from quiz.domain.pausing import PausedAttempt
    from quiz.domain.records import Mode
    from quiz.domain.session import QuizSession

HINT = "Type your name, choose sections and what to take, then press Enter or ctrl+s."
STILL_LOADING = "The course is still loading: a moment, please."
COURSE_PARTS = "#home-columns, #kind-label, #kind, #home-buttons"
"""What is built from the course (built again when another course is picked)."""


class HomeScreen(QuizScreen[None]):
    """The first screen. Shown while the course loads; filled in when it has."""

    # Its stylesheet, home.tcss, is read with the app's (QuizApp.CSS_PATH): the first
    # screen's CSS_PATH is not read by Textual.
    AUTO_FOCUS = "#learner"
    """The name field, straight away: by default the form's scrolling container took the
    focus first and gave it up to the field, styling both twice before the first frame."""
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "start", "Start", key_display="^s", priority=True),
        # Enter in a text field (its own Enter steps aside: see TextField).
        Binding("enter", "start", "Start", show=False),
        Binding("r", "reader", "Course text"),
        Binding("m", "my_scores", "My scores"),
        Binding("a", "all_staff", "All staff"),
    ]

    class StartRequested(Message):
        """Start was pressed on a valid form: begin `session` for `learner`. `seen`: the
        paused rounds the screen showed them (a new round gives up one of its kind)."""

        def __init__(
            self,
            session: QuizSession,
            learner: str,
            preset: ExamPreset | None,
            seen: frozenset[str] = frozenset(),
        ) -> None:
            super().__init__()
            self.session = session
            self.learner = learner
            self.preset = preset
            self.seen = seen

    class ResumeRequested(Message):
        """Start was pressed with a paused round chosen: take it up again."""

        def __init__(self, learner: str, attempt_id: str) -> None:
            super().__init__()
            self.learner = learner
            self.attempt_id = attempt_id

    class CourseChosen(Message):
        """The learner picked another course."""

        def __init__(self, course: Course) -> None:
            super().__init__()
            self.course = course

    class DrillRequested(Message):
        """Start was pressed with the drill chosen: drill `learner`'s questions due."""

        def __init__(
            self,
            learner: str,
            sections: tuple[str, ...] | None,
            count: int | None,
            seen: frozenset[str] = frozenset(),
        ) -> None:
            super().__init__()
            self.learner = learner
            self.sections = sections
            self.count = count
            self.seen = seen

    class MyScoresRequested(Message):
        """The learner asked for their own scores."""

        def __init__(self, learner: str) -> None:
            super().__init__()
            self.learner = learner

    class AllStaffRequested(Message):
        """Someone asked for every learner's scores."""

    class CourseShown(Message):
        """The form built from the first course is on the screen: start-up is over."""

    def __init__(self) -> None:
        super().__init__()
        self.course: Course | None = None
        """The course the form is built for (None while loading)."""
        self.form_shown = False
        """True once the form built from the first course is on the screen."""
        self._loading_since = time.monotonic()
        self._loading_timer: Timer | None = None
        self._paused: dict[str, PausedAttempt] = {}
        """The paused rounds shown in "What to take", by their button's id."""
        self._generation = 0
        """Counts the times they were cleared: a mount of older ones is stale."""
        self._retired: set[str] = set()
        """The ids of their buttons taken away (each id is used once)."""

    def compose(self) -> ComposeResult:
        # A light first frame (what can be shown before the course has loaded); the
        # rest of the form is built from the course, and the footer added with it, in
        # `show_course` (see `_add_footer`).
        title = self.quiz_app.peeked_title
        yield Static(literal(title or "Loading the course…"), id="home-title", markup=False)
        yield Static("", id="home-description", markup=False)
        yield Static(self._loading_text(), id="home-loading", markup=False)
        with VerticalScroll(id="home-form"), Horizontal(id="name-row", classes="home-field"):
            yield Label("Your name")
            yield TextField(
                # The learner the command line named, else the one remembered: whose
                # scores, questions due and paused rounds the screen shows.
                clean_name(self.quiz_app.options.learner or "")
                or self.quiz_app.remembered_learner
                or "",
                placeholder="Type your name",
                id="learner",
                max_length=100,
                compact=True,
            )
        yield Static("", id="home-problem", markup=False)
        yield Static(HINT, id="home-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#learner", Input).focus()
        self._loading_timer = self.set_interval(0.5, self._show_loading)
        self.watch(self.quiz_app, "course", self.show_course)
        self.watch(self.quiz_app, "not_sent", self._show_hint, init=False)

    def _show_hint(self, not_sent: bool) -> None:
        """The hint, with the quiet mark while attempts saved here are not sent to the
        central store yet (sending fails; nothing is lost, nothing to do)."""
        from quiz.ui.saving import NOT_SENT_MARK

        hint = f"{HINT} {NOT_SENT_MARK}" if not_sent else HINT
        self.query_one("#home-hint", Static).update(hint)

    def on_screen_resume(self) -> None:
        # Back from an attempt whose learner was named elsewhere (--learner, the name
        # dialog): keep the name, so My scores and the next round need no retyping.
        field = self.query_one("#learner", Input)
        attempt = self.quiz_app.attempt
        if not field.value and attempt is not None:
            field.value = attempt.learner
        self._want_due()  # an attempt just ended: what is due (and paused) has changed

    async def _add_footer(self) -> None:
        # Not on the first frame (its module, CSS and layout), nor while the form is
        # being built: the footer lays itself out again each time the bindings change
        # (~20 ms each on this machine), and start-up changes them several times. It
        # comes with the form, or at the first "still loading" tick if the course is
        # slow to load.
        from textual.widgets import Footer

        if not self.is_attached or self.query(Footer):
            return  # the app closed first (a usage error), or it is there already
        await self.mount(Footer())
        self.refresh_bindings()  # the footer shows the keys it is told of once mounted

    def _loading_text(self) -> str:
        seconds = time.monotonic() - self._loading_since
        shown = f" ({seconds:.0f} s)" if seconds >= 1 else ""
        return f"Loading the course{shown}… You can type your name meanwhile."

    def _show_loading(self) -> None:
        self.query_one("#home-loading", Static).update(self._loading_text())
        self.call_later(self._add_footer)

    def show_course(self, course: Course | None) -> None:
        """Show `course` and build the form from it (the app's `course` changed)."""
        if course is None or course is self.course:
            return
        first = self.course is None
        self.course = course
        self.query_one("#home-title", Static).update(literal(course.title))
        self.query_one("#home-description", Static).update(literal(course.description))
        if not first:
            self._paused = {}  # shown in the form about to be rebuilt
            self._generation += 1
            self.call_later(self._rebuild_form, course)
            return
        self.query_one("#home-loading").display = False
        if self._loading_timer is not None:
            self._loading_timer.stop()
        form = self.query_one("#home-form")
        courses = self.quiz_app.courses
        mounts = []
        if len(courses) > 1:
            mounts.append(form.mount_compose(compose_picker(courses, course)))
        mounts.append(form.mount_compose(compose_course(course)))
        if self.query_one("#learner", Input).value:
            self.call_after_refresh(self._focus_start)
        self.call_later(self._form_built, mounts)

    async def _form_built(self, mounts: list[AwaitMount]) -> None:
        """Once the form from the first course is mounted: add the footer, and say so
        when the form is on the screen."""
        for mount in mounts:
            await mount
        self.call_after_refresh(self._form_on_screen)

    async def _form_on_screen(self) -> None:
        self.form_shown = True
        self.post_message(self.CourseShown())
        await self._add_footer()
        self._want_due()

    async def _rebuild_form(self, course: Course) -> None:
        if course is not self.course:
            return  # another course was picked meanwhile
        await self.query(COURSE_PARTS).remove()
        self.query_one("#home-form").mount_compose(compose_course(course))
        self._problem("")
        self._want_due()  # the learner's paused rounds of this course

    def _focus_start(self) -> None:
        if self.app.focused is self.query_one("#learner", Input):
            self.query_one("#start").focus()

    # --- the course picker ----------------------------------------------------------

    def on_select_changed(self, event: Select.Changed) -> None:
        course = next((c for c in self.quiz_app.courses if c.id == event.value), None)
        if course is not None and course is not self.course:
            self.post_message(self.CourseChosen(course))

    def show_due(self, learner: str, due: int | None) -> None:
        """Show on the drill's choice how many questions `learner` has due (the app
        asks the store; a name typed since makes it stale)."""
        from textual.widgets import RadioButton

        buttons = self.query("#kind-drill")
        field = self.query_one("#learner", Input)
        if buttons and clean_name(field.value) == learner:
            buttons.first(RadioButton).label = drill_label(due)

    def show_passes(self, learner: str, lines: list[tuple[str, bool]]) -> None:
        """Show under the name `learner`'s last pass of each preset with a validity and
        until when it holds (quiz.ui.passes: each line, and whether that pass has
        expired); none: nothing. Mounted the first time there is something to show,
        never on the first frame."""
        if not self._is_named(learner):
            return  # a name typed since: the lines are someone else's
        text = literal("\n".join(line for line, _expired in lines))
        found = self.query("#home-passes")
        if found:
            shown = found.first(Static)
            shown.update(text)
        elif lines:
            shown = Static(text, id="home-passes", markup=False)
            self.query_one("#home-form").mount(shown, after="#name-row")
        else:
            return
        shown.display = bool(lines)
        shown.set_class(any(expired for _line, expired in lines), "expired")

    class LearnerNamed(Message):
        """The learner's name is known (or changed): what is due, what is paused?"""

        def __init__(self, learner: str) -> None:
            super().__init__()
            self.learner = learner

    def _want_due(self) -> None:
        learner = clean_name(self.query_one("#learner", Input).value)
        if learner and self.course is not None:
            self.post_message(self.LearnerNamed(learner))

    # --- paused rounds ----------------------------------------------------------------
    # Shown as radio buttons first in "What to take", the first one chosen. The set's
    # own record of which button is pressed changes a message later than the buttons
    # do, so `_pressed` takes a button on its way out as the practice choice.

    def show_paused(self, learner: str, paused: list[PausedAttempt]) -> None:
        """Offer `learner`'s paused rounds first in "What to take", the first chosen
        (the app found them; a name typed since makes them stale)."""
        if not self.query("#kind") or not self._is_named(learner):
            return
        if {o.attempt_id for o in self._paused.values()} == {o.attempt_id for o in paused}:
            return  # as shown already
        self._clear_paused()
        if paused:
            self.call_later(self._mount_paused, self._generation, learner, paused)

    async def _mount_paused(
        self, generation: int, learner: str, paused: list[PausedAttempt]
    ) -> None:
        from quiz.ui.widgets.marks import MarkedRadioButton

        kinds = self.query("#kind")
        if generation != self._generation or not kinds or not self._is_named(learner):
            return  # cleared, or shown again, meanwhile
        offers = {}
        for number, offer in enumerate(paused):
            button = MarkedRadioButton(
                literal(resume_label(offer)),
                id=f"kind-resume-{generation}-{number}",
                classes="resume-offer",
            )
            button.can_focus = False  # the set moves between its buttons itself
            offers[button] = offer
        await kinds.first().mount(*offers, before=0)
        if generation != self._generation or not self._is_named(learner):
            self._retire(button.id or "" for button in offers)
            return
        next(iter(offers)).value = True
        # Counted as seen by the learner (StartRequested.seen) only once chosen here.
        self._paused = {button.id or "": offer for button, offer in offers.items()}

    def _clear_paused(self) -> None:
        self._generation += 1  # a mount still to come is stale
        if not self._paused:
            return
        if self._chosen_paused() is not None:
            from textual.widgets import RadioButton

            self.query_one("#kind-practice", RadioButton).value = True
        self._retire(self._paused)
        self._paused = {}

    def _retire(self, button_ids: Iterable[str]) -> None:
        for button_id in button_ids:
            self._retired.add(button_id)
            self.query(f"#{button_id}").remove()

    def _is_named(self, learner: str) -> bool:
        from quiz.domain.text import learner_key

        typed = clean_name(self.query_one("#learner", Input).value)
        return learner_key(typed) == learner_key(learner)

    def _pressed(self) -> RadioButton | None:
        """The choice of "What to take" (a paused round being taken away: practice)."""
        from textual.widgets import RadioButton

        pressed = self._kind().pressed_button
        if pressed is not None and pressed.id in self._retired:
            return self.query_one("#kind-practice", RadioButton)
        return pressed

    def _offer_ids(self) -> set[str]:
        """The ids of the paused rounds' buttons, those shown and those on their way in."""
        return {button.id or "" for button in self.query(".resume-offer")} - self._retired

    def _chosen_paused(self) -> PausedAttempt | None:
        pressed = self._pressed() if self.query("#kind") else None
        return self._paused.get(pressed.id or "") if pressed is not None else None

    def on_input_changed(self, event: Input.Changed) -> None:
        # Another name: the paused rounds shown are someone else's.
        if event.input.id == "learner":
            self._clear_paused()
            for passes in self.query("#home-passes"):
                passes.display = False  # shown again for the name, once known

    def say(self, text: str) -> None:
        """Tell the learner something about the form (where problems are told)."""
        self._problem(text)

    def on_input_blurred(self, event: Input.Blurred) -> None:
        if event.input.id == "learner":
            self._want_due()
        # A learner who chose a course before finds it chosen again.
        remembered = self.quiz_app.settings.course_for(event.value)
        picker = self.query("#course")
        known = {course.id for course in self.quiz_app.courses}
        if event.input.id == "learner" and picker and remembered in known:
            from textual.widgets import Select

            picker.first(Select).value = remembered  # posts Select.Changed

    # --- reading the form -----------------------------------------------------------

    def _kind(self) -> RadioSet:
        from textual.widgets import RadioSet

        return self.query_one("#kind", RadioSet)

    def _preset(self) -> ExamPreset | None:
        pressed = self._pressed()
        if self.course is None or pressed is None or pressed.name is None or pressed.id:
            return None
        return self.course.exams.get(pressed.name)

    def _mode(self) -> Mode:
        from quiz.domain.records import Mode

        paused = self._chosen_paused()
        if paused is not None:
            return paused.mode
        pressed = self._pressed()
        if pressed is not None and pressed.id == "kind-drill":
            return Mode.DRILL
        if pressed is None or pressed.id == "kind-practice":
            return Mode.PRACTICE
        return Mode.EXAM  # the exam, or a preset

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        from quiz.domain.records import Mode
        from quiz.domain.selection import DRILL_COUNT

        if event.index == 0 and event.pressed.id in self._offer_ids():
            # A paused round put first and chosen: the set's highlight stayed on the
            # button that was first before (it moves only when its index changes).
            # Round the set and back, by its own keys' actions, to draw it there.
            event.radio_set.action_previous_button()
            event.radio_set.action_next_button()
        preset = self._preset()
        count = self.query_one("#count", Input)
        limit = self.query_one("#time-limit", Input)
        paused = self._chosen_paused()
        if paused is not None:
            count.placeholder = f"{paused.left} left (paused)"
            limit.placeholder = "none (paused)" if paused.deadline_at is None else "(paused)"
        elif self._mode() is Mode.DRILL:
            count.placeholder = f"{DRILL_COUNT} (drill)"
            limit.placeholder = "none (drill)"
        elif preset is not None:
            count.placeholder = f"{preset.questions} (preset)"
            limit.placeholder = f"{format_duration(preset.time_limit_seconds)} (preset)"
        elif self.course is not None:
            count.placeholder = f"all ({len(self.course.questions)})"
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

    def _request(self, message: Message) -> None:
        """Ask the app for something that starts with a lookup on the store thread (a
        paused exam, a PIN): posted straight to the app, so it is handled before the
        key that asked has finished its way, and the keys after it wait for the lookup
        (quiz.ui.keys.KeyOrder.hold) instead of landing on this screen."""
        self.app.post_message(message)

    def action_start(self) -> None:
        course = self.course
        if course is None or self.quiz_app.store is None or not self.query("#home-columns"):
            self._problem(STILL_LOADING)
            return
        learner = clean_name(self.query_one("#learner", Input).value)
        if not learner:
            self._problem("Type your name first: scores are kept under it.", "#learner")
            return
        paused = self._chosen_paused()
        if paused is not None:
            self._problem("")
            self._request(self.ResumeRequested(learner, paused.attempt_id))
            return
        seen = frozenset(offer.attempt_id for offer in self._paused.values())
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
        from quiz.domain.records import Mode
        from quiz.errors import SelectionError
        from quiz.ui.attempt import new_session

        preset = self._preset()
        all_sections = [s.id for s in course.source.sections if course.questions_in(s.id)]
        if self._mode() is Mode.DRILL:
            if limit is not None:
                self._problem("A drill is untimed: leave the time limit empty.", "#time-limit")
                return
            self._problem("")
            drilled = None if sections == all_sections else tuple(sections)
            self._request(self.DrillRequested(learner, drilled, count, seen))
            return
        chosen = None if preset is not None and sections == all_sections else sections
        try:
            session = new_session(
                course,
                self.quiz_app.clock,
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
        self._request(self.StartRequested(session, learner, preset, seen))

    # --- other screens -----------------------------------------------------------------

    def _loaded_course(self) -> Course | None:
        if self.course is None:
            self._problem(STILL_LOADING)
        return self.course

    def action_reader(self) -> None:
        course = self._loaded_course()
        if course is not None:
            from quiz.ui.screens.source import SourceReaderScreen

            self.app.push_screen(SourceReaderScreen(course))

    def action_my_scores(self) -> None:
        learner = clean_name(self.query_one("#learner", Input).value)
        if not learner:
            self._problem("Type your name first to see your scores.", "#learner")
            return
        if self._loaded_course() is not None:
            self._request(self.MyScoresRequested(learner))

    def action_all_staff(self) -> None:
        if self._loaded_course() is not None:
            self._request(self.AllStaffRequested())
