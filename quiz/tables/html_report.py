"""`quiz report --format html`: the manager's report as one self-contained page.

The page holds no script and loads nothing: its CSS is inline and its charts are
inline SVG written here (plain SVG: a chart library cost more than it gave; see the
README's "The HTML report"). It is XHTML-compatible HTML5 (every element closed, only
numeric character references), so an XML parser reads it strictly; the tests do.

Every number a person reads is in the page as text: the heat table's cells, the
tables' cells, the SVG `<text>` labels. The heat levels are quiz.tables.heat's (the
All staff screen shows the same), the tables are quiz.tables.report's specs (the ones
`quiz report` prints), and every text from the store (names, question ids, choices)
passes through `text()`: control characters dropped, then escaped.
"""

from __future__ import annotations

import html
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TextIO

from quiz.domain.text import strip_control
from quiz.storage.report_model import QuestionReport, Report
from quiz.tables import report as tables
from quiz.tables.columns import Table
from quiz.tables.formats import (
    NO_VALUE,
    index_text,
    local_day,
    percent_of,
    percent_text,
    verdict_word,
)
from quiz.tables.heat import LEGEND, Heat, cell_text, heat_of, heat_row, heat_sections

if TYPE_CHECKING:
    from quiz.storage.attempts import AttemptSummary


def text(value: object) -> str:
    """Any text from the store or a course, as page text: literal, never markup."""
    return html.escape(strip_control(str(value)), quote=True)


# --- exams by month -----------------------------------------------------------------------


@dataclass(frozen=True)
class MonthExams:
    """The counted exams started in one month (this computer's time) and those passed."""

    month: str  # "2026-11"
    exams: int
    passed: int

    @property
    def pass_rate(self) -> float:
        return percent_of(self.passed, self.exams)


def exam_months(attempts: Iterable[AttemptSummary]) -> tuple[MonthExams, ...]:
    """The counted exams (completed or timed out, as the report counts them) by month,
    oldest first. `attempts`: the store's, under the report's filter."""
    from quiz.domain.records import Mode
    from quiz.storage.summaries import COUNTED_STATUSES

    counts: dict[str, list[int]] = {}
    for attempt in attempts:
        if attempt.mode is not Mode.EXAM or attempt.status not in COUNTED_STATUSES:
            continue
        month = f"{attempt.started_at.astimezone():%Y-%m}"
        found = counts.setdefault(month, [0, 0])
        found[0] += 1
        found[1] += bool(attempt.passed)
    return tuple(MonthExams(m, n, p) for m, (n, p) in sorted(counts.items()))


# --- the page -----------------------------------------------------------------------------

STYLE = """
:root { color-scheme: light; }
body { font: 14px/1.4 system-ui, "DejaVu Sans", sans-serif; color: #111; background: #fff;
  max-width: 1100px; margin: 0 auto; padding: 16px 24px; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 22px 0 4px; border-bottom: 2px solid #111; }
p.note { color: #333; margin: 2px 0 8px; max-width: 80ch; }
table { border-collapse: collapse; margin: 4px 0 8px; }
th, td { border: 1px solid #888; padding: 2px 6px; text-align: left; vertical-align: top; }
th { background: #eee; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
table.heat td.cell { text-align: center; white-space: nowrap; font-variant-numeric: tabular-nums;
  min-width: 4.5em; }
table.heat th.section { font-size: 12px; max-width: 9em; }
td.weak, .legend .weak { font-weight: 700; }
td.none { background: #fff; color: #666; }
.glyph { display: inline-block; width: 1.1em; }
.legend span { display: inline-block; border: 1px solid #888; padding: 0 6px; margin-right: 6px; }
.scroll { overflow-x: auto; }
figure { margin: 6px 0 10px; }
figcaption { font-size: 12px; color: #333; max-width: 80ch; }
svg { font-family: system-ui, "DejaVu Sans", sans-serif; max-width: 100%; height: auto; }
td.exam { white-space: nowrap; }
svg text { fill: #111; }
svg .axis { stroke: #111; stroke-width: 1; }
svg .grid { stroke: #bbb; stroke-width: 1; stroke-dasharray: 3 3; }
svg .point { fill: #fff; stroke: #1f5fa8; stroke-width: 1.5; }
svg .flagged { fill: #b3261e; stroke: #111; stroke-width: 1; }
svg .learner-flagged { fill: #e8a33d; stroke: #111; stroke-width: 1; }
svg .leader { stroke: #666; stroke-width: 0.75; }
svg .leech { fill: none; stroke: #111; stroke-width: 1.5; stroke-dasharray: 2 2; }
svg .bar { fill: #7aa6d8; stroke: #111; stroke-width: 1; }
svg .rate { fill: none; stroke: #111; stroke-width: 2; }
svg .rate-dot { fill: #111; }
.bar-share { display: inline-block; height: 10px; background: #555; vertical-align: middle; }
.bar-frame { display: inline-block; width: 120px; height: 10px; border: 1px solid #111;
  vertical-align: middle; }
@media print {
  @page { size: A4; margin: 12mm; }
  body { max-width: none; padding: 0; font-size: 11px; }
  * { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
  h2 { break-after: avoid; }
  figure, tr { break-inside: avoid; }
  .scroll { overflow: visible; }
  td.weak, .legend .weak { background: #c8c8c8; }
  td.pass, .legend .pass { background: #fff; }
  td.strong, .legend .strong { background: #ececec; }
  svg .point { stroke: #111; }
  svg .flagged { fill: #111; }
  svg .learner-flagged { fill: #888; }
  svg .bar { fill: #d0d0d0; }
}
"""


