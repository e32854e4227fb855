"""`quiz export-questions [COURSE] --format gift|aiken [--out FILE]`: a course's
questions for Moodle.

GIFT carries every field (quiz.domain.gift); Aiken holds one-answer questions only
(quiz.domain.aiken). The questions a format cannot hold are left out and listed on
standard error, each as `path:line:col: left out: why`. `--out` never replaces a file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from quiz import paths
from quiz.domain.text import plural, strip_control
from quiz.errors import ExitCode


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "course_choice",  # not `course`: that is the app's --course, refused with a command
        nargs="?",
        metavar="COURSE",
        help="a course id of --questions, or a course folder (default: the only course)",
    )
    parser.add_argument(
        "--format", choices=("gift", "aiken"), required=True, help="GIFT or Aiken (Moodle)"
    )
    parser.add_argument(
        "--out", metavar="FILE", help="write to this new file (default: standard output)"
    )


def run(args: argparse.Namespace) -> int:
    from quiz.domain.aiken import write_aiken
    from quiz.domain.folders import find_course_folders, is_course_folder
    from quiz.domain.gift.writing import write_gift
    from quiz.domain.loader import load_course

    if args.course_choice is not None and is_course_folder(Path(args.course_choice)):
        folders = [Path(args.course_choice)]
    else:
        folders = find_course_folders(paths.questions_dir(args.questions))
    loads = [load_course(folder) for folder in folders]
    if args.course_choice is not None and not is_course_folder(Path(args.course_choice)):
        loads = [
            load
            for load in loads
            if load.course is not None and load.course.id == args.course_choice
        ]
        if not loads:
            print(
                f"quiz export-questions: no course {args.course_choice!r}: give a course id of "
                "--questions or a course folder",
                file=sys.stderr,
            )
            return ExitCode.USAGE
    if len(loads) != 1:
        ids = ", ".join(load.course.id if load.course else str(load.path) for load in loads)
        print(f"quiz export-questions: say which course: {ids or 'none found'}", file=sys.stderr)
        return ExitCode.USAGE
    load = loads[0]
    if not load.ok or load.course is None:
        print(
            f"quiz export-questions: the course in {load.path} has problems: run `quiz check "
            f"{load.path}` and fix them first",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    course = load.course
    text, left = (write_gift if args.format == "gift" else write_aiken)(course)
    if args.out is not None:
        out = Path(args.out)
        try:
            with open(out, "x", encoding="utf-8") as handle:
                handle.write(text)
        except FileExistsError:
            print(
                f"quiz export-questions: {out} already exists and is never overwritten: "
                "give another --out, or move it away first",
                file=sys.stderr,
            )
            return ExitCode.PROBLEM
        except OSError as error:
            print(f"quiz export-questions: cannot write {out}: {error.strerror}", file=sys.stderr)
            return ExitCode.PROBLEM
    else:
        sys.stdout.write(text)
    written = len(course.questions) - len(left)
    where = f" to {args.out}" if args.out is not None else ""
    print(
        f"quiz export-questions: {plural(written, 'question')} of {course.id} written as "
        f"{args.format.upper() if args.format == 'gift' else 'Aiken'}{where}"
        + (f"; {len(left)} left out:" if left else ""),
        file=sys.stderr,
    )
    for item in left:
        question = item.question
        print(
            strip_control(
                f"{question.path}:{question.line}:1: left out {question.id}: {item.reason}"
            ),
            file=sys.stderr,
        )
    return ExitCode.OK
