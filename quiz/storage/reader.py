"""ScoreReader: what showing scores needs of a store; nothing that writes.

The app's scores screens are given the store the app holds (a `ScoreStore`, or a
test's fake) and read it only through this protocol, on the app's store thread. Like
the modules it names (quiz.storage.attempts, quiz.storage.report_model), it imports
no sqlite3: see the rule in quiz.storage.
"""

from __future__ import annotations

from datetime import date
from typing import Protocol, runtime_checkable

from quiz.storage.attempts import AttemptDetail, AttemptSummary
from quiz.storage.report_model import Report, ReportFilter, SectionTrend


@runtime_checkable
class ScoreReader(Protocol):
    """The reading part of `quiz.storage.scores.ScoreStore`."""

    def list_attempts(
        self,
        *,
        learner: str | None = None,
        since: date | None = None,
        course: str | None = None,
    ) -> list[AttemptSummary]: ...

    def get_attempt(self, attempt_id: str) -> AttemptDetail | None: ...

    def report(self, report_filter: ReportFilter | None = None) -> Report: ...

    def section_trends(
        self, learner: str, course: str | None = None
    ) -> tuple[SectionTrend, ...]: ...
