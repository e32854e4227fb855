"""The writers of each `quiz report --format` (FORMATS): the printed report (its blocks
and the notes that say what their columns mean), CSV, JSON, the HTML page (written by
quiz.tables.html_report, imported only then), and `--unverified` in table, CSV or JSON.

Each table's columns are its spec in quiz.tables.report; this module is the one home of
the words around them (COUNTED: what counts, the notes above each printed table).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any, TextIO

from quiz.tables.text import TABLE_WIDTH, fit, terminal_text, wrap

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.report_model import Report
    from quiz.tables.columns import Table
    from quiz.tables.html_charts import MonthExams
    from quiz.tables.report import QuestionRow, ReportView

COUNTED = (
    "completed and timed-out attempts (not those in progress, paused or abandoned), "
    "practice and exams alike; the latest exam is of exams only; drill rounds are "
    "counted apart"
)
WEAK_RULE = (
    "A section is weak when the learner's latest attempt at it scored below that "
    "attempt's pass mark (the exam's, else 80%)."
)

# What the printed report says above each table.
STAFF_NOTE = (
    "tries: attempts that asked questions of the section; last: percent right in the "
    f"latest of them; best: in the best one. {WEAK_RULE}"
)
QUESTIONS_NOTE = (
    "{flagged} of {questions} questions flagged. asked: attempts that asked it; "
    "facility: percent of them right; discr.: Moodle's discrimination index (-100..100; — "
    "when it cannot be computed). Flagged when facility is below 50% or discrimination "
    "is negative. Below a choice question: each wrong choice, how often it was picked "
    "and the percent of the times the question was asked."
)
VERSIONS_NOTE = (
    "A question whose answer or choices changed has a row per version with answers, "
    "each with its own figures (the version under the row: the current one first, "
    "then older ones)."
)
DRILL_NOTE = (
    "Drill rounds (not counted above): questions asked in them, and those right by the "
    "end of the round."
)
RECERTIFICATION_NOTE = (
    "As of {today}, for each exam whose pass stays valid for a time: each learner whose "
    "last pass of it has expired (due: the day it expired), or who never passed it."
)
UNVERIFIED_NOTE = (
    "Each learner's latest pass of each exam (in the period) whose learner was known by "
    "a name typed on trust: no PIN, no manager witnessing. A pass made with a PIN or a "
    "witness later replaces it here."
)
UNVERIFIED_LINE = (
    "{count} learner's exam {passes} on a typed name only (no PIN, no witness): "
    "`quiz report --unverified` lists them."
)
LEECHES_NOTE = (
    "Questions missed {threshold} times or more after having been known (lapses), with "
    "the learners they are leeches for; listed for several learners, a question is "
    "probably a content problem."
)


def write(report: Report, form: str, out: TextIO) -> None:
    FORMATS[form](report, out)


def _view(report: Report) -> ReportView:
    from quiz.tables.report import ReportView

    return ReportView.of(report)


# --- json -------------------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    from quiz.tables.formats import utc_text
    from quiz.tables.render import json_objects
    from quiz.tables.report import JSON_TABLES

    since = report.filter.since
    view = _view(report)
    found: dict[str, Any] = {
        "filter": {
            "learner": report.filter.learner,
            "since": since.isoformat() if since else None,
        },
        "counted": COUNTED,
        "attempts": report.attempts,
        "exams": report.exams,
        "leech_threshold": report.leech_threshold,
        "recertification_as_of": (
            None if report.recertification_as_of is None else utc_text(report.recertification_as_of)
        ),
    }
    for key, table in JSON_TABLES:
        found[key] = json_objects(table, table.rows(view))
    return found


def write_json(report: Report, out: TextIO) -> None:
    from quiz.tables.render import json_text

    out.write(json_text(report_json(report)) + "\n")


# --- csv --------------------------------------------------------------------------------


def write_csv(report: Report, out: TextIO) -> None:
    """One block per table, each with its header, the first column naming the table."""
    import csv

    from quiz.tables.render import csv_rows
    from quiz.tables.report import CSV_TABLES

    view = _view(report)
    writer = csv.writer(out, lineterminator="\r\n")
    for index, table in enumerate(CSV_TABLES):
        if index:
            out.write("\r\n")
        header, *rows = csv_rows(table, table.rows(view))
        writer.writerow(("table", *header))
        writer.writerows((table.name, *row) for row in rows)


# --- table ------------------------------------------------------------------------------


def write_table(report: Report, out: TextIO) -> None:
    """Every line fits TABLE_WIDTH columns; names shown literally, without control characters."""
    for line in table_lines(report):
        out.write(line + "\n")


def table_lines(report: Report) -> list[str]:
    from quiz.tables import report as tables

    view = _view(report)
    flagged = sum(1 for q in report.questions if q.flagged)
    questions_note = QUESTIONS_NOTE.format(flagged=flagged, questions=len(report.questions))
    if any(q.versions > 1 for q in report.questions):
        questions_note += " " + VERSIONS_NOTE
    lines = [
        *_heading(report),
        *_block(tables.STAFF_SECTIONS, view, STAFF_NOTE),
        *_block(tables.STAFF, view),
        *_block(tables.QUESTIONS, view, questions_note, after=_question_details),
        *_block(tables.SECTIONS, view, tables.SECTIONS_NOTE),
    ]
    if report.drill:
        lines += _block(tables.DRILL, view, DRILL_NOTE)
    if report.leeches:
        note = LEECHES_NOTE.format(threshold=report.leech_threshold)
        lines += _block(tables.LEECHES, view, note)
    if report.valid_presets:
        lines += _recertification_block(report, view)
    if report.unverified_passes:
        count = len(report.unverified_passes)
        lines += [
            *wrap(
                UNVERIFIED_LINE.format(
                    count=count, passes="pass rests" if count == 1 else "passes rest"
                ),
                TABLE_WIDTH,
            ),
            "",
        ]
    return lines[:-1]


def write_unverified(report: Report, form: str, out: TextIO) -> None:
    """`quiz report --unverified` in `form` (table, csv or json)."""
    from quiz.tables import report as tables
    from quiz.tables.render import csv_rows, json_objects, json_text

    table = tables.UNVERIFIED
    rows = table.rows(_view(report))
    if form == "json":
        out.write(json_text({"unverified_passes": json_objects(table, rows)}) + "\n")
    elif form == "csv":
        import csv

        csv.writer(out, lineterminator="\r\n").writerows(csv_rows(table, rows))
    else:
        for line in unverified_lines(report):
            out.write(line + "\n")


def unverified_lines(report: Report) -> list[str]:
    """`quiz report --unverified`: only the exam passes on a typed name."""
    from quiz.tables import report as tables

    if not report.unverified_passes:
        return ["No exam pass rests on a typed name alone (no PIN, no witness)."]
    return _block(tables.UNVERIFIED, _view(report), UNVERIFIED_NOTE)[:-1]


def _recertification_block(report: Report, view: ReportView) -> list[str]:
    """The learners due for recertification, or a line saying nobody is."""
    from quiz.tables import report as tables
    from quiz.tables.formats import local_day

    as_of = report.recertification_as_of
    note = RECERTIFICATION_NOTE.format(today=local_day(as_of) if as_of else "now")
    if report.recertification:
        return _block(tables.RECERTIFICATION, view, note)
    title = tables.RECERTIFICATION.title
    return [title.upper(), "=" * len(title), *wrap(note, TABLE_WIDTH), "nobody is due", ""]


def _heading(report: Report) -> list[str]:
    from quiz.tables.report import report_scope

    who, scope = report_scope(report)
    head = (
        f"Report: {report.attempts} attempts ({report.exams} exams) by {terminal_text(who)}, "
        f"{scope}. "
        f"Counted: {COUNTED}."
    )
    if report.drill:
        rounds = sum(d.rounds for d in report.drill)
        head += (
            f" Drill: {rounds} round{'s' if rounds != 1 else ''} by {len(report.drill)} "
            f"learner{'s' if len(report.drill) != 1 else ''} (below)."
        )
    return [*wrap(head, TABLE_WIDTH), ""]


def _block(
    table: Table[ReportView, Any],
    view: ReportView,
    note: str | None = None,
    *,
    after: Callable[[Any], list[str]] | None = None,
) -> list[str]:
    """A table under its title (and a note saying what its columns mean), then a blank line."""
    from quiz.tables.render import text_lines

    lines = [table.title.upper(), "=" * len(table.title)]
    if note is not None:
        lines += wrap(note, TABLE_WIDTH)
    return [*lines, *text_lines(table, table.rows(view), after=after), ""]


def _question_details(row: QuestionRow) -> list[str]:
    """Below a question: why it is flagged, and each wrong choice with its picks."""
    from quiz.tables.formats import percent_of, percent_text

    question = row.question
    lines = []
    if question.versions > 1:  # its figures are this version's only
        lines.append(fit(f"    version {question.version_text}", TABLE_WIDTH))
    if question.flagged:
        lines += wrap("    flagged: " + "; ".join(question.flags), TABLE_WIDTH, " " * 13)
    for choice in question.wrong_choices:
        share = percent_text(percent_of(choice.picks, question.asked))
        text = f"    wrong: {choice.picks:>4} {share:>5}  {terminal_text(choice.choice)}"
        lines.append(fit(text, TABLE_WIDTH))
    return lines


# --- html -------------------------------------------------------------------------------


def write_html(report: Report, out: TextIO, months: Sequence[MonthExams] = ()) -> None:
    """One self-contained page (quiz.tables.html_report); `months`: the exams by month."""
    from quiz.tables.html_report import write_html as write_page

    write_page(report, out, months, COUNTED)


FORMATS: dict[str, Callable[[Report, TextIO], None]] = {
    "table": write_table,
    "csv": write_csv,
    "json": write_json,
    "html": write_html,
}
"""The writer of each --format."""
