"""What My scores and All staff share: the store they read, off the event loop, and Esc.

The screens are given the store the app holds and use only its reading part
(quiz.storage.reader.ScoreReader), never a module of the store that loads sqlite3
(the rule in quiz.storage). The store is read in a thread worker, through the app's
store thread (so an attempt just finished is saved before it is read); the results
come back with `call_from_thread`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.widgets import Static

from quiz.domain.model import Course
from quiz.errors import QuizError
from quiz.storage.reader import ScoreReader
from quiz.ui.literal import literal
from quiz.ui.screens.base import QuizScreen

T = TypeVar("T")

LOADING = "Loading…"


class ScoresScreen(QuizScreen[None]):
    """A screen of scores: the store, reading it off the event loop, Esc."""

    CSS_PATH = "scores.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", key_display="Esc"),
    ]

    def __init__(self, store: object | None, course: Course | None) -> None:
        super().__init__()
        self.store = store
        """The app's store; read only as a ScoreReader (None: not open yet)."""
        self.course = course
        self.loaded = False
        """Set once the first results (or a problem) are shown."""

    def topbar(self, title: str) -> ComposeResult:
        """The title bar: `title`, and the course's."""
        if self.course is not None:
            title += f" · {self.course.title}"
        with Horizontal(id="topbar"):
            yield Static(literal(title), id="top-title", markup=False)

    def section_title(self, course_id: str, section: str) -> str:
        if self.course is not None and self.course.id == course_id:
            return self.course.section_title(section)
        return section

    def status(self, text: str, *, problem: bool = False) -> None:
        line = self.query_one("#scores-status", Static)
        line.update(literal(text))
        line.set_class(problem, "problem")

    def read(self, job: Callable[[ScoreReader], T], done: Callable[[T], None]) -> None:
        """Run `job(store)` in a thread; `done(result)` on the event loop."""
        store = self.store
        if store is None:
            self.status("The score store is not open yet: try again in a moment.", problem=True)
            return
        if not isinstance(store, ScoreReader):
            self.status("This score store cannot show scores.", problem=True)
            return
        self._read(store, job, done)

    @work(thread=True, group="scores")
    def _read(
        self, store: ScoreReader, job: Callable[[ScoreReader], T], done: Callable[[T], None]
    ) -> None:
        try:
            result = self.quiz_app.store_thread.call(job, store)
        except Exception as error:  # a StoreError, or the store thread gone: say so
            if isinstance(error, QuizError):
                message = error.message
            else:
                message = str(error) or type(error).__name__
            self._back_on_the_loop(self._failed, message)
            return
        self._back_on_the_loop(done, result)

    def _back_on_the_loop(self, callback: Callable[[T], None], value: T) -> None:
        try:
            self.app.call_from_thread(callback, value)
        except RuntimeError:
            pass  # the app closed while the store was being read: nothing to show

    def _failed(self, message: str) -> None:
        self.loaded = True
        self.status(f"The scores could not be read: {message}", problem=True)

    def action_back(self) -> None:
        self.app.pop_screen()
