"""The tables of the manager's report, as `quiz report` prints them (table, CSV, JSON)
and the All-staff screen shows them: one spec each (quiz.tables.columns).

The specs are in the modules of this package, by what their rows are: `staff` (a row
per learner: staff by section, latest exam and weak sections, drill activity),
`questions` (questions, their wrong choices, leeches), `sections` (section pass
shares) and `passes` (due for recertification, passes on a typed name only); `view` is
the report as they all see it. This module is their public face, and the one home of
which tables each format writes.

CSV writes the tables of CSV_TABLES in that order; JSON holds those of JSON_TABLES
under their keys, with a learner's sections and a question's wrong choices nested
(`Child`). The printed report and the screen show each column's `table` and `screen`.
"""

from __future__ import annotations

from typing import Any

from quiz.tables.columns import Table
from quiz.tables.report.passes import (
    RECERTIFICATION,
    UNVERIFIED,
    RecertificationRow,
    UnverifiedRow,
)
from quiz.tables.report.questions import (
    LEECHES,
    QUESTIONS,
    WRONG_CHOICES,
    LeechRow,
    QuestionRow,
    WrongChoiceRow,
)
from quiz.tables.report.sections import SECTIONS, SECTIONS_NOTE, ShareRow
from quiz.tables.report.staff import (
    DRILL,
    STAFF,
    STAFF_SECTIONS,
    DrillRow,
    StaffRow,
    StaffSectionRow,
)
from quiz.tables.report.view import ReportView, SectionLabel, exam_outcome, report_scope

__all__ = [
    "CSV_TABLES",
    "DRILL",
    "JSON_TABLES",
    "LEECHES",
    "QUESTIONS",
    "RECERTIFICATION",
    "SECTIONS",
    "SECTIONS_NOTE",
    "STAFF",
    "STAFF_SECTIONS",
    "UNVERIFIED",
    "WRONG_CHOICES",
    "DrillRow",
    "LeechRow",
    "QuestionRow",
    "RecertificationRow",
    "ReportView",
    "SectionLabel",
    "ShareRow",
    "StaffRow",
    "StaffSectionRow",
    "UnverifiedRow",
    "WrongChoiceRow",
    "exam_outcome",
    "report_scope",
]

CSV_TABLES: tuple[Table[ReportView, Any], ...] = (
    STAFF_SECTIONS,
    STAFF,
    QUESTIONS,
    WRONG_CHOICES,
    SECTIONS,
    DRILL,
    LEECHES,
    RECERTIFICATION,
    UNVERIFIED,
)
"""The tables of `quiz report --format csv`, in the order written."""
JSON_TABLES: tuple[tuple[str, Table[ReportView, Any]], ...] = (
    ("staff", STAFF),
    ("questions", QUESTIONS),
    ("sections", SECTIONS),
    ("drill", DRILL),
    ("leeches", LEECHES),
    ("recertification", RECERTIFICATION),
    ("unverified_passes", UNVERIFIED),
)
"""The tables of `quiz report --format json`, under their keys (the others nested)."""
