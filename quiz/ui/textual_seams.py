"""Where the app leans on Textual beyond its documented API: two seams, kept here so a
Textual upgrade that moves them breaks one module, and tests/ui/test_textual_seams.py
says which.

- `dim_footer_key`: Textual's Footer dims a key only when it recomposes itself (after
  `refresh_bindings`), which costs more than answering a question. Here the one key is
  restyled in place, through the Footer's `FooterKey` children (not exported by
  Textual) and their `action` attribute.
- `ErrorOutput`: Textual prints an unexpected error's traceback on the terminal as the
  app closes, on `App.error_console` (public, but undocumented). The app keeps it
  for the log file instead; the terminal gets one line (see quiz.ui.run).
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.screen import Screen

FOOTER_KEY = "FooterKey"
"""The CSS type of the Footer's keys."""
DIMMED = "-disabled"
"""The class with which Textual's FooterKey draws a key that does nothing now."""


def dim_footer_key(screen: Screen[Any], action: str, dim: bool) -> None:
    """Dim (or not) the footer key that runs `action`, without redrawing the footer.

    The screen's `check_action` must agree (None while dimmed), for when the footer is
    recomposed for another reason.
    """
    from textual.widgets import Footer  # not needed before the first frame

    for footer in screen.query_children(Footer):
        for key in footer.query_children(FOOTER_KEY):
            if getattr(key, "action", None) == action:
                key.set_class(dim, DIMMED)


class ErrorOutput:
    """What Textual would print on the terminal as the app closes (an unexpected error's
    traceback), kept as text instead."""

    def __init__(self) -> None:
        self._buffer = io.StringIO()
        self.console = Console(
            file=self._buffer, color_system=None, markup=False, highlight=False, width=100
        )
        """Give this to the app as its `error_console`."""

    @property
    def text(self) -> str | None:
        """What was printed, if anything."""
        return self._buffer.getvalue() or None
