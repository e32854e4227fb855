"""Paused attempts in the app: finding a learner's, offering them, taking one up again,
and holding everything else back while an unexpired exam of theirs waits.

Which paused attempts are offered, and in what order, is quiz.domain.pausing's rule
(`offered`, `blocking_exam`): this module asks the store for the learner's (on its
thread, after ending what recovery ends) and does what the rule says. The home screen
shows the practice and drill rounds ("Resume practice: 12 of 51 left"); a waiting exam
is offered in a dialog, with its time left, whenever the learner is named and before
anything is started (`when_free`, which every start goes through); `quiz --resume`
takes up the first offer. A resumed attempt runs through `QuizApp.begin_attempt`, as
every attempt does.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING

from quiz.domain.durations import format_duration
from quiz.domain.text import counted
from quiz.errors import ExitCode, QuizError
from quiz.ui.starting import with_learner

if TYPE_CHECKING:
    from quiz.domain.model import Course
    from quiz.domain.pausing import PausedAttempt
    from quiz.domain.records import Mode
    from quiz.ui.app import QuizApp

Offers = list["PausedAttempt"]


class Resuming:
    """The app's paused attempts: looked up, offered, taken up, given up."""

    def __init__(self, app: QuizApp) -> None:
        self._app = app
        self._not_now: set[str] = set()
        """Exams the learner put off ("Not now"): not offered again until they start
        something."""

    # --- looking up ----------------------------------------------------------------------

    def look_up(self, learner: str, then: Callable[[Offers], None]) -> None:
        """Find `learner`'s paused attempts (on the store thread, after the store has
        ended those whose time is up, and paused those whose process is gone), then call
        `then` on the event loop with those offered now, in order."""
        app, store = self._app, self._app.store
        if store is None:
            return

        def find() -> list[PausedAttempt]:  # on the store thread
            store.recover()
            return store.paused_attempts(learner)

        def found() -> None:  # in a worker thread: wait for the store, then come back
            try:
                paused = app.services.store.thread.call(find)
            except Exception as error:  # a lookup is a courtesy: starting still works
                app.call_from_thread(self._lookup_failed, error)
                paused = []
            app.call_from_thread(self._found, paused, then)

        app.run_worker(found, thread=True, group="paused")

    def _lookup_failed(self, error: Exception) -> None:
        from quiz.ui.saving import error_message

        self._app.notify(
            f"Could not look for paused attempts: {error_message(error)}",
            severity="warning",
            markup=False,
        )

    def _found(self, paused: list[PausedAttempt], then: Callable[[Offers], None]) -> None:
        from quiz.domain.pausing import offered

        versions = {course.id: course.version for course in self._app.courses}
        then(offered(paused, versions=versions, now=self._app.clock.now()))

    # --- the gate every start goes through -----------------------------------------------

    def when_free(self, learner: str, start: Callable[[Offers], None]) -> None:
        """Call `start(offers)` to start something for `learner`, unless an unexpired
        paused exam of theirs waits: then offer it first (resume it, or give it up and
        go on to `start`, or not now: nothing starts)."""
        from quiz.domain.pausing import blocking_exam

        if self._app.store is None:
            return  # look_up finds nothing before the store is open
        # Keys that arrive during the lookup wait for what it opens (keys.KeyOrder.hold).
        release = self._app.key_order.hold()

        def decided(offers: Offers) -> None:
            try:
                exam = blocking_exam(offers)
                if exam is None:
                    start(offers)
                    return
                rest = [offer for offer in offers if offer is not exam]
                self.offer_exam(exam, learner, given_up=lambda: start(rest))
            finally:
                release()

        self.look_up(learner, decided)

    def may_supersede(
        self, offers: Offers, learner: str, mode: Mode, *, seen: frozenset[str] | None
    ) -> bool:
        """Whether a new `mode` round for `learner` may start, though it gives up their
        paused one of that kind on the app's course (quiz.domain.pausing). From the home
        screen (`seen`: the offers it showed) a paused round the learner has not been
        shown is shown to them instead, and nothing starts; otherwise they are told it
        was given up."""
        from quiz.domain.pausing import superseded_by_new

        app, course = self._app, self._app.course
        given_up = [
            offer
            for offer in offers
            if superseded_by_new(mode)
            and offer.mode is mode
            and course is not None
            and offer.course_id == course.id
        ]
        if seen is not None and any(offer.attempt_id not in seen for offer in given_up):
            self.show(learner, offers)
            app.home.say(
                f"A paused {mode} round: Start resumes it; choose {mode.title()} for a new one."
            )
            return False
        for offer in given_up:
            app.notify(
                f"Your paused {mode} round ({offer.left} of {offer.to_ask} left) was given "
                "up; its answers are kept.",
                markup=False,
            )
        return True

    # --- the home screen, and `quiz --resume` --------------------------------------------

    def show(self, learner: str, offers: Offers, *, offer_exam: bool = False) -> None:
        """Show the home screen's learner their paused rounds of the app's course; with
        `offer_exam`, offer a waiting exam at once (unless put off with "Not now")."""
        from quiz.domain.records import Mode

        course = self._app.course
        rounds = [
            offer
            for offer in offers
            if offer.mode is not Mode.EXAM and course is not None and offer.course_id == course.id
        ]
        self._app.home.show_paused(learner, rounds)
        if offer_exam:
            self.offer_waiting_exam(learner, offers)

    def resume_from_options(self) -> None:
        """`quiz --resume`: straight into the learner's paused attempt (the first one
        offered, of `--course` if given), or close the app with exit 1 saying there is
        none. The name is asked for when `--learner` was not given."""
        app = self._app
        course_id = app.options.course

        def resume(name: str) -> None:
            def found(offers: Offers) -> None:
                offers = [o for o in offers if course_id is None or o.course_id == course_id]
                if offers:
                    self.resume(offers[0], name)
                    return
                where = f" in course {course_id}" if course_id else ""
                app.fail_start(
                    ExitCode.PROBLEM,
                    [
                        f"quiz: {name} has no paused attempt to resume{where}.",
                        "A paused exam can be resumed until its deadline, on the computer",
                        "it was started on; a practice or drill round until the pause",
                        "limit (`quiz settings`), while its course is unchanged.",
                        "`quiz scores --learner NAME` lists the attempts.",
                    ],
                )

            self.look_up(name, found)

        with_learner(app, resume)

    def offer_waiting_exam(self, learner: str, offers: Offers) -> None:
        """The home screen knows who is there: offer their waiting exam at once (the
        first of `offers`, if it is one), unless they put it off with "Not now"."""
        from quiz.domain.pausing import blocking_exam

        exam = blocking_exam(offers)
        if exam is not None and exam.attempt_id not in self._not_now:
            self.offer_exam(exam, learner)

    # --- a waiting exam ------------------------------------------------------------------

    def offer_exam(
        self, exam: PausedAttempt, learner: str, given_up: Callable[[], None] | None = None
    ) -> None:
        """Offer the paused `exam`: resume it, give it up (then `given_up`), or not now."""
        from quiz.ui.screens.dialogs import ExamChoice, ExamWaitingDialog

        app = self._app
        if isinstance(app.screen, ExamWaitingDialog) or (app.attempt and app.attempt.active):
            return  # offered already, or an attempt is under way here
        course = self._course_of(exam)
        preset = course.exams.get(exam.exam) if course and exam.exam else None

        def chosen(choice: ExamChoice | None) -> None:
            if choice == "resume":
                self.resume(exam, learner)
            elif choice == "give_up":  # her PIN first: nobody gives up another's exam
                app.identifying.with_own_pin(
                    learner, "give up your exam", lambda: self._confirm_give_up(exam, given_up)
                )
            else:
                self._not_now.add(exam.attempt_id)

        app.push_screen(
            ExamWaitingDialog(
                preset.title if preset else "Exam",
                exam.answered,
                exam.total,
                lambda: exam.remaining_seconds(app.clock.now()),
            ),
            chosen,
        )

    def _confirm_give_up(self, exam: PausedAttempt, then: Callable[[], None] | None) -> None:
        from quiz.ui.screens.dialogs import ConfirmDialog

        kept = counted(exam.answered, "answer", "is", "are")
        detail = (
            f"Your {kept} kept and the exam is recorded as abandoned; you cannot come back to it."
        )

        def answered(yes: bool | None) -> None:
            if yes:
                self._give_up(exam, then)

        self._app.push_screen(
            ConfirmDialog("Give up the exam?", detail, yes="Give up", no="Back"), answered
        )

    def _give_up(self, exam: PausedAttempt, then: Callable[[], None] | None) -> None:
        app, store = self._app, self._app.store
        assert store is not None

        def give_up() -> None:  # in a worker thread
            try:
                app.services.store.thread.call(store.give_up_attempt, exam.attempt_id)
            except QuizError as error:
                app.call_from_thread(self._failed, f"The exam was not given up: {error.message}")
                return
            app.call_from_thread(self._given_up, then)

        app.run_worker(give_up, thread=True, group="paused")

    def _given_up(self, then: Callable[[], None] | None) -> None:
        self._app.notify("The exam was given up; your answers are kept.", markup=False)
        if then is not None:
            then()
        else:
            self._app.refresh_home()

    # --- taking one up again -------------------------------------------------------------

    def resume(self, paused: PausedAttempt, learner: str) -> None:
        """Take `paused` up again (on the store thread), then run it from where it was
        left: the same questions, the answers given, the time from its first start."""
        app, store = self._app, self._app.store
        assert store is not None
        course = self._course_of(paused)
        preset = course.exams.get(paused.exam) if course and paused.exam else None
        witness = preset is not None and preset.witness

        def identified(_identification: object, _asked: bool) -> None:
            app.run_worker(take_up, thread=True, group="paused")

        def take_up() -> None:  # in a worker thread
            try:
                taken = app.services.store.thread.call(store.resume_attempt, paused.attempt_id)
            except QuizError as error:
                app.call_from_thread(self._failed, f"Could not resume it: {error.message}")
                return
            app.call_from_thread(self._taken_up, taken, learner)

        # Her PIN (and a witness, for a witnessed exam) before it is taken up; it keeps
        # the identification it started with.
        app.identifying.before_attempt(learner, witness=witness, then=identified)

    def _taken_up(self, taken: PausedAttempt | None, learner: str) -> None:
        from quiz.domain.session import QuizSession

        app = self._app
        course = self._course_of(taken) if taken is not None else None
        if taken is None or course is None:
            app.notify(
                "That attempt is no longer paused: it was taken up in another window, or "
                "has ended.",
                severity="warning",
                markup=False,
            )
            app.refresh_home()
            return
        try:
            session = QuizSession.resume(course, taken, app.clock)
        except QuizError as error:
            # Left in progress under this process: the next opening pauses it again.
            self._failed(f"Could not resume it: {error.message}")
            return
        if app.course is not course:
            app.course = course
        preset = course.exams.get(taken.exam) if taken.exam else None
        app.begin_attempt(session, learner, preset)
        left = session.remaining_seconds()
        app.notify(
            f"Taken up again where you left it: {session.left} of {len(session.order)} "
            "questions left"
            + (f", {format_duration(math.ceil(left))} on the clock." if left is not None else "."),
            markup=False,
        )

    def _course_of(self, paused: PausedAttempt) -> Course | None:
        """The loaded course the attempt was asked from (the same content version)."""
        return next(
            (
                course
                for course in self._app.courses
                if course.id == paused.course_id and course.version == paused.course_version
            ),
            None,
        )

    def _failed(self, message: str) -> None:
        self._app.notify(message, severity="error", markup=False, timeout=10)
