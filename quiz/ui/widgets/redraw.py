"""Updating a `Static` without arranging the whole screen again when it can be avoided.

`Static.update` asks for a layout pass: every widget of the screen is arranged again
and everything that moved is repainted, which is most of what a keypress costs in a
screen full of text. When new content takes exactly the room of the old (a choice's
`( )` becoming `(•)`), repainting the widget is enough; when it is the same content,
nothing is needed at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.content import Content
from textual.widgets import Static

if TYPE_CHECKING:
    from textual.css.styles import RulesMap


def update_content(widget: Static, content: Content) -> None:
    """Show `content` in `widget`: not at all if it shows it already, and without a
    layout pass if the new content has the width and, wrapped, the height of the old."""
    old = widget.content
    if not isinstance(old, Content):
        widget.update(content)
        return
    if old.plain == content.plain and old.spans == content.spans:
        return
    width = widget.outer_size.width - widget.styles.gutter.width
    # The wrapping rules, as Textual measures a Static (it passes its styles too).
    rules = cast("RulesMap", widget.styles)
    same_room = (
        width > 0
        and old.cell_length == content.cell_length
        and old.get_height(rules, width) == content.get_height(rules, width)
    )
    widget.update(content, layout=not same_room)
