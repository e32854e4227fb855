"""`quiz import FILE...`: merge attempts exported with `quiz scores --format json`.

Attempts are matched by id: one already here and identical is left alone (importing
twice changes nothing); one here with different content is reported and kept as it
is. A file that cannot be read as an export is reported and nothing of it is added.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from quiz import paths

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.scores import ImportOutcome, ScoreStore


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "files",
        nargs="+",
        metavar="FILE",
        help="files written by 'quiz scores --format json' on other computers",
    )


def run(args: argparse.Namespace) -> int:
    from quiz.storage.exchange import ImportFileError, read_export_file
    from quiz.storage.scores import ScoreStore, StoreError

    path = paths.db_path(args.db)
    status = 0
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
                status = 1
                continue
            if store is None:
                store = ScoreStore.open(path)
            outcome = store.import_attempts(details)
            print(_describe(file, outcome))
            if outcome.conflicting:
                status = 1
                print(
                    f"quiz import: {file}: {len(outcome.conflicting)} attempt(s) have the id of "
                    f"a different attempt already in {path}; they were not imported and the "
                    f"store's own were kept: {', '.join(outcome.conflicting)}",
                    file=sys.stderr,
                )
    except StoreError as error:
        print(f"quiz import: {error.message}", file=sys.stderr)
        return 1
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
    if outcome.in_progress:
        parts.append(
            f"{len(outcome.in_progress)} skipped (still in progress where they were "
            "exported; export them again once finished)"
        )
    return f"{file}: " + ", ".join(parts)
