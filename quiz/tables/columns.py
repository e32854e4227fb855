"""A table as one spec: its columns, each with its name, value, text and where it shows.

A `Table` lists its `Column`s once, in order. A column has a name (the CSV header and
the JSON key), the value CSV and JSON carry (`value`), the text a person reads
(`text`), and a `Shown` for each fixed-width output it appears in: `table` for the
80-column text a command prints, `screen` for the app's DataTable. Adding a column to
a table is adding one `Column` to its `columns`: the CSV, the JSON, the printed table
and the screen all follow (tests/ui/test_report_column_added.py adds one from outside).

A column without a `value` is only shown (a composite such as "passed 75%"); one
without a `Shown` is in CSV and JSON only. `json` nests a value under an object
(`("latest_exam", "percent")`); an object all of whose values are null is written as
null. A `Child` nests another table's rows in each row's JSON object (a learner's
sections), leaving out its `parent_key` columns there; in CSV the child is a table of
its own.

quiz.tables.render writes a spec as CSV, JSON and text; quiz.ui.widgets.columns
shows one in a DataTable.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, Literal, TypeVar

from quiz.tables.formats import percent_text, rounded

S = TypeVar("S")  # what a table's rows are made from (a report, a list of attempts)
R = TypeVar("R")  # a row
C = TypeVar("C")  # a child table's row

REST = 0
"""A `Shown.width`: the columns the line has left (shared when several columns ask)."""
FIT = -1
"""A `Shown.width`: as wide as the column's widest cell (or its header)."""

Output = Literal["table", "screen"]


@dataclass(frozen=True)
class Shown(Generic[R]):
    """A column in a fixed-width output: its header, width and alignment."""

    header: str
    width: int  # terminal columns, or REST or FIT
    right: bool = False  # aligned right (numbers)
    text: Callable[[R], str] | None = None  # what this output shows, if not the column's text
    wrap: bool = False  # the last column only: its text wraps in the room it has left
    only_if: Callable[[Sequence[R]], bool] | None = None  # shown only when true of the rows


@dataclass(frozen=True)
class Column(Generic[R]):
    name: str  # the CSV header and the JSON key
    value: Callable[[R], object] | None = None  # what CSV and JSON carry; None: shown only
    text: Callable[[R], str] | None = None  # what a person reads; default: the value
    table: Shown[R] | None = None  # in a command's printed table
    screen: Shown[R] | None = None  # on the app's screen
    json: tuple[str, ...] = ()  # the JSON key path, if not (name,)
    parent_key: bool = False  # names the parent row: left out where nested in its JSON

    def cell_text(self, row: R, shown: Shown[R] | None = None) -> str:
        """The text of this column in `row`, as `shown` (or any output) shows it."""
        if shown is not None and shown.text is not None:
            return shown.text(row)
        if self.text is not None:
            return self.text(row)
        value = self.value(row) if self.value is not None else None
        return "" if value is None else str(value)


def percent_column(
    name: str,
    percent: Callable[[R], float | None],
    *,
    table: Shown[R] | None = None,
    screen: Shown[R] | None = None,
) -> Column[R]:
    """A percentage: to one decimal in CSV and JSON, whole ("75%") where it is shown."""
    return Column(
        name,
        value=lambda row: rounded(percent(row)),
        text=lambda row: percent_text(percent(row)),
        table=table,
        screen=screen,
    )


@dataclass(frozen=True)
class Child(Generic[R, C]):
    """Another table's rows nested in each row's JSON object, under `key`."""

    key: str
    table: Table[Any, C]
    rows: Callable[[R], Iterable[C]]


@dataclass(eq=False)
class Table(Generic[S, R]):
    """A table: its name (CSV), title (printed and on screen), rows and columns.

    Not frozen: `columns` is the one list every output reads, when it writes."""

    name: str
    title: str
    rows: Callable[[S], Sequence[R]]
    columns: tuple[Column[R], ...]
    children: tuple[Child[R, Any], ...] = ()

    def data_columns(self, *, nested: bool = False) -> list[Column[R]]:
        """The columns CSV and JSON carry (nested in a parent: without its key)."""
        return [c for c in self.columns if c.value is not None and not (nested and c.parent_key)]

    def shown(self, output: Output, rows: Sequence[R]) -> list[tuple[Column[R], Shown[R]]]:
        """The columns `output` shows for these rows, with how it shows each."""
        found = []
        for column in self.columns:
            shown = column.table if output == "table" else column.screen
            if shown is not None and (shown.only_if is None or shown.only_if(rows)):
                found.append((column, shown))
        return found
