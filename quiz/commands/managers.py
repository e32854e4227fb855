"""`quiz managers add NAME`, `quiz managers list`, `quiz managers remove NAME [--yes]`.

A manager's name and PIN are what a witnessed exam asks for before it starts, and what
the All staff screen asks for once any manager exists. The PIN is read twice without
echo (getpass) and kept as a salted scrypt hash (quiz.storage.pins). `read_new_pin` is
also what `quiz learners pin` reads a learner's PIN with, and `typed_yes` how `quiz
learners forget` asks before it deletes.
"""

from __future__ import annotations

import argparse
import getpass
import sys

from quiz.commands import add_action, central_url, open_store
from quiz.errors import ExitCode
from quiz.tables.formats import local_minute
from quiz.tables.text import terminal_text

EPILOG = """\
A witnessed exam (`witness: true` in course.yaml's exams) starts only after a manager
has typed her name and PIN on that terminal; the All staff screen asks for a manager's
PIN once any manager exists. A PIN is 4 to 12 digits; after 5 wrong ones in a row the
next try waits 30 seconds, doubling each time. A PIN proves knowledge of a PIN, not a
person.
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.epilog = EPILOG
    actions = parser.add_subparsers(dest="managers_action", metavar="ACTION")
    add = add_action(
        actions,
        "add",
        help_text="add a manager (or give one a new PIN): the PIN is asked twice, not shown",
        description="Add manager NAME, or give her a new PIN. The PIN is asked twice.",
    )
    add.add_argument("name", metavar="NAME", help="the manager's name")
    add_action(actions, "list", help_text="list the managers", description="List the managers.")
    remove = add_action(
        actions, "remove", help_text="remove a manager", description="Remove manager NAME."
    )
    remove.add_argument("name", metavar="NAME", help="the manager to remove")
    remove.add_argument("--yes", action="store_true", help="do not ask before removing")


def read_new_pin(command: str, whose: str) -> str | None:
    """A new PIN typed twice without echo, checked against the rules; None (the reason
    printed) when it is refused or the typing was cancelled."""
    from quiz.domain.identity import PinRefused, check_new_pin

    try:
        first = getpass.getpass(f"New PIN for {whose} (4-12 digits, not shown): ")
        second = getpass.getpass("The same PIN again: ")
        return check_new_pin(first, second)
    except PinRefused as error:
        print(f"{command}: {error}", file=sys.stderr)
    except EOFError:
        print(f"{command}: no PIN was typed; nothing was set.", file=sys.stderr)
    return None


def run(args: argparse.Namespace) -> int:
    from quiz.domain.clock import SystemClock
    from quiz.storage.pins import UnknownManager
    from quiz.storage.scores import StoreError

    action = getattr(args, "managers_action", None) or "list"
    command = f"quiz managers {action}"
    if central_url(args) is not None:
        print(
            f"{command}: managers are kept in each terminal's own store (where the exams "
            "are witnessed): run this on that terminal, without --db postgresql://…",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    from quiz import paths

    path = paths.db_path(args.db)
    if action == "list" and not path.exists():
        print(f"no managers yet (the store {path} does not exist)")
        return ExitCode.OK
    try:
        with open_store(path, create=action == "add") as store:
            if action == "list":
                managers = store.list_managers()
                if not managers:
                    print("no managers yet: add one with `quiz managers add NAME`")
                for manager in managers:
                    print(
                        f"{terminal_text(manager.name)}  (added {local_minute(manager.added_at)})"
                    )
                return ExitCode.OK
            name = terminal_text(args.name.strip())
            if action == "add":
                if not args.name.strip():
                    print(f"{command}: the name is empty.", file=sys.stderr)
                    return ExitCode.USAGE
                pin = read_new_pin(command, f"manager {name}")
                if pin is None:
                    return ExitCode.PROBLEM
                new = store.add_manager(args.name, pin, now=SystemClock().now())
                print(f"Added manager {name}." if new else f"Manager {name} has a new PIN.")
                return ExitCode.OK
            if not args.yes and not _confirmed(f"Remove manager {name}?"):
                print("Nothing was removed.")
                return ExitCode.PROBLEM
            try:
                removed = store.remove_manager(args.name)
            except UnknownManager as error:
                print(f"{command}: {terminal_text(error.message)}", file=sys.stderr)
                return ExitCode.PROBLEM
            print(f"Removed manager {terminal_text(removed)}.")
            if not store.has_managers():
                print("There are no managers now: witnessed exams cannot start.")
            return ExitCode.OK
    except StoreError as error:
        print(f"{command}: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM


def _confirmed(question: str) -> bool:
    """Whether the person typed yes (False without a terminal to ask on: say --yes)."""
    if not sys.stdin.isatty():
        print("There is no terminal to ask on: pass --yes.", file=sys.stderr)
        return False
    return typed_yes(f"{question} Type yes to go on: ")


def typed_yes(prompt: str) -> bool:
    """Whether the person answered `prompt` with yes (any case, spaces around it; the
    end of input is a no)."""
    try:
        typed = input(prompt)
    except EOFError:
        typed = ""
    return typed.strip().casefold() == "yes"
