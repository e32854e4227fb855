"""`quiz flags [--course DIR|ID] [--since YYYY-MM-DD] [--format table|csv|json]`.

The flags learners raised on questions (ctrl+f in the app), by question, with their
notes, who raised each and when: for the course's authors. The flags of an exam still
open are shown to nobody until it is over (quiz.domain.flags). Never creates or
changes the store. The columns are the spec quiz.tables.flags.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quiz.commands import open_store, store_path
from quiz.commands.scores import add_format_option, local_date, no_store_note
from quiz.errors import ExitCode
from quiz.tables.text import TABLE_WIDTH, terminal_text, wrap

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.flags import StoredFlag

EPILOG = """\
A learner flags the question in front of them with ctrl+f (in practice, a drill, a
review or an exam), with an optional one-line note. A flag is kept with the question
as it was asked (prompt, choices in the order shown, answer, content version), the
learner, the attempt and the time. A flag raised in an exam is shown to nobody until
that exam is over (completed, timed out or abandoned). A flag never changes a score.

table: each question flagged, with its prompt as asked, then its flags. csv: one row
per flag (safe to open in a spreadsheet). json: a list of objects, one per flag, with
course, question_id, content_version, section, type, prompt, choices, answer,
flagged_at (ISO 8601, UTC), learner, mode, attempt_id, position and note."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    # Its own dest: `course` is the app's --course, which quiz.cli refuses with a command.
    parser.add_argument(
        "--course",
        dest="only_course",
        metavar="DIR",
        help="only the flags of this course: its folder (its course.yaml names it) or its id",
    )
    parser.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        type=local_date,
        help="only flags raised on or after this (local) date",
    )
    add_format_option(parser)


def course_id(given: str) -> tuple[str | None, str | None]:
    """The course id `--course` names (a folder's course.yaml, or the id itself), or a
    problem to report."""
    folder = Path(given)
    if not folder.is_dir():
        return given, None
    from quiz.domain.loader import read_presets

    found, _presets, problems = read_presets(folder)
    if found is None:
        detail = f": {problems[0]}" if problems else ""
        return None, f"{terminal_text(given)} is not a course folder{terminal_text(detail)}"
    return found, None


def run(args: argparse.Namespace) -> int:
    from quiz.storage.scores import StoreError

    course = None
    if args.only_course is not None:
        course, problem = course_id(args.only_course)
        if problem is not None:
            print(f"quiz flags: {problem}", file=sys.stderr)
            return ExitCode.PROBLEM
    path = store_path(args, "quiz flags")
    if path is None:
        return ExitCode.PROBLEM
    if not path.exists():
        note = f"no flags (the store {path} does not exist yet)"
        return no_store_note(note, args.format, lambda out: write([], args.format, out))
    try:
        with open_store(path) as store:
            flags = store.shown_flags(course=course, since=args.since)
    except StoreError as error:
        print(f"quiz flags: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    write(flags, args.format, sys.stdout)
    return ExitCode.OK


def write(flags: list[StoredFlag], form: str, out: TextIO) -> None:
    from quiz.tables.flags import FLAGS, FlagRow, FlagsView, by_question
    from quiz.tables.render import csv_rows, json_objects, json_text, text_lines

    rows = FLAGS.rows(FlagsView(flags))
    if form == "json":
        out.write(json_text(json_objects(FLAGS, rows)) + "\n")
        return
    if form == "csv":
        import csv

        csv.writer(out, lineterminator="\r\n").writerows(csv_rows(FLAGS, rows))
        return
    groups = by_question(flags)
    if not groups:
        out.write("No flags.\n")
        return
    out.write(
        f"{len(flags)} flag{'s' if len(flags) != 1 else ''} on {len(groups)} "
        f"question{'s' if len(groups) != 1 else ''}, by question.\n"
    )
    for first, group in groups:
        out.write("\n")
        heading = f"{first.question_id} ({first.course}, {first.section}): {len(group)} flagged"
        out.write(terminal_text(heading) + "\n")
        for text in wrap(terminal_text(first.prompt), TABLE_WIDTH - 2):
            out.write(f"  {text}\n")
        for choice in first.choices:
            for text in wrap(terminal_text(f"- {choice}"), TABLE_WIDTH - 4):
                out.write(f"    {text}\n")
        answer = ", ".join(first.answer)
        out.write(terminal_text(f"  answer: {answer}") + "\n")
        for text in text_lines(FLAGS, [FlagRow(flag) for flag in group]):
            out.write(text + "\n")
