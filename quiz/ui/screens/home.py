"""Home: the course, the learner's name, and what to take (sections, mode, count, time limit).

The screen shows what it can before the course has loaded, and builds the rest of its
form when the app's `course` is set (and again when the learner picks another course,
if `--questions` holds several): quiz.ui.screens.home_form. What the learner asks for is
posted to the app; Start reads the form first (quiz.ui.screens.home_start). Once the
learner's name is known, the app shows what it found for them here: their passes under
the name (`show_passes`), their questions due on the drill's choice (`show_due`) and
their paused rounds (`show_paused`: "Resume practice: 12 of 51 left", first in "What to
take", and chosen), both kept by quiz.ui.screens.home_choice.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label, Static

from quiz.settings import clean_name
from quiz.ui.literal import literal
from quiz.ui.screens.base import QuizScreen
from quiz.ui.screens.home_form import compose_course, compose_picker
from quiz.ui.widgets.fields import TextField

if TYPE_CHECKING:
    # Built when the course has loaded (imported then, not before the first frame).
    from textual.widget import AwaitMount
    from textual.widgets import Button, RadioSet, Select

    from quiz.domain.model import Course, ExamPreset
    from quiz.domain.pausing import PausedAttempt
    from quiz.domain.session import QuizSession
    from quiz.ui.screens.home_choice import KindChoice

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

    # Messages: no __eq__ or __repr__ made for them (never compared or printed; each
    # method a dataclass makes is compiled as the module is imported, before the first frame).
    @dataclass(eq=False, repr=False)
    class StartRequested(Message):
        """Start was pressed on a valid form: begin `session` for `learner`. `seen`: the
        paused rounds the screen showed them (a new round gives up one of its kind)."""

        session: QuizSession
        learner: str
        preset: ExamPreset | None
        seen: frozenset[str] = frozenset()

    @dataclass(eq=False, repr=False)
    class ResumeRequested(Message):
        """Start was pressed with a paused round chosen: take it up again."""

        learner: str
        attempt_id: str

    @dataclass(eq=False, repr=False)
    class CourseChosen(Message):
        """The learner picked another course."""

        course: Course

    @dataclass(eq=False, repr=False)
    class DrillRequested(Message):
        """Start was pressed with the drill chosen: drill `learner`'s questions due."""

        learner: str
        sections: tuple[str, ...] | None
        count: int | None
        seen: frozenset[str] = frozenset()

    @dataclass(eq=False, repr=False)
    class MyScoresRequested(Message):
        """The learner asked for their own scores."""

        learner: str

    @dataclass(eq=False, repr=False)
    class LearnerNamed(Message):
        """The learner's name is known (or changed): what is due, what is paused?"""

        learner: str

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
        self._choice: KindChoice | None = None
        """What to take, and the paused rounds shown in it (made when first needed)."""

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

    # --- the form: built from the course, again for another one picked -----------------

    def show_course(self, course: Course | None) -> None:
        """Show `course` and build the form from it (the app's `course` changed)."""
        if course is None or course is self.course:
            return
        first = self.course is None
        self.course = course
        self.query_one("#home-title", Static).update(literal(course.title))
        self.query_one("#home-description", Static).update(literal(course.description))
        if not first:
            if self._choice is not None:
                self._choice.forget_paused()  # shown in the form about to be rebuilt
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
        self.say("")
        self._want_due()  # the learner's paused rounds of this course

    def _focus_start(self) -> None:
        if self.app.focused is self.query_one("#learner", Input):
            self.query_one("#start").focus()

    def on_select_changed(self, event: Select.Changed) -> None:
        course = next((c for c in self.quiz_app.courses if c.id == event.value), None)
        if course is not None and course is not self.course:
            self.post_message(self.CourseChosen(course))

    # --- the learner: the name typed, and what the app found for them ---------------

    def is_named(self, learner: str) -> bool:
        """Whether `learner` is the name typed (the lookups for another are stale)."""
        from quiz.domain.text import learner_key

        typed = clean_name(self.query_one("#learner", Input).value)
        return learner_key(typed) == learner_key(learner)

    def _want_due(self) -> None:
        learner = clean_name(self.query_one("#learner", Input).value)
        if learner and self.course is not None:
            self.post_message(self.LearnerNamed(learner))

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input.id != "learner":
            return
        # Another name: the paused rounds shown are someone else's.
        if self._choice is not None:
            self._choice.clear_paused()
        for passes in self.query("#home-passes"):
            passes.display = False  # shown again for the name, once known

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

    def show_passes(self, learner: str, lines: list[tuple[str, bool]]) -> None:
        """Show under the name `learner`'s last pass of each preset with a validity and
        until when it holds (quiz.ui.passes: each line, and whether that pass has
        expired); none: nothing. Mounted the first time there is something to show,
        never on the first frame."""
        if not self.is_named(learner):
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

    # --- what to take (quiz.ui.screens.home_choice) -----------------------------------

    def _kind_choice(self) -> KindChoice:
        """What to take (quiz.ui.screens.home_choice), made when first needed: once the
        form is built."""
        if self._choice is None:
            from quiz.ui.screens.home_choice import KindChoice

            self._choice = KindChoice(self)
        return self._choice

    def show_due(self, learner: str, due: int | None) -> None:
        """Show on the drill's choice how many questions `learner` has due (the app
        asks the store; a name typed since makes it stale)."""
        self._kind_choice().show_due(learner, due)

    def show_paused(self, learner: str, paused: list[PausedAttempt]) -> None:
        """Offer `learner`'s paused rounds first in "What to take", the first chosen
        (the app found them; a name typed since makes them stale)."""
        self._kind_choice().show_paused(learner, paused)

    def _chosen_paused(self) -> PausedAttempt | None:
        return self._kind_choice().chosen_paused()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._kind_choice().changed(event)

    # --- asking the app -------------------------------------------------------------

    def say(self, text: str, focus: str | None = None) -> None:
        """Tell the learner something about the form (where problems are told), and
        put the focus on `focus` (the field to fix), if given."""
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
            self.say(STILL_LOADING)
            return
        from quiz.ui.screens.home_start import start_request

        request = start_request(self, course, self._kind_choice())
        if request is not None:
            self._request(request)

    # --- other screens -----------------------------------------------------------------

    def _loaded_course(self) -> Course | None:
        if self.course is None:
            self.say(STILL_LOADING)
        return self.course

    def action_reader(self) -> None:
        course = self._loaded_course()
        if course is not None:
            from quiz.ui.screens.source import SourceReaderScreen

            self.app.push_screen(SourceReaderScreen(course))

    def action_my_scores(self) -> None:
        learner = clean_name(self.query_one("#learner", Input).value)
        if not learner:
            self.say("Type your name first to see your scores.", "#learner")
            return
        if self._loaded_course() is not None:
            self._request(self.MyScoresRequested(learner))

    def action_all_staff(self) -> None:
        if self._loaded_course() is not None:
            self._request(self.AllStaffRequested())
