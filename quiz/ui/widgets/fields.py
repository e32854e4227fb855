"""Text fields whose Enter belongs to the screen, and the rule for keys that type.

Textual's `Input` answers Enter with an `Input.Submitted` message, handled later: keys
typed meanwhile would land in the field before the screen acts on Enter. A
`TextField` leaves Enter to the screen's own Enter binding, which reads the field at
once (see quiz.ui.keys for why keys must take effect in order).
"""

from __future__ import annotations

from functools import cache

from textual.actions import SkipAction
from textual.binding import Binding
from textual.dom import DOMNode
from textual.widgets import Input


class TextField(Input):
    """An `Input` whose Enter is the screen's (its own binding steps aside)."""

    def action_submit(self) -> None:  # type: ignore[override]
        raise SkipAction()


def _typed(key: str) -> bool:
    """Whether a text field takes this key as text (a character, or the space bar)."""
    return len(key) == 1 or key == "space"


@cache
def typing_actions(node_type: type[DOMNode]) -> frozenset[str]:
    """The actions this class binds to keys a text field would type (with parameters,
    as `check_action` names them: "pick" for "pick(0)")."""
    actions: set[str] = set()
    for cls in node_type.__mro__:
        for binding in cls.__dict__.get("BINDINGS", ()):
            if not isinstance(binding, Binding):
                continue
            if any(_typed(key.strip()) for key in binding.key.split(",")):
                actions.add(binding.action.split("(", 1)[0])
    return frozenset(actions)


def taken_by_field(node: DOMNode, action: str) -> bool:
    """True when a text field has the focus and would take `action`'s key as text.

    The footer must never offer such a key: while the learner types, the letter goes
    into the field, so the binding is hidden (and does nothing) until the focus moves.
    """
    return isinstance(node.app.focused, Input) and action in typing_actions(type(node))
