"""The quiz app: the home screen first; then, off the event loop, the courses loaded,
the store opened and the sender to the central store started (`StartUp`,
quiz.ui.start_up); then the attempts and the score screens. Every attempt is started
through `Starting` (quiz.ui.starting: from the home screen, the command line, a drill),
after paused attempts are offered and taken up again through `Resuming`
(quiz.ui.resuming): a waiting exam is offered before anything else can start. What the
home screen shows of its learner is looked up by `LearnerLookups` (quiz.ui.learner_lookups).

`make_app` builds the services (quiz.ui.services) and hands them in; the command line
and the tests both call it. Screens post messages and the app answers them here, handing
the work to those parts; they and the screen modules are imported when first needed,
so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen

from quiz.errors import ExitCode
from quiz.launch import AppOptions
from quiz.settings import load_settings
from quiz.ui.ending import Shutdown
from quiz.ui.keys import KeyDone, KeyOrder
from quiz.ui.services import CourseSource, ProcessHooks, Services, StoreGateway
from quiz.ui.textual_seams import ErrorOutput
from quiz.ui.window import follow_window_size, window_resized

if TYPE_CHECKING:
    # Imported where used: the loader (YAML) loads in a thread after the first paint,
    # and the session is needed only once an attempt starts.
    from textual.dom import DOMNode

    from quiz.domain.clock import Clock
    from quiz.domain.model import Course, CourseLoad, ExamPreset
    from quiz.domain.session import QuizSession
    from quiz.settings import CentralConfig
    from quiz.storage.central.sender import Sender, SendState
    from quiz.ui.attempt import AttemptRunner
    from quiz.ui.identifying import Identifying
    from quiz.ui.learner_lookups import LearnerLookups
    from quiz.ui.resuming import Resuming
    from quiz.ui.saving import ScoreStoreLike, StoreThread
    from quiz.ui.screens.home import HomeScreen
    from quiz.ui.start_up import StartUp
    from quiz.ui.starting import Starting


class QuizApp(App[None]):
    """Trainees study with it; managers test staff with it."""

    # What every screen shares, and the home screen's own rules: read before the first
    # frame. Textual reads the CSS_PATH of each screen it shows, but not the default
    # screen's, and loading the first screen as a mode (MODES) costs two more parses of
    # all of it before that frame (~15 ms). Every other screen's stylesheet is read
    # when it is first shown (its CSS_PATH).
    CSS_PATH: ClassVar[list[str | PurePath]] = [
        "app.tcss",
        "screens/home.tcss",
    ]
    TITLE = "quiz"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", key_display="^q", priority=True),
    ]

    course: var[Course | None] = var(None, always_update=True)
    """The course in use (the home screen watches it)."""
    saving_problem: var[str | None] = var(None)
    """Why answers are not reaching the store, while that lasts (question screens watch it)."""
    not_sent: var[bool] = var(False)
    """Attempts are saved here but not sent to the central store yet, because sending
    failed (the server down, the network gone): a quiet mark where the save state is
    shown, never an error (question and results screens watch it)."""

    def __init__(self, options: AppOptions, services: Services) -> None:
        super().__init__()
        self.options = options
        """What the command line asked for."""
        self.services = services
        """The store, the courses, the clock, settings and process hooks."""
        self.settings = load_settings(services.settings_path)
        """What was remembered on this computer account (the last name, its course)."""
        self.peeked_title = services.courses.peek_title()
        """The course title as read before loading (shown on the first frame)."""
        self.courses: list[Course] = []
        """The usable courses, once loaded."""
        self.attempt: AttemptRunner | None = None
        """The attempt being taken, or last taken."""
        self.exit_lines: list[str] = []
        """Printed by `run_app` after the terminal is restored (why the app could not start)."""
        self.shutdown = Shutdown(self)
        self.key_order = KeyOrder(self, self._dispatch_key)
        """Hands keys out one at a time, in the order they arrived (see quiz.ui.keys)."""
        self._errors = ErrorOutput()
        self.error_console = self._errors.console
        self._internal_error: str | None = None
        self.sender: Sender | None = None
        """The background sender to the central store (quiz.storage.central.sender),
        once started: after the home screen shows, when one is configured."""

    # The app's parts, each made when first needed (after the first frame).

    @cached_property
    def start_up(self) -> StartUp:
        """What follows the first frame: the courses, the store, the sender."""
        from quiz.ui.start_up import StartUp

        return StartUp(self)

    @cached_property
    def starting(self) -> Starting:
        """Attempts: started, begun, their saving watched, ended."""
        from quiz.ui.starting import Starting

        return Starting(self)

    @cached_property
    def resuming(self) -> Resuming:
        """Paused attempts: looked up, offered, taken up again."""
        from quiz.ui.resuming import Resuming

        return Resuming(self)

    @cached_property
    def identifying(self) -> Identifying:
        """The PIN dialogs before an attempt and the scores screens."""
        from quiz.ui.identifying import Identifying

        return Identifying(self)

    @cached_property
    def lookups(self) -> LearnerLookups:
        """What the home screen shows of its learner, looked up."""
        from quiz.ui.learner_lookups import LearnerLookups

        return LearnerLookups(self)

    @property
    def clock(self) -> Clock:
        return self.services.clock

    @property
    def store(self) -> ScoreStoreLike | None:
        """The open score store (None until it has been opened)."""
        return self.services.store.store

    @property
    def store_thread(self) -> StoreThread:
        """The one thread that calls the store (screens that read it run their jobs there)."""
        return self.services.store.thread

    @property
    def remembered_learner(self) -> str | None:
        """The name used last on this computer account."""
        return self.settings.last_learner

    @property
    def internal_error(self) -> str | None:
        """The details of an unexpected error that stopped the app, for the log."""
        return self._internal_error or self._errors.text

    @internal_error.setter
    def internal_error(self, details: str | None) -> None:
        self._internal_error = details

    def get_default_screen(self) -> Screen[Any]:
        from quiz.ui.screens.home import HomeScreen

        return HomeScreen()

    @property
    def home(self) -> HomeScreen:
        from quiz.ui.screens.home import HomeScreen

        screen = self.screen_stack[0]
        assert isinstance(screen, HomeScreen)
        return screen

    # --- keys, in order ----------------------------------------------------------------

    async def on_event(self, event: events.Event) -> None:
        if isinstance(event, events.Key) and not event.is_forwarded:
            await self.key_order.key_arrived(event)
        else:
            await super().on_event(event)

    async def _dispatch_key(self, event: events.Key) -> None:
        await super().on_event(event)

    @on(KeyDone)
    def _key_done(self, message: KeyDone) -> None:
        self.key_order.key_done(message)

    # --- start-up ----------------------------------------------------------------------

    def on_mount(self) -> None:
        follow_window_size(self)
        self.services.process.app_started(self.shutdown.signal_received)
        loaded = self.services.courses.loaded
        if loaded is not None:
            self.courses_loaded(list(loaded))

    def on_ready(self) -> None:
        # Slow work (loading the course, then opening the store) starts once the home
        # screen's first frame is written (Textual's Ready), in threads, so that frame
        # waits for none of it. Started after the next refresh instead, it waited
        # ~20 ms for Textual's next frame to come round (the focus shown in the name
        # field) with nothing else to do: over 29 runs each in tmux, the sections were
        # listed a median 4 ms sooner this way (156 against 160 ms after the first
        # frame; quartiles 142-160 against 151-170), with the form's widgets imported
        # by the loader's thread too. (One benchmark run had once seemed to say the
        # loader then slowed the writing of the first frame; it is written before this.)
        self.start_up.after_first_frame()

    def on_resize(self, event: events.Resize) -> None:
        window_resized(self, event.size)

    def update_styles(self, node: DOMNode, animate: bool = True) -> None:
        """Textual's, but for a widget not mounted yet: it is styled as it is mounted.

        Textual restyles a node whenever its classes change, mounted or not; a widget
        that sets classes as it is made (a compact field, a button's variant and
        style, a radio button's state) was matched against the whole stylesheet for
        each, with nothing around it, only to be matched again once mounted (App.
        _register): 16 such matchings made the home screen's form, ~9 ms of the course
        ready."""
        if node.parent is None and node is not self:
            return
        super().update_styles(node, animate)

    def courses_loaded(self, loads: list[CourseLoad]) -> None:
        """The courses are loaded: choose one and show it (`StartUp.courses_loaded`)."""
        self.start_up.courses_loaded(loads)

    def on_home_screen_course_shown(self) -> None:
        self.start_up.course_shown()

    # --- sending to the central store ----------------------------------------------------

    # Messages: no __eq__ or __repr__ made for them (never compared or printed; each
    # method a dataclass makes is compiled as the module is imported, before the first frame).
    @dataclass(eq=False, repr=False)
    class SendStateChanged(Message):
        """The background sender's state (posted from its thread)."""

        state: SendState

    def on_unmount(self) -> None:
        if self.sender is not None:
            self.sender.stop(timeout=0)

    def on_quiz_app_send_state_changed(self, message: SendStateChanged) -> None:
        self.not_sent = message.state.problem is not None and message.state.unsent > 0

    def wake_sender(self) -> None:
        """Send what was just saved, soon (in the sender's thread)."""
        if self.sender is not None:
            self.sender.wake()

    def fail_start(self, code: ExitCode, lines: list[str]) -> None:
        """Close the app; `run_app` prints `lines` and exits with `code`. The app closes
        after the next refresh: the problem may be found before the home screen is up."""
        self.exit_lines = lines
        self.call_after_refresh(self.exit, return_code=code)

    # --- attempts ----------------------------------------------------------------------

    def begin_attempt(
        self, session: QuizSession, learner: str, preset: ExamPreset | None = None
    ) -> None:
        """Start the attempt and show its first question, once the learner is
        identified (`Starting.begin`, the one door every attempt goes through)."""
        self.starting.begin(session, learner, preset)

    def start_drill(self, learner: str, *, seed: int | None = None) -> None:
        """Start a drill of `learner`'s questions due now (`Starting.drill`)."""
        self.starting.drill(learner, seed=seed)

    def on_attempt_runner_finished(self, message: AttemptRunner.Finished) -> None:
        self.starting.finished(message.runner)

    def on_attempt_runner_saving_changed(self, message: AttemptRunner.SavingChanged) -> None:
        self.starting.saving_changed(message.problem)

    # --- what the home screen asks for ---------------------------------------------------

    def on_home_screen_start_requested(self, message: HomeScreen.StartRequested) -> None:
        self.starting.from_home(message)

    def on_home_screen_drill_requested(self, message: HomeScreen.DrillRequested) -> None:
        self.starting.drill_from_home(message)

    def on_home_screen_resume_requested(self, message: HomeScreen.ResumeRequested) -> None:
        self.starting.resume_from_home(message)

    def on_home_screen_course_chosen(self, message: HomeScreen.CourseChosen) -> None:
        self.course = message.course

    def on_home_screen_learner_named(self, message: HomeScreen.LearnerNamed) -> None:
        self.lookups.learner_named(message.learner)

    def refresh_home(self) -> None:
        """Look again at what the home screen's learner has due, passed and paused."""
        self.lookups.look_up()

    @dataclass(eq=False, repr=False)
    class DueCounted(Message):
        """How many questions `learner` has due now (posted from the store thread)."""

        learner: str
        due: int | None

    def on_quiz_app_due_counted(self, message: DueCounted) -> None:
        if self.screen_stack:  # else the app is closing: the count came too late
            self.home.show_due(message.learner, message.due)

    @dataclass(eq=False, repr=False)
    class PassesFound(Message):
        """The named learner's passes of the course's presets with a validity, as lines
        (quiz.ui.passes; posted from the store thread)."""

        learner: str
        lines: list[tuple[str, bool]]  # each pass's line, and whether it has expired

    def on_quiz_app_passes_found(self, message: PassesFound) -> None:
        if self.screen_stack:  # else the app is closing: the passes came too late
            self.home.show_passes(message.learner, message.lines)

    def on_home_screen_my_scores_requested(self, message: HomeScreen.MyScoresRequested) -> None:
        self.open_my_scores(message.learner)

    def on_home_screen_all_staff_requested(self, message: HomeScreen.AllStaffRequested) -> None:
        self.open_all_staff()

    def open_my_scores(self, learner: str) -> None:
        """Show the learner's own scores."""
        from quiz.ui.screens.scores import MyScoresScreen

        def show() -> None:
            self.push_screen(MyScoresScreen(self.store, learner, self.course))

        self.identifying.before_own_scores(learner, show)  # her PIN, if she has one

    def open_all_staff(self) -> None:
        """Show every learner's scores, for a clinic manager."""
        from quiz.ui.screens.scores import AllStaffScreen

        def show() -> None:
            self.push_screen(AllStaffScreen(self.store, self.course))

        self.identifying.before_all_staff(show)  # a manager's PIN, once there are managers

    # --- leaving -------------------------------------------------------------------------

    async def action_quit(self) -> None:
        await self.shutdown.quit()


def make_app(
    options: AppOptions,
    *,
    store: ScoreStoreLike | None = None,
    store_thread: StoreThread | None = None,
    open_store: Callable[[], ScoreStoreLike] | None = None,
    set_aside: Callable[[Path], list[Path]] | None = None,
    clock: Clock | None = None,
    course_loads: Sequence[CourseLoad] | None = None,
    loader: Callable[[Path], list[CourseLoad]] | None = None,
    settings_path: Path | None = None,
    cache_dir: Path | None = None,
    process: ProcessHooks | None = None,
    central: CentralConfig | None = None,
) -> QuizApp:
    """Build the app's services and the app; `run_app` and the tests both call this.

    By default the store is the file at `options.db_path`, opened after the first frame,
    and the courses are loaded from `options.questions_dir` in a thread (through the
    course cache in `cache_dir`, when one is given: `run_app` gives the user's). A test gives
    an open `store` (or its own `open_store`), `course_loads` already loaded, a clock.
    """
    if store is not None or open_store is not None:
        gateway = StoreGateway(open_store, set_aside=set_aside, thread=store_thread, store=store)
    else:
        gateway = StoreGateway.for_file(options.db_path, central)
    if clock is None:
        from quiz.domain.clock import SystemClock

        clock = SystemClock()
    services = Services(
        store=gateway,
        courses=CourseSource(
            options.questions_dir,
            loader=loader,
            loaded=course_loads,
            cache_dir=cache_dir,
        ),
        clock=clock,
        settings_path=settings_path,
        process=process or ProcessHooks(),
        central=central,
    )
    return QuizApp(options, services)
