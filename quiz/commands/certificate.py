"""`quiz certificate ATTEMPT_ID [--out FILE.pdf] [--force]`: a finished exam's
certificate (a failed one's result statement) as one PDF page.

ATTEMPT_ID is the id `quiz scores` shows (its first characters are enough when no other
attempt's id starts with them; `--format csv` and `json` show the whole id). Practice,
drill, paused, abandoned and unfinished attempts get none: a message, exit 1. The file
is written to --out, or to a name made of the learner and the date in the current
folder; an existing file is never replaced without --force. The page is made by
quiz.tables.certificate_pdf (fpdf2), imported only when a certificate is written.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz.commands import existing_store, open_store
from quiz.errors import ExitCode

if TYPE_CHECKING:
    from quiz.domain.model import Course

COMMAND = "quiz certificate"
MIN_ID_PREFIX = 6
"""The fewest characters of an attempt id taken (fewer would match by chance)."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "attempt_id",
        metavar="ATTEMPT_ID",
        help="the attempt's id as `quiz scores` shows it (its first characters are enough)",
    )
    parser.add_argument(
        "--out",
        metavar="FILE.pdf",
        help="where to write it (default: certificate-NAME-DATE.pdf in the current folder)",
    )
    parser.add_argument(
        "--force", action="store_true", help="replace FILE if it exists (never done otherwise)"
    )


def run(args: argparse.Namespace) -> int:
    from quiz import __version__
    from quiz.storage.errors import StoreError
    from quiz.tables.certified import why_no_certificate

    wanted = args.attempt_id.strip().lower()
    if len(wanted) < MIN_ID_PREFIX or any(ch not in "0123456789abcdef-" for ch in wanted):
        print(
            f"{COMMAND}: {args.attempt_id!r} is not an attempt id: give the id `quiz scores` "
            f"shows (at least its first {MIN_ID_PREFIX} characters, 0-9 and a-f)",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    path = existing_store(args, COMMAND, mirror=True)
    if path is None:
        return ExitCode.PROBLEM
    try:
        with open_store(path) as store:
            matching = store.attempt_ids_starting(wanted)
            if len(matching) != 1:
                print(f"{COMMAND}: {_not_one(wanted, matching, path)}", file=sys.stderr)
                return ExitCode.PROBLEM
            (attempt_id,) = matching
            detail = store.get_attempt(attempt_id)
            assert detail is not None
            summary = detail.summary
            refusal = why_no_certificate(str(summary.mode), str(summary.status))
            if refusal is not None:
                print(
                    f"{COMMAND}: attempt {attempt_id} has no certificate: {refusal}.",
                    file=sys.stderr,
                )
                return ExitCode.PROBLEM
            certified = store.certified_record(attempt_id)
    except StoreError as error:
        print(f"{COMMAND}: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    assert certified is not None  # a finished exam
    record, code = certified
    course = _course(args, record.course)
    from quiz.tables.certificate_pdf import (
        CertificateContent,
        CertificateRefused,
        default_file_name,
        nfc,
        render,
        write_new,
    )
    from quiz.tables.certified import titles_for, valid_until_for

    content = CertificateContent(
        titles=titles_for(record, course),
        valid_until=valid_until_for(record, course),
        app_version=__version__,
    )
    try:
        data = render(record, code, content)
    except CertificateRefused as error:
        print(f"{COMMAND}: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    target = Path(args.out).expanduser() if args.out else Path.cwd() / default_file_name(record)
    existed = target.exists()
    if existed and not args.force:
        print(
            f"{COMMAND}: {target} already exists and was not replaced: give --force to "
            "replace it, or --out another file.",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    try:
        write_new(target, data, overwrite=args.force)
    except FileExistsError:
        print(
            f"{COMMAND}: {target} appeared while the certificate was made, and was not "
            "replaced: give --force to replace it, or --out another file.",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    except OSError as error:
        print(
            f"{COMMAND}: {target} could not be written ({error.strerror or error}); "
            "nothing was written. Choose another file with --out.",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    from quiz.tables.text import terminal_text

    what = "certificate" if record.passed else "result statement (not passed)"
    verb = "replaced" if existed else "wrote"
    print(f"{verb} {target}: the {what} of {terminal_text(nfc(record.learner))}'s exam")
    if code is not None:
        print(f"verification code {code} (check it with: quiz verify {code})")
    if course is None:
        print(
            f"note: the course {record.course} is not in the course folder, so the "
            "certificate names it by its id (and shows no 'valid until' line)"
        )
    return ExitCode.OK


def _not_one(wanted: str, matching: list[str], path: Path) -> str:
    if not matching:
        return (
            f"no attempt in {path} has an id starting {wanted!r}: see the ids with "
            "quiz scores (or quiz scores --format csv for whole ids)"
        )
    shown = ", ".join(matching[:5])
    return (
        f"more than one attempt has an id starting {wanted!r} ({shown}"
        f"{', ...' if len(matching) > 5 else ''}): give more of it"
    )


def _course(args: argparse.Namespace, course_id: str) -> Course | None:
    """The course `course_id` from the course folder in use (for its and its preset's
    titles, and the preset's validity); None when it is not there or cannot be read."""
    from quiz import paths
    from quiz.domain.course_cache import load_courses_cached

    try:
        loads = load_courses_cached(paths.questions_dir(args.questions), paths.cache_dir())
    except (OSError, ValueError):
        return None
    for load in loads:
        if load.course is not None and load.course.id == course_id:
            return load.course
    return None
