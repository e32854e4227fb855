"""Text on a terminal: harmless lines, their width in columns, and fitting them.

Names and texts from the store are shown literally, without control characters, line
breaks or bidirectional overrides (which would reorder a table's columns on screen).
"""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Sequence

from quiz.domain.text import strip_control

TABLE_WIDTH = 80
"""Every line the commands print as a table fits this many columns."""

_BIDI_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C], None
)


def terminal_text(text: str) -> str:
    """`text` as one harmless line of a table: no control characters, no line breaks
    or tabs, no bidirectional overrides that would reorder the columns on screen."""
    return " ".join(strip_control(text).translate(_BIDI_CONTROLS).replace("\t", " ").splitlines())


def _char_width(char: str) -> int:
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """How many terminal columns `text` takes (wide characters two, combining ones none)."""
    return sum(_char_width(c) for c in text)


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal columns, with an ellipsis when cut."""
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        char_width = _char_width(char)
        if used + char_width > width - 1:
            break
        out.append(char)
        used += char_width
    return "".join(out) + "…"


def line(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    """One line of a table: each cell fitted and padded to its width (aligned right
    where `right` says), one space apart, without trailing spaces."""
    parts = []
    for cell, width, to_right in zip(cells, widths, right, strict=True):
        fitted = fit(cell, width)
        pad = " " * (width - text_width(fitted))
        parts.append(pad + fitted if to_right else fitted + pad)
    return " ".join(parts).rstrip()


def wrap(text: str, width: int, indent: str = "") -> list[str]:
    """`text` in lines of at most `width` columns, each but the first after `indent`."""
    lines = textwrap.wrap(text, width=width, subsequent_indent=indent, break_on_hyphens=False)
    return [fit(one, width) for one in lines] or [""]
