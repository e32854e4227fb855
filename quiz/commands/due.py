"""`quiz due [--learner NAME] [--clinic ID] [--within DURATION] [--format table|csv|json]`.

Per learner, the questions due for a drill now (or within the span given), and the
leeches (questions forgotten again and again), from the drill's cards. When cards are
waiting to be made from the answer log (after the upgrade that added them, a change of
the scheduler settings, an import), this command makes them first, showing progress
on standard error. Otherwise it never changes the store. The columns are the spec
quiz.tables.due; the JSON shape is documented in the README.
"""

from __future__ import annotations

import argparse
import sys
from datetime import timedelta
from typing import TYPE_CHECKING, TextIO

from quiz.commands import learner_clinic_problem, open_store, span_seconds, store_path
from quiz.commands.scores import add_clinic_option, add_format_option, no_store_note
from quiz.domain.clock import Clock, SystemClock
from quiz.errors import ExitCode
from quiz.tables.text import TABLE_WIDTH, terminal_text, wrap

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.card_model import DueCard, RebuildProgress
    from quiz.storage.scores import ScoreStore

CLOCK: Clock = SystemClock()
"""Where "now" comes from (tests put a fixed clock here)."""

EPILOG = """\
A question is due when the drill's scheduler (FSRS) says it is about to be forgotten:
a question missed is due at once, one answered right in a day or more, further apart
each time it is remembered. Practice, exam and drill answers all count (in a drill
round, only the first answer to a question). A leech is a question a learner has
missed after having known it (a lapse) at least the leech threshold's times (4 unless
'quiz scheduler' changed it); leeches are listed whenever they are due.

json: a list of objects, one per learner and question, with learner, course,
question_id, section, critical, due_at (ISO 8601, UTC), due (true when due within the
span), state, reviews, lapses, leech, retrievability (0..1, now) and last_review_at."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    parser.add_argument(
        "--learner", dest="only_learner", metavar="NAME", help="only this learner's questions"
    )
    add_clinic_option(
        parser,
        "only the learners with an attempt at this clinic (the drill's schedule is kept "
        "per name, whatever the clinic)",
    )
    parser.add_argument(
        "--within",
        metavar="DURATION",
        type=within_span,
        help="the questions due within this time from now (7d, 12h, 2w; default: now)",
    )
    add_format_option(parser)


def within_span(text: str) -> timedelta:
    """An argparse type: a span such as 7d or 12h (quiz.commands.span_seconds)."""
    return timedelta(seconds=span_seconds(text))


def run(args: argparse.Namespace) -> int:
    from quiz.storage.scores import StoreError

    within: timedelta = args.within or timedelta(0)
    path = store_path(args, "quiz due")
    if path is None:
        return ExitCode.PROBLEM
    if not path.exists():
        note = f"nothing is due (the store {path} does not exist yet)"
        return no_store_note(note, args.format, lambda out: write([], args.format, within, out))
    try:
        with open_store(path) as store:
            finish_card_rebuild(store, "quiz due")
            if args.only_learner is not None:
                problem = learner_clinic_problem(
                    store, args.only_learner, None, per_clinic=False
                ) or unknown_learner(store, args.only_learner)
                if problem is not None:
                    print(f"quiz due: {problem}", file=sys.stderr)
                    return ExitCode.PROBLEM
            cards = store.due_list(
                now=CLOCK.now(), within=within, learner=args.only_learner, clinic=args.only_clinic
            )
    except StoreError as error:
        print(f"quiz due: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    write(cards, args.format, within, sys.stdout)
    return ExitCode.OK


def unknown_learner(store: ScoreStore, name: str) -> str | None:
    """A message when no learner has the name `name` (with the close names), else None."""
    from quiz.domain.text import learner_key
    from quiz.storage.learners import closest

    known = {info.key: info.name for info in store.list_learners()}
    if learner_key(name) in known:
        return None
    close = closest(name, known)
    hint = (
        "close names: " + ", ".join(terminal_text(n) for n in close)
        if close
        else "'quiz learners' lists them"
    )
    return f"there is no learner called {terminal_text(name)!r} in the score store; {hint}"


def finish_card_rebuild(store: ScoreStore, command: str) -> None:
    """Make the cards waiting to be made from the answer log (in short batches), with
    progress on standard error. A store that can only be read keeps them as they are
    (a note says so)."""
    from quiz.storage.scores import StoreError

    waiting = store.cards_to_rebuild()
    if not waiting:
        return
    err = sys.stderr
    live = err.isatty()
    print(
        f"{command}: making the drill's cards of {waiting} learner"
        f"{'s' if waiting != 1 else ''} from their answers...",
        file=err,
        flush=True,
    )
    shown = [0]

    def progress(done: RebuildProgress) -> None:
        if live:
            err.write(
                f"\r  {done.learners_done}/{done.learners_total} learners, "
                f"{done.reviews} answers replayed"
            )
            err.flush()
        elif done.learners_done * 10 >= (shown[0] + 1) * done.learners_total:
            shown[0] = done.learners_done * 10 // max(1, done.learners_total)
            print(f"  {done.learners_done}/{done.learners_total} learners", file=err, flush=True)

    try:
        final = store.rebuild_cards(progress)
    except StoreError as error:
        if live:
            err.write("\n")
        if error.kind == "readonly":
            print(f"{command}: the store is read-only: the cards are as they were.", file=err)
            return
        raise
    if live:
        err.write("\n")
    print(f"  done: {final.reviews} answers replayed.", file=err, flush=True)


def write(cards: list[DueCard], form: str, within: timedelta, out: TextIO) -> None:
    from quiz.tables.due import DUE, DueView
    from quiz.tables.render import csv_rows, json_objects, json_text, text_lines

    view = DueView(cards, CLOCK.now())
    rows = DUE.rows(view)
    if form == "json":
        out.write(json_text(json_objects(DUE, rows)) + "\n")
    elif form == "csv":
        import csv

        csv.writer(out, lineterminator="\r\n").writerows(csv_rows(DUE, rows))
    else:
        for text in heading(cards, within):
            out.write(text + "\n")
        if rows:
            for text in text_lines(DUE, rows):
                out.write(text + "\n")


def heading(cards: list[DueCard], within: timedelta) -> list[str]:
    from quiz.domain.durations import span_text

    when = f"within {span_text(int(within.total_seconds()))}" if within else "now"
    due = [c for c in cards if c.due]
    learners = {c.learner_key for c in due}
    leeches = sum(1 for c in cards if c.leech)
    if not cards:
        return [f"Nothing is due {when}, and there are no leeches."]
    text = (
        f"Due {when}: {len(due)} question{'s' if len(due) != 1 else ''} for "
        f"{len(learners)} learner{'s' if len(learners) != 1 else ''}; "
        f"{leeches} leech{'es' if leeches != 1 else ''} (LEECH: missed again and again "
        "after having been known). Critical questions first, then the least likely to be "
        "remembered."
    )
    return [*wrap(text, TABLE_WIDTH), ""]
