"""`update_content` (quiz.ui.widgets.redraw) updates a Static without a layout pass when
the new content takes the room of the old: what is drawn must still be the new content,
at the right height."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.content import Content, Span
from textual.geometry import Region
from textual.widgets import Static

from quiz.ui.widgets.redraw import update_content
from tests.support.waiting import laid_out, wait_for


class OneLine(App[None]):
    CSS = "Static { width: 30; }"

    def compose(self) -> ComposeResult:
        yield Static("", id="line", markup=False)


def drawn(widget: Static) -> list[str]:
    """The lines the widget draws, trailing blanks removed."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return [strip.text.rstrip() for strip in strips]


async def test_the_new_content_is_drawn_at_its_height() -> None:
    app = OneLine()
    async with app.run_test(size=(40, 8)) as pilot:
        line = app.query_one("#line", Static)
        update_content(line, Content("one line"))
        await wait_for(pilot, lambda: laid_out(line) and drawn(line) == ["one line"], what="1")
        update_content(line, Content("two\nlines"))  # taller: laid out again
        await wait_for(pilot, lambda: drawn(line) == ["two", "lines"], what="two lines")
        update_content(line, Content("two\nLINES"))  # the same room: redrawn only
        await wait_for(pilot, lambda: drawn(line) == ["two", "LINES"], what="redrawn")
        assert line.size.height == 2
        bold = Content("two\nLINES", [Span(0, 3, "bold")])
        update_content(line, bold)  # the same text, styled otherwise: still redrawn
        await wait_for(
            pilot,
            lambda: any(
                segment.style is not None and segment.style.bold
                for strip in line.render_lines(Region(0, 0, 30, 1))
                for segment in strip
            ),
            what="the bold word",
        )
        update_content(line, Content("wider than thirty cells, so it wraps"))
        await wait_for(pilot, lambda: len(drawn(line)) == 2 and line.size.height == 2, what="w")
        assert " ".join(drawn(line)) == "wider than thirty cells, so it wraps"
