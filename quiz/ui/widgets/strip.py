"""A row of question numbers: where the learner is, and which are answered (or right).

States are shown in characters, not colour alone: `3?` is unanswered, `3✓`/`3✗`
right or wrong in a review, and the current question stands in brackets. Clicking
a number runs the screen's `goto_question` action. The markup here is built from
numbers and fixed marks only, never from bank text.
"""

from __future__ import annotations

from collections.abc import Sequence

from textual.content import Content
from textual.widgets import Static

MARKS = {"?", "✓", "✗", " ", "•"}


def strip_content(marks: Sequence[str], current: int) -> Content:
    """`marks[i]` is what follows number i+1 ("?", "✓", "✗", "•" or " ")."""
    cells = []
    for position, mark in enumerate(marks):
        if mark not in MARKS:
            raise ValueError(f"unknown mark {mark!r}")
        number = str(position + 1)
        if position == current:
            cell = f"[reverse bold]\\[{number}{mark}][/]"
        else:
            cell = f" {number}{mark} "
        cells.append(f"[@click=screen.goto_question({position})]{cell}[/]")
    return Content.from_markup("".join(cells))


class QuestionStrip(Static):
    """Question numbers, wrapped to the width."""

    DEFAULT_CSS = """
    QuestionStrip {
        height: auto;
        max-height: 3;
        padding: 0 1;
        link-style: none;
        link-style-hover: bold underline;
        link-background-hover: $boost;
    }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__("", markup=False, id=id)

    def show(self, marks: Sequence[str], current: int) -> None:
        self.update(strip_content(marks, current))
