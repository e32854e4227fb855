"""The quiz app: loads the course off the event loop, runs attempts, saves through the store.

Screens are thin: they call the session through `Attempt` and the app's methods here.
Screen modules are imported when first needed, so importing this module stays cheap.
"""

from __future__ import annotations

import gc
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on, work
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen

from quiz.launch import AppOptions
from quiz.settings import clean_name, load_settings, remember_learner
from quiz.ui.keys import KeyDone, KeyOrder
from quiz.ui.peek import peek_title
from quiz.ui.saving import AttemptSaver, ScoreStoreLike, StoreThread
from quiz.ui.store_setup import EXIT_PROBLEM, StoreSetupMixin
from quiz.ui.styles import FIRST_FRAME, REST, STYLESHEET, stylesheet_parts
from quiz.ui.window import WindowSizeMixin

if TYPE_CHECKING:
    # Imported where used: the loader (YAML) loads in a thread after the first paint,
    # and the session is needed only once an attempt starts.
    from quiz.domain.loader import CourseLoad
    from quiz.domain.model import Course, ExamPreset
    from quiz.domain.records import AttemptStatus, Mode
    from quiz.domain.session import Clock, QuizSession
    from quiz.ui.attempt import Attempt
    from quiz.ui.screens.home import HomeScreen

EXIT_USAGE = 2


def attempt_is_exam(mode: Mode) -> bool:
    return mode == "exam"  # Mode is a StrEnum (compared as text: records load lazily)


class SavingProblem(Message):
    """From the store thread: saving failed (a message) or recovered (None)."""

    def __init__(self, message: str | None) -> None:
        super().__init__()
        self.message = message


