"""The staff × section heat table in a DataTable: a row per learner, a column per
section, each cell its level's glyph and percent on its level's colour
(quiz.tables.heat, the HTML report's levels). Under NO_COLOR the glyph still says it."""

from __future__ import annotations

from collections.abc import Callable

from rich.style import Style
from rich.text import Text
from textual.widgets import DataTable

from quiz.storage.report_model import Report
from quiz.tables.heat import Heat, cell_text, heat_of, heat_row, heat_sections
from quiz.tables.report import exam_outcome
from quiz.ui.widgets.columns import cell

LEARNER_WIDTH, EXAM_WIDTH, SECTION_WIDTH = 14, 11, 8

HEAT_STYLES = {
    heat: Style(color="#1a1a1a", bgcolor=heat.colour, bold=heat is Heat.WEAK)
    if heat.colour
    else Style(dim=True)
    for heat in Heat
}
"""Each level's look: its colour as the background, dark text on it."""


def heat_cell(text: str, heat: Heat) -> Text:
    """A cell: the glyph and percent, right-aligned in SECTION_WIDTH, in its level's style."""
    shown = cell(text, SECTION_WIDTH, right=True)
    shown.stylize(HEAT_STYLES[heat])
    return shown


def show_heat(
    table: DataTable[Text], report: Report, title: Callable[[str, str], str]
) -> list[str]:
    """Fill `table` (cleared, columns too) with the report's grid; `title(course, section)`
    names a column. Returns the learners' names, in the rows' order."""
    table.clear(columns=True)
    sections = heat_sections(report)
    table.add_column(Text("Learner"), width=LEARNER_WIDTH)
    table.add_column(Text("Latest exam"), width=EXAM_WIDTH)
    for course, section in sections:
        table.add_column(cell(title(course, section), SECTION_WIDTH), width=SECTION_WIDTH)
    for learner in report.learners:
        cells = [
            cell(learner.name, LEARNER_WIDTH),
            cell(exam_outcome(learner.latest_exam), EXAM_WIDTH),
        ]
        for result in heat_row(learner, sections):
            cells.append(heat_cell(cell_text(result), heat_of(result)))
        table.add_row(*cells)
    return [learner.name for learner in report.learners]
