"""The report's tables of exam passes (one spec each, quiz.tables.columns): who is due
for recertification (a last pass expired, or never passed), and the passes that rest
on a name typed on trust (no PIN, no witness).
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.storage.report_model import RecertificationDue, UnverifiedPass
from quiz.tables.columns import REST, Column, Shown, Table
from quiz.tables.formats import local_minute, percent_text, rounded, utc_text
from quiz.tables.report.view import ReportView

# --- due for recertification -----------------------------------------------------------


@dataclass(frozen=True)
class RecertificationRow:
    view: ReportView
    due: RecertificationDue

    @property
    def status(self) -> str:
        """What is due: "expired on 2027-03-03" or "never passed"."""
        if self.due.expired_on is None:
            return "never passed"
        return f"expired on {self.due.expired_on.isoformat()}"


RECERTIFICATION: Table[ReportView, RecertificationRow] = Table(
    name="recertification",
    title="Due for recertification",
    rows=lambda view: [RecertificationRow(view, due) for due in view.report.recertification],
    columns=(
        Column("course", value=lambda r: r.due.preset.course),
        Column("exam", value=lambda r: r.due.preset.exam),
        Column("exam_title", value=lambda r: r.due.preset.title, table=Shown("exam", 22)),
        Column("valid_for", value=lambda r: r.due.preset.validity.text()),
        Column("learner", value=lambda r: r.due.learner, table=Shown("learner", 22)),
        Column(
            "last_passed_at",
            value=lambda r: None if r.due.passed_at is None else utc_text(r.due.passed_at),
            text=lambda r: "" if r.due.passed_on is None else r.due.passed_on.isoformat(),
            table=Shown("last pass", 10),
        ),
        Column(
            "expired_on",
            value=lambda r: None if r.due.expired_on is None else r.due.expired_on.isoformat(),
            text=lambda r: r.status,
            table=Shown("due", REST),
        ),
    ),
)


# --- unverified passes ------------------------------------------------------------------


@dataclass(frozen=True)
class UnverifiedRow:
    view: ReportView
    unverified: UnverifiedPass


UNVERIFIED: Table[ReportView, UnverifiedRow] = Table(
    name="unverified_passes",
    title="Exam passes on a typed name only",
    rows=lambda view: [UnverifiedRow(view, u) for u in view.report.unverified_passes],
    columns=(
        Column(
            "attempt_id",
            value=lambda r: r.unverified.attempt_id,
            table=Shown("id", 8, text=lambda r: r.unverified.attempt_id[:8]),
        ),
        Column("learner", value=lambda r: r.unverified.learner, table=Shown("learner", REST)),
        Column("course", value=lambda r: r.unverified.course),
        Column("exam", value=lambda r: r.unverified.exam, table=Shown("exam", 22)),
        Column(
            "started_at",
            value=lambda r: utc_text(r.unverified.started_at),
            text=lambda r: local_minute(r.unverified.started_at),
            table=Shown("started", 16),
        ),
        Column(
            "percent",
            value=lambda r: rounded(r.unverified.percent),
            text=lambda r: percent_text(r.unverified.percent),
            table=Shown("score", 5, right=True),
        ),
    ),
)
