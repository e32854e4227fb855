"""One module per command of the CLI; each has configure(parser) and run(args) -> int.

The options every command shares live here, so the commands never import quiz.cli
(the command line sits above them: see the layers in pyproject.toml).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.storage.scores import ScoreStore


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """`--questions DIR` and `--db PATH`; `suppress` keeps a value given before the
    command's name when the option is not repeated after it."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--questions",
        metavar="DIR",
        default=default,
        help="a folder of course folders, or one course folder (default: $QUIZ_QUESTIONS, "
        "else the bundled course)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the score store file (default: $QUIZ_DB, else the user data folder); for "
        "report, scores, learners, due, flags, import, verify and certificate also a central "
        "store's postgresql:// URL",
    )


def add_action(
    actions: argparse._SubParsersAction[argparse.ArgumentParser],
    name: str,
    *,
    help_text: str,
    description: str,
) -> argparse.ArgumentParser:
    """An action of a command (`quiz learners rename`): its parser, which takes the
    common options after the action's name too, as the command itself does."""
    action = actions.add_parser(name, help=help_text, description=description)
    add_common_options(action, suppress=True)
    return action


def span_seconds(text: str) -> int:
    """An argparse type: a span of calendar time such as 7d or 12h, in seconds
    (quiz.domain.durations.parse_span); what is wrong with it is argparse's message."""
    from quiz.domain.durations import DurationError, parse_span

    try:
        return parse_span(text)
    except DurationError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def open_store(path: Path, *, create: bool = False) -> ScoreStore:
    """The local score store at `path` for a command. When this account has a central
    store configured (quiz.settings.central_config), the store marks the attempts it
    changes (crash recovery's closings included) to be sent there, and records the
    clinic on the attempts it starts. Raises StoreError."""
    from quiz.settings import central_config
    from quiz.storage.central.pull import is_mirror
    from quiz.storage.scores import ScoreStore

    if is_mirror(path):  # a copy of the central store: nothing in it is to be sent
        return ScoreStore.open(path, create=create)
    central = central_config()
    return ScoreStore.open(
        path,
        create=create,
        outbox=central is not None,
        clinic=central.clinic if central is not None else None,
    )


CENTRAL_SCHEMES = ("postgresql://", "postgres://")


def central_url(args: argparse.Namespace) -> str | None:
    """The central store's URL when `--db` (or QUIZ_DB) names one, else None."""
    import os

    given = getattr(args, "db", None) or os.environ.get("QUIZ_DB") or ""
    return given if given.startswith(CENTRAL_SCHEMES) else None


def existing_store(args: argparse.Namespace, command: str, *, mirror: bool = False) -> Path | None:
    """The local store of `--db` (or QUIZ_DB) for a command that reads or changes its
    settings (with `mirror`, a command that only reads: `--db postgresql://…` is read
    through its local mirror, as `store_path` gives it); None, with the message printed,
    when it does not exist yet."""
    import sys

    from quiz import paths

    if mirror:
        found = store_path(args, command)
        if found is None:
            return None
        path = found
    else:
        path = paths.db_path(args.db)
    if path.exists():
        return path
    print(
        f"{command}: the store {path} does not exist yet: nothing has been saved "
        "there. Check the path given with --db or QUIZ_DB.",
        file=sys.stderr,
    )
    return None


def store_path(args: argparse.Namespace, command: str) -> Path | None:
    """The store a reading command answers from: `--db PATH` (or QUIZ_DB), or, for
    `--db postgresql://…`, the local mirror of what the connecting role may read on the
    central store, brought up to date first (quiz.storage.central.pull). When the server
    cannot be reached, the mirror as it is, saying on stderr how old it is. None when
    there is nothing to answer from (the message is printed)."""
    import sys

    from quiz import paths

    url = central_url(args)
    if url is None:
        return paths.db_path(args.db)
    from quiz.storage.central.connection import connect, server_name
    from quiz.storage.central.errors import CentralError
    from quiz.storage.central.pull import last_pulled, mirror_path, pull
    from quiz.storage.errors import StoreError
    from quiz.tables.text import terminal_text

    try:
        server = server_name(url)
        mirror = mirror_path(server)
        with connect(url) as connection:
            outcome = pull(connection, server, mirror)
    except CentralError as error:
        if error.kind != "unreachable" or error.server is None:
            print(f"{command}: {terminal_text(error.message)}", file=sys.stderr)
            return None
        try:
            pulled = last_pulled(mirror_path(error.server))
        except StoreError:
            pulled = None
        if pulled is None:
            print(
                f"{command}: {terminal_text(error.message)} There is no copy of it on this "
                "computer yet: try again once the server is reachable.",
                file=sys.stderr,
            )
            return None
        from quiz.tables.formats import local_minute

        print(
            f"{command}: {terminal_text(str(error.server))} could not be reached; answering "
            f"from this computer's copy of it, as it was at {local_minute(pulled)}.",
            file=sys.stderr,
        )
        return mirror_path(error.server)
    except StoreError as error:
        print(f"{command}: {error.message}", file=sys.stderr)
        return None
    if outcome.imported or outcome.forgotten:
        from quiz.domain.text import plural

        print(
            f"{command}: brought this computer's copy of {terminal_text(str(server))} up to "
            f"date ({plural(outcome.imported, 'new attempt')}"
            + (f", {plural(outcome.forgotten, 'learner')} forgotten" if outcome.forgotten else "")
            + ")",
            file=sys.stderr,
        )
    return mirror


def learner_clinic_problem(
    store: ScoreStore, learner: str | None, clinic: str | None, *, per_clinic: bool = True
) -> str | None:
    """Why `--learner` (and `--clinic`) cannot be answered as given, or None. Names are
    taken as typed, so one name at two clinics may be two people: a command taking
    --learner then needs --clinic too (`per_clinic`: it can keep one clinic's attempts;
    otherwise it cannot tell them apart at all). `--clinic` alone is a filter: that
    clinic's attempts (or learners). The rule's one home."""
    if learner is None:
        return None
    from quiz.tables.text import terminal_text

    clinics = store.learner_clinics(learner)
    if len(clinics) < 2 or (per_clinic and clinic is not None):
        return None
    listed = ", ".join(clinics)
    name = terminal_text(learner.strip())
    if per_clinic:
        return (
            f"{name} is a name at {len(clinics)} clinics ({listed}), perhaps of different "
            "people: give --clinic ID as well"
        )
    return (
        f"{name} is a name at {len(clinics)} clinics ({listed}), perhaps of different "
        "people, and the drill's schedule is kept per name: this command cannot tell them "
        "apart (see them apart with quiz scores or quiz report --learner NAME --clinic ID)"
    )
