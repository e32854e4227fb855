"""The tables the program prints and shows, each one spec that every output draws from.

`columns` is the spec machinery (a `Table` of `Column`s); `report` and `attempts` are
the specs of `quiz report` (and the All-staff screen) and of `quiz scores` (and My
scores); `render` turns a spec into CSV, JSON and fixed-width text; `text` fits text
to terminal columns; `formats` holds the words and numbers as people read them
(status words, percents, verdicts, times), once.

No module here imports sqlite3 or Textual: the commands and the app's screens both use
them. The screens render a spec with quiz.ui.widgets.columns.
"""
