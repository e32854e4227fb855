"""The HTML report's markup that its page and its charts share: text from the store made
literal (`text`, the one home of that escaping), a note, and a table spec
(quiz.tables.columns) written as an HTML table with the columns `quiz report` prints.

Every text from the store or a course (names, question ids, choices) passes through
`text()`: control characters dropped, then escaped, so a name is never markup.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Sequence
from typing import Any

from quiz.domain.text import strip_control
from quiz.tables.columns import Table


def text(value: object) -> str:
    """Any text from the store or a course, as page text: literal, never markup."""
    return html.escape(strip_control(str(value)), quote=True)


def paragraph(note: str) -> str:
    """A note under a heading, as page text."""
    return f'<p class="note">{text(note)}</p>'


_NUM = ' class="num"'


def spec_table(
    table: Table[Any, Any],
    rows: Sequence[Any],
    table_id: str,
    extra: tuple[str, Callable[[Any], str]] | None = None,
) -> str:
    """A table as `quiz report` prints it (its `table` columns), as an HTML table.
    `extra`: a last column's header, and the cell (markup) it shows for a row."""
    shown = table.shown("table", rows)
    head = "".join(
        f'<th scope="col"{_NUM if s.right else ""}>{text(s.header or c.name)}</th>'
        for c, s in shown
    )
    if extra is not None:
        head += f'<th scope="col">{text(extra[0])}</th>'
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="{c.name}{" num" if s.right else ""}">{text(c.cell_text(row, s))}</td>'
            for c, s in shown
        )
        if extra is not None:
            cells += extra[1](row)
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(body)
        + "</tbody></table>"
    )
