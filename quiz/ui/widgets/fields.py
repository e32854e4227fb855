"""Text fields whose Enter belongs to the screen.

Textual's `Input` answers Enter with an `Input.Submitted` message, handled later: keys
typed meanwhile would land in the field before the screen acts on Enter. A
`TextField` leaves Enter to the screen's own Enter binding, which reads the field at
once (see quiz.ui.keys for why keys must take effect in order).

Keys a focused field would type are never offered in the footer: Textual leaves a
binding out of the screen's active bindings when the focused widget consumes its key
(`Widget.check_consume_key`), and tests/ui/test_footer_keys.py holds that true for
every screen with a text field.
"""

from __future__ import annotations

from textual.actions import SkipAction
from textual.widgets import Input


class TextField(Input):
    """An `Input` whose Enter is the screen's (its own binding steps aside)."""

    def action_submit(self) -> None:  # type: ignore[override]
        raise SkipAction()
