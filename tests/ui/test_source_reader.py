"""The passage view and the source reader: what they show, where they scroll, what keys do."""

from __future__ import annotations

from functools import partial
from pathlib import Path

import pytest
from textual.app import App
from textual.geometry import Region
from textual.widget import Widget
from textual.widgets import Static

from quiz.domain.loader import load_course
from quiz.domain.model import (
    Bank,
    Course,
    Paragraph,
    Question,
    QuestionType,
    Section,
    SourceRef,
    SourceText,
)
from quiz.domain.text import fold
from quiz.ui.screens.source import SourceReaderScreen
from quiz.ui.widgets.passage import PassageText, PassageView, highlight_spans, passage_content
from tests.support.paths import BUNDLED
from tests.support.source_reader import (
    PassageApp,
    ReaderApp,
    heading_at_top,
    quote_in_view,
    quote_rows,
)
from tests.support.waiting import laid_out, shown, wait_for

MARKUP_TEXT = "Write [bold]this[/] or [@click=app.quit]quit[/] and nothing happens."
LONG_TEXT = (
    "Swelling usually eases within one to three days, and the treated area may be "
    "tender to the touch while it does. "
) * 3


def question(number: int, section: str, ref: SourceRef, quote: str) -> Question:
    return Question(
        id=f"{section}-{number:02}",
        section=section,
        type=QuestionType.TRUE_FALSE,
        prompt="Is it so?",
        choices=(),
        answer=("true",),
        explanation="Because the text says so.",
        source=quote,
        source_ref=ref,
    )


QUOTE = SourceRef("swelling", 3, 0, 23)
"""A quote far enough down that the reader must scroll to show it."""


def sample_course() -> Course:
    paragraphs = {
        "procedure": [
            "Laser skin tightening heats the skin beneath its surface.",
            "The heat makes the skin cells there draw together.",
        ],
        "markup": [MARKUP_TEXT, "A bell\x07 and an escape\x1b[2J stay out of the terminal."],
        "swelling": [LONG_TEXT, LONG_TEXT, LONG_TEXT, "Swelling eases in days. " + LONG_TEXT],
        "bruising": [LONG_TEXT, LONG_TEXT, LONG_TEXT, LONG_TEXT],
    }
    titles = {
        "procedure": "The procedure",
        "markup": "Odd text [b]",
        "swelling": "Swelling",
        "bruising": "Bruising",
    }
    sections = tuple(
        Section(
            section_id,
            titles[section_id],
            1,
            tuple(Paragraph(i, text, 1) for i, text in enumerate(texts)),
        )
        for section_id, texts in paragraphs.items()
    )
    questions = (
        question(1, "procedure", SourceRef("procedure", 0, 0, 21), "Laser skin tightening"),
        question(2, "procedure", SourceRef("procedure", 1, 9, 19), "makes the skin"),
        question(1, "markup", SourceRef("markup", 0, 6, 12), "[bold]"),
        question(1, "swelling", QUOTE, "Swelling eases in days."),
    )
    return Course(
        id="sample",
        title="Sample [i]course[/i]",
        description="",
        path=Path("."),
        source=SourceText(Path("source.md"), sections),
        banks=(Bank(Path("bank.yaml"), "all", "All", questions),),
        exams={},
        version="sha256:0",
    )


def shown_text(widget: Widget) -> str:
    """The text a widget draws, its lines joined with spaces (so wrapping does not matter)."""
    strips = widget.render_lines(Region(0, 0, widget.size.width, widget.size.height))
    return " ".join(" ".join(strip.text for strip in strips).split())


def focused(app: App[None]) -> Widget | None:
    """The focused widget (a call, so mypy does not narrow it between key presses)."""
    return app.focused


def laid_out_at_width(reader: SourceReaderScreen, width: int) -> bool:
    """Has the reader been laid out for a terminal `width` columns wide? (The text reaches
    the right edge, so a new width shows there once the new layout is done.)"""
    return reader.document.region.right == width


def resized_with_quote_in_view(reader: SourceReaderScreen, width: int) -> bool:
    return laid_out_at_width(reader, width) and quote_in_view(reader)


# --- pure helpers ---


def test_highlight_spans_mark_the_span() -> None:
    text, spans = highlight_spans("one two three", 4, 7)
    assert text == "one two three"
    assert {(span.start, span.end) for span in spans} == {(4, 7)}