def _style() -> str:
    """STYLE, with each heat level's background (quiz.tables.heat: the app's too)."""
    heat = "".join(
        f"td.{h.css}, .legend .{h.css} {{ background: {h.colour}; }}\n" for h in Heat if h.colour
    )
    # The print rules come last in STYLE, so they still win over these.
    at = STYLE.index("@media print")
    return STYLE[:at] + heat + STYLE[at:]


def write_html(
    report: Report, out: TextIO, months: Sequence[MonthExams] = (), counted: str = ""
) -> None:
    """The report as one page, on `out`. `counted` says which attempts count (the
    command's words, shown under the title)."""
    out.write(page(report, months, counted))


def page(report: Report, months: Sequence[MonthExams] = (), counted: str = "") -> str:
    view = tables.ReportView.of(report)
    parts = [
        "<!DOCTYPE html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8"/>',
        '<meta name="viewport" content="width=device-width, initial-scale=1"/>',
        "<title>Staff report</title>",
        f"<style>{_style()}</style>",
        "</head>",
        "<body>",
        *_heading(report, counted),
        *_heat(report),
        *_latest_exams(report),
        *_recertification(report, view),
        *_shares(view),
        *_months(months),
        *_questions(report, view),
    ]
    if report.leeches:
        parts += _titled(tables.LEECHES, view, _leech_note(report), "leeches")
    if report.drill:
        note = "Drill rounds, counted apart from the tables above."
        parts += _titled(tables.DRILL, view, note, "drill")
    parts += ["</body>", "</html>", ""]
    return "\n".join(parts)


def _heading(report: Report, counted: str) -> list[str]:
    since = report.filter.since
    scope = f"since {since.isoformat()}" if since else "all dates"
    learners = len(report.learners)
    who = f"{learners} learner{'s' if learners != 1 else ''}"
    if report.filter.learner is not None and learners == 1:
        who = report.learners[0].name
    line = (
        f'<span id="attempts">{report.attempts}</span> attempts '
        f'(<span id="exams">{report.exams}</span> exams) by {text(who)}, {scope}.'
    )
    if counted:
        line += f" Counted: {text(counted)}."
    return ["<h1>Staff report</h1>", f'<p class="note">{line}</p>']


def _p(note: str) -> str:
    return f'<p class="note">{text(note)}</p>'


# --- staff x section ----------------------------------------------------------------------


