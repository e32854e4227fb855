"""The passage a question quotes: its section title, and its paragraph with the quote highlighted.

Course text is shown literally. It is built as `Content` with spans, never as markup,
so a paragraph containing `[bold]` or `[@click=app.quit]` shows those characters and
runs nothing. Control characters are removed before display, and the highlight is
moved to match.
"""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.containers import VerticalGroup
from textual.content import Content, Span
from textual.widgets import Static

from quiz.domain.model import Course, SourceRef
from quiz.domain.text import find_control, strip_control
from quiz.ui.literal import literal

HIGHLIGHT_CLASS = "passage-text--highlight"
"""The component class that colours the quote (its background is in PassageText's CSS)."""

HIGHLIGHT_STYLE = "bold underline"
"""Always applied to the quote, so it stands out without colour (NO_COLOR, monochrome)."""


def highlight_spans(text: str, start: int, end: int) -> tuple[str, list[Span]]:
    """The text to display for `text`, and the spans that highlight [start, end) of it.

    Control characters are removed and the span moved to match; a span outside the
    text is clipped to it, and an empty span gives no spans.
    """
    start = max(0, min(start, len(text)))
    end = max(start, min(end, len(text)))
    if find_control(text) is not None:
        before = len(text[:start]) - len(strip_control(text[:start]))
        inside = (end - start) - len(strip_control(text[start:end]))
        text = strip_control(text)
        start -= before
        end -= before + inside
    if end <= start:
        return text, []
    return text, [Span(start, end, HIGHLIGHT_STYLE)]


def passage_content(text: str, highlight: tuple[int, int] | None = None) -> Content:
    """`text` as literal `Content`, the span `highlight` (if any) in `HIGHLIGHT_STYLE`."""
    display, spans = highlight_spans(text, *highlight) if highlight else (strip_control(text), [])
    # The control characters Content would strip are gone already; keep offsets as computed.
    return Content(display, spans, strip_control_codes=False)


class PassageText(Static):
    """One paragraph of course text, shown literally, with an optional highlighted span.

    The highlight is `bold underline`, plus the style of the component class
    `passage-text--highlight` (a background, in DEFAULT_CSS).
    """

    COMPONENT_CLASSES: ClassVar[set[str]] = {HIGHLIGHT_CLASS}
    DEFAULT_CSS = """
    PassageText > .passage-text--highlight {
        background: $accent 40%;
    }
    """

    def __init__(
        self,
        text: str,
        highlight: tuple[int, int] | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        self.passage = passage_content(text, highlight)
        """The text as displayed, the highlight in `HIGHLIGHT_STYLE`."""
        spans = self.passage.spans
        self.highlight: tuple[int, int] | None = (spans[0].start, spans[0].end) if spans else None
        """The highlighted span of the displayed text, or None."""
        super().__init__(self.passage, markup=False, name=name, id=id, classes=classes)

    def show(self, text: str, highlight: tuple[int, int] | None = None) -> None:
        """Show `text` instead, with the span `highlight` (if any) highlighted."""
        self.passage = passage_content(text, highlight)
        spans = self.passage.spans
        self.highlight = (spans[0].start, spans[0].end) if spans else None
        self.update(self.passage)

    def render(self) -> Content:
        if self.highlight is None:
            return self.passage
        # The component style is applied here, resolved against this widget, rather than
        # as a ".class" span: Textual drops opaque backgrounds from those.
        return self.passage.stylize(self.get_visual_style(HIGHLIGHT_CLASS), *self.highlight)

    @property
    def highlighted_text(self) -> str:
        """The highlighted words as displayed ("" if none)."""
        span = self.highlight
        return self.passage.plain[span[0] : span[1]] if span else ""

    def highlight_rows(self) -> tuple[int, int] | None:
        """The first row of the highlight within this widget's text, and how many rows it takes.

        Measured at the widget's current width, so call it after layout.
        """
        if self.highlight is None:
            return None
        width = self.content_region.width
        if width <= 0:
            return 0, 1
        lines = self.passage.wrap(width)
        rows = [row for row, line in enumerate(lines) if line.spans]
        return (rows[0], len(rows)) if rows else (0, 1)


class PassageView(VerticalGroup):
    """The section title, then the paragraph the quote at `ref` stands in, quote highlighted.

    Its children have the classes `passage--title` and `passage--text` (a `PassageText`),
    or `passage--missing` if the course text has no such paragraph.
    """

    DEFAULT_CSS = """
    PassageView > .passage--title {
        text-style: bold;
        color: $text-primary;
    }

    PassageView > .passage--missing {
        color: $text-warning;
    }
    """

    def __init__(
        self,
        course: Course,
        ref: SourceRef,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
        disabled: bool = False,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes, disabled=disabled)
        self.course = course
        self.ref = ref
        self._title_widget = Static(self._title(ref), markup=False, classes="passage--title")
        self._text_widget = self._paragraph_widget(ref)
        self._composed = False

    def compose(self) -> ComposeResult:
        self._composed = True
        yield self._title_widget
        yield self._text_widget

    def show(self, ref: SourceRef) -> None:
        """Show the passage at `ref` instead, in the same widgets where it can (moving from
        one question's feedback to the next)."""
        if ref == self.ref:
            return
        self.ref = ref
        self._title_widget.update(self._title(ref))
        paragraph = self._paragraph(ref)
        current = self._text_widget
        if paragraph is not None and isinstance(current, PassageText):
            current.show(paragraph, (ref.start, ref.end))
        else:  # a paragraph after a missing one, or the other way round
            self._text_widget = self._paragraph_widget(ref)
            if self._composed:
                current.remove()
                self.mount(self._text_widget)

    def _title(self, ref: SourceRef) -> Content:
        return literal(self.course.section_title(ref.section_id))

    def _paragraph(self, ref: SourceRef) -> str | None:
        """The text of the paragraph `ref` quotes, or None if the course text has none."""
        section = self.course.source.section(ref.section_id)
        if section is None or not 0 <= ref.paragraph_index < len(section.paragraphs):
            return None
        return section.paragraphs[ref.paragraph_index].text

    def _paragraph_widget(self, ref: SourceRef) -> Static:
        paragraph = self._paragraph(ref)
        if paragraph is None:
            return Static(
                literal(
                    f"The course text has no paragraph {ref.paragraph_index + 1} "
                    f"in section {ref.section_id!r}."
                ),
                markup=False,
                classes="passage--missing",
            )
        return PassageText(paragraph, (ref.start, ref.end), classes="passage--text")

    @property
    def passage_text(self) -> PassageText | None:
        """The paragraph widget, or None if the course text has no such paragraph."""
        widget = self._text_widget
        return widget if isinstance(widget, PassageText) else None
