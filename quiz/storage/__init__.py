"""The SQLite score store: stdlib sqlite3 and quiz.domain only, never Textual or Rich.

`scores.ScoreStore` is the entry point (with `set_aside` and `backup`); `db` opens a
file and upgrades it; the schema is described in `schema`; `summaries` keeps the report
tables; `reports` computes the manager's report; `exchange` reads exports back; `cards`
keeps the drill's cards and `scheduling` (the only module that imports fsrs) schedules
them.

The rule for the UI: quiz.ui reads a store only through the object the app is given
(typed as `reader.ScoreReader` for reading), and never imports, when it is imported,
a module of this package that loads sqlite3. It may import the modules of plain data
that load no sqlite3 (SQLITE_FREE below); tests/unit/test_store_boundary.py checks
both halves.
"""

SQLITE_FREE = (
    "quiz.storage.attempts",
    "quiz.storage.card_model",
    "quiz.storage.report_model",
    "quiz.storage.reader",
)
"""The modules of this package that load no sqlite3: the UI may import these."""
