"""`quiz report --format html`: the page read back as a person reads it (the visible
table cells and the SVG `<text>` labels, never data tucked into the page) equals
`quiz report --format json` on the same store; names and ids are escaped; the page is
well-formed and self-contained.

The strict parser is the standard library's XML parser (expat): the page is written
XHTML-compatible, so expat refuses any unclosed or mismatched element, unquoted
attribute, stray `<` or `&`, or entity other than a numeric one or XML's five. html5lib
is not installed, and html.parser forgives all of those; it is used on top only to
check what XML does not know (HTML's void elements, unique ids).
"""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path
from typing import Any, ClassVar

import pytest

from quiz.storage.report_model import (
    LearnerReport,
    LeechReport,
    QuestionReport,
    Report,
    ReportFilter,
    SectionResult,
    SectionShare,
)
from quiz.tables.heat import STRONG_PERCENT, Heat
from quiz.tables.html_charts import LABEL_GAP, label_positions
from quiz.tables.html_report import page
from tests.support.cli import run_cli
from tests.support.local_time import local_timezone
from tests.support.report_store import GIVEN, build_store

NAME = "Ana <b>Ruiz</b> & co"
"""A name that would be markup, and an entity, if it were not escaped."""


@pytest.fixture(autouse=True)
def _utc() -> Iterator[None]:
    """Local time is UTC: the month of an exam does not depend on the machine."""
    with local_timezone("UTC"):
        yield


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "scores.sqlite3"
    build_store(path)
    return path


def command(db: Path, capsys: pytest.CaptureFixture[str], *args: str) -> str:
    code, out, err = run_cli(["report", "--db", str(db), *args], capsys)
    assert code == 0, err
    return out


# --- reading the page as a person does ----------------------------------------------------


def strict_tree(text: str) -> ET.Element:
    """The page through expat (strict), after checking what only HTML rules say."""
    VoidCheck().check(text)
    return ET.fromstring(text)


class VoidCheck(HTMLParser):
    """HTML's rules that XML does not know: void elements only as void, ids unique."""

    VOID: ClassVar[frozenset[str]] = frozenset({"meta", "br", "hr", "img", "input", "link"})

    def check(self, text: str) -> None:
        self.ids: Counter[str] = Counter()
        self.tags: Counter[str] = Counter()
        self.feed(text)
        self.close()
        assert not [i for i, n in self.ids.items() if n > 1], "duplicate ids"
        assert self.tags["html"] == self.tags["head"] == self.tags["body"] == 1

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.ids.update(v for k, v in attrs if k == "id" and v)
        assert tag not in {"script", "iframe", "object", "embed", "link", "img"}, tag
        assert not [k for k, _v in attrs if k in {"src", "href"} or k.startswith("on")], attrs

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags[tag] += 1
        self.ids.update(v for k, v in attrs if k == "id" and v)
        svg_leaf = tag in {"line", "rect", "circle", "path", "polyline"}
        assert tag in self.VOID or svg_leaf, f"<{tag}/> is not a void element"

    def handle_endtag(self, tag: str) -> None:
        assert tag not in self.VOID, f"</{tag}>"


def seen(element: ET.Element) -> str:
    """The text a person sees in `element` (an SVG `<title>` is a tooltip, not seen)."""
    parts = [element.text or ""]
    for child in element:
        if child.tag != "title":
            parts.append(seen(child))
        parts.append(child.tail or "")
    return "".join(parts).strip()


def table_rows(tree: ET.Element, table_id: str) -> list[list[str]]:
    table = tree.find(f".//table[@id='{table_id}']")
    assert table is not None, table_id
    return [[seen(cell) for cell in row] for row in table.iterfind("./tbody/tr")]


def number(text: str) -> float | None:
    """A shown number: "38%" → 38, "-12" → -12, "—" → None."""
    found = re.search(r"-?\d+(\.\d+)?", text)
    return float(found.group()) if found else None


def close(shown: float | None, exact: float | None) -> bool:
    """A whole number shown for a value JSON carries to one decimal."""
    if shown is None or exact is None:
        return shown is exact
    return abs(shown - exact) <= 0.5


def heat_cells(tree: ET.Element) -> tuple[list[str], dict[str, list[str]], dict[str, str]]:
    """The heat table: its section headers, each learner's cells, their latest exam."""
    table = tree.find(".//table[@class='heat']")
    assert table is not None
    headers = [seen(th) for th in table.iterfind("./thead/tr/th")][2:]
    cells, exams = {}, {}
    for row in table.iterfind("./tbody/tr"):
        name, exam, *rest = (seen(cell) for cell in row)
        cells[name], exams[name] = rest, exam
    return headers, cells, exams


# --- the numbers equal the JSON report ----------------------------------------------------


