"""`quiz sync [--status]`: send this terminal's pending attempts and forgotten learners
to the central store now, take the clinic's forgotten learners back, and say what is
pending, when the last sync succeeded, the course versions in use here, and whether
another terminal of the clinic uses a newer one.

Exit 0 when the round went through (nothing left pending but what changed meanwhile);
1 when the server could not be reached or refused this terminal, naming how many
attempts are still pending (they are kept and sent later). `--status` changes nothing:
it shows the same without sending, and asks the server only for the course versions.
"""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quiz import paths
from quiz.commands import open_store
from quiz.errors import ExitCode

if TYPE_CHECKING:
    from quiz.storage.central.errors import ServerName
    from quiz.storage.scores import ScoreStore


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--status",
        action="store_true",
        help="show what is pending and when the last sync succeeded; send nothing",
    )


def _plural(count: int, noun: str) -> str:
    from quiz.domain.text import plural

    return plural(count, noun)


def _when(moment: datetime | None) -> str:
    return "never" if moment is None else moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _attempts(count: int) -> str:
    return _plural(count, "attempt")


def run(args: argparse.Namespace) -> int:
    from quiz.settings import CLINIC_ENV, CLINIC_RULE, central_config
    from quiz.storage.central.errors import CentralError
    from quiz.storage.scores import StoreError
    from quiz.tables.text import terminal_text

    central = central_config()
    if central is None:
        print(
            "quiz sync: no central store is set for this terminal. Run 'quiz central "
            "connect URL --clinic ID' (or set QUIZ_CENTRAL and QUIZ_CLINIC).",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    if central.clinic is None:
        import os

        given = os.environ.get(CLINIC_ENV)
        said = (
            f"{CLINIC_ENV}={terminal_text(given)!r} is not a clinic id (lower-case "
            "letters, digits and _)"
            if given and not CLINIC_RULE.match(given)
            else "no clinic is set for this terminal"
        )
        print(
            f"quiz sync: {said}. Run 'quiz central connect URL --clinic ID' or set {CLINIC_ENV}.",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    clinic = central.clinic
    path = paths.db_path(args.db)
    if not path.exists():
        print(f"nothing to send: the store {terminal_text(str(path))} does not exist yet")
        return ExitCode.OK
    try:
        with open_store(path) as store:
            if args.status:
                return _status(store, central.url, clinic)
            return _sync(store, central.url, clinic)
    except StoreError as error:
        print(f"quiz sync: {error.message}", file=sys.stderr)
        return ExitCode.PROBLEM
    except CentralError as error:  # the URL itself (before any store change)
        print(f"quiz sync: {terminal_text(error.message)}", file=sys.stderr)
        return ExitCode.PROBLEM


def _print_state(store: ScoreStore, server: str, clinic: str) -> None:
    from quiz.storage.codec import from_ms

    state = store.sync_state()
    pending = store.pending_count()
    print(f"central store: {server}, clinic {clinic}")
    print(f"not sent yet: {_attempts(pending)}")
    success = from_ms(state.last_success_ms) if state.last_success_ms is not None else None
    print(f"last sync that succeeded: {_when(success)}")
    if state.last_failure_ms is not None and (
        state.last_success_ms is None or state.last_failure_ms > state.last_success_ms
    ):
        from quiz.tables.text import terminal_text

        print(
            f"last sync that failed: {_when(from_ms(state.last_failure_ms))}: "
            f"{terminal_text(state.last_failure or '')}"
        )
    for course, version, used_at in store.courses_used():
        print(f"course {course}: version {version[:19]} (used here {_when(used_at)})")


def _print_skew(store: ScoreStore, connection: Any, server: ServerName) -> None:
    """Warn of a newer course version used by another terminal (connection: psycopg's,
    which stays inside quiz.storage.central)."""
    from quiz.storage.central.sync import course_skew

    for skew in course_skew(store, connection, server):
        print(
            f"warning: another terminal of this clinic uses a newer version of course "
            f"{skew.course} ({skew.newer[:19]}, first seen {_when(skew.seen_at)}) than "
            f"this one ({skew.here[:19]}): update the course here so that both ask the "
            "same questions."
        )


def _status(store: ScoreStore, url: str, clinic: str) -> int:
    from quiz.storage.central.connection import connect, server_name
    from quiz.storage.central.errors import CentralError
    from quiz.tables.text import terminal_text

    server = server_name(url)
    _print_state(store, terminal_text(str(server)), clinic)
    try:
        with connect(url) as connection:
            _print_skew(store, connection, server)
    except CentralError as error:
        print(f"(the course versions of other terminals are not known: {error.message})")
    return ExitCode.OK


def _sync(store: ScoreStore, url: str, clinic: str) -> int:
    from quiz.storage.central.connection import connect, server_name
    from quiz.storage.central.errors import CentralError
    from quiz.storage.central.sync import sync_round
    from quiz.tables.text import terminal_text

    server = server_name(url)
    try:
        with connect(url) as connection:
            outcome = sync_round(store, connection, server, clinic)
            _print_skew(store, connection, server)
    except CentralError as error:
        store.record_sync(error.message)
        pending = store.pending_count()
        print(f"quiz sync: {terminal_text(error.message)}", file=sys.stderr)
        print(
            f"quiz sync: {_attempts(pending)} still pending here, kept and sent later.",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    store.record_sync()
    print(
        f"sent {_attempts(outcome.sent)}"
        + (f" ({outcome.unchanged} more the server had already)" if outcome.unchanged else "")
    )
    if outcome.tombstones_sent:
        print(f"sent {_plural(outcome.tombstones_sent, 'forgotten learner')}")
    if outcome.forgotten_here:
        print(f"forgot {_plural(outcome.forgotten_here, 'learner')} here, forgotten at the clinic")
    for message in outcome.refused:
        print(f"refused: {terminal_text(message)}")
    _print_state(store, terminal_text(str(server)), clinic)
    return ExitCode.OK
