"""Where the app leans on Textual beyond its documented API: the seams, kept here so a
Textual upgrade that moves them breaks one module, and tests/ui/test_textual_seams.py
says which.

- `dim_footer_key`: Textual's Footer dims a key only when it recomposes itself (after
  `refresh_bindings`), which costs more than answering a question. Here the one key is
  restyled in place, through the Footer's `FooterKey` children (not exported by
  Textual) and their `action` attribute.
- `settle_vertical_scrollbar`, `expect_vertical_scrollbar`: a scrolling widget's
  `show_vertical_scrollbar` (and its scrollbar's `display`), which Textual sets as it
  lays the widget out, set before; measured after clearing the containers'
  arrangement caches (`_clear_arrangement_cache`).
- `FocusScroll`: a `VerticalScroll` whose focus restyles itself only, where Textual
  restyles every descendant (its `watch_has_focus`).
- `ErrorOutput`: Textual prints an unexpected error's traceback on the terminal as the
  app closes, on `App.error_console` (public, but undocumented). The app keeps it
  for the log file instead; the terminal gets one line (see quiz.ui.run).
"""

from __future__ import annotations

import io
from typing import Any

from rich.console import Console
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget

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


class FocusScroll(VerticalScroll):
    """A `VerticalScroll` whose focus restyles itself, not its descendants.

    When a widget gains or loses the focus, Textual matches it and every widget inside
    it against the whole stylesheet again, for rules such as `#body:focus Static`. For
    a question screen's body, a question and its feedback, that is ~10 ms each time the
    focus moves between the body and a typed answer's field. No rule of the app styles
    a widget by the focus of a container around it (the seam tests check the app's
    stylesheet for one).
    """

    def watch_has_focus(self, _has_focus: bool) -> None:
        self.app.stylesheet.update_nodes([self], animate=True)


def settle_vertical_scrollbar(widget: Widget) -> None:
    """Show `widget`'s vertical scrollbar now if its content, as it is now, is taller
    than the room it has without one; else hide it.

    Textual finds out whether a scrolling widget's content overflows only by laying it
    out, then lays it out again, narrower or wider, in one more frame: every answer in
    practice, as the feedback comes and goes. Measured here by arranging the content
    as Textual's compositor does (`arrange`, at the size it has without a scrollbar, as
    for a widget shown for the first time), that frame is saved; the text wrapped for
    the measure is wrapped once only when the content fits. Were the measure wrong,
    Textual would correct it in that frame, as before.
    """
    region = widget.content_region
    if widget.styles.overflow_y != "auto" or not region:
        return
    # Containers keep their arrangement until the next idle moment: what changed since
    # is in nobody's arrangement yet.
    for node in widget.walk_children(Widget, with_self=True):
        node._clear_arrangement_cache()
    expect_vertical_scrollbar(
        widget, widget.arrange(region.size).total_region.height > region.height
    )


def expect_vertical_scrollbar(widget: Widget, shown: bool) -> None:
    """Lay `widget` out with (or without) its vertical scrollbar from the next frame, where
    the caller knows what its content will need; were it wrong, Textual would correct it
    in that frame, as it would have."""
    if widget.show_vertical_scrollbar != shown and widget.styles.overflow_y == "auto":
        widget.show_vertical_scrollbar = shown
        widget.vertical_scrollbar.display = shown


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
