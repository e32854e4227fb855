"""The tests of quiz: `unit/` (no Textual), `ui/` (the app, its screens and snapshots),
and `support/`, what they share."""
