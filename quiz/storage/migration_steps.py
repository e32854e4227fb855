"""The steps of quiz.storage.db's MIGRATIONS that are more than a script of DDL.

`script` runs a version's DDL (quiz.storage.schema) inside the upgrade's transaction.
`rebuild_table` is SQLite's table rebuild (https://sqlite.org/lang_altertable.html,
"Making Other Kinds Of Table Schema Changes"), its one home: versions 4 (asked_question),
5 and 6 (attempt) change a table that way. The upgrade runs with foreign keys off (they
cannot be turned off inside a transaction, and dropping a table they point at would
fail), so each rebuild checks them itself before the transaction commits.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

from quiz.storage import cards
from quiz.storage.card_model import DEFAULT_SETTINGS
from quiz.storage.schema import (
    ASKED_COLUMNS,
    ATTEMPT_COLUMNS,
    V4_ASKED_QUESTION,
    V5,
    V5_ATTEMPT,
    V6,
    V6_ATTEMPT,
)


def script(sql: str) -> Callable[[sqlite3.Connection], None]:
    def apply(connection: sqlite3.Connection) -> None:
        # executescript() would COMMIT first; run the statements inside our transaction.
        for statement in sql.split(";"):
            if statement.strip():
                connection.execute(statement)

    return apply


def rebuild_table(
    connection: sqlite3.Connection, table: str, create: str, name: str, columns: str
) -> None:
    """Copy `table` into the table `create` makes (named `name`), its `columns` with
    their ids, drop `table` and give the new one its name. Tables that refer to `table`
    by name refer to the new one once renamed; its indexes go with the old table. The
    caller checks the foreign keys."""
    connection.execute(create)
    connection.execute(f"INSERT INTO {name} ({columns}) SELECT {columns} FROM {table}")
    connection.execute(f"DROP TABLE {table}")
    connection.execute(f"ALTER TABLE {name} RENAME TO {table}")


def to_v4(connection: sqlite3.Connection) -> None:
    """Rebuild asked_question without the CHECK on type. Runs with foreign keys off
    (quiz.storage.db's upgrade: dropping a table they point at would otherwise fail), so
    it checks them itself before the transaction commits."""
    rebuild_table(
        connection, "asked_question", V4_ASKED_QUESTION, "asked_question_v4", ASKED_COLUMNS
    )
    check_foreign_keys(connection, "asked_question")


def to_v5(connection: sqlite3.Connection) -> None:
    """attempt rebuilt with 'drill' among its modes (foreign keys off, as for version 4:
    checked here for attempt's own; answer's cannot break, the ids are copied), then
    the cards' tables, and every learner listed for the cards' first build."""
    rebuild_attempt(connection, V5_ATTEMPT, "attempt_v5")
    script(V5)(connection)
    cards.write_settings(connection, DEFAULT_SETTINGS)
    cards.mark_all_stale(connection)


def to_v6(connection: sqlite3.Connection) -> None:
    """attempt rebuilt with 'paused' among its statuses (as for version 5), then the
    store's settings table (no row: the defaults)."""
    rebuild_attempt(connection, V6_ATTEMPT, "attempt_v6")
    script(V6)(connection)


def rebuild_attempt(connection: sqlite3.Connection, create: str, name: str) -> None:
    """Copy attempt into the table `create` makes (named `name`), with its ids, and put
    it in attempt's place (foreign keys off: checked here for attempt's own; answer's
    cannot break, the ids are copied). The indexes go with the old table."""
    rebuild_table(connection, "attempt", create, name, ATTEMPT_COLUMNS)
    broken = connection.execute('PRAGMA foreign_key_check("attempt")').fetchone()
    if broken is not None:
        raise sqlite3.IntegrityError(
            f"rebuilding attempt: a row refers to a missing row of {broken[2]}; "
            "the upgrade was undone"
        )


def check_foreign_keys(connection: sqlite3.Connection, table: str) -> None:
    """Raise if a row of `table`, or of a table whose foreign keys point at it, refers to
    a row that is not there (PRAGMA foreign_key_check, for these tables only: the whole
    file would read every answer)."""
    referring = [
        str(row[0])
        for row in connection.execute(
            """SELECT m.name FROM sqlite_schema m, pragma_foreign_key_list(m.name) f
               WHERE m.type = 'table' AND f."table" = ? GROUP BY m.name""",
            (table,),
        )
    ]
    for name in (table, *referring):
        broken = connection.execute(f'PRAGMA foreign_key_check("{name}")').fetchone()
        if broken is not None:
            raise sqlite3.IntegrityError(
                f"rebuilding {table}: a row of {broken[0]} refers to a missing row of "
                f"{broken[2]}; the upgrade was undone"
            )