class QuizApp(WindowSizeMixin, StoreSetupMixin):
    """Trainees study with it; managers test staff with it."""

    CSS_PATH = None  # quiz.tcss is read in two parts: see quiz.ui.styles
    TITLE = "quiz"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+q", "quit", "Quit", key_display="^q", priority=True),
    ]

    def __init__(
        self,
        options: AppOptions,
        *,
        clock: Clock | None,
        store: ScoreStoreLike | None,
        store_thread: StoreThread,
        course_loads: Sequence[CourseLoad] | None = None,
        loader: Callable[[Path], list[CourseLoad]] | None = None,
        damaged_store: Any = None,
        open_store: Callable[[], ScoreStoreLike] | None = None,
        reopen_store: Callable[[], ScoreStoreLike] | None = None,
        set_aside: Callable[[Path], list[Path]] | None = None,
        settings_path: Path | None = None,
        handle_signals: bool = False,
        tune_gc: bool = False,
        started: Callable[[], None] | None = None,
        heartbeat_seconds: float = 30.0,
    ) -> None:
        super().__init__()
        first_frame, self._rest_of_stylesheet = stylesheet_parts()
        self.stylesheet.add_source(first_frame, read_from=(str(STYLESHEET), FIRST_FRAME))
        self.options = options
        """What the command line asked for."""
        self._clock = clock
        self.store = store
        """The score store; None until a damaged one has been set aside."""
        self.store_thread = store_thread
        """The one thread that calls the store."""
        self.damaged_store = damaged_store
        """The `StoreError` of a damaged store the learner may set aside, if any."""
        self._open_store = open_store
        self._reopen_store = reopen_store
        self._set_aside = set_aside
        self._course_loads = course_loads
        self._loader = loader
        self.settings_path = settings_path
        self.handle_signals = handle_signals
        self.tune_gc = tune_gc
        """Freeze the objects built at start-up out of the garbage collector's way (the
        whole process is affected, so only `run_app` asks for it)."""
        self._started_callback = started
        """Called once, after the course is first shown (`run_app` ends its start-up tuning)."""
        self.heartbeat_seconds = heartbeat_seconds
        self.courses: list[Course] = []
        """The usable courses, once loaded."""
        self.course: Course | None = None
        """The course in use."""
        self.remembered_learner = load_settings(settings_path).last_learner
        """The name used last time on this computer account."""
        self.peeked_title = peek_title(options.questions_dir) if course_loads is None else None
        """The course title as read before loading (shown on the first frame)."""
        self._started = time.monotonic()
        self.attempt: Attempt | None = None
        """The attempt being taken or last taken."""
        self.saving_problem: str | None = None
        """Why answers are not reaching the store, while that lasts."""
        self.exit_lines: list[str] = []
        """Printed by `run_app` after the terminal is restored (why the app could not start)."""
        self._heartbeat: Any = None
        self._expiry: Any = None
        self.key_order = KeyOrder(self, self._dispatch_key)
        """Hands keys out one at a time, in the order they arrived (see quiz.ui.keys)."""

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

    @property
    def clock(self) -> Clock:
        """Where sessions read the time (a fixed clock in tests; the system's otherwise,
        made when first needed so the session module loads after the first frame)."""
        if self._clock is None:
            from quiz.domain.session import SystemClock

            self._clock = SystemClock()
        return self._clock

    # --- start-up ----------------------------------------------------------------------

    def get_default_screen(self) -> Screen[Any]:
        from quiz.ui.screens.home import HomeScreen

        return HomeScreen()

    def on_mount(self) -> None:
        self.call_after_refresh(self.load_rest_of_stylesheet)
        self.watch_window_size()
        if self.handle_signals:
            self.install_signal_handlers()
        if self.damaged_store is not None:
            self.offer_set_aside()
        if self._course_loads is not None:
            self.courses_loaded(list(self._course_loads))
        # Slow work (opening the store, loading the course) starts once the home
        # screen is painted, in threads, so the first frame does not wait for it.
        self.call_after_refresh(self._start_background_work)

    def load_rest_of_stylesheet(self) -> None:
        """Add the part of quiz.tcss after the first frame's (once), and restyle any
        screen already shown over the home screen with it."""
        css, self._rest_of_stylesheet = self._rest_of_stylesheet, ""
        if not css:
            return
        self.stylesheet.add_source(css, read_from=(str(STYLESHEET), REST))
        for screen in self.screen_stack[1:]:
            self.stylesheet.update(screen)

    def _start_background_work(self) -> None:
        if self._course_loads is None:
            self._load_courses()  # the store is opened once the course is shown
        else:
            self.open_store_if_needed()

    def store_ready(self) -> None:
        self._start_from_options()

    @work(thread=True, exclusive=True, group="load")
    def _load_courses(self) -> None:
        loader = self._loader
        if loader is None:
            from quiz.domain.loader import load_courses

            loader = load_courses
        loads = loader(self.options.questions_dir)
        self.call_from_thread(self.courses_loaded, loads)

    @property
    def home(self) -> HomeScreen:
        from quiz.ui.screens.home import HomeScreen

        screen = self.screen_stack[0]
        assert isinstance(screen, HomeScreen)
        return screen

    @property
    def loading(self) -> bool:
        return self.course is None

    def loading_seconds(self) -> float:
        return time.monotonic() - self._started

    def courses_loaded(self, loads: list[CourseLoad]) -> None:
        usable = [load.course for load in loads if load.course is not None]
        problems = [str(problem) for load in loads for problem in load.problems]
        if not usable:
            self.fail_start(
                EXIT_PROBLEM,
                [
                    f"quiz: no usable course in {self.options.questions_dir}",
                    *problems,
                    "Fix these problems (`quiz check` lists them), or give --questions "
                    "a folder of courses.",
                ],
            )
            return
        self.courses = usable
        self.course = self._course_for_options(usable)
        if problems:
            self.notify(
                f"{len(problems)} problem(s) in the course files; some questions may be "
                "missing. Run `quiz check` to see them.",
                severity="warning",
                markup=False,
                timeout=8,
            )
        if self.home.mounted:
            self.home.course_ready()
        if self.tune_gc:
            self.call_after_refresh(gc.freeze)
        if self._started_callback is not None:
            self.call_after_refresh(self._started_callback)
            self._started_callback = None
        self.call_after_refresh(self.open_store_if_needed)
        # After the home screen is up: a quiz opens over it, or a usage error closes it.
        self.call_after_refresh(self._start_from_options)

    def _course_for_options(self, courses: list[Course]) -> Course:
        if self.options.exam:
            for course in courses:
                if self.options.exam in course.exams:
                    return course
        return courses[0]

    def choose_course(self, course: Course) -> None:
        self.course = course

    # --- starting an attempt -------------------------------------------------------------

    @property
    def ready(self) -> bool:
        return self.course is not None and self.store is not None

    def new_session(
        self,
        *,
        mode: Mode,
        sections: Sequence[str] | None = None,
        count: int | None = None,
        time_limit_seconds: int | None = None,
        seed: int | None = None,
        preset: ExamPreset | None = None,
        tell: bool = True,
    ) -> QuizSession:
        """A new session on the current course (raises SelectionError)."""
        from quiz.domain.model import DEFAULT_PASS_MARK
        from quiz.domain.session import QuizSession, new_seed, pick_questions

        assert self.course is not None
        seed = seed if seed is not None else new_seed()
        selection = pick_questions(
            self.course, seed=seed, sections=sections, count=count, preset=preset, mode=mode
        )
        if selection.note and tell:
            self.notify(selection.note[0].upper() + selection.note[1:] + ".", markup=False)
        if time_limit_seconds is None and preset is not None:
            time_limit_seconds = preset.time_limit_seconds
        return QuizSession(
            self.course,
            selection,
            mode=mode,
            seed=seed,
            clock=self.clock,
            time_limit_seconds=time_limit_seconds,
            pass_mark=preset.pass_mark if preset is not None else DEFAULT_PASS_MARK,
            exam=preset.id if preset is not None else None,
        )

    def _start_from_options(self) -> None:
        options = self.options
        if not self.ready or (options.mode is None and options.exam is None):
            return
        if self.attempt is not None:
            return
        assert self.course is not None
        preset = None
        if options.exam is not None:
            preset = self.course.exams.get(options.exam)
            if preset is None:
                known = ", ".join(self.course.exams) or "none"
                self.fail_start(
                    EXIT_USAGE,
                    [f"quiz: no exam preset {options.exam!r}; this course's presets: {known}"],
                )
                return
        from quiz.domain.records import Mode
        from quiz.domain.session import SelectionError, new_seed

        mode = Mode.EXAM if options.exam or options.mode == "exam" else Mode.PRACTICE
        seed = options.seed if options.seed is not None else new_seed()

        def session(tell: bool = True) -> QuizSession:
            return self.new_session(
                mode=mode,
                sections=options.sections,
                count=options.count,
                time_limit_seconds=options.time_limit_seconds,
                seed=seed,
                preset=preset,
                tell=tell,
            )

        try:
            first = session()
        except SelectionError as error:
            self.fail_start(EXIT_USAGE, [f"quiz: {error.message}"])
            return
        learner = clean_name(options.learner or "")
        if learner:
            self.begin_attempt(first, learner, preset)
            return
        from quiz.ui.screens.dialogs import NameDialog

        def named(name: str | None) -> None:
            # The clock starts once the learner is named: a new session, same seed.
            if name:
                self.begin_attempt(session(tell=False), name, preset)

        self.push_screen(NameDialog(self.remembered_learner), named)

    def begin_attempt(
        self, session: QuizSession, learner: str, preset: ExamPreset | None = None
    ) -> None:
        """Start saving the attempt and show its first question."""
        from quiz.ui.attempt import Attempt

        assert self.store is not None
        saver = AttemptSaver(
            self.store,
            self.store_thread,
            session.attempt_start(learner),
            self._saving_problem_from_thread,
        )
        self.attempt = Attempt(session, learner, saver, preset.title if preset else None)
        self.saving_problem = None
        saver.begin()
        self.remembered_learner = learner
        self.store_thread.submit(remember_learner, learner, self.settings_path)
        self._stop_heartbeat()
        self._heartbeat = self.set_interval(self.heartbeat_seconds, saver.retry)
        if session.deadline is not None:
            # Also checked here, not only by the countdown: a dialog or the course text
            # may be in front of the question screen when time runs out.
            self._expiry = self.set_interval(0.5, self._check_expiry)
        if attempt_is_exam(session.mode):
            from quiz.ui.screens.exam import ExamScreen

            self.push_screen(ExamScreen(self.attempt))
        else:
            from quiz.ui.screens.practice import PracticeScreen

            self.push_screen(PracticeScreen(self.attempt))

    def _saving_problem_from_thread(self, message: str | None) -> None:
        self.post_message(SavingProblem(message))

    def on_saving_problem(self, event: SavingProblem) -> None:
        self.saving_problem = event.message
        if event.message is None:
            self.notify("Your answers are saved again.", markup=False)
        else:
            self.notify(
                f"Could not save your answer: {event.message}. It is kept and will be "
                "saved again; carry on.",
                severity="warning",
                markup=False,
                timeout=10,
            )
        refresh = getattr(self.screen, "saving_changed", None)
        if callable(refresh):
            refresh()

    # --- ending an attempt ---------------------------------------------------------------

    def end_attempt(self, status: AttemptStatus | None = None) -> None:
        """Finish the attempt; show the results, or go home if it was abandoned."""
        attempt = self.attempt
        if attempt is None or not attempt.active:
            return
        result = attempt.finish(status)
        self._stop_heartbeat()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if result.status == "abandoned":
            self.pop_screen()
            self.notify(
                f"Attempt left. Your {attempt.session.answered_count} answer(s) are kept "
                "and it is recorded as abandoned.",
                markup=False,
            )
            return
        from quiz.ui.screens.results import ResultsScreen

        self.switch_screen(ResultsScreen(attempt))

    def _stop_heartbeat(self) -> None:
        for timer in (self._heartbeat, self._expiry):
            if timer is not None:
                timer.stop()
        self._heartbeat = self._expiry = None

    def _check_expiry(self) -> None:
        attempt = self.attempt
        if attempt is not None and attempt.active and attempt.session.is_expired():
            self.end_attempt()

    # --- other screens --------------------------------------------------------------------

    def open_source(self, section_id: str | None = None, ref: Any = None) -> None:
        from quiz.ui.screens.source import SourceReaderScreen

        if self.course is not None:
            self.push_screen(SourceReaderScreen(self.course, section_id=section_id, ref=ref))

    def open_my_scores(self, learner: str) -> None:
        """Push the learner's own scores (built in quiz.ui.screens.scores)."""
        try:
            from quiz.ui.screens.scores import (  # type: ignore[import-not-found,import-untyped,unused-ignore]
                MyScoresScreen,
            )
        except ImportError:
            self.notify("The scores screen is not available yet.", markup=False)
            return
        self.push_screen(MyScoresScreen(self.store, learner, self.course))

    def open_all_staff(self) -> None:
        """Push every learner's scores, for a clinic manager."""
        try:
            from quiz.ui.screens.scores import (  # type: ignore[import-not-found,import-untyped,unused-ignore]
                AllStaffScreen,
            )
        except ImportError:
            self.notify("The staff scores screen is not available yet.", markup=False)
            return
        self.push_screen(AllStaffScreen(self.store, self.course))


def make_app(
    options: AppOptions,
    *,
    store: ScoreStoreLike | None,
    store_thread: StoreThread | None = None,
    clock: Clock | None = None,
    **kwargs: Any,
) -> QuizApp:
    """Build the app from its parts; `run_app` and the tests both call this."""
    return QuizApp(
        options,
        clock=clock,
        store=store,
        store_thread=store_thread or StoreThread(),
        **kwargs,
    )
