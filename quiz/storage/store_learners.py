"""ScoreStore's part for the manager's report (quiz.storage.reports, .recertification)
and the learners (quiz.storage.learners: listed, renamed, forgotten with their
tombstones); see quiz.storage.store_core."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from quiz.storage import liveness, outbox
from quiz.storage.codec import from_ms
from quiz.storage.store_core import StoreCore

if TYPE_CHECKING:  # imported by the methods that use them: the app never needs them
    from quiz.storage import learners, reports
    from quiz.storage.report_model import PassValidity, RecertificationDue, ValidPreset


class ReportsAndLearners(StoreCore):
    """The report, recertification, trends; learners listed, renamed and forgotten."""

    # --- reports and learners (quiz.storage.reports, quiz.storage.learners) ----------

    def report(self, report_filter: reports.ReportFilter | None = None) -> reports.Report:
        """The manager's report: staff by section, questions, sections."""
        from quiz.storage import reports

        with self._reading("making the report") as connection, reports.snapshot(connection):
            return reports.build_report(connection, report_filter or reports.ReportFilter())

    def recertification_due(
        self, presets: Sequence[ValidPreset], now: datetime, learner: str | None = None
    ) -> tuple[RecertificationDue, ...]:
        """Who is due for recertification at `now` in each of `presets` (see
        quiz.storage.recertification)."""
        from quiz.storage import recertification, reports

        with self._reading("making the report") as connection, reports.snapshot(connection):
            return recertification.due_for_recertification(connection, presets, now, learner)

    def learner_passes(
        self, learner: str, presets: Sequence[ValidPreset], now: datetime
    ) -> tuple[PassValidity, ...]:
        """`learner`'s last pass of each of `presets`, and until when it holds."""
        from quiz.storage import recertification, reports

        with self._reading("reading the scores") as connection, reports.snapshot(connection):
            return recertification.learner_passes(connection, presets, learner, now)

    def section_trends(
        self, learner: str, course: str | None = None
    ) -> tuple[reports.SectionTrend, ...]:
        """A learner's percent in each section, attempt by attempt."""
        from quiz.storage import reports

        with self._reading("reading the scores") as connection, reports.snapshot(connection):
            return reports.section_trends(connection, learner, course)

    def list_learners(self) -> list[learners.LearnerInfo]:
        from quiz.storage import learners, reports

        with self._reading("listing learners") as connection, reports.snapshot(connection):
            return learners.list_learners(connection)

    def rename_learner(self, old: str, new: str) -> learners.RenameOutcome:
        """Rename OLD, or merge OLD into NEW when NEW is another learner (by learner_key).
        Raises learners.LearnerProblem (UnknownLearner) or StoreError."""
        from quiz.storage import learners

        with self._writing("renaming a learner") as connection:
            return learners.rename_learner(connection, old, new)

    def forget_plan(self, name: str) -> learners.ForgetPlan:
        """What forgetting `name` would delete. Raises learners.UnknownLearner."""
        from quiz.storage import learners, reports

        with self._reading("reading a learner") as connection, reports.snapshot(connection):
            return learners.forget_plan(connection, name)

    def forget_learner(self, plan: learners.ForgetPlan) -> learners.ForgetPlan:
        """Delete the learner of `plan` with every attempt and answer of theirs; deleted
        pages are overwritten (secure_delete) and the write-ahead log emptied."""
        from quiz.storage import learners

        with (
            self._reading("forgetting a learner") as connection,
            learners.pages_overwritten(connection),
            self._writing("forgetting a learner") as writing,
        ):
            clinics = learners.clinics_of(writing, plan.learner_id)
            forgotten = learners.forget_learner(writing, plan)
            self._add_tombstones(writing, plan.key, {*clinics, self.clinic})
            return forgotten

    def _add_tombstones(
        self, connection: sqlite3.Connection, key: str, clinics: Iterable[str | None]
    ) -> None:
        """A tombstone for a forgotten learner at each clinic they are known at here
        (their attempts' clinics and this terminal's): sync carries it to the central
        store, and import refuses their attempts from then on."""
        day = from_ms(liveness.now_ms()).strftime("%Y-%m-%d")
        for clinic in sorted(c for c in clinics if c):
            outbox.add_tombstone(connection, outbox.tombstone_hash(clinic, key), day)
