"""`quiz learners`, `quiz learners rename OLD NEW`, `quiz learners forget NAME [--yes]`,
`quiz learners pin NAME [--clear]`.

Names match by learner_key: case, surrounding spaces and Unicode forms do not matter.
`forget` is the only quiz command that deletes attempts.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from quiz.commands import add_action, central_url, open_store, store_path
from quiz.errors import ExitCode
from quiz.tables.formats import NO_VALUE, local_minute
from quiz.tables.text import TABLE_WIDTH, fit, line, terminal_text

if TYPE_CHECKING:
    from quiz.storage.learners import ForgetPlan, LearnerInfo
    from quiz.storage.scores import ScoreStore

EPILOG = """\
With no action, lists each learner: saved attempts (any status), exams among them,
and the last activity (a start, an answer or a finish).

rename OLD NEW: if NEW is another learner's name, OLD is merged into NEW (Ann and
Anne become one person: OLD's attempts move to NEW, each keeping the spelling typed
for it); otherwise OLD is renamed NEW. The reports count the attempts under NEW.

forget NAME: erases a person who has left: every attempt and answer of theirs. It
shows what will go and asks you to type yes (or pass --yes; without a terminal to
ask on, --yes is required). It is the only quiz command that deletes attempts; it
cannot be undone. Backups and exported files keep their copies.

pin NAME: sets NAME's PIN (4 to 12 digits, typed twice, not shown); from then on the
app asks for it before anything starts under that name, and before her own scores.
--clear (or --reset) removes it, and its count of wrong tries (a learner who forgot
hers then sets a new one in the app, or you set it here). A PIN proves knowledge of a
PIN, not a person.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    actions = parser.add_subparsers(dest="learners_action", metavar="ACTION")
    rename = add_action(
        actions,
        "rename",
        help_text="rename a learner, or merge two spellings of one person",
        description="Rename OLD to NEW; if NEW is another learner, merge OLD into NEW.",
    )
    rename.add_argument("old", metavar="OLD", help="the name to change (as listed)")
    rename.add_argument("new", metavar="NEW", help="the name to keep")
    forget = add_action(
        actions,
        "forget",
        help_text="erase a learner who has left (the only command that deletes attempts)",
        description="Delete every attempt and answer of NAME, after showing what will go. "
        "The only quiz command that deletes attempts; it cannot be undone.",
    )
    forget.add_argument("name", metavar="NAME", help="the learner to erase")
    forget.add_argument("--yes", action="store_true", help="do not ask before deleting")
    pin = add_action(
        actions,
        "pin",
        help_text="set a learner's PIN (asked twice, not shown), or --clear it",
        description="Set NAME's PIN, or remove it with --clear (--reset).",
    )
    pin.add_argument("name", metavar="NAME", help="the learner")
    pin.add_argument(
        "--clear", "--reset", action="store_true", help="remove the PIN (and its wrong tries)"
    )


