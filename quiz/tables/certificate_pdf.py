"""A finished exam's certificate (or, for a failed one, its result statement) as one
PDF page: the only module that imports fpdf2 and fontTools, imported by
`quiz certificate` and by the Results screen's certificate key when they write one
(never on the app's first-screen path nor the report's).

The text is set in DejaVu Sans, regular and bold, bundled with the program
(quiz/fonts, with its licence), never a font of the computer: a certificate looks the
same wherever it is made. Every text is put in Unicode NFC first. A text with a
character these fonts do not have, or of a script that needs shaping (Arabic, Hebrew,
Syriac, Thaana, N'Ko, the Indic scripts and their neighbours: fpdf2 would set their
letters unjoined or in the wrong order) is refused with a message naming the
characters, rather than printed wrongly. Latin (Vietnamese too), Greek and Cyrillic
names print as typed.

What the page says comes from quiz.tables.certified (the lines `quiz verify` prints
too).
"""

from __future__ import annotations

import os
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import cache
from pathlib import Path

from quiz.domain.verification import ExamRecord
from quiz.tables.certified import (
    Titles,
    attempt_moment,
    code_kind_words,
    record_lines,
)

FONT_DIR = Path(__file__).resolve().parent.parent / "fonts"
REGULAR_FONT = FONT_DIR / "DejaVuSans.ttf"
BOLD_FONT = FONT_DIR / "DejaVuSans-Bold.ttf"
FAMILY = "DejaVu"

