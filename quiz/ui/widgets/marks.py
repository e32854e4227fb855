"""Toggles whose state shows in the glyph, not only in its colour.

Textual's checkboxes, radio buttons and selection lists draw the same mark (`X`,
`●`) whether on or off and tell the two apart by colour alone, which vanishes
under NO_COLOR and on monochrome terminals. These draw the mark only when on.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList
from textual.widgets._toggle_button import ToggleButton

OFF = " "


class MarkedRadioButton(RadioButton):
    """A radio button that shows `●` when chosen and a blank when not."""

    @property
    def _button(self) -> Content:
        button = super()._button
        if self.value:
            return button
        # The button is LEFT + INNER + RIGHT: blank the inner glyph, keep the styles.
        plain = button.plain
        inner = len(self.BUTTON_LEFT)
        blanked = plain[:inner] + OFF * len(self.BUTTON_INNER) + plain[inner + 1 :]
        return Content(blanked, spans=list(button.spans))


class MarkedSelectionList(SelectionList[str]):
    """A selection list that shows `X` beside chosen items and a blank beside the rest."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != ToggleButton.BUTTON_INNER:
            return strip
        _, scroll_y = self.scroll_offset
        try:
            option = self.get_option_at_index(scroll_y + y)
        except Exception:
            return strip
        if option.value in self.selected:
            return strip
        inner = segments[1]
        segments[1] = Segment(OFF * len(inner.text), inner.style, inner.control)
        return Strip(segments, strip.cell_length)
