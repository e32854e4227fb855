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
- `keep_parsed_css`: Textual parses each widget class's CSS (and the app's) the first
  time the class is used, in every run: a fifth of the time from the home screen's
  first frame to its form. The rules it parses are kept in the cache folder, by a
  digest of all they are parsed from, through its parse cache (`Stylesheet.
  _parse_rules`, the one place it parses a source). Textual's version, part of that
  digest, is read from the name of its dist-info folder (`textual_version`), not
  from `textual.__version__`, which imports importlib.metadata.
- `ErrorOutput`: Textual prints an unexpected error's traceback on the terminal as the
  app closes, on `App.error_console` (public, but undocumented). The app keeps it
  for the log file instead; the terminal gets one line (see quiz.ui.run).
"""

from __future__ import annotations

import io
import os
import pickle
import sys
from pathlib import Path
from typing import Any

from rich.console import Console
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widget import Widget

from quiz.domain.blake import blake2b

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


CSS_FORMAT = 1
"""Bump when what `keep_parsed_css` pickles changes shape in a way its key would not show."""


def textual_version() -> str:
    """The installed Textual's version, from the name of its dist-info folder beside
    it. (`textual.__version__` asks importlib.metadata, which imports some thirty
    modules and reads every installed package's metadata: ~20 ms before the first
    frame.) importlib.metadata's answer where there is not exactly one such folder."""
    import textual

    site = Path(textual.__file__).parent.parent
    prefix, suffix = "textual-", ".dist-info"
    try:
        names = [n for n in os.listdir(site) if n.startswith(prefix) and n.endswith(suffix)]
    except OSError:
        names = []
    if len(names) == 1:
        return names[0][len(prefix) : -len(suffix)]
    from textual import __version__

    return str(__version__)


def keep_parsed_css(folder: Path) -> None:
    """From now on, in this process, keep the rules Textual parses from CSS in `folder`,
    and use them instead of parsing the same CSS again (in a later run).

    A source's rules are kept in a file named by a digest of everything they are parsed
    from: the CSS text, where it was read from, its place in the cascade, the theme's
    variables, the versions of Textual and Python. CSS that changes (an upgrade, an edited
    stylesheet, another theme) is parsed and kept anew; rules with errors are never
    kept (Textual reports them as before). A file that cannot be read or unpickled means
    parsing the CSS, as without it; one that cannot be written is not kept. Deleting
    the folder loses nothing."""
    from textual.css.model import RuleSet
    from textual.css.stylesheet import Stylesheet

    parse = _ORIGINAL_PARSE.setdefault("parse", Stylesheet._parse_rules)
    stamp = repr((CSS_FORMAT, textual_version(), sys.version_info[:2]))
    theme: list[Any] = [None, ""]  # the variables last seen, and their text

    def _parse_rules(
        self: Stylesheet,
        css: str,
        read_from: Any,
        is_default_rules: bool = False,
        tie_breaker: int = 0,
        scope: str = "",
    ) -> Any:
        key = (css, read_from, is_default_rules, tie_breaker, scope)
        rules = self._parse_cache.get(key)
        if rules is not None:
            return rules
        if theme[0] is not self._variables:
            theme[:] = [self._variables, repr(sorted(self._variables.items()))]
        digest = blake2b(repr((stamp, key, theme[1])).encode(), digest_size=16).hexdigest()
        path = folder / f"{digest}.pickle"
        try:
            rules = pickle.loads(path.read_bytes())
        except Exception:  # missing, unreadable, not ours: parse it
            rules = None
        if isinstance(rules, list) and all(isinstance(rule, RuleSet) for rule in rules):
            self._parse_cache[key] = rules
            return rules
        rules = parse(self, css, read_from, is_default_rules, tie_breaker, scope)
        if not any(rule.errors for rule in rules):
            from quiz.domain.course_cache import keep_pickled

            keep_pickled(path, rules)
        return rules

    Stylesheet._parse_rules = _parse_rules  # type: ignore[method-assign]


def parse_css_again() -> None:
    """Undo `keep_parsed_css` (for tests)."""
    from textual.css.stylesheet import Stylesheet

    parse = _ORIGINAL_PARSE.pop("parse", None)
    if parse is not None:
        Stylesheet._parse_rules = parse  # type: ignore[method-assign]


_ORIGINAL_PARSE: dict[str, Any] = {}


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