def _heat(report: Report) -> list[str]:
    sections = heat_sections(report)
    head = "".join(
        f'<th class="section" scope="col">{text(report.section_label(c, s))}</th>'
        for c, s in sections
    )
    rows = []
    for learner in report.learners:
        cells = []
        for result in heat_row(learner, sections):
            heat = heat_of(result)
            glyph, _, number = cell_text(result).partition(" ")
            tip = (
                ""
                if result is None
                else f' title="{result.attempts} tries, best {percent_text(result.best_percent)},'
                f' pass mark {result.last_pass_mark}%"'
            )
            cells.append(
                f'<td class="cell {heat.css}"{tip}><span class="glyph">{glyph}</span>{number}</td>'
            )
        exam = tables.exam_outcome(learner.latest_exam, dated=True)
        rows.append(
            f'<tr><th scope="row" class="learner">{text(learner.name)}</th>'
            f'<td class="exam">{text(exam)}</td>{"".join(cells)}</tr>'
        )
    legend = "".join(f'<span class="{h.css}">{h.glyph} {text(h.meaning)}</span>' for h in Heat)
    return [
        '<h2 id="staff">Staff by section</h2>',
        _p(
            "Each cell: the learner's latest attempt at the section, percent right, with "
            "its level as a colour and a glyph (" + LEGEND + "). A section is weak below "
            "the pass mark of that attempt (the exam's, else 80%). Latest exam: the "
            "learner's latest counted exam."
        ),
        f'<p class="legend">{legend}</p>',
        '<div class="scroll"><table class="heat">',
        f'<thead><tr><th scope="col">Learner</th><th scope="col">Latest exam</th>{head}</tr>'
        "</thead>",
        "<tbody>",
        *rows,
        "</tbody></table></div>",
    ]


# --- each learner's latest exam, and how they were identified ----------------------------


def _latest_exams(report: Report) -> list[str]:
    """Each learner's latest counted exam: which, its result and day, and how the learner
    was known when it started (attempt.identified, in the certificate's words)."""
    from quiz.tables.certified import identified_words

    rows = []
    for learner in report.learners:
        exam = learner.latest_exam
        if exam is None:
            continue
        cells = (
            exam.exam or NO_VALUE,
            f"{verdict_word(exam.passed)} {percent_text(exam.percent)}",
            local_day(exam.started_at),
            identified_words(str(exam.identified)),
        )
        rows.append(
            f'<tr><th scope="row" class="learner">{text(learner.name)}</th>'
            + "".join(f"<td>{text(cell)}</td>" for cell in cells)
            + "</tr>"
        )
    head = "".join(
        f'<th scope="col">{name}</th>'
        for name in ("Learner", "Exam", "Result", "Started", "Identified by")
    )
    note = (
        "Each learner's latest counted exam, and how the learner was known when it "
        "started: a name typed is not checked; a PIN proves knowledge of a PIN, not a "
        "person."
    )
    if not rows:
        return ['<h2 id="latest-exams">Latest exams</h2>', _p(note + " No exam yet.")]
    return [
        '<h2 id="latest-exams">Latest exams</h2>',
        _p(note),
        '<div class="scroll"><table id="latest-exam-table">',
        f"<thead><tr>{head}</tr></thead><tbody>",
        *rows,
        "</tbody></table></div>",
    ]


# --- due for recertification ----------------------------------------------------------------


def _recertification(report: Report, view: tables.ReportView) -> list[str]:
    """Who is due for recertification (only when a preset sets a validity)."""
    if not report.valid_presets:
        return []
    as_of = report.recertification_as_of
    today = local_day(as_of) if as_of is not None else "now"
    periods = "; ".join(f"{p.title}: {p.validity.text()}" for p in report.valid_presets)
    head = [
        '<h2 id="recertification">Due for recertification</h2>',
        _p(
            f"As of {today}, for each exam whose pass stays valid for a time ({periods}): "
            "each learner whose last pass of it has expired, with the day it expired, or "
            "who never passed it."
        ),
    ]
    rows = tables.RECERTIFICATION.rows(view)
    if not rows:
        return [*head, '<p class="note" id="recertification-none">Nobody is due.</p>']
    return [
        *head,
        '<div class="scroll">'
        + _table(tables.RECERTIFICATION, rows, "recertification-table")
        + "</div>",
    ]


# --- tables from their specs ----------------------------------------------------------------


_NUM = ' class="num"'


def _table(
    table: Table[Any, Any],
    rows: Sequence[Any],
    table_id: str,
    extra: tuple[str, Callable[[Any], str]] | None = None,
) -> str:
    """A table as `quiz report` prints it (its `table` columns), as an HTML table.
    `extra`: a last column's header, and the cell (markup) it shows for a row."""
    shown = table.shown("table", rows)
    head = "".join(
        f'<th scope="col"{_NUM if s.right else ""}>{text(s.header or c.name)}</th>'
        for c, s in shown
    )
    if extra is not None:
        head += f'<th scope="col">{text(extra[0])}</th>'
    body = []
    for row in rows:
        cells = "".join(
            f'<td class="{c.name}{" num" if s.right else ""}">{text(c.cell_text(row, s))}</td>'
            for c, s in shown
        )
        if extra is not None:
            cells += extra[1](row)
        body.append(f"<tr>{cells}</tr>")
    return (
        f'<table id="{table_id}"><thead><tr>{head}</tr></thead><tbody>'
        + "".join(body)
        + "</tbody></table>"
    )


