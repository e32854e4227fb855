"""SVG snapshots of the source reader and the passage view (80x24 unless said)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from textual.pilot import Pilot

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
from quiz.ui.screens.source import SourceReaderScreen
from tests.support.source_reader import PassageApp, ReaderApp, quote_in_view
from tests.support.waiting import laid_out, wait_for

SnapCompare = Callable[..., bool]

TEXT = {
    ("procedure", "What the procedure does"): [
        "Laser skin tightening is a newer treatment for clients who want firmer, "
        "younger-looking skin.",
        "The treatment uses laser light to heat the skin beneath its surface. "
        "Literal text: [bold]not bold[/] and [@click=app.quit]not a link[/].",
    ],
    ("swelling", "Swelling"): [
        "Laser skin tightening disturbs tissue beneath the skin. Damage to tissue can cause "
        "inflammation, and inflammation brings swelling.",
        "Any treatment that disturbs tissue beneath the skin can bring puffiness or swelling "
        "as a reaction to that disturbance.",
        "Swelling usually eases within one to three days. The treated area may also be "
        "tender to the touch.",
    ],
    ("bruising", "Bruising"): [
        "Disturbing tissue can damage the skin so that capillaries, the small blood vessels "
        "beneath the top layer of skin, break. Broken capillaries cause bruising.",
        "Like swelling, bruising usually fades within a few days.",
    ],
}
QUOTE = SourceRef("swelling", 2, 0, 48)  # "Swelling usually eases within one to three days."
MARKUP_QUOTE = SourceRef("procedure", 1, 83, 100)  # "[bold]not bold[/]"


def snapshot_course() -> Course:
    sections = tuple(
        Section(section_id, title, 1, tuple(Paragraph(i, t, 1) for i, t in enumerate(texts)))
        for (section_id, title), texts in TEXT.items()
    )
    questions = tuple(
        Question(
            id=f"{section_id}-{n}",
            section=section_id,
            type=QuestionType.TRUE_FALSE,
            prompt="Is it so?",
            choices=(),
            answer=("true",),
            explanation="",
            source="",
            source_ref=SourceRef(section_id, 0, 0, 5),
        )
        for section_id, count in (("procedure", 3), ("swelling", 9), ("bruising", 1))
        for n in range(count)
    )
    return Course(
        id="laser",
        title="Laser skin tightening",
        description="",
        path=Path("."),
        source=SourceText(Path("source.md"), sections),
        banks=(Bank(Path("bank.yaml"), "all", "All", questions),),
        exams={},
        version="sha256:0",
    )


def placed(reader: SourceReaderScreen) -> bool:
    """Has the reader scrolled to where it was opened? (It does so after layout; each
    reader here opens at a quote or section below the top of the text.)"""
    document = reader.document
    return (
        laid_out(document)
        and document.scroll_y > 0
        and (reader.quote is None or quote_in_view(reader))
    )


async def settle(pilot: Pilot[None]) -> None:
    """Let the reader place its view."""
    app = pilot.app
    await wait_for(
        pilot,
        lambda: isinstance(app.screen, SourceReaderScreen) and placed(app.screen),
        what="the reader's view placed",
    )


def test_reader_at_a_quote(snap_compare: SnapCompare) -> None:
    app = ReaderApp(SourceReaderScreen(snapshot_course(), ref=QUOTE))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle)


def test_reader_at_a_quote_narrow(snap_compare: SnapCompare) -> None:
    app = ReaderApp(SourceReaderScreen(snapshot_course(), ref=QUOTE))
    assert snap_compare(app, terminal_size=(50, 16), run_before=settle)


def test_reader_with_the_list_focused(snap_compare: SnapCompare) -> None:
    app = ReaderApp(SourceReaderScreen(snapshot_course(), section_id="bruising"))
    assert snap_compare(app, terminal_size=(80, 24), run_before=settle, press=["tab"])


def test_passage_view(snap_compare: SnapCompare) -> None:
    app = PassageApp(snapshot_course(), QUOTE)
    assert snap_compare(app, terminal_size=(80, 24))


def test_passage_view_with_markup_text(snap_compare: SnapCompare) -> None:
    app = PassageApp(snapshot_course(), MARKUP_QUOTE)
    assert snap_compare(app, terminal_size=(40, 12))
