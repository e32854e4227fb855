"""`quiz import FILE...`: merge attempts exported with `quiz scores --format json`.

Attempts are matched by id: one already here and identical is left alone (importing
twice changes nothing); one here with different content is reported and kept as it
is. A file that cannot be read as an export is reported and nothing of it is added.

The verdict of a finished attempt is recomputed from its answers and its questions as
asked (quiz.domain.grading); where the file said otherwise (an older or hand-edited
file, a `passed` left out) the recomputed one is stored and a line says so, attempt by
attempt. That is not an error: the command still succeeds.

`--clinic ID` records that clinic on the attempts added whose export names none (an
old export made before attempts kept their clinic). The attempts of a learner
forgotten here (a tombstone of that clinic, or of this terminal's) are refused, and
the command exits 1.

`--db postgresql://…` sends the files' ended attempts to the central store instead,
through the ingest every terminal uses (as a clinic's terminal role: the clinic is the
role's); the server refuses a forgotten learner's attempts.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz import paths
from quiz.commands import central_url, open_store
from quiz.errors import ExitCode

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.exchange import RecomputedVerdict
    from quiz.storage.scores import ImportOutcome, ScoreStore


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="files written by 'quiz scores --format json' on other computers",
    )
    from quiz.commands.central import clinic_id

    parser.add_argument(
        "--clinic",
        metavar="ID",
        type=clinic_id,
        default=None,
        help="the clinic the file's attempts were taken at (recorded on those whose "
        "export names none: an old export's)",
    )


def run(args: argparse.Namespace) -> int:
    from quiz.storage.exchange import ImportFileError, read_export_file
    from quiz.storage.scores import StoreError

    url = central_url(args)
    if url is not None:
        return _import_central(args, url)
    path = paths.db_path(args.db)
    status = ExitCode.OK
    store: ScoreStore | None = None
    try:
        for name in args.files:
            file = Path(name)
            try:
                details = read_export_file(file)
            except ImportFileError as error:
                print(
                    f"quiz import: {error.message} Nothing was imported from it.", file=sys.stderr
                )
                status = ExitCode.PROBLEM
                continue
            with details:  # a temporary file
                if store is None:
                    store = open_store(path, create=True)
                outcome = store.import_attempts(details, clinic=args.clinic)
            print(_describe(file, outcome))
            for change in outcome.recomputed:
                print(_describe_recomputed(file, change))
            if outcome.forgotten:
                status = ExitCode.PROBLEM
                print(
                    f"quiz import: {file}: {len(outcome.forgotten)} attempt(s) are of a learner "
                    "who was forgotten (quiz learners forget); they were refused, and stay "
                    f"forgotten: {', '.join(outcome.forgotten)}",
                    file=sys.stderr,
                )
            if outcome.conflicting:
                status = ExitCode.PROBLEM
                print(
                    f"quiz import: {file}: {len(outcome.conflicting)} attempt(s) have the id of "
                    f"a different attempt already in {path}; they were not imported and the "
                    f"store's own were kept: {', '.join(outcome.conflicting)}",
                    file=sys.stderr,
                )
        if store is not None and (waiting := store.cards_to_rebuild()):
            # The learners whose attempts came in have their drill cards made again by
            # the first command that needs them (replaying a big import's answers takes
            # as long as the import itself).
            print(
                f"the drill's cards of {waiting} learner{'s' if waiting != 1 else ''} will be "
                "made from their answers when first needed (quiz due, quiz report, the drill)",
                file=sys.stderr,
            )
    except StoreError as error:
        print(f"quiz import: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    finally:
        if store is not None:
            store.close()
    return status


def _describe(file: Path, outcome: ImportOutcome) -> str:
    parts = [
        f"{len(outcome.imported)} imported",
        f"{len(outcome.present)} already present",
        f"{len(outcome.conflicting)} conflicting",
    ]
    if outcome.forgotten:
        parts.append(f"{len(outcome.forgotten)} refused (learner forgotten)")
    if outcome.flags:
        parts.append(f"{outcome.flags} learners' flag{'s' if outcome.flags != 1 else ''} added")
    if outcome.in_progress:
        parts.append(
            f"{len(outcome.in_progress)} skipped (still in progress or paused where they "
            "were exported; export them again once they have ended)"
        )
    return f"{file}: " + ", ".join(parts)


def _describe_recomputed(file: Path, change: RecomputedVerdict) -> str:
    """One attempt whose file's verdict was replaced: which, and what each said.

    "clinic.json: attempt 1f0c… (Ana Ruiz): file said no verdict, recomputed failed
    (2 of 3 right, 66.67%; critical question 3 missed); the recomputed verdict was stored"
    """
    from quiz.domain.text import strip_control
    from quiz.tables.formats import verdict_word

    outcome = change.verdict
    said = verdict_word(change.file_passed)
    if change.file_correct is not None and change.file_correct != outcome.correct:
        said = f"{change.file_correct} of {outcome.total} right and {said}"
    why = [f"{outcome.correct} of {outcome.total} right, {outcome.percent:g}%"]
    if outcome.passed is False and outcome.critical_missed:
        numbers = ", ".join(str(position + 1) for position in outcome.critical_missed)
        noun = "question" if len(outcome.critical_missed) == 1 else "questions"
        why.append(f"critical {noun} {numbers} missed")
    return (
        f"{file}: attempt {strip_control(change.attempt_id)} ({strip_control(change.learner)}): "
        f"file said "
        f"{said}, recomputed {verdict_word(outcome.passed)} ({'; '.join(why)}); "
        "the recomputed verdict was stored"
    )


def _import_central(args: argparse.Namespace, url: str) -> int:
    """The files' ended attempts sent to the central store at `url`, one by one."""
    from collections import Counter

    from quiz.storage.central.connection import connect, server_name
    from quiz.storage.central.errors import CentralError
    from quiz.storage.central.push import push_attempt
    from quiz.storage.exchange import ImportFileError, read_export_file
    from quiz.tables.text import terminal_text

    if args.clinic is not None:
        print(
            "quiz import: --clinic is for a local store; on the central store the clinic "
            "is the connecting terminal role's.",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    status = ExitCode.OK
    try:
        server = server_name(url)
        with connect(url) as connection:
            for name in args.files:
                file = Path(name)
                try:
                    details = read_export_file(file)
                except ImportFileError as error:
                    print(
                        f"quiz import: {error.message} Nothing was imported from it.",
                        file=sys.stderr,
                    )
                    status = ExitCode.PROBLEM
                    continue
                outcomes: Counter[str] = Counter()
                with details:
                    for detail in details:
                        export = detail.to_export_dict()
                        if export.get("status") in ("in_progress", "paused"):
                            outcomes["skipped"] += 1
                            continue
                        try:
                            outcomes[push_attempt(connection, export, server=server)] += 1
                        except CentralError as error:
                            if error.kind not in ("forgotten", "conflict", "rejected"):
                                raise
                            outcomes["refused"] += 1
                            status = ExitCode.PROBLEM
                            print(f"quiz import: {terminal_text(error.message)}", file=sys.stderr)
                print(
                    f"{file}: {outcomes['added']} imported, {outcomes['changed']} updated, "
                    f"{outcomes['unchanged']} already present, {outcomes['refused']} refused"
                    + (
                        f", {outcomes['skipped']} skipped (still in progress or paused)"
                        if outcomes["skipped"]
                        else ""
                    )
                    + f" (on {terminal_text(str(server))})"
                )
    except CentralError as error:
        print(f"quiz import: {terminal_text(error.message)}", file=sys.stderr)
        return ExitCode.PROBLEM
    return status
