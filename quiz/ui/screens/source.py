"""The source reader: the course text as a document, beside a list of its sections."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from quiz.domain.model import Course, SourceRef
from quiz.ui.literal import literal
from quiz.ui.widgets.passage import PassageText

_SCROLL = Binding.Group("Scroll", compact=True)
_PAGE = Binding.Group("Page")
_SECTION = Binding.Group("Next/prev section")


class SourceDocument(VerticalScroll):
    """The scrolling course text (its scroll keys are the ones shown in the footer)."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "scroll_up", "Scroll up", key_display="↑", group=_SCROLL),
        Binding("down", "scroll_down", "Scroll down", key_display="↓", group=_SCROLL),
        Binding("pageup", "page_up", "Page up", key_display="PgUp", group=_PAGE),
        Binding("pagedown", "page_down", "Page down", key_display="PgDn", group=_PAGE),
    ]

    reader_scrolled = False
    """Has the reader scrolled since the view was last placed (with `place`)?"""
    _placing = False

    class Resized(Message):
        """The document's size, or its text's, changed (so positions in it did)."""

    def on_resize(self) -> None:
        self.post_message(self.Resized())

    def place(self, region: Region, *, top: bool = False, center: bool = False) -> None:
        """Scroll `region` (in the document's own coordinates) into view, at once."""
        self._placing = True
        try:
            self.scroll_to_region(region, top=top, center=center, animate=False, immediate=True)
        finally:
            self._placing = False
        self.reader_scrolled = False

    def release_anchor(self) -> None:
        # Textual calls this for every scroll the reader makes (keys, wheel, scrollbar),
        # and for scrolls made in code, which `place` fences off.
        super().release_anchor()
        if not self._placing:
            self.reader_scrolled = True


def section_label(title: str, question_count: int) -> Content:
    """A section's entry in the list: its title, and under it how many questions draw on it."""
    noun = "question" if question_count == 1 else "questions"
    return literal(title) + Content.styled(f"\n{question_count} {noun}", "dim")


class SourceReaderScreen(Screen[None]):
    """The course text, opened at a quote (`ref`), at a section (`section_id`), or at the top."""

    CSS_PATH = "source.tcss"
    # Textual types these as instance attributes, so mypy refuses a ClassVar here.
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]  # noqa: RUF012
    VERTICAL_BREAKPOINTS = [(0, "-short"), (12, "-tall")]  # noqa: RUF012
    AUTO_FOCUS = "#source-document"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", key_display="Esc/q"),
        Binding("q", "back", "Back", show=False),
        Binding("tab", "app.focus_next", "List/text", key_display="Tab"),
        Binding("n", "next_section", "Next section", group=_SECTION),
        Binding("p", "previous_section", "Previous section", group=_SECTION),
    ]

    def __init__(
        self,
        course: Course,
        section_id: str | None = None,
        ref: SourceRef | None = None,
        *,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.course = course
        """The course whose text is shown."""
        self.ref = ref
        """The quote to highlight and show, if any."""
        sections = course.source.sections
        ids = [section.id for section in sections]
        wanted = ref.section_id if ref is not None else section_id
        self.start_index: int | None = ids.index(wanted) if wanted in ids else None
        """The section opened at (None: the top of the text)."""
        self.current_index = self.start_index or 0
        """The section last gone to (by opening, choosing it, or n/p)."""
        self.headings: list[Static] = []
        """Each section's heading in the document, in order."""
        self.quote: PassageText | None = None
        """The paragraph holding the quote at `ref`, if the text has it."""
        self._anchor: Callable[[], None] | None = None
        """What the view was last placed at (the quote or a section), to place it again."""

    def compose(self) -> ComposeResult:
        course = self.course
        yield Static(literal(f"Course text — {course.title}"), id="source-title", markup=False)
        yield Static(
            literal("Esc to go back. Enter on a section goes to it; Tab switches list and text."),
            id="source-hint",
            markup=False,
        )
        with Horizontal(id="source-body"):
            yield OptionList(
                *(
                    Option(section_label(s.title, len(course.questions_in(s.id))))
                    for s in course.source.sections
                ),
                id="source-sections",
                markup=False,
            )
            with SourceDocument(id="source-document"):
                yield from self._compose_text()
        yield Footer()

    def _compose_text(self) -> ComposeResult:
        ref = self.ref
        for section in self.course.source.sections:
            heading = Static(literal(section.title), markup=False, classes="source-heading")
            self.headings.append(heading)
            yield heading
            for paragraph in section.paragraphs:
                quoted = (
                    ref is not None
                    and ref.section_id == section.id
                    and ref.paragraph_index == paragraph.index
                )
                widget = PassageText(
                    paragraph.text,
                    (ref.start, ref.end) if ref is not None and quoted else None,
                    classes="source-paragraph",
                )
                if quoted:
                    self.quote = widget
                yield widget

    @property
    def document(self) -> SourceDocument:
        return self.query_one("#source-document", SourceDocument)

    @property
    def section_list(self) -> OptionList:
        return self.query_one("#source-sections", OptionList)

    def on_mount(self) -> None:
        if self.start_index is not None:
            self.section_list.highlighted = self.start_index
        if self.quote is not None:
            self._anchor = self.show_quote
        elif self.start_index is not None:
            self._anchor = partial(self.go_to_section, self.start_index)

    def on_source_document_resized(self) -> None:
        # Positions are known only after layout, and change whenever the text rewraps
        # (terminal resized, list hidden, scrollbar shown): place the view again,
        # unless the reader has scrolled since.
        self.call_after_refresh(self._reposition)

    def _reposition(self) -> None:
        if self._anchor is not None and not self.document.reader_scrolled:
            self._anchor()

    def show_quote(self) -> None:
        """Scroll the quote into view: with its section heading above it if both fit."""
        quote = self.quote
        if quote is None or self.start_index is None:
            return
        first_row, row_count = quote.highlight_rows() or (0, 1)
        region = quote.virtual_region
        quote_top = region.y + quote.gutter.top + first_row
        heading = self.headings[self.start_index].virtual_region
        document = self.document
        if quote_top + row_count - heading.y <= document.scrollable_content_region.height:
            document.place(heading, top=True)
        else:
            document.place(Region(region.x, quote_top, region.width, row_count), center=True)

    def go_to_section(self, index: int) -> None:
        """Scroll the document so section `index` starts at the top."""
        if not self.headings:
            return
        index = max(0, min(index, len(self.headings) - 1))
        self.current_index = index
        self.section_list.highlighted = index
        self._anchor = partial(self.go_to_section, index)
        self.document.place(self.headings[index].virtual_region, top=True)

    def section_in_view(self) -> int:
        """The section being read: the last gone to if its heading shows, else the one on top."""
        document = self.document
        top = round(document.scroll_y)
        bottom = top + document.scrollable_content_region.height
        if self.headings and top <= self.headings[self.current_index].virtual_region.y < bottom:
            return self.current_index
        at_top = [i for i, h in enumerate(self.headings) if h.virtual_region.y <= top]
        return at_top[-1] if at_top else 0

    @on(OptionList.OptionSelected, "#source-sections")
    def section_chosen(self, event: OptionList.OptionSelected) -> None:
        self.go_to_section(event.option_index)

    def action_next_section(self) -> None:
        self.go_to_section(self.section_in_view() + 1)

    def action_previous_section(self) -> None:
        self.go_to_section(self.section_in_view() - 1)

    def action_back(self) -> None:
        self.app.pop_screen()
