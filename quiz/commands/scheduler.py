"""`quiz scheduler [--retention R] [--critical-retention R] [--learning-steps LIST]
[--relearning-steps LIST] [--maximum-interval DAYS] [--leech-threshold N]`.

Shows the drill's scheduler settings, which the store keeps; with an option, changes
them. A change the cards depend on (anything but the leech threshold) makes every
card again from the answer log, in short batches, with progress on standard error.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from dataclasses import replace
from typing import TYPE_CHECKING

from quiz.commands import existing_store, open_store
from quiz.errors import ExitCode

if TYPE_CHECKING:
    from quiz.storage.card_model import SchedulerSettings

EPILOG = """\
The drill schedules with FSRS (py-fsrs). A right answer counts as Good, a wrong one as
Again. The desired retention is the chance of remembering a question that its next
due date aims at: higher means sooner and more often. Steps are the waits inside a
round of learning (a question not yet known) and relearning (one missed after it was
known), such as 0s, 1m or 10m; with one step of 0s (the default) a miss is due at
once and a right answer leaves the steps for a wait of a day or more."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument(
        "--retention", type=retention, metavar="R", help="desired retention (default 0.9)"
    )
    parser.add_argument(
        "--critical-retention",
        type=retention,
        metavar="R",
        help="desired retention of critical questions (default 0.95)",
    )
    parser.add_argument(
        "--learning-steps", type=steps, metavar="LIST", help="e.g. 0s (default) or 1m,10m"
    )
    parser.add_argument(
        "--relearning-steps", type=steps, metavar="LIST", help="e.g. 0s (default) or 10m"
    )
    parser.add_argument(
        "--maximum-interval",
        type=bounded(1, 36500),
        metavar="DAYS",
        help="the longest wait between two reviews (default 36500)",
    )
    parser.add_argument(
        "--leech-threshold",
        type=bounded(1, 100),
        metavar="N",
        help="lapses that make a question a leech for a learner (default 4)",
    )


def retention(text: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a number like 0.9") from None
    if not 0.7 <= value <= 0.99:
        raise argparse.ArgumentTypeError(f"{text!r}: give a retention from 0.7 to 0.99")
    return value


def steps(text: str) -> tuple[int, ...]:
    """A list of steps: '0s', '1m,10m', or 'none'."""
    from quiz.domain.durations import DurationError, parse_span

    if text.strip().lower() == "none":
        return ()
    try:
        found = tuple(parse_span(part, zero=True) for part in text.split(","))
    except DurationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None
    if any(s > 86400 for s in found):
        raise argparse.ArgumentTypeError(f"{text!r}: a step is at most 1d")
    return found


def bounded(low: int, high: int) -> Callable[[str], int]:
    def whole(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{text!r}: give {low} to {high}")
        return value

    return whole


_OPTIONS = (
    "retention",
    "critical_retention",
    "learning_steps",
    "relearning_steps",
    "maximum_interval",
    "leech_threshold",
)


def run(args: argparse.Namespace) -> int:
    from quiz.commands.due import finish_card_rebuild
    from quiz.storage.scores import StoreError

    changes = {name: getattr(args, name) for name in _OPTIONS if getattr(args, name) is not None}
    path = existing_store(args, "quiz scheduler")
    if path is None:
        return ExitCode.PROBLEM
    try:
        with open_store(path) as store:
            settings = store.scheduler_settings()
            if changes:
                settings = replace(settings, **changes)
                if store.change_scheduler_settings(settings):
                    finish_card_rebuild(store, "quiz scheduler")
    except StoreError as error:
        print(f"quiz scheduler: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    for line in settings_lines(settings):
        sys.stdout.write(line + "\n")
    return ExitCode.OK


def settings_lines(settings: SchedulerSettings) -> list[str]:
    from quiz.domain.durations import span_text

    def listed(values: tuple[int, ...]) -> str:
        return ",".join(span_text(v) for v in values) or "none"

    return [
        f"retention            {settings.retention:g}",
        f"critical retention   {settings.critical_retention:g}",
        f"learning steps       {listed(settings.learning_steps)}",
        f"relearning steps     {listed(settings.relearning_steps)}",
        f"maximum interval     {settings.maximum_interval} days",
        f"leech threshold      {settings.leech_threshold} lapses",
        "fuzzing              off (replays give the same dates)",
    ]
