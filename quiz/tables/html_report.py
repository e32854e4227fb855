"""`quiz report --format html`: the manager's report as one self-contained page.

The page holds no script and loads nothing: its CSS is inline (quiz.tables.html_style)
and its charts are inline SVG (quiz.tables.html_charts). It is XHTML-compatible HTML5
(every element closed, only numeric character references), so an XML parser reads it
strictly; the tests do. This module is the page's layout: its sections in order, each
with its heading, its note and its table or chart.

Every number a person reads is in the page as text: the heat table's cells, the
tables' cells, the SVG `<text>` labels. The heat levels are quiz.tables.heat's (the
All staff screen shows the same), the tables are quiz.tables.report's specs (the ones
`quiz report` prints), and every text from the store (names, question ids, choices)
passes through `text()` (quiz.tables.html_markup): control characters dropped, then
escaped. Only `--format html` imports this module and the html_* ones beside it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TextIO

from quiz.storage.report_model import QuestionReport, Report
from quiz.tables import report as tables
from quiz.tables.columns import Table
from quiz.tables.formats import NO_VALUE, local_day, percent_text, verdict_word
from quiz.tables.heat import LEGEND, Heat, cell_text, heat_of, heat_row, heat_sections
from quiz.tables.html_charts import MonthExams, month_chart, scatter_chart
from quiz.tables.html_markup import paragraph, spec_table, text
from quiz.tables.html_style import stylesheet

# --- the page -----------------------------------------------------------------------------


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
        f"<style>{stylesheet()}</style>",
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
    who, scope = tables.report_scope(report)
    line = (
        f'<span id="attempts">{report.attempts}</span> attempts '
        f'(<span id="exams">{report.exams}</span> exams) by {text(who)}, {scope}.'
    )
    if counted:
        line += f" Counted: {text(counted)}."
    return ["<h1>Staff report</h1>", f'<p class="note">{line}</p>']


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
        paragraph(
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
        return ['<h2 id="latest-exams">Latest exams</h2>', paragraph(note + " No exam yet.")]
    return [
        '<h2 id="latest-exams">Latest exams</h2>',
        paragraph(note),
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
        paragraph(
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
        + spec_table(tables.RECERTIFICATION, rows, "recertification-table")
        + "</div>",
    ]


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
        paragraph(note),
        '<div class="scroll">' + spec_table(table, table.rows(view), table_id) + "</div>",
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
        paragraph(tables.SECTIONS_NOTE),
        spec_table(tables.SECTIONS, rows, "section-table", ("share of staff", _share_bar)),
    ]


def _questions(report: Report, view: tables.ReportView) -> list[str]:
    questions = report.questions
    flagged = sum(1 for q in questions if q.flagged)
    leeches = {(lc.course, lc.question) for lc in report.leeches}
    return [
        '<h2 id="questions">Questions</h2>',
        paragraph(
            f"{flagged} of {len(questions)} questions flagged: facility (percent of the "
            "attempts that asked it that got it right) below 50%, or discrimination "
            "(Moodle's index, -100..100) negative."
            + (_VERSIONS_NOTE if any(q.versions > 1 for q in questions) else "")
        ),
        "<figure>",
        scatter_chart(questions, leeches),
        "<figcaption>Each question at its facility (across) and discrimination (up). "
        "Hollow circle: a question; filled triangle: flagged, labelled with its id, "
        "facility and discrimination; filled diamond: flagged by learners only; ⚑N in "
        "a label: N flags learners raised on it (ctrl+f in the app; `quiz flags` lists "
        "their notes); "
        "dashed ring: a leech for a learner or more. "
        "Questions without a discrimination index are not drawn (see the table).</figcaption>",
        "</figure>",
        '<div class="scroll">'
        + spec_table(
            tables.QUESTIONS, tables.QUESTIONS.rows(view), "question-table", _version(report)
        )
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


# --- exams by month -----------------------------------------------------------------------


def _months(months: Sequence[MonthExams]) -> list[str]:
    head = [
        '<h2 id="months">Exams by month</h2>',
        paragraph(
            "Bars: the number of counted exams started in the month; line: the percent of "
            "them passed (0 to 100%, right scale)."
        ),
    ]
    if not months:
        return [*head, paragraph("No counted exams.")]
    return [*head, "<figure>", month_chart(months), "</figure>"]
