"""What the app is given to work with: the score store, the courses, the clock, where
settings live, and what it may tell its process. `make_app` builds them.

None of them imports Textual, sqlite3 or YAML: the store module and the course loader
are imported by the functions that open and load them, in threads, after the first
frame.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeVar

from quiz.domain.clock import Clock
from quiz.ui.peek import peek_title
from quiz.ui.saving import ScoreStoreLike, StoreThread

if TYPE_CHECKING:
    from quiz.domain.model import CourseLoad
    from quiz.settings import CentralConfig

T = TypeVar("T")

StoreOpener = Callable[[], ScoreStoreLike]
"""Opens the score store (raises quiz.errors.StoreError)."""
SetAside = Callable[[Path], list[Path]]
"""Renames a damaged store file (and its -wal and -shm files); gives the new paths."""


class StoreGateway:
    """The score store as the app reaches it: opened, set aside, used and closed on its
    one thread (`StoreThread`). Every problem is a `quiz.errors.StoreError`."""

    def __init__(
        self,
        open_store: StoreOpener | None,
        *,
        set_aside: SetAside | None = None,
        thread: StoreThread | None = None,
        store: ScoreStoreLike | None = None,
    ) -> None:
        self._open_store = open_store
        self._set_aside = set_aside
        self.thread = thread or StoreThread()
        """The one thread that calls the store."""
        self.store = store
        """The open store; None until `open` has succeeded."""

    @classmethod
    def for_file(cls, path: Path, central: CentralConfig | None = None) -> StoreGateway:
        """The store at `path` (quiz.storage), opened when the app asks; with a
        `central` store configured, it marks the attempts it changes to be sent there
        and records the clinic on each."""

        def open_store() -> ScoreStoreLike:
            from quiz.storage.scores import ScoreStore

            store: ScoreStoreLike = ScoreStore.open(
                path,
                outbox=central is not None,
                clinic=central.clinic if central is not None else None,
            )
            return store

        def set_aside(damaged: Path) -> list[Path]:
            from quiz.storage.scores import set_aside

            return set_aside(damaged)

        return cls(open_store, set_aside=set_aside)

    @property
    def can_open(self) -> bool:
        return self.store is None and self._open_store is not None

    def open(self) -> ScoreStoreLike:
        """Open the store on its thread and wait (call from a worker thread)."""
        assert self._open_store is not None
        self.store = self.thread.call(self._open_store)
        return self.store

    def set_aside_and_reopen(self, path: Path) -> list[Path]:
        """Move the damaged file at `path` aside and open a new, empty store there; the
        paths the files were moved to (call from a worker thread)."""
        assert self._set_aside is not None
        moved = self.thread.call(self._set_aside, path)
        self.open()
        return moved

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        """Run `function` on the store thread, after what was asked before it."""
        return self.thread.submit(function, *args)

    def close(self, *, timeout: float, wait: bool = True) -> None:
        """Close the store (if open) and end its thread; `wait` for what is queued."""
        store = self.store
        if store is not None:
            with contextlib.suppress(Exception):  # closing is best effort on the way out
                self.thread.call(store.close, timeout=timeout)
        self.thread.shutdown(wait=wait)


class CourseSource:
    """The courses `--questions` names: loaded in a thread after the first frame (or
    given already loaded, as tests do), from the course cache in `cache_dir` where it
    is up to date (quiz.domain.course_cache)."""

    def __init__(
        self,
        folder: Path,
        *,
        loader: Callable[[Path], list[CourseLoad]] | None = None,
        loaded: Sequence[CourseLoad] | None = None,
        cache_dir: Path | None = None,
    ) -> None:
        self.folder = folder
        self._loader = loader
        self._cache_dir = cache_dir
        self.loaded = tuple(loaded) if loaded is not None else None
        """The courses, when they were loaded before the app was built."""

    def peek_title(self) -> str | None:
        """The course's title read without YAML, for the first frame (one course only)."""
        return peek_title(self.folder) if self.loaded is None else None

    def load(self) -> list[CourseLoad]:
        """Load every course of the folder (slow: call from a worker thread)."""
        if self._loader is not None:
            return self._loader(self.folder)
        if self._cache_dir is not None:
            from quiz.domain.course_cache import load_courses_cached

            return load_courses_cached(self.folder, self._cache_dir)
        from quiz.domain.loader import load_courses

        return load_courses(self.folder)


class ProcessHooks:
    """What the app tells the process it runs in. These do nothing: `run_app` gives
    hooks that tune the process (signals, the garbage collector, thread switching)."""

    def app_started(self, on_signal: Callable[[int], None]) -> None:
        """The app's event loop runs: `on_signal(signum)` should handle SIGHUP/SIGTERM."""

    def course_shown(self) -> None:
        """The first course is on screen: start-up is over."""


class Services(NamedTuple):
    """Everything the app works with that is not Textual's (see `make_app`). A
    NamedTuple, as the other records made before the first frame are (quiz.settings)."""

    store: StoreGateway
    courses: CourseSource
    clock: Clock
    settings_path: Path | None = None
    """Where settings live (None: `paths.settings_path()`)."""
    process: ProcessHooks = ProcessHooks()  # it keeps nothing: one serves every app
    central: CentralConfig | None = None
    """The central store this terminal sends to (None: none; nothing is sent)."""
