"""Toggles whose state shows in the glyph, not only in its colour.

Textual's checkboxes, radio buttons and selection lists draw the same mark (`X`,
`●`) whether on or off and tell the two apart by colour alone, which vanishes
under NO_COLOR and on monochrome terminals. These draw the mark only when on.
"""

from __future__ import annotations

from rich.segment import Segment
from textual.content import Content
from textual.strip import Strip
from textual.widgets import Checkbox, RadioButton, SelectionList
from textual.widgets.option_list import OptionDoesNotExist

OFF = " "


class MarkedRadioButton(RadioButton):
    """A radio button that shows `●` when chosen and a blank when not."""

    def render(self) -> Content:
        content = super().render()
        if self.value:
            return content
        # The button comes first (BUTTON_LEFT + BUTTON_INNER + BUTTON_RIGHT), then the
        # label: blank the inner glyph, keep every style.
        start = len(self.BUTTON_LEFT)
        end = start + len(self.BUTTON_INNER)
        plain = content.plain
        blanked = plain[:start] + OFF * (end - start) + plain[end:]
        return Content(blanked, spans=list(content.spans))


class MarkedSelectionList(SelectionList[str]):
    """A selection list that shows `X` beside chosen items and a blank beside the rest."""

    # The mark Textual draws for every item: a toggle button's (Checkbox's) inner glyph.
    MARK = Checkbox.BUTTON_INNER

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        segments = list(strip)
        if len(segments) < 2 or segments[1].text != self.MARK:
            return strip
        _, scroll_y = self.scroll_offset
        try:
            option = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        if option.value in self.selected:
            return strip
        inner = segments[1]
        segments[1] = Segment(OFF * len(inner.text), inner.style, inner.control)
        return Strip(segments, strip.cell_length)
