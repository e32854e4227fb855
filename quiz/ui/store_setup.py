"""Opening the score store in the background, and setting a damaged one aside.

The store is opened on its thread after the first frame. A damaged file (corrupt, or
not a database) is set aside only when the learner agrees; any other problem closes
the app with the store's message (exit 1).
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from textual import work

from quiz.ui.ending import EndingMixin

if TYPE_CHECKING:
    from quiz.launch import AppOptions
    from quiz.ui.saving import ScoreStoreLike

DAMAGED_KINDS = {"corrupt", "not_a_database"}
"""Store errors the learner may answer by setting the file aside (other kinds stop the app)."""
EXIT_PROBLEM = 1


class StoreSetupMixin(EndingMixin):
    """Gets the app a usable score store."""

    options: AppOptions
    damaged_store: Any
    _open_store: Callable[[], ScoreStoreLike] | None
    _reopen_store: Callable[[], ScoreStoreLike] | None
    _set_aside: Callable[[Path], list[Path]] | None

    def store_ready(self) -> None:
        """Called when the store is there: the app may start what it was asked to."""

    def open_store_if_needed(self) -> None:
        if self.store is None and self.damaged_store is None and self._open_store is not None:
            self._open_store_in_thread()

    @work(thread=True, group="store")
    def _open_store_in_thread(self) -> None:
        assert self._open_store is not None
        try:
            store = self.store_thread.call(self._open_store)
        except Exception as error:
            self.call_from_thread(self._store_failed, error)
        else:
            self.call_from_thread(self._store_opened, store)

    def _store_opened(self, store: ScoreStoreLike) -> None:
        self.store = store
        self.store_ready()

    def _store_failed(self, error: Exception) -> None:
        if getattr(error, "kind", None) in DAMAGED_KINDS:
            self.damaged_store = error
            self.offer_set_aside()
            return
        message = getattr(error, "message", None) or str(error)
        self.fail_start(EXIT_PROBLEM, [f"quiz: {message}"])

    def offer_set_aside(self) -> None:
        from quiz.ui.screens.dialogs import ConfirmDialog

        error = self.damaged_store
        path = getattr(error, "path", self.options.db_path)
        detail = (
            f"{getattr(error, 'message', error)}\n\nSet it aside? The file (and its -wal and "
            f"-shm files) will be renamed, not deleted, and a new, empty score store "
            f"started at {path}. Answer No to quit and leave it as it is."
        )
        self.push_screen(
            ConfirmDialog("The score store cannot be read", detail, yes="Set aside", no="Quit"),
            self._set_aside_answered,
        )

    def _set_aside_answered(self, yes: bool | None) -> None:
        if not yes:
            message = getattr(self.damaged_store, "message", str(self.damaged_store))
            self.fail_start(EXIT_PROBLEM, [f"quiz: {message}", "The file was left as it is."])
            return
        self._do_set_aside()

    @work(thread=True, group="store")
    def _do_set_aside(self) -> None:
        assert self._set_aside is not None and self._reopen_store is not None
        path = Path(getattr(self.damaged_store, "path", self.options.db_path))
        try:
            moved = self.store_thread.call(self._set_aside, path)
            store = self.store_thread.call(self._reopen_store)
        except Exception as error:
            message = getattr(error, "message", str(error))
            self.call_from_thread(self.fail_start, EXIT_PROBLEM, [f"quiz: {message}"])
            return
        self.call_from_thread(self._set_aside_done, store, moved)

    def _set_aside_done(self, store: ScoreStoreLike, moved: list[Path]) -> None:
        self.store = store
        self.damaged_store = None
        where = ", ".join(str(p) for p in moved) or "(nothing to move)"
        self.notify(f"The damaged score store was moved to: {where}", markup=False, timeout=15)
        self.store_ready()