# Scripts whose letters change shape with their neighbours, join, reorder or run right
# to left: fpdf2 without a shaping engine cannot set them rightly. (first, last, script)
SHAPED_SCRIPTS: tuple[tuple[int, int, str], ...] = (
    (0x0590, 0x05FF, "Hebrew"),
    (0xFB1D, 0xFB4F, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0x0870, 0x08FF, "Arabic"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0x10E60, 0x10E7F, "Arabic"),
    (0x1EE00, 0x1EEFF, "Arabic"),
    (0x0700, 0x074F, "Syriac"),
    (0x0860, 0x086F, "Syriac"),
    (0x0780, 0x07BF, "Thaana"),
    (0x07C0, 0x07FF, "N'Ko"),
    (0x0800, 0x083F, "Samaritan"),
    (0x0840, 0x085F, "Mandaic"),
    (0x0900, 0x097F, "Devanagari"),
    (0xA8E0, 0xA8FF, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0A00, 0x0A7F, "Gurmukhi"),
    (0x0A80, 0x0AFF, "Gujarati"),
    (0x0B00, 0x0B7F, "Oriya"),
    (0x0B80, 0x0BFF, "Tamil"),
    (0x0C00, 0x0C7F, "Telugu"),
    (0x0C80, 0x0CFF, "Kannada"),
    (0x0D00, 0x0D7F, "Malayalam"),
    (0x0D80, 0x0DFF, "Sinhala"),
    (0x1CD0, 0x1CFF, "Vedic"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x0E80, 0x0EFF, "Lao"),
    (0x0F00, 0x0FFF, "Tibetan"),
    (0x1000, 0x109F, "Myanmar"),
    (0xA9E0, 0xA9FF, "Myanmar"),
    (0xAA60, 0xAA7F, "Myanmar"),
    (0x1100, 0x11FF, "Hangul Jamo"),
    (0x1780, 0x17FF, "Khmer"),
    (0x19E0, 0x19FF, "Khmer"),
    (0x1800, 0x18AF, "Mongolian"),
    (0x1A20, 0x1AAF, "Tai Tham"),
    (0x1B00, 0x1B7F, "Balinese"),
    (0xA980, 0xA9DF, "Javanese"),
)
DIRECTION_CONTROLS = frozenset(
    [0x200C, 0x200D, 0x200E, 0x200F, 0x061C, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
)
"""Joiners and direction marks: they ask for shaping or reordering."""


class CertificateRefused(Exception):
    """A certificate that cannot be made as asked; `message` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class CertificateContent:
    """Everything on the page besides the record: what the store does not keep."""

    titles: Titles
    valid_until: date | None  # the preset's validity, for a pass (None: not shown)
    app_version: str


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


@cache
def _covered() -> frozenset[int]:
    """The code points both bundled fonts have a glyph for."""
    from fontTools.ttLib import TTFont  # type: ignore[import-untyped]

    covered: set[int] | None = None
    for path in (REGULAR_FONT, BOLD_FONT):
        font = TTFont(str(path), lazy=True)
        try:
            points = set(font.getBestCmap())
        finally:
            font.close()
        covered = points if covered is None else covered & points
    return frozenset(covered or ())


def _shaped_script(point: int) -> str | None:
    for first, last, script in SHAPED_SCRIPTS:
        if first <= point <= last:
            return script
    return None


def unprintable(text: str) -> dict[str, list[str]]:
    """The characters of `text` (after NFC) that a certificate cannot print, by why:
    `{"Arabic needs shaping, which this certificate cannot do": ["'م' U+0645 ARABIC
    LETTER MEEM", ...]}` (empty when every character prints)."""
    covered = _covered()
    found: dict[str, list[str]] = {}
    seen: set[str] = set()
    for char in nfc(text):
        if char in seen:
            continue
        point = ord(char)
        script = _shaped_script(point)
        if script is not None:
            why = f"{script} needs shaping, which this certificate cannot do"
        elif point in DIRECTION_CONTROLS:
            why = "joining or direction controls"
        elif unicodedata.category(char) in ("Cc", "Cf", "Co", "Cs", "Cn"):
            why = "control or unassigned characters"
        elif point not in covered:
            why = "not in the certificate's font (DejaVu Sans)"
        else:
            continue
        seen.add(char)
        name = unicodedata.name(char, "no name")
        shown = repr(char) if unicodedata.category(char)[0] not in "CZ" else "(invisible)"
        found.setdefault(why, []).append(f"{shown} U+{point:04X} {name}")
    return found


def check_printable(texts: Iterable[tuple[str, str]]) -> None:
    """Raise CertificateRefused naming every text (what it is, and its characters) that
    cannot be printed."""
    problems = []
    for what, text in texts:
        bad = unprintable(text)
        if bad:
            reasons = "; ".join(f"{why}: {', '.join(chars)}" for why, chars in bad.items())
            problems.append(f"{what} {nfc(text)!r} has characters it cannot print ({reasons})")
    if problems:
        raise CertificateRefused(
            "The certificate was not made: "
            + ". ".join(problems)
            + ". Certificates print Latin (Vietnamese too), Greek and Cyrillic letters, in "
            "their bundled font only, so that they look the same on every computer. The "
            "exam and its verification code are kept as they are (quiz verify prints them): "
            "write this certificate by hand."
        )


def default_file_name(record: ExamRecord) -> str:
    """`certificate-Ana-Ruiz-2026-11-23.pdf` (a failed exam: `result-statement-...`): the
    learner's name (letters and digits kept, whatever their script; the rest a dash) and
    the date the exam finished, on the attempt's own clock."""
    name = "".join(ch if ch.isalnum() else "-" for ch in nfc(record.learner))
    name = "-".join(part for part in name.split("-") if part)[:60] or "learner"
    day = attempt_moment(record.finished_at, record.utc_offset_minutes).date()
    kind = "certificate" if record.passed else "result-statement"
    return f"{kind}-{name}-{day.isoformat()}.pdf"


def page_texts(
    record: ExamRecord, code: str | None, content: CertificateContent
) -> list[tuple[str, str]]:
    """Every text the page holds, each named (for a refusal): the record's lines and
    the titles."""
    texts = [
        (f"the {label.lower()}", value)
        for label, value in record_lines(record, code, content.titles, content.valid_until)
    ]
    texts[0] = ("the learner's name", record.learner)
    return texts


def render(record: ExamRecord, code: str | None, content: CertificateContent) -> bytes:
    """The certificate (a pass) or result statement (a fail) of `record` as PDF bytes.
    Raises CertificateRefused when a text cannot be printed."""
    check_printable(page_texts(record, code, content))
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    passed = bool(record.passed)
    title = "Certificate" if passed else "Result statement"
    pdf = FPDF(orientation="P", unit="mm", format="A4")
    pdf.set_margins(20, 20, 20)
    pdf.set_auto_page_break(False)
    pdf.add_font(FAMILY, "", str(REGULAR_FONT))
    pdf.add_font(FAMILY, "B", str(BOLD_FONT))
    # A fixed date (the exam's finish): the same record makes the same file.
    finished = datetime.strptime(record.finished_at, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=UTC)
    pdf.set_creation_date(finished)
    pdf.set_title(nfc(f"{title}: {record.learner}"))
    pdf.set_creator(f"quiz {content.app_version}")
    pdf.set_producer(f"quiz {content.app_version}")
    pdf.add_page()
    width = pdf.w - pdf.l_margin - pdf.r_margin

    def centred(text: str, size: float, style: str = "", height: float | None = None) -> None:
        pdf.set_font(FAMILY, style, size)
        size_now = size
        while pdf.get_string_width(nfc(text)) > width and size_now > 10:
            size_now -= 1
            pdf.set_font(FAMILY, style, size_now)
        pdf.multi_cell(
            width,
            height or size_now * 0.5,
            nfc(text),
            align="C",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )

    pdf.set_text_color(40, 40, 40)
    pdf.set_draw_color(90, 90, 90)
    pdf.rect(12, 12, pdf.w - 24, pdf.h - 24)
    pdf.set_y(26)
    centred(title.upper(), 26, "B", 12)
    centred("of a passed exam" if passed else "of an exam taken and not passed", 12, "", 7)
    pdf.ln(8)
    centred(record.learner, 24, "B", 12)
    pdf.ln(2)
    centred("passed the exam" if passed else "took the exam and did not pass it", 12, "", 7)
    pdf.ln(1)
    course = content.titles.course or record.course
    centred(course, 16, "B", 8)
    if record.preset is not None:
        centred(content.titles.preset or record.preset, 12, "", 7)
    pdf.ln(6)

    lines = record_lines(record, code, content.titles, content.valid_until)
    lines = [line for line in lines if line[0] != "Verification code"]
    lines.append(("App version", f"quiz {content.app_version}"))
    label_width = 48
    for label, value in lines:
        bold = label in ("Result", "Learner") or (label == "Critical questions" and passed)
        pdf.set_x(pdf.l_margin)
        pdf.set_font(FAMILY, "", 9.5)
        pdf.set_text_color(100, 100, 100)
        pdf.cell(label_width, 6.2, label, new_x=XPos.RIGHT, new_y=YPos.TOP)
        pdf.set_text_color(30, 30, 30)
        pdf.set_font(FAMILY, "B" if bold else "", 10.5)
        pdf.multi_cell(width - label_width, 6.2, nfc(value), new_x=XPos.LMARGIN, new_y=YPos.NEXT)

    _signature(pdf, width)
    if code is not None:
        _code_box(pdf, code, width)
    return bytes(pdf.output())


def _signature(pdf: object, width: float) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    assert isinstance(pdf, FPDF)
    top = max(pdf.get_y() + 12, 205.0)
    pdf.set_y(top)
    pdf.set_font(FAMILY, "", 9.5)
    pdf.set_text_color(100, 100, 100)
    column = (width - 10) / 2
    for index, label in enumerate(("Manager's signature", "Manager's name and date")):
        x = pdf.l_margin + index * (column + 10)
        pdf.line(x, top + 10, x + column, top + 10)
        pdf.set_xy(x, top + 11)
        pdf.cell(column, 5, label, new_x=XPos.RIGHT, new_y=YPos.TOP)


def _code_box(pdf: object, code: str, width: float) -> None:
    from fpdf import FPDF
    from fpdf.enums import XPos, YPos

    assert isinstance(pdf, FPDF)
    top = pdf.h - 20 - 42
    pdf.set_draw_color(150, 150, 150)
    pdf.rect(pdf.l_margin, top, width, 34)
    pdf.set_xy(pdf.l_margin + 4, top + 3)
    pdf.set_text_color(100, 100, 100)
    pdf.set_font(FAMILY, "", 9.5)
    pdf.cell(width - 8, 5, "Verification code", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + 4)
    pdf.set_text_color(20, 20, 20)
    pdf.set_font(FAMILY, "B", 20)
    pdf.cell(width - 8, 10, code, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_x(pdf.l_margin + 4)
    pdf.set_text_color(80, 80, 80)
    pdf.set_font(FAMILY, "", 8.5)
    pdf.multi_cell(
        width - 8,
        4.2,
        f"Check it on the clinic's computer with: quiz verify {code}. It is "
        f"{code_kind_words(code)}. It shows whether the stored record of this exam "
        "(every answer, the score and the lines above) is still as it was when the exam "
        "finished.",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )


def write_new(target: Path, data: bytes, *, overwrite: bool) -> None:
    """Write `data` to `target` through a temporary file beside it; an existing file is
    replaced only with `overwrite` (otherwise FileExistsError, and nothing is written).
    Raises OSError."""
    temporary = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    with open(temporary, "xb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    try:
        if overwrite:
            os.replace(temporary, target)
        else:
            try:
                os.link(temporary, target)  # fails if it exists, even if made meanwhile
            except FileExistsError:
                raise
            except OSError:  # no hard links here (FAT, some network shares)
                if target.exists():
                    raise FileExistsError(str(target)) from None
                os.replace(temporary, target)
    finally:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass


def save_into(
    folder: Path, record: ExamRecord, code: str | None, content: CertificateContent
) -> Path:
    """Make the certificate and write it into `folder` (made if missing) under its
    default name, or the first free `name (2).pdf`...: never over a file. The path
    written. Raises CertificateRefused, OSError."""
    data = render(record, code, content)
    folder.mkdir(parents=True, exist_ok=True)
    for _try in range(20):
        target = free_name(folder, default_file_name(record))
        try:
            write_new(target, data, overwrite=False)
        except FileExistsError:
            continue  # made meanwhile (another window): the next free name
        return target
    raise FileExistsError(str(folder / default_file_name(record)))


def free_name(folder: Path, name: str) -> Path:
    """`folder/name`, or `name (2).pdf`, `name (3).pdf`... the first that is not there
    (the Results screen never overwrites a certificate)."""
    candidate = folder / name
    stem, suffix = candidate.stem, candidate.suffix
    number = 2
    while candidate.exists():
        candidate = folder / f"{stem} ({number}){suffix}"
        number += 1
    return candidate
