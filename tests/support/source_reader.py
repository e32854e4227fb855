"""The source reader and the passage view on their own, and what the reader shows."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.geometry import Region

from quiz.domain.model import Course, SourceRef
from quiz.ui.screens.source import SourceReaderScreen
from quiz.ui.widgets.passage import PassageView
from tests.support.waiting import laid_out


class ReaderApp(App[None]):
    """A bare app that opens the reader over a blank screen (so Esc has somewhere to go)."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, reader: SourceReaderScreen) -> None:
        super().__init__()
        self.reader = reader

    def on_mount(self) -> None:
        self.push_screen(self.reader)


class PassageApp(App[None]):
    """A bare app showing one passage of `course`, the one `ref` points at."""

    ENABLE_COMMAND_PALETTE = False

    def __init__(self, course: Course, ref: SourceRef) -> None:
        super().__init__()
        self.course = course
        self.ref = ref

    def compose(self) -> ComposeResult:
        yield PassageView(self.course, self.ref, id="passage")


def quote_rows(reader: SourceReaderScreen) -> Region:
    """The screen rows where the highlighted quote is drawn."""
    assert reader.quote is not None
    rows = reader.quote.highlight_rows()
    assert rows is not None
    region = reader.quote.content_region
    return Region(region.x, region.y + rows[0], region.width, rows[1])


def heading_at_top(reader: SourceReaderScreen, index: int) -> bool:
    """Is section `index`'s heading the first row of the reader's text (laid out)?"""
    document = reader.document
    return laid_out(document) and (
        reader.headings[index].region.y == document.scrollable_content_region.y
    )


def quote_in_view(reader: SourceReaderScreen) -> bool:
    """Is the highlighted quote drawn inside the document's viewport?"""
    quote = reader.quote
    if quote is None or not laid_out(quote) or quote.highlight_rows() is None:
        return False
    return reader.document.scrollable_content_region.contains_region(quote_rows(reader))