def _share_bar(row: tables.ShareRow) -> str:
    """A section's share of staff at or above the pass mark, as a bar (shown, not read:
    the share column before it says the number)."""
    width = round(120 * row.share.share / 100)
    return (
        f'<td><span class="bar-frame"><span class="bar-share" style="width:{width}px">'
        "</span></span></td>"
    )


def _titled(table: Table[Any, Any], view: tables.ReportView, note: str, table_id: str) -> list[str]:
    return [
        f"<h2>{text(table.title)}</h2>",
        _p(note),
        '<div class="scroll">' + _table(table, table.rows(view), table_id) + "</div>",
    ]


def _leech_note(report: Report) -> str:
    return (
        f"Questions missed {report.leech_threshold} times or more after having been known "
        "(lapses), as they are now whatever the period; a question that is a leech for "
        "several learners is probably a problem of the question or the course text."
    )


def _shares(view: tables.ReportView) -> list[str]:
    rows = tables.SECTIONS.rows(view)
    return [
        '<h2 id="sections">Section pass shares</h2>',
        _p(
            "staff: learners with a counted attempt at the section; at or above: of them, "
            "those at or above the pass mark on their latest attempt at it."
        ),
        _table(tables.SECTIONS, rows, "section-table", ("share of staff", _share_bar)),
    ]


# --- questions: facility against discrimination ---------------------------------------------

CHART_W, CHART_H = 800, 400
LEFT, RIGHT, TOP, BOTTOM = 56, 250, 16, 44
"""The scatter chart's size and margins (the right margin holds labels)."""


def _x(facility: float) -> float:
    return LEFT + (CHART_W - LEFT - RIGHT) * facility / 100


def _y(discrimination: float) -> float:
    return TOP + (CHART_H - TOP - BOTTOM) * (100 - discrimination) / 200


def _questions(report: Report, view: tables.ReportView) -> list[str]:
    questions = report.questions
    flagged = sum(1 for q in questions if q.flagged)
    leeches = {(lc.course, lc.question) for lc in report.leeches}
    return [
        '<h2 id="questions">Questions</h2>',
        _p(
            f"{flagged} of {len(questions)} questions flagged: facility (percent of the "
            "attempts that asked it that got it right) below 50%, or discrimination "
            "(Moodle's index, -100..100) negative."
            + (_VERSIONS_NOTE if any(q.versions > 1 for q in questions) else "")
        ),
        "<figure>",
        _scatter(questions, leeches),
        "<figcaption>Each question at its facility (across) and discrimination (up). "
        "Hollow circle: a question; filled triangle: flagged, labelled with its id, "
        "facility and discrimination; filled diamond: flagged by learners only; ⚑N in "
        "a label: N flags learners raised on it (ctrl+f in the app; `quiz flags` lists "
        "their notes); "
        "dashed ring: a leech for a learner or more. "
        "Questions without a discrimination index are not drawn (see the table).</figcaption>",
        "</figure>",
        '<div class="scroll">'
        + _table(tables.QUESTIONS, tables.QUESTIONS.rows(view), "question-table", _version(report))
        + "</div>",
    ]


_VERSIONS_NOTE = (
    " A question whose answer or choices changed has a row and a point per version with "
    "answers, each with its own figures (version: the first digits of its hash, as "
    "course.lock shows them; the current one first)."
)


def _version(report: Report) -> tuple[str, Callable[[tables.QuestionRow], str]] | None:
    """The question table's last column when a question has answers to several versions:
    which version each row's figures are of ("v3f2a, current")."""
    if not any(q.versions > 1 for q in report.questions):
        return None
    return ("version", lambda row: f'<td class="version">{text(_version_cell(row.question))}</td>')


def _version_cell(question: QuestionReport) -> str:
    return question.version_text if question.versions > 1 else ""


def _point_name(question: QuestionReport) -> str:
    """A point's name in the chart: its id, and when it has several versions which one
    ("swelling-01 v3f2a", "swelling-01 v1b7c (older)"), short for the label column."""
    if question.versions <= 1:
        return question.question
    return f"{question.question} {question.version}" + ("" if question.current else " (older)")


