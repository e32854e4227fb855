"""What My scores and All staff share: the store they read, off the event loop, and Esc.

The screens are given the store the app holds and use only its reading part
(quiz.storage.reader.ScoreReader) and the drill's cards (quiz.ui.saving.ScoreStoreLike),
never a module of the store that loads sqlite3 (the rule in quiz.storage). The store
is read in a thread worker, through the app's store thread (so an attempt just
finished is saved before it is read); the results come back with `call_from_thread`.

Before the cards are read, those waiting to be made again from the answer log (after
the upgrade that added them, a change of the scheduler settings, an import) are made,
on the store thread too, a few learners per transaction; the screen says "Preparing
the drill schedule…" meanwhile, with the progress the store reports.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import ClassVar, TypeVar

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Static

from quiz.domain.model import Course
from quiz.errors import StoreError
from quiz.storage.card_model import RebuildProgress
from quiz.storage.reader import ScoreReader
from quiz.ui.literal import literal
from quiz.ui.saving import ScoreStoreLike, error_message
from quiz.ui.screens.base import QuizScreen

T = TypeVar("T")

LOADING = "Loading…"
PREPARING = "Preparing the drill schedule…"


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
        """Set once everything the screen reads (or a problem) is shown."""
        self.cards_read = False
        """Set once the drill's cards (or a problem with them) are back from the store."""

    class Preparing(Message):
        """Cards are being made again from the answer log (posted from the store thread):
        `progress` is None as it starts, then how far it has got after each batch."""

        def __init__(self, progress: RebuildProgress | None) -> None:
            super().__init__()
            self.progress = progress

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

    def now(self) -> datetime:
        """The app's clock, in the UTC the drill's scheduler insists on."""
        return self.quiz_app.clock.now().astimezone(UTC)

    def read(
        self,
        job: Callable[[ScoreReader], T],
        done: Callable[[T], None],
        failed: Callable[[str], None] | None = None,
    ) -> None:
        """Run `job(store)` in a thread; `done(result)` on the event loop (or `failed`
        with what went wrong; by default the status line says it)."""
        store = self.store
        if store is None:
            self.status("The score store is not open yet: try again in a moment.", problem=True)
            return
        if not isinstance(store, ScoreReader):
            self.status("This score store cannot show scores.", problem=True)
            return
        self._read(lambda: job(store), done, failed or self._failed)

    def read_cards(
        self,
        job: Callable[[ScoreStoreLike], T],
        done: Callable[[T], None],
        failed: Callable[[str], None],
    ) -> None:
        """Like `read`, for the drill's cards: `job(store)` once the cards waiting to be
        made again are made (the screen gets `Preparing` messages meanwhile)."""
        store = self.store
        if not isinstance(store, ScoreStoreLike):
            failed("this score store keeps no drill schedule")
            return

        def with_cards() -> T:
            if store.cards_to_rebuild() > 0:
                self._note(None)
                try:
                    store.rebuild_cards(self._note)
                except StoreError as error:
                    if error.kind != "readonly":
                        raise
                    # A store that can only be read keeps its cards as they are.
            return job(store)

        def read(result: T) -> None:
            self.cards_read = True
            done(result)

        def not_read(message: str) -> None:
            self.cards_read = True
            failed(message)

        self._read(with_cards, read, not_read)

    def _note(self, progress: RebuildProgress | None) -> None:
        """On the store thread: tell the screen how the rebuild goes (never stop it)."""
        try:
            self.post_message(self.Preparing(progress))
        except Exception:  # the screen is gone: nobody to tell
            pass

    def on_scores_screen_preparing(self, message: Preparing) -> None:
        # A note of progress can arrive after the cards it was about: then it is old news.
        if not self.cards_read:
            self.preparing(self.preparing_text(message.progress))

    def preparing(self, text: str) -> None:
        """Show how the making of the cards goes (each screen where it shows them)."""

    @staticmethod
    def preparing_text(progress: RebuildProgress | None) -> str:
        """The line shown while the cards are made: PREPARING, with how far it has got."""
        if progress is None or not progress.learners_total:
            return PREPARING
        return (
            f"{PREPARING} {progress.learners_done} of {progress.learners_total} learners, "
            f"{progress.reviews} answers replayed."
        )

    @work(thread=True, group="scores")
    def _read(
        self, job: Callable[[], T], done: Callable[[T], None], failed: Callable[[str], None]
    ) -> None:
        try:
            result = self.quiz_app.store_thread.call(job)
        except Exception as error:  # a StoreError, or the store thread gone: say so
            self._back_on_the_loop(failed, error_message(error))
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
