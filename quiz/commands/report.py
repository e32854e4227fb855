"""`quiz report [--learner NAME] [--since YYYY-MM-DD] [--format table|csv|json|html]
[--out FILE]`.

Staff by section, questions and sections, for a clinic manager. Never creates or
changes the store. Each table's columns are its spec in quiz.tables.report, which the
All-staff screen shows too. This module is the command: its options, what it reads
from the store and the course folders, its messages and exit codes, and the --out file;
quiz.commands.report_formats writes each --format.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.commands import learner_clinic_problem, open_store, store_path
from quiz.commands.due import finish_card_rebuild
from quiz.commands.report_formats import COUNTED, WEAK_RULE, write, write_html, write_unverified
from quiz.commands.scores import add_filter_options, missing_store_note
from quiz.domain.clock import Clock, SystemClock
from quiz.errors import ExitCode
from quiz.tables.text import TABLE_WIDTH, terminal_text

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.report_model import Report, ReportFilter, ValidPreset
    from quiz.tables.html_charts import MonthExams

CLOCK: Clock = SystemClock()
"""Where "now" comes from for the recertification list (tests put a fixed clock here)."""

EPILOG_PARAGRAPHS = (
    f"What counts: {COUNTED}.",
    "Staff by section: per learner and section, the counted attempts that asked "
    "questions of the section, the percent right in the latest of them (last) and in "
    f"the best one. {WEAK_RULE}",
    "Questions: times asked, facility (percent of attempts that got it right) and "
    "discrimination (Moodle's index, -100..100: the correlation between getting this "
    "question right and the score on the rest of the attempt). Flagged when facility "
    "is below 50% or discrimination is negative. For single and multiple choice "
    "questions, how often each wrong choice was picked. learner_flags (l.flags): the "
    "flags learners raised on it in the period (`quiz flags` lists them with their "
    "notes; an exam's flags only once that exam is over).",
    "Versions: a question's figures are kept per version (its type, right answer and "
    "choices; not its wording or the order its choices were shown in), so a corrected "
    "question starts again instead of inheriting its wrong version's. With answers to "
    "several versions it has a row for each, named by the first digits of the version's "
    "hash (v3f2a: as course.lock shows it after sha256:), the current one first: the "
    "version asked in the latest month (of two asked that month, the one that reached "
    "the store later). json: version and current.",
    "Sections: the share of staff at or above the pass mark on their latest attempt "
    "at the section.",
    "Drill activity: per learner, the drill rounds of the period (a drill asks the "
    "questions due for review, weak ones on purpose, so its answers are in no other "
    "table), the questions asked in them and those right by the end of the round.",
    "Leeches: questions a learner has forgotten again and again (lapses: missed after "
    "having been known, at or above the store's leech threshold, 4 by default), as "
    "they are now whatever the period; a question that is a leech for several learners "
    "is probably a problem of the question or the course text.",
    "Due for recertification (only when an exam preset of a course in --questions sets "
    "`valid_for`): for each such preset, each learner whose last pass of it (a counted "
    "exam of that preset, passed, whatever the period) has expired, with the day it "
    "expired, or who never passed it.",
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
        format_help="table (default; 80 columns), csv (safe to open in a spreadsheet), json "
        "or html (one self-contained page with charts)",
    )
    # html is this command's alone: added to the choices the shared option offers.
    parser._option_string_actions["--format"].choices = ("table", "csv", "json", "html")
    parser.add_argument(
        "--unverified",
        action="store_true",
        help="only the exam passes whose learner was known by a typed name alone (no PIN, "
        "no witness): each learner's latest pass of each exam (table, csv or json)",
    )
    parser.add_argument(
        "--out",
        metavar="FILE",
        help="with --format html: write the page to this new file (default: standard output)",
    )


def build_report(path: Path, report_filter: ReportFilter | None = None) -> Report:
    """The report of the store at `path` (its query part: what the benchmark times)."""

    with open_store(path) as store:
        return store.report(report_filter)


def run(args: argparse.Namespace) -> int:
    from quiz.storage.reports import Report, ReportFilter
    from quiz.storage.scores import StoreError

    report_filter = ReportFilter(
        learner=args.only_learner, since=args.since, clinic=args.only_clinic
    )
    if args.out is not None and args.format != "html":
        print("quiz report: --out is for --format html", file=sys.stderr)
        return ExitCode.USAGE
    if args.unverified and args.format == "html":
        print("quiz report: --unverified is for table, csv or json", file=sys.stderr)
        return ExitCode.USAGE
    if args.out is not None and Path(args.out).exists():
        return _exists(Path(args.out))
    path = store_path(args, "quiz report")
    if path is None:
        return ExitCode.PROBLEM
    if not path.exists():
        empty = Report.empty(report_filter)
        if args.out is not None:
            missing_store_note(args, lambda _stdout: None)  # the note, on stderr
            return write_html_file(empty, (), Path(args.out))
        return missing_store_note(args, lambda out: write(empty, args.format, out))
    months: tuple[MonthExams, ...] = ()
    try:
        with open_store(path) as store:
            problem = learner_clinic_problem(store, args.only_learner, args.only_clinic)
            if problem is not None:
                print(f"quiz report: {problem}.", file=sys.stderr)
                return ExitCode.USAGE
            finish_card_rebuild(store, "quiz report")
            report = store.report(report_filter)
            presets = valid_presets(args.questions)
            if presets:
                now = CLOCK.now()
                due = store.recertification_due(presets, now, args.only_learner)
                report = replace(
                    report,
                    valid_presets=presets,
                    recertification=due,
                    recertification_as_of=now,
                )
            if args.format == "html":
                from quiz.tables.html_charts import exam_months

                months = exam_months(
                    store.list_attempts(
                        learner=args.only_learner, since=args.since, clinic=args.only_clinic
                    )
                )
            close: tuple[str, ...] = ()
            if args.only_learner is not None and not report.learners:
                from quiz.storage.learners import closest

                known = {info.key: info.name for info in store.list_learners()}
                if args.only_learner.strip().casefold() not in known:
                    close = closest(args.only_learner, known)
    except StoreError as error:
        print(f"quiz report: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    if args.unverified:
        write_unverified(report, args.format, sys.stdout)
        return ExitCode.OK
    shown = report.attempts or report.drill or report.leeches or report.recertification
    if not shown and args.format == "table":
        sys.stdout.write(_nothing(report_filter, close) + "\n")
        return ExitCode.OK
    if args.format == "html":
        if args.out is not None:
            return write_html_file(report, months, Path(args.out))
        write_html(report, sys.stdout, months)
        return ExitCode.OK
    write(report, args.format, sys.stdout)
    return ExitCode.OK


def valid_presets(questions: str | None) -> tuple[ValidPreset, ...]:
    """The exam presets with a validity (`valid_for`) of the courses in --questions,
    read from their course.yaml files alone; a file that never says `valid_for` is not
    even parsed. Problems in a file that does are printed: the list would miss what
    they hide."""
    from quiz import paths
    from quiz.domain.folders import COURSE_FILE, find_course_folders

    found: list[ValidPreset] = []
    for folder in find_course_folders(paths.questions_dir(questions)):
        try:
            if b"valid_for" not in (folder / COURSE_FILE).read_bytes():
                continue
        except OSError:
            continue  # the app and `quiz check` say what is wrong with it
        from quiz.domain.loader import read_presets
        from quiz.storage.report_model import ValidPreset

        course, presets, problems = read_presets(folder)
        for problem in problems:
            print(f"quiz report: {problem} (run `quiz check`)", file=sys.stderr)
        if course is None:
            continue
        found += (
            ValidPreset(course, preset.id, preset.title, preset.valid_for)
            for preset in presets.values()
            if preset.valid_for is not None
        )
    return tuple(found)


def _nothing(report_filter: ReportFilter, close: tuple[str, ...]) -> str:
    if report_filter.learner is None and report_filter.since is None and not report_filter.clinic:
        return "no finished attempts yet: nothing to report"
    text = "no finished attempts match"
    if close:
        text += "; close names: " + ", ".join(terminal_text(n) for n in close)
    return text


def write_html_file(report: Report, months: Sequence[MonthExams], out: Path) -> int:
    """The page written to a new file `out` (never over an existing one)."""
    try:
        with open(out, "x", encoding="utf-8") as handle:
            write_html(report, handle, months)
    except FileExistsError:
        return _exists(out)
    except OSError as error:
        print(f"quiz report: cannot write {out}: {error.strerror}", file=sys.stderr)
        return ExitCode.PROBLEM
    print(f"quiz report: written to {out}", file=sys.stderr)
    return ExitCode.OK


def _exists(out: Path) -> int:
    print(
        f"quiz report: {out} already exists and is never overwritten: give another --out, "
        "or move it away first",
        file=sys.stderr,
    )
    return ExitCode.PROBLEM
