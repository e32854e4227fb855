"""`quiz verify CODE` and `quiz verify --store`: does a finished exam's stored record
still give its verification code?

`quiz verify CODE` finds the exam whose code it is, recomputes the code from the
exam's record as the store holds it now, and exits 0 printing the record, or 1 saying
what differs (the stored code and the one the record gives now, and where the record
disagrees with itself), or that no attempt has that code. `quiz verify --store` checks
every finished exam and names each whose record no longer gives its code (exit 1 if
any). A signed code (QK-) needs the signing key (QUIZ_SIGNING_KEY) to be checked. The
rules: quiz.domain.verification; what a code can and cannot prove: the README.
"""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, TextIO

from quiz.commands import existing_store, open_store
from quiz.errors import ExitCode

if TYPE_CHECKING:
    from quiz.storage.verification import Check

COMMAND = "quiz verify"


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "code",
        nargs="?",
        metavar="CODE",
        help="a verification code, such as QZ-7K2M-9XTA-4FQP (any case; dashes optional)",
    )
    parser.add_argument(
        "--store",
        action="store_true",
        help="check every finished exam in the store instead, naming each that no longer "
        "matches its code",
    )


def run(args: argparse.Namespace) -> int:
    from quiz.domain.verification import CodeFormatError, normalise_code
    from quiz.storage.errors import StoreError

    if (args.code is None) == (not args.store):
        print(
            f"{COMMAND}: give a code (quiz verify QZ-7K2M-9XTA-4FQP) or --store, not both",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    code = None
    if args.code is not None:
        try:
            code = normalise_code(args.code)
        except CodeFormatError as error:
            print(f"{COMMAND}: {error}", file=sys.stderr)
            return ExitCode.USAGE
    path = existing_store(args, COMMAND, mirror=True)
    if path is None:
        return ExitCode.PROBLEM
    try:
        with open_store(path) as store:
            if code is None:
                return _check_store(store.check_codes(), str(path), sys.stdout)
            found = store.check_code(code)
    except StoreError as error:
        print(f"{COMMAND}: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    if found is None:
        print(
            f"{COMMAND}: no attempt in {path} has the code {code}. Check that it was typed "
            "as printed, and that this is the store the exam was taken with (--db); a code "
            "changed in the store is not found either (quiz verify --store names those).",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    return _check_one(found, sys.stdout)


def _check_one(check: Check, out: TextIO) -> int:
    from quiz.domain.verification import SIGNING_KEY_ENV
    from quiz.tables.certified import answer_lines, code_kind_words

    assert check.stored is not None
    if check.needs_key:
        print(
            f"{COMMAND}: {check.stored} is signed with the clinic's signing key: set "
            f"{SIGNING_KEY_ENV} to the key file to check it. Nothing was checked.",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    if check.matches and not check.problems:
        out.write(
            f"{check.stored}: verified. The stored record of this exam still gives its "
            f"code ({code_kind_words(check.stored)}).\n\n"
        )
        _write_record(check, out)
        out.write("\nAnswers:\n")
        for line in answer_lines(check.record):
            out.write(f"  {_safe(line)}\n")
        return ExitCode.OK
    out.write(
        f"{check.stored}: NOT verified. The stored record of attempt {check.attempt_id} no "
        "longer gives this code: something in it (a score, an answer, a name, a time) was "
        "changed after the exam finished, or the code was.\n"
    )
    _write_differences(check, out)
    out.write("\nThe record as the store holds it now:\n")
    _write_record(check, out)
    return ExitCode.PROBLEM


def _write_differences(check: Check, out: TextIO) -> None:
    out.write(f"  stored code:             {check.stored}\n")
    out.write(f"  the record gives now:    {check.recomputed}\n")
    if check.problems:
        out.write("  where the record disagrees with itself:\n")
        for problem in check.problems:
            out.write(f"    - {_safe(problem)}\n")
    else:
        out.write(
            "  the record agrees with itself (its score is what its answers give), so "
            "which field was changed cannot be told: the store keeps no other copy.\n"
        )


def _write_record(check: Check, out: TextIO) -> None:
    from quiz.tables.certified import record_lines

    for label, value in record_lines(check.record, check.stored):
        out.write(f"  {label + ':':<20} {_safe(value)}\n")


def _check_store(checks: list[Check], store: str, out: TextIO) -> int:
    from quiz.domain.text import plural
    from quiz.domain.verification import SIGNING_KEY_ENV, CodeKind

    changed = [c for c in checks if c.stored is not None and not c.needs_key and not c.matches]
    inconsistent = [c for c in checks if c.matches and c.problems]
    unsigned_unchecked = [c for c in checks if c.needs_key]
    without = [c for c in checks if c.stored is None]
    for check in changed:
        out.write(
            f"changed: attempt {check.attempt_id} ({_safe(check.record.learner)}, "
            f"{check.record.finished_at}): its record no longer gives its code "
            f"{check.stored} (it gives {check.recomputed})\n"
        )
        for problem in check.problems:
            out.write(f"    - {_safe(problem)}\n")
    for check in inconsistent:
        out.write(
            f"inconsistent: attempt {check.attempt_id} ({_safe(check.record.learner)}): its "
            "code matches, but its record disagrees with itself:\n"
        )
        for problem in check.problems:
            out.write(f"    - {_safe(problem)}\n")
    checked = len(checks) - len(unsigned_unchecked) - len(without)
    matching = sum(1 for c in checks if c.matches and not c.problems)
    summary = (
        f"{plural(checked, 'finished exam')} checked in {store}: {matching} "
        f"{'matches its' if matching == 1 else 'match their'} code, {len(changed)} changed"
    )
    if inconsistent:
        summary += f", {len(inconsistent)} inconsistent"
    out.write(summary + "\n")
    if without:
        out.write(
            f"{plural(len(without), 'finished exam')} without a code, not checked: they "
            "finished before verification codes (quiz certificate gives one its code)\n"
        )
    if unsigned_unchecked:
        out.write(
            f"{plural(len(unsigned_unchecked), 'signed code')} not checked: set "
            f"{SIGNING_KEY_ENV} to the signing key file to check them\n"
        )
    signed = [c for c in changed if c.kind is CodeKind.HMAC]
    if signed and len(signed) == len([c for c in checks if c.kind is CodeKind.HMAC]):
        out.write(f"No signed code matches: is {SIGNING_KEY_ENV} the key they were signed with?\n")
    return ExitCode.PROBLEM if changed or inconsistent or unsigned_unchecked else ExitCode.OK


def _safe(text: str) -> str:
    from quiz.tables.text import terminal_text

    return terminal_text(text)