def test_highlight_spans_follow_removed_control_characters() -> None:
    text, spans = highlight_spans("a\x1b[2Jb quote\x07d end", 7, 14)
    assert text == "a[2Jb quoted end"
    assert {text[span.start : span.end] for span in spans} == {"quoted"}


@pytest.mark.parametrize(("start", "end"), [(5, 5), (9, 3), (50, 60)])
def test_highlight_spans_without_a_span(start: int, end: int) -> None:
    assert highlight_spans("one two", start, end) == ("one two", [])


def test_highlight_spans_clip_to_the_text() -> None:
    text, spans = highlight_spans("one two", 4, 99)
    assert {text[span.start : span.end] for span in spans} == {"two"}


def test_passage_content_is_literal() -> None:
    content = passage_content(MARKUP_TEXT, (6, 12))
    assert content.plain == MARKUP_TEXT
    assert content.plain[6:12] == "[bold]"


# --- PassageView ---


async def test_passage_view_shows_title_and_highlighted_quote() -> None:
    course = sample_course()
    app = PassageApp(course, SourceRef("procedure", 1, 9, 23))
    async with app.run_test(size=(60, 12)) as pilot:
        view = app.query_one(PassageView)
        passage = view.passage_text
        assert passage is not None
        await wait_for(pilot, lambda: laid_out(passage), what="the passage laid out")
        assert shown_text(view.query_one(".passage--title", Static)) == "The procedure"
        assert passage.highlighted_text == "makes the skin"
        # The quote stands out without colour (NO_COLOR, monochrome): bold and underlined.
        strips = passage.render_lines(Region(0, 0, *passage.size))
        quoted = [seg for strip in strips for seg in strip if seg.text.strip() == "makes the skin"]
        assert quoted
        assert all(seg.style is not None and seg.style.bold for seg in quoted)
        assert all(seg.style is not None and seg.style.underline for seg in quoted)
        assert shown_text(passage) == "The heat makes the skin cells there draw together."


async def test_passage_view_shows_markup_literally_and_runs_nothing() -> None:
    app = PassageApp(sample_course(), SourceRef("markup", 0, 6, 12))
    async with app.run_test(size=(80, 12)) as pilot:
        passage = app.query_one(PassageText)
        await wait_for(pilot, lambda: laid_out(passage), what="the passage laid out")
        assert passage.highlighted_text == "[bold]"
        assert MARKUP_TEXT in shown_text(passage)
        strips = passage.render_lines(Region(0, 0, *passage.size))
        styles = [segment.style for strip in strips for segment in strip]
        assert not any(style is not None and "@click" in style.meta for style in styles)
        await pilot.click(passage, offset=(30, 0))
        await pilot.pause()
        assert app.is_running
        assert app.return_code is None


async def test_passage_view_wraps_at_any_width() -> None:
    for width in (1, 5, 20, 200):
        app = PassageApp(sample_course(), SourceRef("swelling", 0, 0, 8))
        async with app.run_test(size=(width, 30)) as pilot:
            passage = app.query_one(PassageText)
            await wait_for(pilot, partial(laid_out, passage), what=f"the passage at width {width}")
            assert passage.highlighted_text == "Swelling"
            assert passage.size.width <= width
            assert shown_text(passage).replace(" ", "") == LONG_TEXT.replace(" ", "")


async def test_passage_view_without_the_paragraph_says_so() -> None:
    app = PassageApp(sample_course(), SourceRef("swelling", 9, 0, 8))
    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(PassageView)
        assert view.passage_text is None
        missing = view.query_one(".passage--missing", Static)
        await wait_for(pilot, lambda: laid_out(missing), what="the missing-paragraph note laid out")
        assert "no paragraph 10" in shown_text(missing)


