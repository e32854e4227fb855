"""The course text (`source.md`): sections of plain paragraphs, and finding quotes in them.

Format: each section is a heading line `## Title {#id}` followed by paragraphs
separated by blank lines. A `# Title` line may stand before the first section.
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from pathlib import Path

from quiz.domain.model import Paragraph, Problem, Section, SourceRef, SourceText
from quiz.domain.text import find_control, fold, fold_with_map

_HEADING = re.compile(r"^##\s+(?P<title>.*?)\s*\{#(?P<id>[A-Za-z0-9][A-Za-z0-9_-]*)\}\s*$")


def parse_source(path: Path, text: str) -> tuple[SourceText, list[Problem]]:
    """Sections of the course text, and the problems found in it."""
    problems: list[Problem] = []
    sections: list[Section] = []
    seen: dict[str, int] = {}
    current: tuple[str, str, int] | None = None
    paragraphs: list[Paragraph] = []
    lines_of_paragraph: list[str] = []
    paragraph_line = 0

    def end_paragraph() -> None:
        nonlocal lines_of_paragraph
        if lines_of_paragraph:
            joined = " ".join(line.strip() for line in lines_of_paragraph)
            paragraphs.append(Paragraph(len(paragraphs), joined, paragraph_line))
            lines_of_paragraph = []

    def end_section() -> None:
        end_paragraph()
        if current is not None:
            section_id, title, line = current
            if not paragraphs:
                problems.append(
                    Problem(path, line, 1, f"section {section_id!r} has no text: add paragraphs")
                )
            sections.append(Section(section_id, title, line, tuple(paragraphs)))

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.rstrip()
        control = find_control(line)
        if control is not None:
            problems.append(
                Problem(
                    path,
                    number,
                    control + 1,
                    f"a control character (U+{ord(line[control]):04X}) in the text: "
                    "remove it; terminal escape sequences are not allowed",
                )
            )
        if line.startswith("#"):
            heading = _HEADING.match(line)
            if heading:
                end_section()
                section_id = heading["id"]
                if section_id in seen:
                    problems.append(
                        Problem(
                            path,
                            number,
                            1,
                            f"section id {section_id!r} is already used on line "
                            f"{seen[section_id]}: give each section its own id",
                        )
                    )
                seen[section_id] = number
                current = (section_id, heading["title"], number)
                paragraphs = []
                continue
            if line.startswith("# ") and current is None and not sections:
                continue  # the document's title
            problems.append(
                Problem(
                    path,
                    number,
                    1,
                    "a heading that is not a section: write sections as `## Title {#id}`",
                )
            )
            continue
        if not line.strip():
            end_paragraph()
            continue
        if current is None:
            problems.append(
                Problem(
                    path,
                    number,
                    1,
                    "text before the first section: put it under a `## Title {#id}` heading",
                )
            )
            continue
        if not lines_of_paragraph:
            paragraph_line = number
        lines_of_paragraph.append(line)
    end_section()
    if not sections and not problems:
        problems.append(
            Problem(path, 1, 1, "no sections found: start each section with `## Title {#id}`")
        )
    return SourceText(path, tuple(sections)), problems


@dataclass
class QuoteIndex:
    """Folded paragraphs of a course text, kept for finding many quotes quickly."""

    source: SourceText

    def __post_init__(self) -> None:
        self._folded: dict[str, list[tuple[str, list[int]]]] = {}

    def _section(self, section: Section) -> list[tuple[str, list[int]]]:
        folded = self._folded.get(section.id)
        if folded is None:
            folded = [fold_with_map(p.text) for p in section.paragraphs]
            self._folded[section.id] = folded
        return folded

    def find(self, section_id: str, quote: str) -> SourceRef | None:
        """Where `quote` stands in the section, matched with `fold()`; None if it does not."""
        section = self.source.section(section_id)
        wanted = fold(quote)
        if section is None or not wanted:
            return None
        for index, (folded, positions) in enumerate(self._section(section)):
            at = folded.find(wanted)
            if at >= 0:
                start = positions[at]
                end = positions[at + len(wanted) - 1] + 1
                return SourceRef(section_id, index, start, end)
        return None

    def sections_containing(self, quote: str) -> list[str]:
        wanted = fold(quote)
        return [
            s.id
            for s in self.source.sections
            if any(wanted in folded for folded, _ in self._section(s))
        ]

    def closest(self, section_id: str, quote: str) -> tuple[Paragraph, str] | None:
        """The paragraph of the section most like `quote`, and its closest run of words."""
        section = self.source.section(section_id)
        if section is None or not section.paragraphs:
            return None
        wanted = fold(quote)
        size = max(1, len(wanted.split(" ")))
        best: tuple[float, Paragraph, str] | None = None
        for paragraph in section.paragraphs:
            words = paragraph.text.split()
            folded_words = [fold(word) for word in words]
            for width in {max(1, size - 1), size, size + 1}:
                for start in range(0, max(1, len(words) - width + 1)):
                    window = " ".join(folded_words[start : start + width])
                    ratio = difflib.SequenceMatcher(None, wanted, window).ratio()
                    if best is None or ratio > best[0]:
                        shown = " ".join(words[start : start + width]).rstrip(".,;:")
                        best = (ratio, paragraph, shown)
        assert best is not None
        return best[1], best[2]
