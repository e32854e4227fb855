"""The SQLite score store: stdlib sqlite3 and quiz.domain only, never Textual or Rich.

`scores.ScoreStore` is the entry point (with `set_aside` and `backup`); the schema is
described in `db`; `summaries` keeps the report tables; `exchange` reads exports back.
"""