def test_the_page_shows_the_numbers_of_the_json_report(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data: dict[str, Any] = json.loads(command(db, capsys, "--format", "json"))
    tree = strict_tree(command(db, capsys, "--format", "html"))

    assert seen(tree.find(".//span[@id='attempts']")) == str(data["attempts"])  # type: ignore[arg-type]
    assert seen(tree.find(".//span[@id='exams']")) == str(data["exams"])  # type: ignore[arg-type]

    headers, cells, exams = heat_cells(tree)
    assert headers == [s["section"] for s in data["sections"]]
    assert list(cells) == [learner["learner"] for learner in data["staff"]]
    for learner in data["staff"]:
        by_section = {s["section"]: s for s in learner["sections"]}
        for header, cell in zip(headers, cells[learner["learner"]], strict=True):
            result = by_section.get(header)
            if result is None:
                assert cell == f"{Heat.NONE.glyph}—"
                continue
            glyph, shown = cell[0], number(cell)
            assert close(shown, result["last_percent"])
            expected = (
                Heat.WEAK
                if result["weak"]
                else Heat.STRONG
                if result["last_percent"] >= STRONG_PERCENT
                else Heat.PASS
            )
            assert glyph == expected.glyph, (learner["learner"], header, cell)
        exam = learner["latest_exam"]
        if exam is None:
            assert exams[learner["learner"]] == "no exam"
        else:
            verdict, percent, day = exams[learner["learner"]].split()
            assert verdict == ("passed" if exam["passed"] else "failed")
            assert close(number(percent), exam["percent"])
            assert day == exam["started_at"][:10]

    shares = table_rows(tree, "section-table")
    assert [(r[0], int(r[1]), int(r[2])) for r in shares] == [
        (s["section"], s["staff"], s["at_or_above"]) for s in data["sections"]
    ]
    for row, share in zip(shares, data["sections"], strict=True):
        assert close(number(row[3]), share["share"])

    questions = table_rows(tree, "question-table")
    assert len(questions) == len(data["questions"])
    for row, question in zip(questions, data["questions"], strict=True):
        assert row[0] == question["question"] and int(row[2]) == question["asked"]
        assert close(number(row[3]), question["facility"])
        assert close(number(row[4]), question["discrimination"])
        assert (row[5] == "FLAGGED") is question["flagged"]


def test_the_scatter_chart_labels_every_flagged_question_with_its_numbers(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data: dict[str, Any] = json.loads(command(db, capsys, "--format", "json"))
    tree = strict_tree(command(db, capsys, "--format", "html"))
    chart = tree.find(".//svg[@id='scatter']")
    assert chart is not None
    labels: dict[str, tuple[float | None, float | None]] = {}
    for label in chart.iterfind(".//text[@class='label']"):
        question, facility, discrimination = seen(label).split(" · ")[:3]
        labels[question] = (number(facility), number(discrimination))
    drawn = [q for q in data["questions"] if q["discrimination"] is not None]
    flagged = {q["question"]: q for q in drawn if q["flagged"]}
    assert flagged, "the fixture has flagged questions"
    assert set(labels) == set(flagged)
    for question, (shown_facility, shown_discrimination) in labels.items():
        assert close(shown_facility, flagged[question]["facility"])
        assert close(shown_discrimination, flagged[question]["discrimination"])
    marks = chart.findall(".//circle[@class='point']") + chart.findall(".//path[@class='flagged']")
    assert len(marks) == len(drawn)
    assert len(chart.findall(".//path[@class='flagged']")) == len(flagged)
    ticks = [seen(t) for t in chart.iterfind(".//text[@class='tick']")]
    assert ticks[:5] == ["0%", "25%", "50%", "75%", "100%"]


def test_exams_by_month_add_up_to_the_reports_exams_and_their_verdicts(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data: dict[str, Any] = json.loads(command(db, capsys, "--format", "json"))
    tree = strict_tree(command(db, capsys, "--format", "html"))
    chart = tree.find(".//svg[@id='month-chart']")
    assert chart is not None
    exams = {t.get("data-month"): int(seen(t)) for t in chart.iterfind(".//text[@class='exams']")}
    rates = {t.get("data-month"): seen(t) for t in chart.iterfind(".//text[@class='pass-rate']")}
    assert sum(exams.values()) == data["exams"]
    # From the fixture itself: counted exams by month, and those passed.
    expected: dict[str, list[int]] = {}
    for given in GIVEN:
        if given.counted and given.mode == "exam":
            found = expected.setdefault(f"{given.at:%Y-%m}", [0, 0])
            found[0] += 1
            found[1] += given.percent >= (given.pass_mark or 0) and not _missed_critical(given)
    assert exams == {month: n for month, (n, _p) in expected.items()}
    assert rates == {month: f"{100 * p / n:.0f}% passed" for month, (n, p) in expected.items()}


def _missed_critical(given: Any) -> bool:
    return any(q.critical and not given.right(q) for q in given.questions)


# --- escaping, well-formedness, the file ----------------------------------------------------


def _report_with(name: str, question: str) -> Report:
    at = datetime(2026, 11, 2, 10, tzinfo=UTC)
    result = SectionResult("c", "s<1>", 1, 4, 1, 25.0, at, 80, 25.0)
    return Report(
        filter=ReportFilter(),
        attempts=1,
        exams=0,
        learners=(LearnerReport(name, name.casefold(), 1, at, None, (result,)),),
        questions=(
            QuestionReport("c", question, "s<1>", "single", 4, 4, 1, 25.0, -10.0, ("low",), ()),
        ),
        sections=(SectionShare("c", "s<1>", 1, 0),),
        leeches=(LeechReport("c", question, "s<1>", (name,), (5,)),),
    )


def test_names_question_ids_and_sections_are_shown_literally() -> None:
    question = "q1 <script>alert(1)</script> &amp;"
    text = page(_report_with(NAME, question))
    tree = strict_tree(text)
    assert "<b>" not in text and "<script>" not in text
    assert "Ana &lt;b&gt;Ruiz&lt;/b&gt; &amp; co" in text
    _headers, cells, _exams = heat_cells(tree)
    assert list(cells) == [NAME]
    assert tree.find(".//b") is None and tree.find(".//script") is None
    label = tree.find(".//svg[@id='scatter']//text[@class='label']")
    assert label is not None and seen(label).startswith(question + " · 25% · -10")
    assert seen(label).endswith("leech")
    leeches = table_rows(tree, "leeches")
    assert leeches[0][0] == question and NAME in leeches[0][-1]
    assert table_rows(tree, "section-table")[0][0] == "s<1>"


def test_control_characters_are_dropped_so_the_page_stays_well_formed() -> None:
    tree = strict_tree(page(_report_with("Bell\x07 Name\x1b[31m", "q\x00")))
    _headers, cells, _exams = heat_cells(tree)
    assert list(cells) == ["Bell Name[31m"]


def test_the_page_is_self_contained(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = command(db, capsys, "--format", "html")
    assert text.startswith("<!DOCTYPE html>\n")
    strict_tree(text)  # no script, src, href or on* handler (VoidCheck)
    assert "http" not in text and "url(" not in text and "@import" not in text


def test_the_page_of_an_empty_or_missing_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "none.sqlite3"
    code, out, err = run_cli(["report", "--db", str(missing), "--format", "html"], capsys)
    assert code == 0 and "does not exist" in err
    tree = strict_tree(out)
    assert seen(tree.find(".//span[@id='attempts']")) == "0"  # type: ignore[arg-type]
    assert "No counted exams." in out
    assert not missing.exists()


def test_out_writes_a_new_file_and_never_overwrites(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "report.html"
    code, printed, err = run_cli(
        ["report", "--db", str(db), "--format", "html", "--out", str(out)], capsys
    )
    assert code == 0 and printed == "" and f"written to {out}" in err
    strict_tree(out.read_text(encoding="utf-8"))
    out.write_text("kept", encoding="utf-8")
    code, printed, err = run_cli(
        ["report", "--db", str(db), "--format", "html", "--out", str(out)], capsys
    )
    assert code == 1 and printed == ""
    assert "already exists and is never overwritten" in err and "give another --out" in err
    assert out.read_text(encoding="utf-8") == "kept"
    code, _printed, err = run_cli(
        ["report", "--db", str(db), "--format", "csv", "--out", str(tmp_path / "x")], capsys
    )
    assert code == 2 and "--out is for --format html" in err
    assert not (tmp_path / "x").exists()


def test_only_format_html_imports_the_page_writer(db: Path) -> None:
    """The report's other formats (and the benchmark's report time) never load it."""
    import os
    import subprocess
    import sys

    code = (
        "import sys\n"
        "from quiz.cli import main\n"
        f"main(['report', '--db', {str(db)!r}, '--format', 'json'])\n"
        "assert 'quiz.tables.html_report' not in sys.modules\n"
        "assert 'quiz.tables.heat' not in sys.modules\n"
    )
    home = str(db.parent)  # never the user's own folders
    env = {**os.environ, "HOME": home, "XDG_DATA_HOME": home, "XDG_CACHE_HOME": home}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env
    )
    assert done.returncode == 0, done.stderr


def test_many_flagged_questions_get_labels_that_never_overlap() -> None:
    """Labels go in a column beside the chart, in the points' order, LABEL_GAP apart;
    when more than fit, the chart grows to hold them."""
    from dataclasses import replace

    report = _report_with("Ann", "q-00")
    model = report.questions[0]
    questions = tuple(
        replace(model, question=f"q-{n:02d}", facility=40.0 + n % 7, discrimination=-(n % 3))
        for n in range(60)
    )
    tree = strict_tree(page(replace(report, questions=questions, leeches=())))
    chart = tree.find(".//svg[@id='scatter']")
    assert chart is not None
    ys = [float(t.get("y", "")) for t in chart.iterfind(".//text[@class='label']")]
    assert len(ys) == 60
    # (written to one decimal: 0.1 of rounding)
    assert all(later - earlier >= LABEL_GAP - 0.1 for earlier, later in pairwise(ys))
    height = float(chart.get("viewBox", "").split()[3])
    assert ys[0] > 0 and ys[-1] < height


def test_label_positions_keep_order_gaps_and_bounds() -> None:
    assert label_positions([50, 50, 50], 10, 200) == [50, 50 + LABEL_GAP, 50 + 2 * LABEL_GAP]
    assert label_positions([199, 199], 10, 200) == [200 - LABEL_GAP, 200]
    assert label_positions([0], 10, 200) == [10]
    assert label_positions([], 10, 200) == []