async def test_passage_view_shows_another_passage_in_the_same_widgets() -> None:
    """As practice's one feedback panel does from one answer to the next."""
    course = sample_course()
    app = PassageApp(course, SourceRef("procedure", 1, 9, 23))
    async with app.run_test(size=(80, 12)) as pilot:
        view = app.query_one(PassageView)
        title = view.query_one(".passage--title", Static)
        first = view.passage_text
        assert first is not None
        view.show(SourceRef("swelling", 0, 0, 8))
        assert view.passage_text is first, "the paragraph's widget, reused"
        assert first.highlighted_text == "Swelling"
        await wait_for(
            pilot,
            lambda: shown_text(first) == " ".join(LONG_TEXT.split()),
            what="the other paragraph drawn",
        )
        assert shown_text(title) == course.section_title("swelling")

        view.show(SourceRef("swelling", 9, 0, 8))  # the course text has no such paragraph
        assert view.passage_text is None
        await wait_for(
            pilot,
            lambda: (
                [shown_text(w) for w in view.query(".passage--missing").results(Static)]
                == ["The course text has no paragraph 10 in section 'swelling'."]
                and not view.query(PassageText)
            ),
            what="the missing-paragraph note instead",
        )

        view.show(SourceRef("procedure", 1, 9, 23))
        passage = view.passage_text
        assert passage is not None and passage.highlighted_text == "makes the skin"
        await wait_for(
            pilot,
            lambda: not view.query(".passage--missing") and laid_out(passage),
            what="the paragraph back",
        )
        assert shown_text(title) == "The procedure"


async def test_control_characters_are_not_shown() -> None:
    app = PassageApp(sample_course(), SourceRef("markup", 1, 22, 25))
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        passage = app.query_one(PassageText)
        assert "\x1b" not in passage.passage.plain
        assert "\x07" not in passage.passage.plain
        assert passage.highlighted_text == "[2J"


# --- the reader ---


async def test_reader_opened_at_a_quote_highlights_it_in_view() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course(), ref=QUOTE))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: quote_in_view(reader), what="the quote in view")
        assert reader.quote is not None
        assert reader.quote.highlighted_text == "Swelling eases in days."
        assert reader.document.scroll_y > 0
        viewport = reader.document.scrollable_content_region
        assert viewport.contains_region(quote_rows(reader))
        assert reader.section_list.highlighted == 2
        assert shown_text(reader.query_one("#source-title", Static)).startswith(
            "Course text — Sample [i]course[/i]"
        )
        assert "Esc to go back" in shown_text(reader.query_one("#source-hint", Static))


async def test_reader_keeps_the_quote_in_view_when_resized() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course(), ref=QUOTE))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: quote_in_view(reader), what="the quote in view")
        for width, height in ((50, 16), (120, 30), (40, 12)):
            await pilot.resize_terminal(width, height)
            await wait_for(
                pilot,
                partial(resized_with_quote_in_view, reader, width),
                what=f"the quote in view at {width}x{height}",
            )


async def test_reader_leaves_a_hand_scrolled_view_alone_when_resized() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course(), ref=QUOTE))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        document = reader.document
        await wait_for(pilot, lambda: quote_in_view(reader), what="the quote in view")
        await pilot.press("home")
        await wait_for(pilot, lambda: heading_at_top(reader, 0), what="the top of the text shown")
        assert document.scroll_y == 0
        await pilot.resize_terminal(70, 20)
        await wait_for(pilot, lambda: laid_out_at_width(reader, 70), what="the layout at 70x20")
        # Placing the view again would come after that layout: give it the chance to.
        await pilot.pause()
        assert document.scroll_y == 0
        assert heading_at_top(reader, 0)


async def test_reader_shows_markup_literally() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course(), section_id="markup"))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: heading_at_top(reader, 1), what="section 2 at the top")
        assert shown_text(reader.headings[1]) == "Odd text [b]"
        markup_paragraph = reader.document.query(PassageText)[2]
        assert MARKUP_TEXT in shown_text(markup_paragraph)
        await pilot.click(markup_paragraph, offset=(30, 0))
        await pilot.pause()
        assert app.is_running
        assert app.screen is reader


async def test_section_list_gives_titles_and_question_counts() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        options = app.reader.section_list.options
        labels = [str(option.prompt) for option in options]
        assert labels == [
            "The procedure\n2 questions",
            "Odd text [b]\n1 question",
            "Swelling\n1 question",
            "Bruising\n0 questions",
        ]


async def test_choosing_a_section_in_the_list_scrolls_there() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course()))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: heading_at_top(reader, 0), what="the top of the text shown")
        assert reader.document.scroll_y == 0
        await pilot.press("tab")
        assert focused(app) is reader.section_list
        await pilot.press("down", "down", "enter")
        await wait_for(pilot, lambda: heading_at_top(reader, 2), what="section 3 at the top")
        assert reader.document.scroll_y > 0


async def test_clicking_a_section_scrolls_there() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course()))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        section_list = reader.section_list
        await wait_for(pilot, lambda: laid_out(section_list), what="the section list laid out")
        # Each entry is two rows (title, count) inside the list's border.
        await pilot.click(section_list, offset=(3, 1 + 2 * 3))
        await wait_for(pilot, lambda: heading_at_top(reader, 3), what="section 4 at the top")


