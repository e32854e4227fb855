"""A table spec (quiz.tables.columns) shown in a DataTable: each column's `screen`
header, width and alignment, every cell literal (a name like "[bold]Ann" stays as
typed), cut to its width with an ellipsis."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from quiz.domain.text import strip_control
from quiz.tables.columns import Table


def cell(text: str, width: int, *, right: bool = False) -> Text:
    """A table cell shown literally, on one line, cut to `width` columns with an
    ellipsis, numbers aligned right."""
    value = Text(" ".join(strip_control(text).split()), no_wrap=True)
    if value.cell_len > width:
        value.truncate(width, overflow="ellipsis")
    if right:
        value.pad_left(width - value.cell_len)
    return value


def add_columns(table: DataTable[Text], spec: Table[Any, Any]) -> None:
    """The columns `spec` shows on screen, with their headers and widths (those shown
    only for some rows, `Shown.only_if`, are added by `add_rows` when its rows need them)."""
    _add_shown(table, spec.shown("screen", ()))


def _add_shown(table: DataTable[Text], columns: Sequence[tuple[Any, Any]]) -> None:
    for _column, shown in columns:
        table.add_column(
            Text(shown.header, justify="right" if shown.right else "left"), width=shown.width
        )


def add_rows(
    table: DataTable[Text], spec: Table[Any, Any], rows: Sequence[Any], *, keys: Sequence[str] = ()
) -> None:
    """A row of cells per row (keyed by `keys`, if given), as `spec` shows them on screen."""
    shown = spec.shown("screen", rows)
    if len(shown) != len(table.columns):  # a column shown only for some rows: these
        table.clear(columns=True)
        _add_shown(table, shown)
    for index, row in enumerate(rows):
        cells = [cell(c.cell_text(row, s), s.width, right=s.right) for c, s in shown]
        table.add_row(*cells, key=keys[index] if keys else None)
