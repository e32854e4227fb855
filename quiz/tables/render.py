"""A table spec (quiz.tables.columns) written out: CSV cells, JSON objects, printed text.

CSV carries each data column's value: nothing for None, `true`/`false`, a list joined
with "; ", and text made safe to open in a spreadsheet. JSON carries the values as
they are. The printed text shows each `Shown` column's text, fitted to its width, in
lines of at most TABLE_WIDTH columns.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any

from quiz.domain.text import strip_control
from quiz.tables.columns import FIT, REST, Shown, Table
from quiz.tables.text import TABLE_WIDTH, line, terminal_text, text_width, wrap

# --- csv --------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): text
    starting with = + - @ tab or carriage return gets a leading apostrophe."""
    text = strip_control(text)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def csv_cell(value: object) -> object:
    """A value as a CSV cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value).lower()
    if isinstance(value, list | tuple):
        value = "; ".join(str(v) for v in value)
    return spreadsheet_safe(value) if isinstance(value, str) else value


def csv_rows(table: Table[Any, Any], rows: Sequence[Any]) -> list[list[object]]:
    """The header and one list of cells per row."""
    columns = table.data_columns()
    found: list[list[object]] = [[c.name for c in columns]]
    for row in rows:
        found.append([csv_cell(c.value(row)) for c in columns if c.value is not None])
    return found


# --- json -------------------------------------------------------------------------------


def json_text(value: Any) -> str:
    """JSON that is harmless on a terminal: C1 controls and DEL escaped as \\u00XX
    (json.dumps escapes C0 controls itself), other Unicode kept readable."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(f"\\u{ord(c):04x}" if "\x7f" <= c <= "\x9f" else c for c in text)


def json_objects(
    table: Table[Any, Any], rows: Sequence[Any], *, nested: bool = False
) -> list[dict[str, Any]]:
    """One JSON object per row, with its children's rows nested."""
    columns = table.data_columns(nested=nested)
    found = []
    for row in rows:
        item: dict[str, Any] = {}
        groups: set[str] = set()
        for column in columns:
            assert column.value is not None
            *path, key = column.json or (column.name,)
            if path:
                groups.add(path[0])
            target = item
            for part in path:
                target = target.setdefault(part, {})
            target[key] = column.value(row)
        for group in groups:  # an object of nothing but nulls is null
            if all(v is None for v in item[group].values()):
                item[group] = None
        for child in table.children:
            item[child.key] = json_objects(child.table, list(child.rows(row)), nested=True)
        found.append(item)
    return found


# --- printed text -----------------------------------------------------------------------


def text_lines(
    table: Table[Any, Any],
    rows: Sequence[Any],
    *,
    width: int = TABLE_WIDTH,
    after: Callable[[Any], list[str]] | None = None,
) -> list[str]:
    """The header and the rows (each followed by `after(row)`, if given), in lines of at
    most `width` columns, every cell shown literally."""
    shown = table.shown("table", rows)
    cells = [[terminal_text(c.cell_text(row, s)) for c, s in shown] for row in rows]
    headers = [s.header for _c, s in shown]
    widths = _widths([s for _c, s in shown], headers, cells, width)
    right = [s.right for _c, s in shown]
    wraps = bool(shown) and shown[-1][1].wrap
    lines = [line(headers, widths, right)]
    for row, row_cells in zip(rows, cells, strict=True):
        if wraps:
            indent = sum(widths[:-1]) + len(widths) - 1
            first = line(row_cells[:-1], widths[:-1], right[:-1]).ljust(indent)
            wrapped = wrap(row_cells[-1], widths[-1])
            lines.append(first + wrapped[0])
            lines += [" " * indent + more for more in wrapped[1:]]
        else:
            lines.append(line(row_cells, widths, right))
        if after is not None:
            lines += after(row)
    return lines


def _widths(
    shown: Sequence[Shown[Any]], headers: list[str], cells: list[list[str]], width: int
) -> list[int]:
    """Each column's width: as given; FIT as its widest cell; REST columns share what
    is left of `width` (each but the last as much as its longest cell needs, up to half
    of what is left); with no REST column, a table too wide narrows its widest column."""
    widths = []
    for index, column in enumerate(shown):
        if column.width == FIT:
            widths.append(max([text_width(headers[index]), *(text_width(r[index]) for r in cells)]))
        else:
            widths.append(column.width)
    rest = [i for i, column in enumerate(shown) if column.width == REST]
    room = width - sum(widths) - (len(widths) - 1)
    if not rest:
        if room < 0:
            widest = widths.index(max(widths))
            widths[widest] = max(1, widths[widest] + room)
        return widths
    for count, index in enumerate(rest):
        left = len(rest) - count
        if left == 1:
            widths[index] = room
            break
        longest = max((text_width(r[index]) for r in cells), default=0)
        widths[index] = max(text_width(headers[index]), min(longest, room - room // left))
        room -= widths[index]
    return widths
