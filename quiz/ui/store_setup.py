"""Opening the score store in the background, and setting a damaged one aside.

The store is opened on its thread after the first frame. A damaged file (corrupt, or
not a database) is set aside only when the learner agrees; any other problem closes
the app with the store's message (exit 1).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from quiz.errors import ExitCode, StoreError, StoreErrorKind

if TYPE_CHECKING:
    from quiz.ui.app import QuizApp

DAMAGED_KINDS: frozenset[StoreErrorKind] = frozenset({"corrupt", "not_a_database"})
"""Store errors the learner may answer by setting the file aside (other kinds stop the app)."""


class StoreOpening:
    """Gets the app a usable score store, then calls `ready`."""

    def __init__(self, app: QuizApp, ready: Callable[[], None]) -> None:
        self._app = app
        self._gateway = app.services.store
        self._ready = ready
        self._started = False

    def start(self) -> None:
        """Open the store in a thread (once), unless it is open already."""
        if self._started or not self._gateway.can_open:
            return
        self._started = True
        self._app.run_worker(self._open, thread=True, group="store")

    def _open(self) -> None:  # in a worker thread
        try:
            self._gateway.open()
        except StoreError as error:
            self._app.call_from_thread(self._failed, error)
        else:
            self._app.call_from_thread(self._ready)

    def _failed(self, error: StoreError) -> None:
        if error.kind in DAMAGED_KINDS:
            self._offer_set_aside(error)
        else:
            self._app.fail_start(ExitCode.PROBLEM, [f"quiz: {error.message}"])

    def _offer_set_aside(self, error: StoreError) -> None:
        from quiz.ui.screens.dialogs import ConfirmDialog

        detail = (
            f"{error.message}\n\nSet it aside? The file (and its -wal and -shm files) will "
            f"be renamed, not deleted, and a new, empty score store started at "
            f"{error.path}. Answer No to quit and leave it as it is."
        )

        def answered(yes: bool | None) -> None:
            if not yes:
                lines = [f"quiz: {error.message}", "The file was left as it is."]
                self._app.fail_start(ExitCode.PROBLEM, lines)
                return
            self._app.run_worker(lambda: self._set_aside(error), thread=True, group="store")

        self._app.push_screen(
            ConfirmDialog("The score store cannot be read", detail, yes="Set aside", no="Quit"),
            answered,
        )

    def _set_aside(self, error: StoreError) -> None:  # in a worker thread
        try:
            moved = self._gateway.set_aside_and_reopen(error.path)
        except StoreError as failure:
            lines = [f"quiz: {failure.message}"]
            self._app.call_from_thread(self._app.fail_start, ExitCode.PROBLEM, lines)
            return
        where = ", ".join(str(path) for path in moved) or "(nothing to move)"
        self._app.call_from_thread(self._set_aside_done, where)

    def _set_aside_done(self, where: str) -> None:
        self._app.notify(f"The damaged score store was moved to: {where}", markup=False, timeout=15)
        self._ready()