def run(args: argparse.Namespace) -> int:
    from quiz.storage.scores import StoreError

    action = getattr(args, "learners_action", None)
    if action is not None and central_url(args) is not None:
        return _change_central(args, action)
    path = store_path(args, "quiz learners")
    if path is None:
        return ExitCode.PROBLEM
    if not path.exists() and action != "pin":
        if action is None:
            print(f"no learners yet (the store {path} does not exist)")
            return ExitCode.OK
        print(
            f"quiz learners: the store {path} does not exist: nothing to change.", file=sys.stderr
        )
        return ExitCode.PROBLEM
    try:
        with open_store(path, create=action == "pin") as store:
            if action == "pin":
                return _pin(store, args.name, clear=args.clear)
            if action == "rename":
                return _rename(store, args.old, args.new)
            if action == "forget":
                return _forget(store, path, args.name, yes=args.yes)
            _write_list(store.list_learners(), sys.stdout)
    except StoreError as error:
        print(f"quiz learners: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    return ExitCode.OK


# --- list -------------------------------------------------------------------------------


def _when(moment: datetime | None) -> str:
    return local_minute(moment) if moment else NO_VALUE


def _write_list(found: list[LearnerInfo], out: TextIO) -> None:
    if not found:
        out.write("no learners yet\n")
        return
    widths = [24, 8, 5, 16]
    header = ["learner", "attempts", "exams", "last activity", "other spellings"]
    rows = []
    for info in found:
        others = [s for s in info.spellings if s != info.name]
        rows.append(
            [
                terminal_text(info.name),
                str(info.attempts),
                str(info.exams),
                _when(info.last_activity),
                ", ".join(terminal_text(s) for s in others),
            ]
        )
    widths.append(TABLE_WIDTH - sum(widths) - len(widths))
    right = [index in (1, 2) for index in range(len(widths))]  # the counts
    for row in (header, *rows):
        out.write(line(row, widths, right) + "\n")


# --- rename -----------------------------------------------------------------------------


def _rename(store: ScoreStore, old: str, new: str) -> int:
    from quiz.storage.learners import LearnerProblem

    try:
        done = store.rename_learner(old, new)
    except LearnerProblem as error:
        print(f"quiz learners rename: {terminal_text(error.message)}", file=sys.stderr)
        return ExitCode.PROBLEM
    old_name, new_name = terminal_text(done.old_name), terminal_text(done.new_name)
    plural = "s" if done.attempts != 1 else ""
    if done.merged:
        print(
            f"Merged {old_name} into {new_name}: {new_name} now has {done.attempts} "
            f"attempt{plural} (each keeps the spelling typed for it). The reports count "
            "them as one person."
        )
    else:
        print(f"Renamed {old_name} to {new_name} ({done.attempts} attempt{plural}).")
    return ExitCode.OK


# --- pin --------------------------------------------------------------------------------


def _pin(store: ScoreStore, name: str, *, clear: bool) -> int:
    from quiz.commands.managers import read_new_pin
    from quiz.domain.clock import SystemClock

    shown = terminal_text(name.strip())
    if not name.strip():
        print("quiz learners pin: the name is empty.", file=sys.stderr)
        return ExitCode.USAGE
    if clear:
        if store.clear_learner_pin(name):
            print(f"Cleared {shown}'s PIN: she can set a new one when she next starts.")
        else:
            print(f"{shown} has no PIN: nothing to clear.")
        return ExitCode.OK
    pin = read_new_pin("quiz learners pin", shown)
    if pin is None:
        return ExitCode.PROBLEM
    store.set_learner_pin(name, pin, by="manager", now=SystemClock().now())
    print(f"Set {shown}'s PIN: the app asks for it before anything starts under that name.")
    return ExitCode.OK


# --- forget -----------------------------------------------------------------------------


def _describe(plan: ForgetPlan) -> list[str]:
    name = terminal_text(plan.name)
    lines = [f"Forgetting {name} deletes:"]
    if plan.attempts:
        span = f"{_when(plan.first_at)[:10]} to {_when(plan.last_at)[:10]}"
        lines.append(
            f"  {plan.attempts} attempt{'s' if plan.attempts != 1 else ''} "
            f"({plan.practice} practice, {plan.exams} exam{'s' if plan.exams != 1 else ''}) "
            f"from {span}, with {plan.answers} answer{'s' if plan.answers != 1 else ''}"
        )
        if plan.paused:
            lines.append(
                f"  ({plan.paused} of them paused, left unfinished: they go too, and can no "
                "longer be resumed)"
            )
    else:
        lines.append("  no attempts: only the name")
    spellings = ", ".join(terminal_text(s) for s in plan.spellings) or name
    lines.append(fit(f"  and the name as typed: {spellings}", TABLE_WIDTH))
    lines.append("This is the only quiz command that deletes attempts. It cannot be undone.")
    return lines


def _copies(path: Path) -> list[Path]:
    """Copies beside the store that still hold everyone's attempts: backups made
    before an upgrade (NAME.v1-....bak), damaged stores set aside (NAME.set-aside-...)."""
    try:
        return sorted(p for p in path.parent.iterdir() if p.name.startswith(path.name + "."))
    except OSError:
        return []


def _forget(store: ScoreStore, path: Path, name: str, *, yes: bool) -> int:
    from quiz.storage.learners import LearnerProblem

    try:
        plan = store.forget_plan(name)
    except LearnerProblem as error:
        print(f"quiz learners forget: {terminal_text(error.message)}", file=sys.stderr)
        return ExitCode.PROBLEM
    for said in _describe(plan):
        print(said)
    if plan.in_progress:
        print(
            f"quiz learners forget: {terminal_text(plan.name)} has an attempt in progress. "
            "Nothing was deleted: run this again once it has ended.",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    if not yes:
        if not sys.stdin.isatty():
            print(
                "quiz learners forget: nothing was deleted: there is no terminal to ask on. "
                "Pass --yes to delete.",
                file=sys.stderr,
            )
            return ExitCode.PROBLEM
        from quiz.commands.managers import typed_yes

        if not typed_yes("Type yes to delete, anything else to keep: "):
            print("Nothing was deleted.")
            return ExitCode.PROBLEM
    try:
        done = store.forget_learner(plan)
    except LearnerProblem as error:
        print(f"quiz learners forget: {terminal_text(error.message)}", file=sys.stderr)
        return ExitCode.PROBLEM
    print(
        f"Deleted {terminal_text(done.name)}: {done.attempts} attempt"
        f"{'s' if done.attempts != 1 else ''} and {done.answers} answer"
        f"{'s' if done.answers != 1 else ''}. The reports no longer count them."
    )
    copies = _copies(path)
    if copies:
        print("These copies of the store still hold them; delete them too if they must go:")
        for copy in copies:
            print(f"  {terminal_text(str(copy))}")
    return ExitCode.OK


# --- on the central store ---------------------------------------------------------------


def _change_central(args: argparse.Namespace, action: str) -> int:
    """`learners rename|forget` with `--db postgresql://…`. The mirror is only a copy:
    a rename is refused; a forget runs on the server (quiz.forget_learner, as the
    clinic's manager role), which keeps a tombstone, and the next pull forgets the
    learner in the mirror too."""
    if action == "pin":
        print(
            "quiz learners pin: PINs are kept in each terminal's own store (where the "
            "learner signs in): run this on that terminal, without --db postgresql://…",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    if action != "forget":
        print(
            "quiz learners: the central store's learners are renamed on the terminals "
            "that saved them (quiz learners rename there, then quiz sync); this "
            "computer's copy of it is read-only.",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    if not args.yes:
        print(
            "quiz learners forget: on the central store, give --yes: it deletes every "
            f"attempt of {terminal_text(args.name)} at your clinic there, for good.",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    from quiz.domain.text import learner_key, plural
    from quiz.storage.central.errors import CentralError
    from quiz.storage.central.forget import forget_central

    url = central_url(args)
    assert url is not None
    try:
        deleted, server = forget_central(url, learner_key(args.name))
    except CentralError as error:
        print(f"quiz learners forget: {terminal_text(error.message)}", file=sys.stderr)
        return ExitCode.PROBLEM
    print(
        f"{terminal_text(args.name)}: {plural(deleted, 'attempt')} deleted on "
        f"{terminal_text(server)}; "
        "the central store keeps a tombstone (no name) and refuses their attempts from "
        "now on. Copies pulled from it forget them at their next pull."
    )
    return ExitCode.OK