def scatter_label(question: QuestionReport) -> str:
    """A flagged point's label: "swelling-01 · 38% · -12", and "· ⚑2" when learners
    flagged it twice (quiz flags lists their notes)."""
    raised = question.learner_flags
    return (
        f"{_point_name(question)} · {percent_text(question.facility)} · "
        f"{index_text(question.discrimination)}" + (f" · ⚑{raised}" if raised else "")
    )


def _scatter(questions: Sequence[QuestionReport], leeches: set[tuple[str, str]]) -> str:
    inner_w, inner_h = CHART_W - LEFT - RIGHT, CHART_H - TOP - BOTTOM
    out = [""]  # the <svg> tag, once the labels say how tall it is
    for tick in range(0, 101, 25):
        x = _x(tick)
        out.append(
            f'<line class="grid" x1="{x:.1f}" y1="{TOP}" x2="{x:.1f}" y2="{TOP + inner_h}"/>'
        )
        out.append(
            f'<text class="tick" x="{x:.1f}" y="{TOP + inner_h + 16}" '
            f'text-anchor="middle" font-size="11">{tick}%</text>'
        )
    for tick in range(-100, 101, 50):
        y = _y(tick)
        out.append(
            f'<line class="grid" x1="{LEFT}" y1="{y:.1f}" x2="{LEFT + inner_w}" y2="{y:.1f}"/>'
        )
        out.append(
            f'<text class="tick" x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="11">{tick}</text>'
        )
    # The flag lines: facility 50%, discrimination 0.
    out.append(
        f'<line class="axis" x1="{_x(50):.1f}" y1="{TOP}" x2="{_x(50):.1f}" y2="{TOP + inner_h}"/>'
    )
    out.append(
        f'<line class="axis" x1="{LEFT}" y1="{_y(0):.1f}" x2="{LEFT + inner_w}" y2="{_y(0):.1f}"/>'
    )
    out.append(
        f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="none" '
        'stroke="#111"/>'
    )
    out.append(
        f'<text x="{LEFT + inner_w / 2:.1f}" y="{CHART_H - 6}" text-anchor="middle" '
        'font-size="12">facility (percent right)</text>'
    )
    out.append(
        f'<text x="14" y="{TOP + inner_h / 2:.1f}" text-anchor="middle" font-size="12" '
        f'transform="rotate(-90 14 {TOP + inner_h / 2:.1f})">discrimination</text>'
    )
    labels: list[tuple[float, float, str]] = []  # (y, x of the point, its label)
    for question in questions:
        if question.facility is None or question.discrimination is None:
            continue
        x, y = _x(question.facility), _y(question.discrimination)
        title = f"<title>{text(scatter_label(question))}</title>"
        leech = (question.course, question.question) in leeches
        if leech:
            out.append(f'<circle class="leech" cx="{x:.1f}" cy="{y:.1f}" r="9"/>')
        if question.flagged:
            out.append(
                f'<path class="flagged" d="M{x:.1f},{y - 6:.1f} L{x + 5.5:.1f},{y + 4:.1f} '
                f'L{x - 5.5:.1f},{y + 4:.1f} Z">{title}</path>'
            )
        elif question.learner_flags:  # flagged by learners only: a diamond
            out.append(
                f'<path class="learner-flagged" d="M{x:.1f},{y - 6:.1f} L{x + 6:.1f},{y:.1f} '
                f'L{x:.1f},{y + 6:.1f} L{x - 6:.1f},{y:.1f} Z">{title}</path>'
            )
        else:
            out.append(f'<circle class="point" cx="{x:.1f}" cy="{y:.1f}" r="4">{title}</circle>')
            continue
        label = scatter_label(question) + (" · leech" if leech else "")
        labels.append((y, x, label))
    labels.sort()
    label_ys = label_positions([y for y, _x, _label in labels], TOP + 8, TOP + inner_h)
    out += _label_column(labels, label_ys, LEFT + inner_w + 10)
    height = max(CHART_H, round(label_ys[-1] + 6) if label_ys else 0)
    out[0] = (
        f'<svg id="scatter" viewBox="0 0 {CHART_W} {height}" width="{CHART_W}" '
        f'height="{height}" role="img" aria-label="Facility against discrimination">'
    )
    out.append("</svg>")
    return "".join(out)


