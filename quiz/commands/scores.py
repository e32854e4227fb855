"""`quiz scores [--learner NAME] [--since YYYY-MM-DD] [--format table|csv|json]`.

One row per attempt, newest first. Never creates, moves or repairs the store: a
store that cannot be read is a message naming it and exit 1. The columns are the
spec quiz.tables.attempts (the table and CSV; JSON is the export `quiz import` reads).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, TextIO

from quiz import paths
from quiz.commands import learner_clinic_problem, open_store, store_path
from quiz.errors import ExitCode

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.attempts import AttemptSummary
    from quiz.storage.scores import ScoreStore


FORMAT_HELP = "table (default; 80 columns), csv (safe to open in a spreadsheet) or json"


def add_format_option(parser: argparse.ArgumentParser, help: str = FORMAT_HELP) -> None:
    """--format table|csv|json, as every command that prints rows takes it."""
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table", help=help)


def add_filter_options(
    parser: argparse.ArgumentParser, *, learner_help: str, format_help: str
) -> None:
    """--learner, --since and --format, shared by the commands that list or report attempts."""
    # Its own dest: `learner` is the app's --learner, which quiz.cli refuses with a command.
    parser.add_argument("--learner", dest="only_learner", metavar="NAME", help=learner_help)
    parser.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        type=local_date,
        help="only attempts started on or after this (local) date",
    )
    add_format_option(parser, format_help)
    add_clinic_option(
        parser,
        "only attempts taken at this clinic (attempts saved before a clinic was set "
        "have none and are left out); with --learner, needed when the name is at several "
        "clinics",
    )


def add_clinic_option(parser: argparse.ArgumentParser, help_text: str) -> None:
    """--clinic ID (its own dest: only_clinic), as the commands that narrow to a clinic
    take it."""
    from quiz.commands.central import clinic_id

    parser.add_argument(
        "--clinic", dest="only_clinic", metavar="ID", type=clinic_id, default=None, help=help_text
    )


def configure(parser: argparse.ArgumentParser) -> None:
    add_filter_options(
        parser,
        learner_help="only this learner's attempts",
        format_help="table (default), csv (safe to open in a spreadsheet) "
        "or json (for 'quiz import')",
    )


def local_date(text: str) -> date:
    """An argparse type: YYYY-MM-DD, a local date (the commands' --since)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date like 2026-11-23 (YYYY-MM-DD)"
        ) from None


def no_store_note(note: str, form: str, write_empty: Callable[[TextIO], None]) -> int:
    """When the store does not exist yet: `note` says so (on standard output for a
    table; on stderr for csv and json, which still get their empty output from
    `write_empty`). The commands' exit code: nothing to list is no problem."""
    if form == "table":
        sys.stdout.write(note + "\n")
    else:
        print(note, file=sys.stderr)
        write_empty(sys.stdout)
    return ExitCode.OK


def missing_store_note(args: argparse.Namespace, write_empty: Callable[[TextIO], None]) -> int:
    """`no_store_note` for the commands that list attempts (scores, report)."""
    note = f"no attempts yet (the store {paths.db_path(args.db)} does not exist)"
    return no_store_note(note, args.format, write_empty)


def run(args: argparse.Namespace) -> int:
    from quiz.storage.scores import StoreError

    path = store_path(args, "quiz scores")
    if path is None:
        return ExitCode.PROBLEM
    out = sys.stdout
    if not path.exists():
        return missing_store_note(args, lambda empty: _write([], args.format, empty, store=None))
    try:
        with open_store(path) as store:
            problem = learner_clinic_problem(store, args.only_learner, args.only_clinic)
            if problem is not None:
                print(f"quiz scores: {problem}.", file=sys.stderr)
                return ExitCode.USAGE
            if args.format == "json":
                _stream_json(store, args, out)
                return ExitCode.OK
            attempts = store.list_attempts(
                learner=args.only_learner, since=args.since, clinic=args.only_clinic
            )
            if not attempts and args.format == "table":
                filtered = any(
                    value is not None for value in (args.only_learner, args.since, args.only_clinic)
                )
                out.write("no attempts match\n" if filtered else "no attempts yet\n")
                return ExitCode.OK
            _write(attempts, args.format, out, store=store)
    except StoreError as error:
        print(f"quiz scores: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    return ExitCode.OK


def _write(
    attempts: list[AttemptSummary], form: str, out: TextIO, *, store: ScoreStore | None
) -> None:
    if form == "json":
        _write_json(attempts, out, store)
    elif form == "csv":
        _write_csv(attempts, out)
    else:
        _write_table(attempts, out)


def _write_json(attempts: list[AttemptSummary], out: TextIO, store: ScoreStore | None) -> None:
    """A JSON list, written one attempt at a time (a big store need not fit in memory)."""
    from quiz.tables.render import json_text

    if not attempts or store is None:
        out.write("[]\n")
        return
    out.write("[\n")
    for index, detail in enumerate(store.iter_details(attempts)):
        if index:
            out.write(",\n")
        out.write(json_text(detail.to_export_dict()))
    out.write("\n]\n")


def _stream_json(store: ScoreStore, args: argparse.Namespace, out: TextIO) -> None:
    """Every attempt with its answers, newest first: a JSON list written as it is read
    (a big store need not fit in memory)."""
    write = _fast_writer(out)
    opened = False
    pending: list[str] = []  # written _WRITE_CHARS or so at a time: fewer, larger writes
    size = 0
    try:
        for text in store.export_texts(
            learner=args.only_learner, since=args.since, clinic=args.only_clinic
        ):
            pending.append(",\n" if opened else "[\n")
            pending.append(text)
            opened = True
            size += len(text)
            if size >= _WRITE_CHARS:
                write("".join(pending))
                pending.clear()
                size = 0
        pending.append("\n]\n" if opened else "[]\n")
    finally:  # what was read is written, as it was before a problem
        write("".join(pending))
    out.flush()


_WRITE_CHARS = 1 << 16
"""Characters of the export written at a time (a few attempts). A megabyte at a time
cost more system time than it saved (each piece a fresh block of memory: 8 s of system
time against 1-3 s for the 1.26 GB export of 100k attempts, in single runs)."""


def _fast_writer(out: TextIO) -> Callable[[str], object]:
    """out.write, or where `out` is a text file over a binary one (sys.stdout), a write
    of the text encoded as `out` would encode it straight to the binary file: for texts
    of many kilobytes it takes half the time of the text layer's write. Newlines are
    written as they are, as `out` does on POSIX (where it would translate them, the
    text layer writes)."""
    binary = getattr(out, "buffer", None)
    if binary is None or os.linesep != "\n":
        return out.write
    out.flush()
    encoding, errors = out.encoding, out.errors or "strict"
    return lambda text: binary.write(text.encode(encoding, errors))


def _write_csv(attempts: list[AttemptSummary], out: TextIO) -> None:
    import csv

    from quiz.tables.attempts import ATTEMPTS
    from quiz.tables.render import csv_rows

    csv.writer(out, lineterminator="\r\n").writerows(csv_rows(ATTEMPTS, attempts))


def _write_table(attempts: list[AttemptSummary], out: TextIO) -> None:
    """Fits TABLE_WIDTH columns; names shown literally, without control characters. The
    course column is shown only when the attempts are of more than one course."""
    from quiz.tables.attempts import ATTEMPTS
    from quiz.tables.render import text_lines

    for line in text_lines(ATTEMPTS, attempts):
        out.write(line + "\n")
