"""Starting attempts: every way one starts, the one door they all go through, what the
learner is told while its answers cannot be saved, and what follows when one ends. The
one home of `begin` (`QuizApp.begin_attempt`).

An attempt starts from the home screen's Start (practice, an exam, a preset, the drill,
or a paused round chosen), or straight from the command line (`--mode`, `--exam`;
`--resume` is quiz.ui.resuming's). Each goes through the paused-exam gate first
(`Resuming.when_free`), then through `begin`: the learner identified
(quiz.ui.identifying), the attempt run by an `AttemptRunner` on its screen. A drill
first asks the store for the learner's questions due (quiz.ui.drilling). When an
attempt ends, what is over its screen closes and its results show, or the home screen
when it was left or paused.

Imported when the first attempt is asked for, after the first frame.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from quiz.errors import ExitCode, QuizError
from quiz.settings import clean_name, remember_learner

if TYPE_CHECKING:
    from quiz.domain.identity import Identification
    from quiz.domain.model import ExamPreset
    from quiz.domain.session import QuizSession
    from quiz.ui.app import QuizApp
    from quiz.ui.attempt import AttemptRunner
    from quiz.ui.drilling import DrillFinding
    from quiz.ui.resuming import Offers
    from quiz.ui.screens.home import HomeScreen


def with_learner(app: QuizApp, then: Callable[[str], None]) -> None:
    """Call `then` with the learner the command line named (`--learner`), else with
    the name typed in the name dialog (nothing when it is cancelled)."""
    learner = clean_name(app.options.learner or "")
    if learner:
        then(learner)
        return
    from quiz.ui.screens.dialogs import NameDialog

    def named(name: str | None) -> None:
        if name:
            then(name)

    app.push_screen(NameDialog(app.remembered_learner), named)


class Starting:
    """The app's attempts: started (from the home screen, the command line, a drill's
    lookup), begun, their saving watched, and ended."""

    def __init__(self, app: QuizApp) -> None:
        self._app = app
        self._options_taken = False
        """Whether what the command line asked for has been set going (once: it goes
        through the store before an attempt starts)."""

    # --- what the home screen asks for ---------------------------------------------------

    def from_home(self, message: HomeScreen.StartRequested) -> None:
        app = self._app

        def start(offers: Offers) -> None:
            # Drawn as the home screen drew it, its clock started now (the learner may
            # have been offered a waiting exam meanwhile).
            session = message.session.begun_now()
            if app.resuming.may_supersede(offers, message.learner, session.mode, seen=message.seen):
                self.begin(session, message.learner, message.preset)

        app.resuming.when_free(message.learner, start)

    def drill_from_home(self, message: HomeScreen.DrillRequested) -> None:
        from quiz.domain.records import Mode

        app = self._app

        def start(offers: Offers) -> None:
            if app.resuming.may_supersede(offers, message.learner, Mode.DRILL, seen=message.seen):
                self.drill(message.learner, sections=message.sections, count=message.count)

        app.resuming.when_free(message.learner, start)

    def resume_from_home(self, message: HomeScreen.ResumeRequested) -> None:
        app = self._app

        def start(offers: Offers) -> None:
            chosen = next((o for o in offers if o.attempt_id == message.attempt_id), None)
            if chosen is None:
                app.notify(
                    "That round is no longer paused: it was taken up in another window, or "
                    "has ended.",
                    severity="warning",
                    markup=False,
                )
                app.refresh_home()
                return
            app.resuming.resume(chosen, message.learner)

        app.resuming.when_free(message.learner, start)

    # --- straight into a quiz (the command line's --mode or --exam) ----------------------

    def from_options(self) -> None:
        """Set going what the command line asked for (once the course is loaded and the
        store open; once): its quiz, drill or paused attempt, or exit 2 if the course
        cannot give it."""
        app = self._app
        course = app.course
        if course is None or app.store is None or app.attempt is not None:
            return
        if self._options_taken:
            return
        if app.options.resume:
            self._options_taken = True
            app.resuming.resume_from_options()
            return
        from quiz.ui.launching import requested_quiz

        try:
            request = requested_quiz(app.options, course)
            # Checked before anyone is asked for a name (SelectionError is a QuizError).
            first = (
                request.session(app.clock) if request is not None and not request.is_drill else None
            )
            if request is not None and request.is_drill and app.options.sections:
                from quiz.domain.selection import resolve_sections

                resolve_sections(course, app.options.sections)
        except QuizError as error:
            app.fail_start(ExitCode.USAGE, [f"quiz: {error.message}"])
            return
        if request is not None and request.is_drill:
            self._options_taken = True
            with_learner(app, self._drill_from_options)
            return
        if request is None or first is None:
            return
        self._options_taken = True

        def begin(name: str) -> None:
            def start(offers: Offers) -> None:
                # The clock starts once nothing stands in the way: a new session, same seed.
                assert request is not None
                session = request.session(app.clock)
                if app.resuming.may_supersede(offers, name, session.mode, seen=None):
                    self.begin(session, name, request.preset)

            app.resuming.when_free(name, start)

        with_learner(app, begin)

    def _drill_from_options(self, name: str) -> None:
        from quiz.domain.records import Mode

        app, options = self._app, self._app.options

        def start(offers: Offers) -> None:
            if app.resuming.may_supersede(offers, name, Mode.DRILL, seen=None):
                self.drill(name, sections=options.sections, count=options.count, seed=options.seed)

        app.resuming.when_free(name, start)

    # --- the drill -------------------------------------------------------------------------

    def drill(
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
        app = self._app
        course, store = app.course, app.store
        if course is None or store is None:
            return
        now = app.clock.now()
        from quiz.ui.drilling import DrillFinding

        def find() -> DrillFinding:  # on the store thread
            return DrillFinding.ask(store, learner, course, now, sections)

        # Keys that arrive meanwhile wait for what the finding opens (KeyOrder.hold).
        release = app.key_order.hold()

        def done(finding: DrillFinding) -> None:
            try:
                self._drill_found(learner, finding, count, seed)
            finally:
                release()

        def found() -> None:  # in a worker thread: wait for the store, then come back
            try:
                finding = app.services.store.thread.call(find)
            except BaseException:
                app.call_from_thread(release)
                raise
            app.call_from_thread(done, finding)

        app.run_worker(found, thread=True, group="drill")

    def _drill_found(
        self, learner: str, finding: DrillFinding, count: int | None, seed: int | None
    ) -> None:
        from quiz.domain.records import Mode
        from quiz.ui.attempt import new_session

        app = self._app
        course = app.course
        if course is None or (app.attempt is not None and app.attempt.active):
            return
        if finding.due:
            session = new_session(
                course, app.clock, mode=Mode.DRILL, due=finding.due, count=count, seed=seed
            )
            self.begin(session, learner)
            return
        from quiz.ui.screens.dialogs import ConfirmDialog

        section = finding.weakest
        title = course.section_title(section) if section else None
        detail = finding.nothing_due_text(app.clock.now())
        if title:
            detail += f"\n\nPractise your weakest section, {title}, instead?"

        def answered(yes: bool | None) -> None:
            if yes and section is not None:
                session = new_session(course, app.clock, mode=Mode.PRACTICE, sections=[section])
                self.begin(session, learner)

        app.push_screen(
            ConfirmDialog("Nothing to drill", detail, yes="Practise", no="Back"), answered
        )

    # --- the one door ----------------------------------------------------------------------

    def begin(
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

        app = self._app
        if identified is None and session.resumed_from is None:
            witness = bool(preset is not None and preset.witness and session.mode == "exam")

            def known(identification: Identification, asked: bool) -> None:
                if app.attempt is not None and app.attempt.active:
                    return  # something else started meanwhile
                # The clock starts once she is known, not while a PIN was typed.
                again = session.begun_now() if asked and session.time_limit_seconds else session
                self.begin(again, learner, preset, identified=identification)

            app.identifying.before_attempt(learner, witness=witness, then=known)
            return
        store = app.store
        assert store is not None
        note = session.selection.note
        if note:
            app.notify(note[0].upper() + note[1:] + ".", markup=False)
        app.attempt = runner = AttemptRunner(
            app,
            session,
            learner,
            store=store,
            thread=app.store_thread,
            preset_title=preset.title if preset else None,
            on_saved=app.wake_sender,
            identified=identified,
        )
        app.saving_problem = None
        runner.begin()
        self._remember(learner, session.course.id)
        if runner.is_exam:
            from quiz.ui.screens.exam import ExamScreen

            app.push_screen(ExamScreen(runner))
        else:
            from quiz.ui.screens.practice import PracticeScreen

            app.push_screen(PracticeScreen(runner))

    def _remember(self, learner: str, course_id: str) -> None:
        app = self._app
        app.settings = app.settings.remembering(learner, course_id)
        path = app.services.settings_path
        app.services.store.submit(remember_learner, learner, path, course_id)

    # --- while it runs ----------------------------------------------------------------------

    def saving_changed(self, problem: str | None) -> None:
        """Answers stopped reaching the store (`problem`), or reach it again (None)."""
        app = self._app
        app.saving_problem = problem
        if problem is None:
            app.notify("Your answers are saved again.", markup=False)
        else:
            app.notify(
                f"Could not save your answer: {problem}. It is kept and will be "
                "saved again; carry on.",
                severity="warning",
                markup=False,
                timeout=10,
            )

    # --- when it ends ------------------------------------------------------------------------

    def finished(self, runner: AttemptRunner) -> None:
        """Close what is over the attempt's screen, then show the results, or go home
        if the attempt was left."""
        app = self._app
        if runner is not app.attempt:
            return
        app.wake_sender()
        while len(app.screen_stack) > 2:
            app.pop_screen()
        result = runner.session.result
        assert result is not None
        if result.status == "abandoned":
            app.pop_screen()
            from quiz.domain.text import counted

            kept = counted(runner.session.answered_count, "answer", "is", "are")
            app.notify(
                f"Attempt left. Your {kept} kept and it is recorded as abandoned.",
                markup=False,
            )
            return
        if result.status == "paused":
            session = runner.session
            app.pop_screen()
            app.notify(
                f"{runner.title} paused with {session.left} of {len(session.order)} "
                "questions left; your answers are kept. Resume it here when you are ready.",
                markup=False,
            )
            return
        from quiz.ui.screens.results import ResultsScreen

        app.switch_screen(ResultsScreen(runner))
