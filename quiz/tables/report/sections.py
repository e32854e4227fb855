"""The report's table of sections (one spec, quiz.tables.columns): the share of staff at
or above the pass mark on their latest attempt at each section.
"""

from __future__ import annotations

from dataclasses import dataclass

from quiz.storage.report_model import SectionShare
from quiz.tables.columns import Column, Shown, Table, percent_column
from quiz.tables.report.view import ReportView

SECTIONS_NOTE = (
    "staff: learners with a counted attempt at the section; at or above: of them, those "
    "at or above the pass mark on their latest attempt at it."
)
"""What the table's columns mean, as the printed report and the HTML page say it."""

# --- sections ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ShareRow:
    view: ReportView
    share: SectionShare


SECTIONS: Table[ReportView, ShareRow] = Table(
    name="sections",
    title="Sections",
    rows=lambda view: [ShareRow(view, share) for share in view.report.sections],
    columns=(
        Column("course", value=lambda r: r.share.course),
        Column(
            "section",
            value=lambda r: r.share.section,
            text=lambda r: r.view.label(r.share.course, r.share.section),
            table=Shown("section", 40),
            screen=Shown("Section", 36),
        ),
        Column(
            "staff",
            value=lambda r: r.share.staff,
            table=Shown("staff", 6, right=True),
            screen=Shown("Staff", 5, right=True),
        ),
        Column(
            "at_or_above",
            value=lambda r: r.share.at_or_above,
            table=Shown("at or above", 12, right=True),
            screen=Shown("At or above pass mark", 21, right=True),
        ),
        percent_column(
            "share",
            lambda r: r.share.share,
            table=Shown("share", 6, right=True),
            screen=Shown("Share", 5, right=True),
        ),
    ),
)
