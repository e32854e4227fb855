"""The app's start-up after its first frame, in order: the courses loaded in a thread
(the usable ones kept, the one to open chosen: quiz.ui.launching, their problems told);
the home form on the screen, which ends start-up for the process; the score store
opened (quiz.ui.store_setup); then what the command line asked for (quiz.ui.starting),
the home screen's learner looked up (quiz.ui.learner_lookups), and the background
sender to the central store started, when one is configured.

Imported after the first frame (before it only when the courses were given loaded, as
tests do): the first frame waits for none of this.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quiz.errors import ExitCode, QuizError
from quiz.ui.store_setup import StoreOpening

if TYPE_CHECKING:
    from quiz.domain.model import CourseLoad
    from quiz.storage.central.sender import SendState
    from quiz.ui.app import QuizApp


class StartUp:
    """What the app does, in order, once its first frame is up."""

    def __init__(self, app: QuizApp) -> None:
        self._app = app
        self._store_opening = StoreOpening(app, ready=self._store_ready)
        self._course_shown = False

    def after_first_frame(self) -> None:
        """Slow work: load the courses (in a thread), then open the store."""
        app = self._app
        if app.services.courses.loaded is not None:
            self._store_opening.start()
        else:
            app.run_worker(self._load_courses, thread=True, exclusive=True, group="load")

    def _load_courses(self) -> None:  # in a worker thread
        loads = self._app.services.courses.load()
        # What the main thread imports next to show the course, imported here, where
        # it costs the main thread nothing.
        import quiz.ui.launching  # noqa: F401
        from quiz.ui.screens.home_form import import_form_widgets

        import_form_widgets()
        self._app.call_from_thread(self.courses_loaded, loads)

    def courses_loaded(self, loads: list[CourseLoad]) -> None:
        app = self._app
        usable = [load.course for load in loads if load.course is not None]
        problems = [str(problem) for load in loads for problem in load.problems]
        if not usable:
            folder = app.services.courses.folder
            app.fail_start(
                ExitCode.PROBLEM,
                [
                    f"quiz: no usable course in {folder}",
                    *problems,
                    "Fix these problems (`quiz check` lists them), or give --questions "
                    "a folder of courses.",
                ],
            )
            return
        app.courses = usable
        from quiz.ui.launching import chosen_course

        try:
            course = chosen_course(
                app.options, usable, app.settings.course_for(app.remembered_learner)
            )
        except QuizError as error:
            app.fail_start(ExitCode.USAGE, [f"quiz: {error.message}"])
            return
        app.course = course
        if problems:
            from quiz.domain.text import plural

            app.notify(
                f"{plural(len(problems), 'problem')} in the course files; some questions may be "
                "missing. Run `quiz check` to see them.",
                severity="warning",
                markup=False,
                timeout=8,
            )
        # After the home screen is up: a quiz opens over it, or a usage error closes it.
        app.call_after_refresh(self._start_from_options)

    def course_shown(self) -> None:
        """The home form is on the screen: start-up is over; open the store. (Opened
        before, its thread took the GIL from the form being built: ~100 ms later.)"""
        if not self._course_shown:
            self._course_shown = True
            self._app.services.process.course_shown()
        self._store_opening.start()

    def _store_ready(self) -> None:
        self._start_from_options()
        self._app.refresh_home()
        self._start_sender()

    def _start_from_options(self) -> None:
        """Straight into what the command line asked for (`--mode`, `--exam`,
        `--resume`), once the course is loaded and the store open."""
        options = self._app.options
        if options.opens_a_quiz or options.resume:  # else there is nothing to start
            self._app.starting.from_options()

    def _start_sender(self) -> None:
        """Start the background sender (once), when a central store and a clinic are
        configured and the store is a real one. psycopg is imported in its thread."""
        app = self._app
        central, store = app.services.central, app.store
        if app.sender is not None or central is None or central.clinic is None:
            return
        from quiz.storage.scores import ScoreStore

        if not isinstance(store, ScoreStore):
            return
        from quiz.storage.central.sender import Sender

        def report(state: SendState) -> None:  # in the sender's thread
            app.post_message(app.SendStateChanged(state))  # thread-safe

        app.sender = Sender(store, central.url, central.clinic, report)
        app.sender.start()
