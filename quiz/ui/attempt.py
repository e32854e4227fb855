"""An attempt in progress in the app: the session, who is taking it, and how it is saved."""

from __future__ import annotations

from concurrent.futures import Future
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from quiz.ui.saving import AttemptSaver

if TYPE_CHECKING:
    from quiz.domain.records import AnswerRecord, AttemptResult, AttemptStatus, Response
    from quiz.domain.session import QuizSession


@dataclass
class Attempt:
    """One attempt: screens answer through it so the session and the store stay in step."""

    session: QuizSession
    learner: str
    saver: AttemptSaver
    preset_title: str | None = None
    saved: Future[str | None] | None = field(default=None)
    """The result being written, once the attempt has ended (gives an error message or None)."""

    @property
    def is_exam(self) -> bool:
        return self.session.mode == "exam"  # a StrEnum

    @property
    def active(self) -> bool:
        return not self.session.finished

    @property
    def title(self) -> str:
        if self.preset_title:
            return self.preset_title
        return "Exam" if self.is_exam else "Practice"

    def answer(self, position: int, response: Response) -> AnswerRecord:
        """Grade an answer, keep it, and queue it for the store (raises like `session.answer`)."""
        record = self.session.answer(position, response)
        self.saver.save_answer(record)
        return record

    def clear(self, position: int) -> None:
        """Take back an exam answer (all choices turned off)."""
        record = self.session.clear_answer(position)
        if record is not None:
            self.saver.save_answer(record)

    def finish(self, status: AttemptStatus | None = None) -> AttemptResult:
        """End the attempt (once) and start writing its result."""
        first = not self.session.finished
        result = self.session.finish(status)
        if first or self.saved is None:
            self.saved = self.saver.finish(result)
        return result

    def save_again(self) -> Future[str | None]:
        """Try once more to write the result (after a failure)."""
        assert self.session.result is not None
        self.saved = self.saver.finish(self.session.result)
        return self.saved
