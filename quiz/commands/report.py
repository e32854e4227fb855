"""`quiz report [--learner NAME] [--since YYYY-MM-DD] [--format table|csv|json]`.

Staff by section, questions and sections, for a clinic manager. Never creates or
changes the store.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from quiz import paths
from quiz.commands.scores import (
    TABLE_WIDTH,
    add_filter_options,
    fit,
    json_text,
    spreadsheet_safe,
    terminal_text,
    text_width,
)

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.reports import (
        LearnerReport,
        QuestionReport,
        Report,
        ReportFilter,
        SectionResult,
    )

COUNTED = (
    "completed and timed-out attempts (not those in progress or abandoned), "
    "practice and exams alike; the latest exam is of exams only"
)
WEAK_RULE = (
    "A section is weak when the learner's latest attempt at it scored below that "
    "attempt's pass mark (the exam's, else 80%)."
)

EPILOG_PARAGRAPHS = (
    f"What counts: {COUNTED}.",
    "Staff by section: per learner and section, the counted attempts that asked "
    "questions of the section, the percent right in the latest of them (last) and in "
    f"the best one. {WEAK_RULE}",
    "Questions: times asked, facility (percent of attempts that got it right) and "
    "discrimination (Moodle's index, -100..100: the correlation between getting this "
    "question right and the score on the rest of the attempt). Flagged when facility "
    "is below 50% or discrimination is negative. For single and multiple choice "
    "questions, how often each wrong choice was picked.",
    "Sections: the share of staff at or above the pass mark on their latest attempt "
    "at the section.",
    "csv: one block per table (each with its header; the first column names the "
    "table), separated by an empty line; safe to open in a spreadsheet. json: the "
    "same numbers. Percentages are rounded to one decimal in csv and json, to whole "
    "numbers in the table.",
)


def _epilog() -> str:
    import textwrap

    return "\n\n".join(textwrap.fill(p, width=TABLE_WIDTH) for p in EPILOG_PARAGRAPHS)


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = _epilog()
    add_filter_options(
        parser,
        learner_help="only this learner's attempts (questions too)",
        format_help="table (default; 80 columns), csv (safe to open in a spreadsheet) or json",
    )


def build_report(path: Path, report_filter: ReportFilter | None = None) -> Report:
    """The report of the store at `path` (its query part: what the benchmark times)."""
    from quiz.storage.scores import ScoreStore

    with ScoreStore.open(path, create=False) as store:
        return store.report(report_filter)


def run(args: argparse.Namespace) -> int:
    from quiz.storage.reports import Report, ReportFilter
    from quiz.storage.scores import ScoreStore, StoreError

    report_filter = ReportFilter(learner=args.only_learner, since=args.since)
    path = paths.db_path(args.db)
    out = sys.stdout
    if not path.exists():
        note = f"no attempts yet (the store {path} does not exist)"
        if args.format == "table":
            out.write(note + "\n")
        else:
            print(note, file=sys.stderr)
            write(Report(report_filter, 0, 0, (), (), ()), args.format, out)
        return 0
    try:
        with ScoreStore.open(path, create=False) as store:
            report = store.report(report_filter)
            close: tuple[str, ...] = ()
            if args.only_learner is not None and not report.learners:
                from quiz.storage.learners import closest

                known = {info.key: info.name for info in store.list_learners()}
                if args.only_learner.strip().casefold() not in known:
                    close = closest(args.only_learner, known)
    except StoreError as error:
        print(f"quiz report: {error.message}", file=sys.stderr)
        return 1
    if not report.attempts and args.format == "table":
        out.write(_nothing(report_filter, close) + "\n")
        return 0
    write(report, args.format, out)
    return 0


def _nothing(report_filter: ReportFilter, close: tuple[str, ...]) -> str:
    if report_filter.learner is None and report_filter.since is None:
        return "no finished attempts yet: nothing to report"
    text = "no finished attempts match"
    if close:
        text += "; close names: " + ", ".join(terminal_text(n) for n in close)
    return text


def write(report: Report, form: str, out: TextIO) -> None:
    if form == "json":
        out.write(json_text(report_json(report)) + "\n")
    elif form == "csv":
        write_csv(report, out)
    else:
        write_table(report, out)


# --- shared numbers ---------------------------------------------------------------------


def rounded(value: float | None) -> float | None:
    """A percentage or index as csv and json carry it (one decimal)."""
    return None if value is None else round(value, 1)


def utc_text(moment: datetime) -> str:
    from quiz.storage.codec import format_utc

    return format_utc(moment)


def _section_label(report: Report, course: str, section: str) -> str:
    return section if len(report.courses) <= 1 else f"{course}:{section}"


def _weak_labels(report: Report, learner: LearnerReport) -> list[str]:
    return [_section_label(report, s.course, s.section) for s in learner.weak_sections]


def _percent_of(count: int, total: int) -> float:
    return 100.0 * count / total if total else 0.0


# --- json -------------------------------------------------------------------------------


def report_json(report: Report) -> dict[str, Any]:
    since = report.filter.since
    return {
        "filter": {
            "learner": report.filter.learner,
            "since": since.isoformat() if since else None,
        },
        "counted": COUNTED,
        "attempts": report.attempts,
        "exams": report.exams,
        "staff": [_learner_json(report, learner) for learner in report.learners],
        "questions": [_question_json(q) for q in report.questions],
        "sections": [
            {
                "course": s.course,
                "section": s.section,
                "staff": s.staff,
                "at_or_above": s.at_or_above,
                "share": rounded(s.share),
            }
            for s in report.sections
        ],
    }


def _learner_json(report: Report, learner: LearnerReport) -> dict[str, Any]:
    exam = learner.latest_exam
    return {
        "learner": learner.name,
        "attempts": learner.attempts,
        "last_started_at": utc_text(learner.last_at),
        "latest_exam": None
        if exam is None
        else {
            "exam": exam.exam,
            "started_at": utc_text(exam.started_at),
            "percent": rounded(exam.percent),
            "pass_mark": exam.pass_mark,
            "passed": exam.passed,
        },
        "weak_sections": _weak_labels(report, learner),
        "sections": [_section_json(s) for s in learner.sections],
    }


def _section_json(result: SectionResult) -> dict[str, Any]:
    return {
        "course": result.course,
        "section": result.section,
        "attempts": result.attempts,
        "asked": result.asked,
        "right": result.right,
        "last_percent": rounded(result.last_percent),
        "best_percent": rounded(result.best_percent),
        "last_started_at": utc_text(result.last_at),
        "last_pass_mark": result.last_pass_mark,
        "weak": result.weak,
    }


def _question_json(question: QuestionReport) -> dict[str, Any]:
    return {
        "course": question.course,
        "question": question.question,
        "section": question.section,
        "type": question.type,
        "asked": question.asked,
        "answered": question.answered,
        "right": question.right,
        "facility": rounded(question.facility),
        "discrimination": rounded(question.discrimination),
        "flagged": question.flagged,
        "flags": list(question.flags),
        "wrong_choices": [
            {
                "choice": c.choice,
                "picks": c.picks,
                "percent_of_asked": rounded(_percent_of(c.picks, question.asked)),
            }
            for c in question.wrong_choices
        ],
    }


# --- csv --------------------------------------------------------------------------------


def csv_tables(report: Report) -> list[tuple[str, tuple[str, ...], list[tuple[object, ...]]]]:
    """(name, header, rows) of each table, in the order written."""

    def blank(value: object) -> object:
        return "" if value is None else value

    def yes_no(value: bool | None) -> str:
        return "" if value is None else str(value).lower()

    staff_sections: list[tuple[object, ...]] = [
        (
            learner.name,
            s.course,
            s.section,
            s.attempts,
            s.asked,
            s.right,
            rounded(s.last_percent),
            rounded(s.best_percent),
            utc_text(s.last_at),
            s.last_pass_mark,
            yes_no(s.weak),
        )
        for learner in report.learners
        for s in learner.sections
    ]
    staff: list[tuple[object, ...]] = []
    for learner in report.learners:
        exam = learner.latest_exam
        staff.append(
            (
                learner.name,
                learner.attempts,
                utc_text(learner.last_at),
                blank(exam.exam) if exam else "",
                utc_text(exam.started_at) if exam else "",
                blank(rounded(exam.percent)) if exam else "",
                blank(exam.pass_mark) if exam else "",
                yes_no(exam.passed) if exam else "",
                "; ".join(_weak_labels(report, learner)),
            )
        )
    questions: list[tuple[object, ...]] = [
        (
            q.course,
            q.question,
            q.section,
            q.type,
            q.asked,
            q.answered,
            q.right,
            blank(rounded(q.facility)),
            blank(rounded(q.discrimination)),
            yes_no(q.flagged),
            "; ".join(q.flags),
        )
        for q in report.questions
    ]
    choices: list[tuple[object, ...]] = [
        (q.course, q.question, c.choice, c.picks, rounded(_percent_of(c.picks, q.asked)))
        for q in report.questions
        for c in q.wrong_choices
    ]
    sections: list[tuple[object, ...]] = [
        (s.course, s.section, s.staff, s.at_or_above, rounded(s.share)) for s in report.sections
    ]
    return [
        (
            "staff_sections",
            (
                "learner",
                "course",
                "section",
                "attempts",
                "asked",
                "right",
                "last_percent",
                "best_percent",
                "last_started_at",
                "last_pass_mark",
                "weak",
            ),
            staff_sections,
        ),
        (
            "staff",
            (
                "learner",
                "attempts",
                "last_started_at",
                "latest_exam",
                "latest_exam_started_at",
                "latest_exam_percent",
                "latest_exam_pass_mark",
                "latest_exam_passed",
                "weak_sections",
            ),
            staff,
        ),
        (
            "questions",
            (
                "course",
                "question",
                "section",
                "type",
                "asked",
                "answered",
                "right",
                "facility",
                "discrimination",
                "flagged",
                "flags",
            ),
            questions,
        ),
        (
            "wrong_choices",
            ("course", "question", "choice", "picks", "percent_of_asked"),
            choices,
        ),
        ("sections", ("course", "section", "staff", "at_or_above", "share"), sections),
    ]


def write_csv(report: Report, out: TextIO) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    for index, (name, header, rows) in enumerate(csv_tables(report)):
        if index:
            out.write("\r\n")
        writer.writerow(("table", *header))
        for row in rows:
            writer.writerow(
                (name, *(spreadsheet_safe(v) if isinstance(v, str) else v for v in row))
            )


# --- table ------------------------------------------------------------------------------


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def _cells(cells: Sequence[str], widths: Sequence[int], right: Sequence[bool]) -> str:
    parts = []
    for cell, width, to_right in zip(cells, widths, right, strict=True):
        fitted = fit(cell, width)
        pad = " " * (width - text_width(fitted))
        parts.append(pad + fitted if to_right else fitted + pad)
    return " ".join(parts).rstrip()


def _wrap(text: str, width: int, indent: str) -> list[str]:
    """`text` in lines of at most `width` columns, each but the first after `indent`."""
    import textwrap

    lines = textwrap.wrap(text, width=width, subsequent_indent=indent, break_on_hyphens=False)
    return [fit(line, width) for line in lines] or [""]


def write_table(report: Report, out: TextIO) -> None:
    """Every line fits TABLE_WIDTH columns; names shown literally, without control characters."""
    for line in table_lines(report):
        out.write(line + "\n")


def table_lines(report: Report) -> list[str]:
    lines = _heading(report)
    lines += _staff_lines(report)
    lines += _exam_lines(report)
    lines += _question_lines(report)
    lines += _share_lines(report)
    return lines


def _heading(report: Report) -> list[str]:
    since = report.filter.since
    scope = f"since {since.isoformat()}" if since else "all dates"
    who = f"{len(report.learners)} learner" + ("s" if len(report.learners) != 1 else "")
    if report.filter.learner is not None and len(report.learners) == 1:
        who = terminal_text(report.learners[0].name)
    head = (
        f"Report: {report.attempts} attempts ({report.exams} exams) by {who}, {scope}. "
        f"Counted: {COUNTED}."
    )
    return [*_wrap(head, TABLE_WIDTH, ""), ""]


def _title(text: str) -> list[str]:
    return [text.upper(), "=" * len(text)]


def _staff_lines(report: Report) -> list[str]:
    lines = _title("Staff by section")
    lines += _wrap(
        "tries: attempts that asked questions of the section; last: percent right in "
        "the latest of them; best: in the best one. " + WEAK_RULE,
        TABLE_WIDTH,
        "",
    )
    widths = [20, 22, 5, 5, 5, 18]
    right = [False, False, True, True, True, False]
    lines.append(_cells(["learner", "section", "tries", "last", "best", ""], widths, right))
    for learner in report.learners:
        name = terminal_text(learner.name)
        for index, s in enumerate(learner.sections):
            note = f"weak (pass {s.last_pass_mark}%)" if s.weak else ""
            lines.append(
                _cells(
                    [
                        name if index == 0 else "",
                        terminal_text(_section_label(report, s.course, s.section)),
                        str(s.attempts),
                        _pct(s.last_percent),
                        _pct(s.best_percent),
                        note,
                    ],
                    widths,
                    right,
                )
            )
    return [*lines, ""]


def _exam_lines(report: Report) -> list[str]:
    lines = _title("Latest exam and weak sections")
    widths = [20, 24]
    lines.append(_cells(["learner", "latest exam", "weak sections"], [*widths, 33], [False] * 3))
    indent = " " * (sum(widths) + len(widths))
    room = TABLE_WIDTH - len(indent)
    for learner in report.learners:
        exam = learner.latest_exam
        if exam is None:
            outcome = "no exam"
        else:
            verdict = "passed" if exam.passed else "failed"
            outcome = f"{verdict} {exam.percent:.0f}% {exam.started_at.astimezone():%Y-%m-%d}"
        weak = ", ".join(terminal_text(w) for w in _weak_labels(report, learner)) or "none"
        wrapped = _wrap(weak, room, "")
        first = _cells([terminal_text(learner.name), outcome], widths, [False, False])
        lines.append(first.ljust(len(indent)) + wrapped[0])
        lines += [indent + more for more in wrapped[1:]]
    return [*lines, ""]


def _question_lines(report: Report) -> list[str]:
    lines = _title("Questions")
    flagged = sum(1 for q in report.questions if q.flagged)
    lines += _wrap(
        f"{flagged} of {len(report.questions)} questions flagged. asked: attempts that "
        "asked it; facility: percent of them right; discr.: Moodle's discrimination index "
        "(-100..100; — when it cannot be computed). Flagged when facility is below 50% or "
        "discrimination is negative. Below a choice question: each wrong choice, how often "
        "it was picked and the percent of the times the question was asked.",
        TABLE_WIDTH,
        "",
    )
    widths = [24, 18, 6, 8, 7, 12]
    right = [False, False, True, True, True, False]
    lines.append(
        _cells(["question", "section", "asked", "facility", "discr.", "flag"], widths, right)
    )
    for q in report.questions:
        index = "—" if q.discrimination is None else f"{q.discrimination:.0f}"
        lines.append(
            _cells(
                [
                    terminal_text(q.question),
                    terminal_text(_section_label(report, q.course, q.section)),
                    str(q.asked),
                    _pct(q.facility),
                    index,
                    "FLAGGED" if q.flagged else "",
                ],
                widths,
                right,
            )
        )
        if q.flagged:
            lines += _wrap("    flagged: " + "; ".join(q.flags), TABLE_WIDTH, " " * 13)
        for choice in q.wrong_choices:
            share = _percent_of(choice.picks, q.asked)
            lines.append(
                fit(
                    f"    wrong: {choice.picks:>4} {share:>4.0f}%  {terminal_text(choice.choice)}",
                    TABLE_WIDTH,
                )
            )
    return [*lines, ""]


def _share_lines(report: Report) -> list[str]:
    lines = _title("Sections")
    lines += _wrap(
        "staff: learners with a counted attempt at the section; at or above: of them, "
        "those at or above the pass mark on their latest attempt at it.",
        TABLE_WIDTH,
        "",
    )
    widths = [40, 6, 12, 6]
    right = [False, True, True, True]
    lines.append(_cells(["section", "staff", "at or above", "share"], widths, right))
    for s in report.sections:
        lines.append(
            _cells(
                [
                    terminal_text(_section_label(report, s.course, s.section)),
                    str(s.staff),
                    str(s.at_or_above),
                    _pct(s.share),
                ],
                widths,
                right,
            )
        )
    return lines
