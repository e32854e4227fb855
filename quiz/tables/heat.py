"""The heat of a staff × section cell: the one home of its levels, thresholds, glyphs
and colours.

A cell is a learner's latest attempt at a section. Its level says how it went, and every
output shows the level three ways at once: a background colour (`Heat.colour`), the
percent, and a glyph, so it reads without colour (NO_COLOR, a black-and-white print).
Below the pass mark is the pass rule's "weak" (`SectionResult.weak`, the attempt's own
pass mark); `STRONG_PERCENT` and up is "strong"; between them, "pass". The HTML report
(quiz.tables.html_report) and the All staff screen both ask `heat_of`.
"""

from __future__ import annotations

from enum import Enum

from quiz.storage.report_model import LearnerReport, Report, SectionResult
from quiz.tables.formats import percent_text

STRONG_PERCENT = 90.0
"""At or above this (and at or above the pass mark), a cell is strong."""


class Heat(Enum):
    """A cell's level, with its glyph and its word."""

    WEAK = ("✗", "weak: below the pass mark", "#f4b6b0")
    PASS = ("✓", "at or above the pass mark", "#d6ecd2")
    STRONG = ("★", f"strong: {STRONG_PERCENT:.0f}% or more", "#8fcf8a")
    NONE = ("·", "not attempted", "")

    def __init__(self, glyph: str, meaning: str, colour: str) -> None:
        self.glyph = glyph
        self.meaning = meaning
        self.colour = colour  # the cell's background ("": none); its text is dark

    @property
    def css(self) -> str:
        """Its class name in the HTML report."""
        return self.name.lower()


def heat_of(result: SectionResult | None) -> Heat:
    """The level of a learner's latest attempt at a section (None: no attempt)."""
    if result is None:
        return Heat.NONE
    if result.weak:
        return Heat.WEAK
    if result.last_percent >= STRONG_PERCENT:
        return Heat.STRONG
    return Heat.PASS


def cell_text(result: SectionResult | None) -> str:
    """A cell as people read it: the glyph and the latest percent ("✗ 50%", "· —")."""
    heat = heat_of(result)
    return f"{heat.glyph} {percent_text(None if result is None else result.last_percent)}"


def heat_sections(report: Report) -> list[tuple[str, str]]:
    """The grid's columns: every (course, section) of the report, in the report's order."""
    found = [(s.course, s.section) for s in report.sections]
    for learner in report.learners:
        found += [(r.course, r.section) for r in learner.sections]
    return list(dict.fromkeys(found))


def heat_row(learner: LearnerReport, sections: list[tuple[str, str]]) -> list[SectionResult | None]:
    """A learner's cells, one per column of `sections` (None where they have none)."""
    by_section = {(r.course, r.section): r for r in learner.sections}
    return [by_section.get(key) for key in sections]


LEGEND = " · ".join(f"{h.glyph} {h.meaning}" for h in Heat)
"""What the glyphs mean, in one line."""
