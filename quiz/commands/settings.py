"""`quiz settings [--pause-limit DURATION]`.

Shows the score store's own settings, which every computer using the store shares (they
are kept in it: whoever opens the store applies them); with an option, changes them.
The pause limit is how long a paused practice or drill round (or an exam without a
time limit) waits to be resumed before it is given up, recorded as abandoned.
"""

from __future__ import annotations

import argparse
import sys
from dataclasses import replace
from typing import TYPE_CHECKING

from quiz.commands import existing_store, open_store, span_seconds
from quiz.errors import ExitCode

if TYPE_CHECKING:
    from quiz.storage.store_settings import StoreSettings

EPILOG = """\
A round left unfinished (Esc, a closed terminal, a crash) is paused: the learner is
offered it on the home screen, or with `quiz --resume`, until the pause limit has
passed; then it is recorded as abandoned, with its answers kept. A timed exam that was
paused waits until its deadline instead, whatever the limit."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument(
        "--pause-limit",
        type=span_seconds,
        metavar="DURATION",
        help="how long a paused round waits to be resumed: 7d (the default), 12h, 2w...",
    )


def run(args: argparse.Namespace) -> int:
    from quiz.storage.scores import StoreError

    path = existing_store(args, "quiz settings")
    if path is None:
        return ExitCode.PROBLEM
    try:
        with open_store(path) as store:
            settings = store.store_settings()
            if args.pause_limit is not None:
                settings = replace(settings, pause_limit_seconds=args.pause_limit)
                store.change_store_settings(settings)
                store.recover()  # rounds paused longer than the new limit end now
    except StoreError as error:
        print(f"quiz settings: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    for line in settings_lines(settings):
        sys.stdout.write(line + "\n")
    return ExitCode.OK


def settings_lines(settings: StoreSettings) -> list[str]:
    from quiz.domain.durations import span_text

    return [
        f"pause limit   {span_text(settings.pause_limit_seconds)} (a paused practice or drill "
        "round is given up after this)",
    ]
