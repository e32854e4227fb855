"""The SQLite score store. stdlib sqlite3 only; no Textual."""