async def test_next_and_previous_section_keys() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course()))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: heading_at_top(reader, 0), what="the top of the text shown")
        assert focused(app) is reader.document
        await pilot.press("n")
        await wait_for(pilot, lambda: heading_at_top(reader, 1), what="n: section 2 at the top")
        await pilot.press("n")
        await wait_for(pilot, lambda: heading_at_top(reader, 2), what="n: section 3 at the top")
        assert reader.section_list.highlighted == 2
        await pilot.press("p")
        await wait_for(pilot, lambda: heading_at_top(reader, 1), what="p: section 2 at the top")
        await pilot.press("p", "p")
        assert reader.document.scroll_y == 0


async def test_next_section_after_scrolling_by_hand() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course()))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: heading_at_top(reader, 0), what="the top of the text shown")
        await pilot.press("pagedown", "pagedown")
        await wait_for(pilot, lambda: reader.section_in_view() > 0, what="section 1 scrolled past")
        in_view = reader.section_in_view()
        await pilot.press("n")
        await wait_for(
            pilot,
            lambda: heading_at_top(reader, in_view + 1),
            what=f"n: section {in_view + 2} at the top",
        )


async def test_opened_at_a_section_shows_its_heading_at_the_top() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course(), section_id="swelling"))
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for(pilot, lambda: heading_at_top(app.reader, 2), what="section 3 at the top")
        assert app.reader.quote is None


async def test_tab_switches_between_list_and_text() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course()))
    async with app.run_test(size=(80, 24)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: focused(app) is reader.document, what="the text focused")
        await pilot.press("tab")
        assert focused(app) is reader.section_list
        await pilot.press("tab")
        assert focused(app) is reader.document


@pytest.mark.parametrize("key", ["escape", "q"])
async def test_back_key_closes_the_reader(key: str) -> None:
    app = ReaderApp(SourceReaderScreen(sample_course(), ref=QUOTE))
    async with app.run_test(size=(80, 24)) as pilot:
        assert await shown(pilot, SourceReaderScreen) is app.reader
        await pilot.press(key)
        await wait_for(pilot, lambda: app.screen is not app.reader, what="the reader closed")
        assert len(app.screen_stack) == 1
        assert app.is_running


async def test_narrow_terminal_hides_the_list() -> None:
    app = ReaderApp(SourceReaderScreen(sample_course(), ref=QUOTE))
    async with app.run_test(size=(59, 20)) as pilot:
        reader = app.reader
        await wait_for(pilot, lambda: quote_in_view(reader), what="the quote in view")
        assert reader.section_list.region.area == 0
        await pilot.press("tab")
        assert focused(app) is reader.document


@pytest.mark.parametrize("size", [(1, 1), (6, 3), (7, 5), (30, 8), (60, 24), (200, 60)])
async def test_any_size_works(size: tuple[int, int]) -> None:
    app = ReaderApp(SourceReaderScreen(sample_course(), ref=QUOTE))
    async with app.run_test(size=size) as pilot:
        await shown(pilot, SourceReaderScreen)
        await pilot.press("n", "p", "tab", "down", "enter", "pagedown")
        await pilot.pause()
        assert app.screen is app.reader
        await pilot.press("escape")
        await wait_for(pilot, lambda: app.screen is not app.reader, what="the reader closed")


# --- the bundled course ---


async def test_every_bundled_question_quote_is_highlighted_in_view() -> None:
    load = load_course(BUNDLED)
    course = load.course
    assert course is not None, load.problems
    assert course.questions

    class Blank(App[None]):
        """No stylesheet of its own: the reader and the passage bring theirs."""

    app = Blank()
    checked: set[tuple[str, int]] = set()
    async with app.run_test(size=(80, 24)) as pilot:
        for item in course.questions:
            ref = item.source_ref
            reader = SourceReaderScreen(course, ref=ref)
            await app.push_screen(reader)
            assert reader.quote is not None, item.id
            assert fold(reader.quote.highlighted_text) == fold(item.source), item.id
            # Placing the view needs a layout, the slow part: once for each paragraph.
            if (ref.section_id, ref.paragraph_index) not in checked:
                checked.add((ref.section_id, ref.paragraph_index))
                await wait_for(
                    pilot, partial(quote_in_view, reader), what=f"{item.id}: its quote in view"
                )
            await app.pop_screen()
