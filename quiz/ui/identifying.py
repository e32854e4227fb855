"""Who sits it: the PIN dialogs before anything starts, and before a learner's own
scores or the All staff screen (issue 18; the rules: quiz.domain.identity).

Before an attempt starts under a name, the store is asked (on its thread) whether the
name has a PIN and whether there are managers. A witnessed preset then asks for a
manager's name and PIN (refused when there is no manager); a name with a PIN asks for
it; a name without one, where the store has managers (the clinic uses PINs), is offered
one, once an app session (Esc goes on without). What was proven is handed on as an
`Identification`, which the attempt records. Nothing starts when a dialog is cancelled.

A store without the PIN methods (the app's test fakes) identifies no one: 'typed'.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import TYPE_CHECKING, Literal, Protocol, runtime_checkable

from quiz.domain.identity import Identification, PinCheck
from quiz.domain.text import learner_key

if TYPE_CHECKING:
    from quiz.ui.app import QuizApp

NO_MANAGER = (
    "This exam must be witnessed by a manager, and there is no manager yet. A manager is "
    "added with `quiz managers add NAME` on this computer."
)


@runtime_checkable
class IdentityStore(Protocol):
    """The part of ScoreStore that keeps PINs (quiz.storage.pins)."""

    def learner_has_pin(self, name: str) -> bool: ...

    def check_learner_pin(self, name: str, pin: str, *, now: datetime) -> PinCheck: ...

    def set_learner_pin(
        self, name: str, pin: str, *, by: Literal["learner", "manager"], now: datetime
    ) -> None: ...

    def has_managers(self) -> bool: ...

    def check_manager_pin(self, name: str, pin: str, *, now: datetime) -> PinCheck: ...


class Identifying:
    """The app's PIN steps (made when first needed)."""

    def __init__(self, app: QuizApp) -> None:
        self._app = app
        self._offered: set[str] = set()
        """Learner keys offered a new PIN in this app session (offered once)."""

    def _store(self) -> IdentityStore | None:
        store = self._app.store
        return store if isinstance(store, IdentityStore) else None

    def _ask(
        self, work: Callable[[IdentityStore], tuple[bool, bool]], then: Callable[[bool, bool], None]
    ) -> None:
        """Run `work` on the store thread (from a worker), then `then(*result)` here.
        Keys that arrive meanwhile wait for what `then` opens (a PIN typed just after
        Enter goes into the PIN dialog)."""
        app, store = self._app, self._store()
        assert store is not None
        release = app.key_order.hold()

        def done(*found: bool) -> None:
            try:
                then(*found)
            finally:
                release()

        def failed(message: str) -> None:
            release()
            app.notify(
                f"Could not check who you are: {message}",
                severity="error",
                markup=False,
                timeout=10,
            )

        def run() -> None:
            try:
                found = app.store_thread.call(work, store)
            except Exception as error:  # the store's errors say what to do
                app.call_from_thread(failed, getattr(error, "message", None) or str(error))
                return
            app.call_from_thread(done, *found)

        app.run_worker(run, thread=True, group="identify")

    # --- before an attempt ---------------------------------------------------------------

    def before_attempt(
        self, learner: str, *, witness: bool, then: Callable[[Identification, bool], None]
    ) -> None:
        """Identify `learner` for an attempt (a witnessed one with `witness`), then call
        `then(identification, asked)`: `asked` is whether a dialog was shown (the
        attempt's clock then starts again). Nothing is called when a dialog is
        cancelled or a witness is missing."""
        if self._store() is None:
            then(Identification.TYPED, False)
            return

        def look(store: IdentityStore) -> tuple[bool, bool]:
            return store.learner_has_pin(learner), store.has_managers()

        def found(has_pin: bool, managers: bool) -> None:
            if witness and not managers:
                self._app.notify(NO_MANAGER, severity="error", markup=False, timeout=15)
                return
            steps: list[Callable[[Callable[[], None]], None]] = []
            if witness:
                steps.append(self._witness)
            if has_pin:
                steps.append(lambda go: self._learner_pin(learner, "start", go))
            elif managers and learner_key(learner) not in self._offered:
                steps.append(lambda go: self._offer_pin(learner, go))
            if witness:
                identified = Identification.WITNESSED
            elif has_pin:
                identified = Identification.PIN
            else:
                identified = Identification.TYPED
            self._run(steps, lambda: then(identified, bool(steps)))

        self._ask(look, found)

    def _run(
        self, steps: list[Callable[[Callable[[], None]], None]], done: Callable[[], None]
    ) -> None:
        if not steps:
            done()
            return
        first, rest = steps[0], steps[1:]
        first(lambda: self._run(rest, done))

    def _witness(self, go: Callable[[], None]) -> None:
        self._manager_dialog(
            "A manager must witness this exam",
            "The exam starts once a manager has typed their name and PIN here.",
            go,
        )

    def _manager_dialog(self, title: str, detail: str, go: Callable[[], None]) -> None:
        from quiz.ui.screens.pin_dialogs import ManagerPinDialog

        app = self._app
        store = self._store()
        assert store is not None

        def check(name: str, pin: str) -> PinCheck:  # on the store thread
            return store.check_manager_pin(name, pin, now=app.clock.now())

        def closed(ok: bool | None) -> None:
            if ok:
                go()

        app.push_screen(ManagerPinDialog(title, detail, check), closed)

    def _learner_pin(self, learner: str, purpose: str, go: Callable[[], None]) -> None:
        from quiz.ui.screens.pin_dialogs import LearnerPinDialog

        app = self._app
        store = self._store()
        assert store is not None

        def check(name: str, pin: str) -> PinCheck:  # on the store thread
            return store.check_learner_pin(name, pin, now=app.clock.now())

        def closed(ok: bool | None) -> None:
            if ok:
                go()

        app.push_screen(LearnerPinDialog(learner, purpose, check), closed)

    def _offer_pin(self, learner: str, go: Callable[[], None]) -> None:
        from quiz.ui.screens.pin_dialogs import NewPinDialog

        app = self._app
        store = self._store()
        assert store is not None
        self._offered.add(learner_key(learner))

        def keep(pin: str) -> None:  # on the store thread
            store.set_learner_pin(learner, pin, by="learner", now=app.clock.now())

        def closed(kept: bool | None) -> None:
            if kept:
                app.notify(
                    "Your PIN is set: it is asked for before anything starts under your name.",
                    markup=False,
                )
            go()  # set or skipped: this attempt goes on (a new PIN proves nothing yet)

        app.push_screen(NewPinDialog(learner, keep), closed)

    # --- before the scores screens -------------------------------------------------------

    def before_own_scores(self, learner: str, then: Callable[[], None]) -> None:
        """A learner's own scores: her PIN first, when she has one."""
        self.with_own_pin(learner, "see your scores", then)

    def with_own_pin(self, learner: str, purpose: str, then: Callable[[], None]) -> None:
        """Call `then` once `learner` has typed her PIN (at once if she has none):
        before her scores, or before giving up her paused exam."""
        if self._store() is None:
            then()
            return

        def look(store: IdentityStore) -> tuple[bool, bool]:
            return store.learner_has_pin(learner), False

        def found(has_pin: bool, _managers: bool) -> None:
            if has_pin:
                self._learner_pin(learner, purpose, then)
            else:
                then()

        self._ask(look, found)

    def before_all_staff(self, then: Callable[[], None]) -> None:
        """Everyone's scores: a manager's name and PIN first, when there are managers."""
        if self._store() is None:
            then()
            return

        def look(store: IdentityStore) -> tuple[bool, bool]:
            return False, store.has_managers()

        def found(_has_pin: bool, managers: bool) -> None:
            if managers:
                self._manager_dialog(
                    "All staff: managers only",
                    "Everyone's scores are for the clinic's managers: type your name and PIN.",
                    then,
                )
            else:
                then()

        self._ask(look, found)
