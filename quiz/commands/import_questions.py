"""`quiz import-questions FILE --into COURSE_DIR [--section ID] [--format gift|aiken]`.

Reads a GIFT or Aiken file (Moodle's formats; untrusted input: size capped, read in
linear time, every problem as `file:line:col`) and writes one bank a section into the
course folder: `SECTION.yaml` when it loads cleanly there, else a draft,
`SECTION.draft.yaml`, that the app skips and `quiz check` checks (its problems are
listed here too). What our banks cannot hold is listed per question and skipped. No
file is ever overwritten; with any problem in the file, nothing is written (exit 1).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quiz.domain.text import plural, strip_control
from quiz.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", metavar="FILE", help="a GIFT or Aiken file")
    parser.add_argument(
        "--into", metavar="COURSE_DIR", required=True, help="the course folder to write banks into"
    )
    parser.add_argument(
        "--section",
        metavar="ID",
        help="put every question in this section (default: the last part of each $CATEGORY)",
    )
    parser.add_argument(
        "--format",
        choices=("gift", "aiken"),
        help="the file's format (default: Aiken when it has ANSWER: lines and no braces, "
        "else GIFT)",
    )


def _looks_aiken(text: str) -> bool:
    has_answer = False
    for line in text.splitlines():
        stripped = line.strip()
        if stripped.startswith("//"):
            continue
        if "{" in stripped:
            return False
        if stripped.startswith("ANSWER:"):
            has_answer = True
    return has_answer


def _say(line: str) -> None:
    print(strip_control(line))


def run(args: argparse.Namespace) -> int:
    from quiz.domain.aiken import read_aiken
    from quiz.domain.bank_import import plan_import, write_banks
    from quiz.domain.folders import is_course_folder
    from quiz.domain.gift.reading import read_gift
    from quiz.domain.loader import check_draft, load_course
    from quiz.domain.question_io import read_file_text

    file = Path(args.file)
    folder = Path(args.into)
    if not is_course_folder(folder):
        print(
            f"quiz import-questions: {folder} is not a course folder (no course.yaml): give "
            "--into a course folder",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    load = load_course(folder)
    course = load.course
    if course is None:
        print(
            f"quiz import-questions: the course in {folder} cannot be read: run `quiz check "
            f"{folder}`",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    if args.section is not None and course.source.section(args.section) is None:
        known = ", ".join(s.id for s in course.source.sections)
        print(
            f"quiz import-questions: --section {args.section!r} is not a section of the "
            f"course text: {known}",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    text, problems = read_file_text(file)
    if text is None:
        for problem in problems:
            _say(str(problem))
        return ExitCode.PROBLEM
    aiken = args.format == "aiken" or (args.format is None and _looks_aiken(text))
    read = (read_aiken if aiken else read_gift)(file, text)
    if read.problems:
        for problem in read.problems:
            _say(str(problem))
        _say(f"{plural(len(read.problems), 'problem')} in {file}: nothing written")
        return ExitCode.PROBLEM
    plan = plan_import(file, read, course, args.section)
    for skipped in read.skipped:
        _say(f"{file}:{skipped.line}:{skipped.column}: skipped {skipped.name}: {skipped.reason}")
    for note in plan.notes:
        _say(f"{note.path}:{note.line}:{note.column}: note: {note.message}")
    if plan.problems:
        for problem in plan.problems:
            _say(str(problem))
        _say("nothing written")
        return ExitCode.PROBLEM
    if not plan.banks:
        _say(f"{file}: no question to import")
        return ExitCode.PROBLEM
    failed = write_banks(plan)
    for problem in failed:
        _say(str(problem))
    written = [bank for bank in plan.banks if not any(p.path == bank.path for p in failed)]
    for bank in written:
        if not bank.draft:
            _say(f"wrote {bank.path}: {plural(bank.count, 'question')}, in use")
            continue
        _say(
            f"wrote {bank.path}: {plural(bank.count, 'question')}, a draft (the app skips it); "
            f"when `quiz check {folder}` lists nothing for it, rename it {bank.section}.yaml"
        )
        for problem in check_draft(load, bank.path):
            _say(str(problem))
    return ExitCode.PROBLEM if failed else ExitCode.OK
