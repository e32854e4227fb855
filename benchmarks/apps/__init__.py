"""Baseline Textual apps the quiz is measured against (run as scripts in tmux)."""
