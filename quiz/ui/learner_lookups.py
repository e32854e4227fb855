"""What the app looks up for the home screen's learner once named (or named again):
their questions due (shown on the drill's choice), their last passes of the presets
with a validity (under the name, quiz.ui.passes), and their paused attempts (offered
through quiz.ui.resuming). Each is asked of the store on its thread and comes back as
the app's message (`QuizApp.DueCounted`, `QuizApp.PassesFound`) or through the
resuming's lookup. A count or a pass that cannot be found is a courtesy lost, never an
error: the drill itself, and the scores screens, report store problems.

Imported once the store is open, after the first frame.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.ui.app import QuizApp
    from quiz.ui.resuming import Offers


class LearnerLookups:
    """The home screen's learner, and what is looked up for them."""

    def __init__(self, app: QuizApp) -> None:
        self._app = app
        self.named: str | None = None
        """The learner named on the home screen (None before a name is typed)."""

    def learner_named(self, learner: str) -> None:
        """The home screen's learner is `learner` now: look up what they have."""
        self.named = learner
        self.look_up()

    def look_up(self) -> None:
        """The home screen's learner is known (or changed), or what they have may have
        changed: count their questions due, and find their paused attempts and passes
        (once the store is open)."""
        app = self._app
        self._ask_due()
        self._ask_passes()
        learner = self.named
        if learner and app.store is not None and app.course is not None:

            def found(offers: Offers) -> None:
                # A waiting exam at once, unless something (the options' attempt) is
                # over the home screen by now.
                app.resuming.show(learner, offers, offer_exam=app.screen is app.home)

            app.resuming.look_up(learner, found)

    def _ask_due(self) -> None:
        """Count the named learner's questions due (once the store is open)."""
        app = self._app
        learner, store, course = self.named, app.store, app.course
        if not learner or store is None or course is None:
            return
        now = app.clock.now()

        def count() -> None:  # on the store thread
            due: int | None
            try:
                if store.cards_to_rebuild(learner):
                    store.rebuild_cards(learner=learner)  # the learner's only: others wait
                due = sum(c.due_now for c in store.due_counts(learner, now=now, course=course.id))
            except Exception:  # a count is a courtesy: the drill itself reports problems
                due = None
            app.post_message(app.DueCounted(learner, due))  # thread-safe

        app.services.store.submit(count)

    def _ask_passes(self) -> None:
        """Find the named learner's last pass of each preset with a validity."""
        from quiz.ui.passes import pass_line, valid_presets

        app = self._app
        learner, store, course = self.named, app.store, app.course
        if not learner or store is None or course is None:
            return
        presets, now = valid_presets(course), app.clock.now()

        def find() -> None:  # on the store thread
            try:
                found = store.learner_passes(learner, presets, now) if presets else ()
            except Exception:  # a courtesy, as the count of questions due
                found = ()
            lines = [(pass_line(p), p.expired) for p in found]
            app.post_message(app.PassesFound(learner, lines))

        app.services.store.submit(find)