LABEL_GAP = 13
"""The least distance between two labels of the scatter chart, in its units."""


def label_positions(wanted: Sequence[float], top: float, bottom: float) -> list[float]:
    """Where labels wanted at these heights (top to bottom) go in a column: as near as
    they can, in the same order, never closer than LABEL_GAP, none above `top`, and none
    below `bottom` unless there are more than the column holds (then the chart grows)."""
    ys: list[float] = []
    for y in wanted:
        ys.append(max(y, top, ys[-1] + LABEL_GAP if ys else top))
    for index in reversed(range(len(ys))):  # pushed past the bottom: back up, in order
        limit = bottom if index == len(ys) - 1 else ys[index + 1] - LABEL_GAP
        ys[index] = max(min(ys[index], limit), top + index * LABEL_GAP)
    return ys


def _label_column(
    labels: list[tuple[float, float, str]], ys: Sequence[float], x: float
) -> list[str]:
    """The flagged points' labels, in a column right of the chart, at `ys`, each with a
    line to its point."""
    out = []
    for y, (point_y, point_x, label) in zip(ys, labels, strict=True):
        out.append(
            f'<line class="leader" x1="{point_x + 6:.1f}" y1="{point_y:.1f}" x2="{x - 2:.1f}" '
            f'y2="{y - 4:.1f}"/>'
        )
        out.append(
            f'<text class="label" x="{x:.1f}" y="{y:.1f}" font-size="11">{text(label)}</text>'
        )
    return out


# --- exams by month -----------------------------------------------------------------------

MONTH_W, MONTH_H = 84, 220


def _months(months: Sequence[MonthExams]) -> list[str]:
    head = [
        '<h2 id="months">Exams by month</h2>',
        _p(
            "Bars: the number of counted exams started in the month; line: the percent of "
            "them passed (0 to 100%, right scale)."
        ),
    ]
    if not months:
        return [*head, _p("No counted exams.")]
    return [*head, "<figure>", _month_chart(months), "</figure>"]


def _month_chart(months: Sequence[MonthExams]) -> str:
    left, top, bottom = 40, 28, 48
    inner_h = MONTH_H - top - bottom
    width = left + MONTH_W * len(months) + 50
    most = max(m.exams for m in months)
    out = [
        f'<svg id="month-chart" viewBox="0 0 {width} {MONTH_H}" width="{width}" '
        f'height="{MONTH_H}" role="img" aria-label="Exams and pass rate by month">',
        f'<line class="axis" x1="{left}" y1="{top + inner_h}" x2="{width - 50}" '
        f'y2="{top + inner_h}"/>',
        f'<text x="{width - 46}" y="{top + 4}" font-size="10">100%</text>',
        f'<text x="{width - 46}" y="{top + inner_h + 4}" font-size="10">0%</text>',
    ]
    rate_points = []
    for index, month in enumerate(months):
        x = left + index * MONTH_W
        bar_h = inner_h * month.exams / most
        out.append(
            f'<rect class="bar" x="{x + 12}" y="{top + inner_h - bar_h:.1f}" '
            f'width="{MONTH_W - 24}" height="{bar_h:.1f}"/>'
        )
        out.append(
            f'<text class="exams" data-month="{month.month}" x="{x + MONTH_W / 2:.1f}" '
            f'y="{top + inner_h - bar_h - 4:.1f}" text-anchor="middle" font-size="11">'
            f"{month.exams}</text>"
        )
        out.append(
            f'<text class="month" x="{x + MONTH_W / 2:.1f}" y="{top + inner_h + 15}" '
            f'text-anchor="middle" font-size="11">{month.month}</text>'
        )
        out.append(
            f'<text class="pass-rate" data-month="{month.month}" x="{x + MONTH_W / 2:.1f}" '
            f'y="{top + inner_h + 30}" text-anchor="middle" font-size="11">'
            f"{percent_text(month.pass_rate)} passed</text>"
        )
        rate_points.append((x + MONTH_W / 2, top + inner_h * (100 - month.pass_rate) / 100))
    if len(rate_points) > 1:
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in rate_points)
        out.append(f'<polyline class="rate" points="{points}"/>')
    out += [f'<circle class="rate-dot" cx="{x:.1f}" cy="{y:.1f}" r="3"/>' for x, y in rate_points]
    out.append("</svg>")
    return "".join(out)
