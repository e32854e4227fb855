"""What every quiz screen shares: its app, and no keys while the window is too small."""

from __future__ import annotations

from typing import TYPE_CHECKING, Generic, TypeVar, cast

from textual.screen import ModalScreen, Screen

from quiz.ui.window import TOO_SMALL

if TYPE_CHECKING:
    from quiz.ui.app import QuizApp

ResultType = TypeVar("ResultType")


class QuizScreen(Screen[ResultType], Generic[ResultType]):
    """A full screen of the quiz app."""

    @property
    def quiz_app(self) -> QuizApp:
        return cast("QuizApp", self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # While the window is too small only the "make it larger" notice shows: keys
        # must not answer questions the learner cannot see.
        if self.app.has_class(TOO_SMALL):
            return False
        return self.allows(action, parameters)

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Which of this screen's actions are enabled (see `DOMNode.check_action`)."""
        return True


class QuizDialog(ModalScreen[ResultType], Generic[ResultType]):
    """A dialog over another screen."""

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        return not self.app.has_class(TOO_SMALL)
