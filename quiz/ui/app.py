"""The quiz app: the home screen first, the course loaded off the event loop, then the
attempts, each run by an `AttemptRunner`, and the score screens. Paused attempts are
offered and taken up again through `Resuming` (quiz.ui.resuming), which every start
goes through first: a waiting exam is offered before anything else can start.

`make_app` builds the services (quiz.ui.services) and hands them in; the command line
and the tests both call it. Screens post messages and the app answers them here;
screen modules are imported when first needed, so importing this module stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, Any, ClassVar

from textual import events, on
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.reactive import var
from textual.screen import Screen

from quiz.errors import ExitCode, QuizError
from quiz.launch import AppOptions
from quiz.settings import clean_name, load_settings, remember_learner
from quiz.ui.ending import Shutdown
from quiz.ui.keys import KeyDone, KeyOrder
from quiz.ui.services import CourseSource, ProcessHooks, Services, StoreGateway
from quiz.ui.store_setup import StoreOpening
from quiz.ui.textual_seams import ErrorOutput
from quiz.ui.window import follow_window_size, window_resized

if TYPE_CHECKING:
    # Imported where used: the loader (YAML) loads in a thread after the first paint,
    # and the session is needed only once an attempt starts.
    from quiz.domain.clock import Clock
    from quiz.domain.identity import Identification
    from quiz.domain.model import Course, CourseLoad, ExamPreset
    from quiz.domain.session import QuizSession
    from quiz.settings import CentralConfig
    from quiz.storage.central.sender import Sender, SendState
    from quiz.ui.attempt import AttemptRunner
    from quiz.ui.drilling import DrillFinding
    from quiz.ui.identifying import Identifying
    from quiz.ui.resuming import Offers, Resuming
    from quiz.ui.saving import ScoreStoreLike, StoreThread
    from quiz.ui.screens.home import HomeScreen


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
        self._store_opening = StoreOpening(self, ready=self._store_ready)
        self._resuming: Resuming | None = None
        self._identifying: Identifying | None = None
        self._named: str | None = None
        self._options_taken = False
        """Whether what the command line asked for has been set going (once: it goes
        through the store before an attempt starts)."""
        self._course_shown = False
        self.sender: Sender | None = None
        """The background sender to the central store (quiz.storage.central.sender),
        once started: after the home screen shows, when one is configured."""

    @property
    def resuming(self) -> Resuming:
        """Paused attempts: looked up, offered, taken up again (made when first needed:
        after the first frame)."""
        if self._resuming is None:
            from quiz.ui.resuming import Resuming

            self._resuming = Resuming(self)
        return self._resuming

    @property
    def identifying(self) -> Identifying:
        """The PIN dialogs before an attempt and the scores screens (made when first
        needed)."""
        if self._identifying is None:
            from quiz.ui.identifying import Identifying

            self._identifying = Identifying(self)
        return self._identifying

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
        # Slow work (loading the course, then opening the store) starts once the home
        # screen is painted, in threads, so the first frame does not wait for it.
        self.call_after_refresh(self._start_background_work)

    def on_resize(self, event: events.Resize) -> None:
        window_resized(self, event.size)

    def _start_background_work(self) -> None:
        courses = self.services.courses
        if courses.loaded is not None:
            self._store_opening.start()
        else:
            self.run_worker(self._load_courses, thread=True, exclusive=True, group="load")

    def _load_courses(self) -> None:  # in a worker thread
        loads = self.services.courses.load()
        self.call_from_thread(self.courses_loaded, loads)

    def courses_loaded(self, loads: list[CourseLoad]) -> None:
        usable = [load.course for load in loads if load.course is not None]
        problems = [str(problem) for load in loads for problem in load.problems]
        if not usable:
            folder = self.services.courses.folder
            self.fail_start(
                ExitCode.PROBLEM,
                [
                    f"quiz: no usable course in {folder}",
                    *problems,
                    "Fix these problems (`quiz check` lists them), or give --questions "
                    "a folder of courses.",
                ],
            )
            return
        self.courses = usable
        from quiz.ui.launching import chosen_course  # not before the first frame

        try:
            course = chosen_course(
                self.options, usable, self.settings.course_for(self.remembered_learner)
            )
        except QuizError as error:
            self.fail_start(ExitCode.USAGE, [f"quiz: {error.message}"])
            return
        self.course = course
        if problems:
            from quiz.domain.text import plural

            self.notify(
                f"{plural(len(problems), 'problem')} in the course files; some questions may be "
                "missing. Run `quiz check` to see them.",
                severity="warning",
                markup=False,
                timeout=8,
            )
        # After the home screen is up: a quiz opens over it, or a usage error closes it.
        self.call_after_refresh(self._start_from_options)

    def on_home_screen_course_shown(self) -> None:
        """The home form is on the screen: start-up is over; open the store. (Opened
        before, its thread took the GIL from the form being built: ~100 ms later.)"""
        if not self._course_shown:
            self._course_shown = True
            self.services.process.course_shown()
        self._store_opening.start()

    def _store_ready(self) -> None:
        self._start_from_options()
        self._learner_known()
        self._start_sender()

    # --- sending to the central store ----------------------------------------------------

    class SendStateChanged(Message):
        """The background sender's state (posted from its thread)."""

        def __init__(self, state: SendState) -> None:
            super().__init__()
            self.state = state

    def _start_sender(self) -> None:
        """Start the background sender (once), when a central store and a clinic are
        configured and the store is a real one. psycopg is imported in its thread."""
        central, store = self.services.central, self.store
        if self.sender is not None or central is None or central.clinic is None:
            return
        from quiz.storage.scores import ScoreStore

        if not isinstance(store, ScoreStore):
            return
        from quiz.storage.central.sender import Sender

        def report(state: SendState) -> None:  # in the sender's thread
            self.post_message(self.SendStateChanged(state))  # thread-safe

        self.sender = Sender(store, central.url, central.clinic, report)
        self.sender.start()

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

    # --- straight into a quiz (the command line's --mode or --exam) ----------------------

    def _start_from_options(self) -> None:
        course = self.course
        if course is None or self.store is None or self.attempt is not None:
            return
        if self._options_taken:
            return
        if self.options.resume:
            self._options_taken = True
            self.resuming.resume_from_options()
            return
        from quiz.ui.launching import requested_quiz

        try:
            request = requested_quiz(self.options, course)
            # Checked before anyone is asked for a name (SelectionError is a QuizError).
            first = (
                request.session(self.clock)
                if request is not None and not request.is_drill
                else None
            )
            if request is not None and request.is_drill and self.options.sections:
                from quiz.domain.selection import resolve_sections

                resolve_sections(course, self.options.sections)
        except QuizError as error:
            self.fail_start(ExitCode.USAGE, [f"quiz: {error.message}"])
            return
        if request is not None and request.is_drill:
            self._options_taken = True
            self._start_drill_from_options()
            return
        if request is None or first is None:
            return
        self._options_taken = True
        learner = clean_name(self.options.learner or "")

        def begin(name: str) -> None:
            def start(offers: Offers) -> None:
                # The clock starts once nothing stands in the way: a new session, same seed.
                assert request is not None
                session = request.session(self.clock)
                if self.resuming.may_supersede(offers, name, session.mode, seen=None):
                    self.begin_attempt(session, name, request.preset)

            self.resuming.when_free(name, start)

        if learner:
            begin(learner)
            return
        from quiz.ui.screens.dialogs import NameDialog

        def named(name: str | None) -> None:
            if name:
                begin(name)

        self.push_screen(NameDialog(self.remembered_learner), named)

    def _start_drill_from_options(self) -> None:
        options = self.options
        learner = clean_name(options.learner or "")

        def begin(name: str) -> None:
            from quiz.domain.records import Mode

            def start(offers: Offers) -> None:
                if self.resuming.may_supersede(offers, name, Mode.DRILL, seen=None):
                    self.start_drill(
                        name, sections=options.sections, count=options.count, seed=options.seed
                    )

            self.resuming.when_free(name, start)

        if learner:
            begin(learner)
            return
        from quiz.ui.screens.dialogs import NameDialog

        def named(name: str | None) -> None:
            if name:
                begin(name)

        self.push_screen(NameDialog(self.remembered_learner), named)

    # --- the drill -------------------------------------------------------------------------

    def start_drill(
        self,
        learner: str,
        *,
        sections: Sequence[str] | None = None,
        count: int | None = None,
        seed: int | None = None,
    ) -> None:
        """Start a drill of `learner`'s questions due now (asked of the store on its
        thread; `seed` orders each question's choices); if none is due, say when the
        next falls due and offer practice on the weakest section instead."""
        course, store = self.course, self.store
        if course is None or store is None:
            return
        now = self.clock.now()
        from quiz.ui.drilling import DrillFinding

        def find() -> DrillFinding:  # on the store thread
            return DrillFinding.ask(store, learner, course, now, sections)

        # Keys that arrive meanwhile wait for what the finding opens (KeyOrder.hold).
        release = self.key_order.hold()

        def done(finding: DrillFinding) -> None:
            try:
                self._drill_found(learner, finding, count, seed)
            finally:
                release()

        def found() -> None:  # in a worker thread: wait for the store, then come back
            try:
                finding = self.services.store.thread.call(find)
            except BaseException:
                self.call_from_thread(release)
                raise
            self.call_from_thread(done, finding)

        self.run_worker(found, thread=True, group="drill")

    def _drill_found(
        self, learner: str, finding: DrillFinding, count: int | None, seed: int | None
    ) -> None:
        from quiz.domain.records import Mode
        from quiz.ui.attempt import new_session

        course = self.course
        if course is None or (self.attempt is not None and self.attempt.active):
            return
        if finding.due:
            session = new_session(
                course, self.clock, mode=Mode.DRILL, due=finding.due, count=count, seed=seed
            )
            self.begin_attempt(session, learner)
            return
        from quiz.ui.screens.dialogs import ConfirmDialog

        section = finding.weakest
        title = course.section_title(section) if section else None
        detail = finding.nothing_due_text(self.clock.now())
        if title:
            detail += f"\n\nPractise your weakest section, {title}, instead?"

        def answered(yes: bool | None) -> None:
            if yes and section is not None:
                session = new_session(course, self.clock, mode=Mode.PRACTICE, sections=[section])
                self.begin_attempt(session, learner)

        self.push_screen(
            ConfirmDialog("Nothing to drill", detail, yes="Practise", no="Back"), answered
        )

    class DueCounted(Message):
        """How many questions `learner` has due now (posted from the store thread)."""

        def __init__(self, learner: str, due: int | None) -> None:
            super().__init__()
            self.learner = learner
            self.due = due

    def on_home_screen_learner_named(self, message: HomeScreen.LearnerNamed) -> None:
        self._named = message.learner
        self._learner_known()

    def refresh_home(self) -> None:
        """Look again at what the home screen's learner has due and paused."""
        self._learner_known()

    def _learner_known(self) -> None:
        """The home screen's learner is known (or changed): count their questions due,
        and find their paused attempts and passes (once the store is open)."""
        self._ask_due()
        self._ask_passes()
        learner = self._named
        if learner and self.store is not None and self.course is not None:

            def found(offers: Offers) -> None:
                # A waiting exam at once, unless something (the options' attempt) is
                # over the home screen by now.
                self.resuming.show(learner, offers, offer_exam=self.screen is self.home)

            self.resuming.look_up(learner, found)

    def _ask_due(self) -> None:
        """Count the named learner's questions due (once the store is open)."""
        learner, store, course = self._named, self.store, self.course
        if not learner or store is None or course is None:
            return
        now = self.clock.now()

        def count() -> None:  # on the store thread
            due: int | None
            try:
                if store.cards_to_rebuild(learner):
                    store.rebuild_cards(learner=learner)  # the learner's only: others wait
                due = sum(c.due_now for c in store.due_counts(learner, now=now, course=course.id))
            except Exception:  # a count is a courtesy: the drill itself reports problems
                due = None
            self.post_message(self.DueCounted(learner, due))  # thread-safe

        self.services.store.submit(count)

    def on_quiz_app_due_counted(self, message: DueCounted) -> None:
        if self.screen_stack:  # else the app is closing: the count came too late
            self.home.show_due(message.learner, message.due)

    class PassesFound(Message):
        """The named learner's passes of the course's presets with a validity, as lines
        (quiz.ui.passes; posted from the store thread)."""

        def __init__(self, learner: str, lines: list[tuple[str, bool]]) -> None:
            super().__init__()
            self.learner = learner
            self.lines = lines  # each pass's line, and whether it has expired

    def _ask_passes(self) -> None:
        """Find the named learner's last pass of each preset with a validity."""
        from quiz.ui.passes import pass_line, valid_presets

        learner, store, course = self._named, self.store, self.course
        if not learner or store is None or course is None:
            return
        presets, now = valid_presets(course), self.clock.now()

        def find() -> None:  # on the store thread
            try:
                found = store.learner_passes(learner, presets, now) if presets else ()
            except Exception:  # a courtesy, as the count of questions due
                found = ()
            lines = [(pass_line(p), p.expired) for p in found]
            self.post_message(self.PassesFound(learner, lines))

        self.services.store.submit(find)

    def on_quiz_app_passes_found(self, message: PassesFound) -> None:
        if self.screen_stack:  # else the app is closing: the passes came too late
            self.home.show_passes(message.learner, message.lines)

    def on_home_screen_drill_requested(self, message: HomeScreen.DrillRequested) -> None:
        from quiz.domain.records import Mode

        def start(offers: Offers) -> None:
            if self.resuming.may_supersede(offers, message.learner, Mode.DRILL, seen=message.seen):
                self.start_drill(message.learner, sections=message.sections, count=message.count)

        self.resuming.when_free(message.learner, start)

    def on_home_screen_resume_requested(self, message: HomeScreen.ResumeRequested) -> None:
        def start(offers: Offers) -> None:
            chosen = next((o for o in offers if o.attempt_id == message.attempt_id), None)
            if chosen is None:
                self.notify(
                    "That round is no longer paused: it was taken up in another window, or "
                    "has ended.",
                    severity="warning",
                    markup=False,
                )
                self.refresh_home()
                return
            self.resuming.resume(chosen, message.learner)

        self.resuming.when_free(message.learner, start)

    # --- attempts ----------------------------------------------------------------------

    def begin_attempt(
        self,
        session: QuizSession,
        learner: str,
        preset: ExamPreset | None = None,
        *,
        identified: Identification | None = None,
    ) -> None:
        """Start the attempt, saving it as it goes, and show its first question: once
        the learner is identified (quiz.ui.identifying; a paused one taken up again was
        identified before it was taken up)."""
        from quiz.ui.attempt import AttemptRunner

        if identified is None and session.resumed_from is None:
            witness = bool(preset is not None and preset.witness and session.mode == "exam")

            def known(identification: Identification, asked: bool) -> None:
                if self.attempt is not None and self.attempt.active:
                    return  # something else started meanwhile
                # The clock starts once she is known, not while a PIN was typed.
                again = session.begun_now() if asked and session.time_limit_seconds else session
                self.begin_attempt(again, learner, preset, identified=identification)

            self.identifying.before_attempt(learner, witness=witness, then=known)
            return
        store = self.store
        assert store is not None
        note = session.selection.note
        if note:
            self.notify(note[0].upper() + note[1:] + ".", markup=False)
        self.attempt = runner = AttemptRunner(
            self,
            session,
            learner,
            store=store,
            thread=self.store_thread,
            preset_title=preset.title if preset else None,
            on_saved=self.wake_sender,
            identified=identified,
        )
        self.saving_problem = None
        runner.begin()
        self._remember(learner, session.course.id)
        if runner.is_exam:
            from quiz.ui.screens.exam import ExamScreen

            self.push_screen(ExamScreen(runner))
        else:
            from quiz.ui.screens.practice import PracticeScreen

            self.push_screen(PracticeScreen(runner))

    def _remember(self, learner: str, course_id: str) -> None:
        self.settings = self.settings.remembering(learner, course_id)
        path = self.services.settings_path
        self.services.store.submit(remember_learner, learner, path, course_id)

    def on_attempt_runner_finished(self, message: AttemptRunner.Finished) -> None:
        """Close what is over the attempt's screen, then show the results, or go home
        if the attempt was left."""
        runner = message.runner
        if runner is not self.attempt:
            return
        self.wake_sender()
        while len(self.screen_stack) > 2:
            self.pop_screen()
        result = runner.session.result
        assert result is not None
        if result.status == "abandoned":
            self.pop_screen()
            from quiz.domain.text import counted

            kept = counted(runner.session.answered_count, "answer", "is", "are")
            self.notify(
                f"Attempt left. Your {kept} kept and it is recorded as abandoned.",
                markup=False,
            )
            return
        if result.status == "paused":
            session = runner.session
            self.pop_screen()
            self.notify(
                f"{runner.title} paused with {session.left} of {len(session.order)} "
                "questions left; your answers are kept. Resume it here when you are ready.",
                markup=False,
            )
            return
        from quiz.ui.screens.results import ResultsScreen

        self.switch_screen(ResultsScreen(runner))

    def on_attempt_runner_saving_changed(self, message: AttemptRunner.SavingChanged) -> None:
        self.saving_problem = message.problem
        if message.problem is None:
            self.notify("Your answers are saved again.", markup=False)
        else:
            self.notify(
                f"Could not save your answer: {message.problem}. It is kept and will be "
                "saved again; carry on.",
                severity="warning",
                markup=False,
                timeout=10,
            )

    # --- what the home screen asks for ---------------------------------------------------

    def on_home_screen_start_requested(self, message: HomeScreen.StartRequested) -> None:
        def start(offers: Offers) -> None:
            # Drawn as the home screen drew it, its clock started now (the learner may
            # have been offered a waiting exam meanwhile).
            session = message.session.begun_now()
            if self.resuming.may_supersede(
                offers, message.learner, session.mode, seen=message.seen
            ):
                self.begin_attempt(session, message.learner, message.preset)

        self.resuming.when_free(message.learner, start)

    def on_home_screen_course_chosen(self, message: HomeScreen.CourseChosen) -> None:
        self.course = message.course

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
