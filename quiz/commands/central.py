"""`quiz central init URL [--clinic ID ...] [--role-prefix P] [--print-sql]` and
`quiz central connect URL --clinic ID`.

Creates (or upgrades) the central store's schema and roles on a PostgreSQL database,
as its owner (who needs CREATEROLE to make the roles), and adds clinics with their two
roles each. `--print-sql` prints the SQL of a new database for an administrator to
run instead, and connects to nothing. What the roles may do: README, "Several clinics".

The password is libpq's business (the URL from the environment, PGPASSFILE, a service
file): quiz never writes one, and never prints one.
"""

from __future__ import annotations

import argparse
import sys

from quiz.errors import ExitCode
from quiz.settings import CLINIC_RULE

EPILOG = """\
Each clinic gets two roles, PREFIX_t_ID (its terminals: may only send attempts) and
PREFIX_m_ID (its manager: reads that clinic's results, may forget its learners); the
role PREFIX_group reads every clinic's. They cannot log in: grant them to login roles,
e.g. CREATE ROLE lisbon_desk LOGIN IN ROLE quiz_t_lisbon. Run init again to add
clinics or to upgrade the schema; it changes nothing that is already there."""


def configure(parser: argparse.ArgumentParser) -> None:
    """The `central` command's own subcommands: init, connect."""
    actions = parser.add_subparsers(dest="central_action", metavar="ACTION", required=True)
    init = actions.add_parser(
        "init",
        help="create or upgrade the central store's schema and roles",
        description="Create or upgrade the central store's schema and roles (as the "
        "database owner), and add clinics.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    init.add_argument("url", metavar="URL", nargs="?", help="postgresql://OWNER@HOST/DATABASE")
    init.add_argument(
        "--clinic",
        metavar="ID",
        action="append",
        default=[],
        type=clinic_id,
        help="add a clinic (lower-case letters, digits and _; may be repeated)",
    )
    init.add_argument(
        "--role-prefix",
        metavar="PREFIX",
        default=None,
        type=role_prefix,
        help="the start of every role's name (default quiz; roles belong to the whole "
        "cluster, so two quiz databases on one cluster need two prefixes)",
    )
    init.add_argument(
        "--print-sql",
        action="store_true",
        help="print the SQL of a new database for an administrator instead (no connection)",
    )

    connect = actions.add_parser(
        "connect",
        help="send this terminal's attempts to a central store, as a clinic's terminal",
        description="Keep the central store's URL and this terminal's clinic in this "
        "account's settings: from then on every attempt is marked to be sent there (by "
        "the app in the background, or `quiz sync`). QUIZ_CENTRAL and QUIZ_CLINIC "
        "override them. The URL never holds a password: libpq finds it in PGPASSFILE "
        "or ~/.pgpass, or a service file (PGSERVICE).",
    )
    connect.add_argument(
        "url", metavar="URL", help="postgresql://LOGIN@HOST/DATABASE?sslmode=verify-full"
    )
    connect.add_argument(
        "--clinic", metavar="ID", required=True, type=clinic_id, help="this terminal's clinic"
    )


def clinic_id(text: str) -> str:
    if not CLINIC_RULE.match(text):
        raise argparse.ArgumentTypeError(
            f"{text!r}: a clinic id is lower-case letters, digits and _ (at most 30, not "
            "starting with _), e.g. lisbon_centre"
        )
    return text


def role_prefix(text: str) -> str:
    from quiz.storage.central.migrations import check_prefix

    try:
        return check_prefix(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from None


def run(args: argparse.Namespace) -> int:
    if args.central_action == "init":
        return run_init(args)
    if args.central_action == "connect":
        return run_connect(args)
    raise AssertionError(f"unknown central action {args.central_action!r}")


def run_init(args: argparse.Namespace) -> int:
    from quiz.storage.central import migrations
    from quiz.storage.central.errors import CentralError
    from quiz.tables.text import terminal_text

    prefix = args.role_prefix or migrations.DEFAULT_ROLE_PREFIX
    clinics = tuple(dict.fromkeys(args.clinic))
    if args.print_sql:
        sys.stdout.write(migrations.script(prefix, clinics=clinics))
        return ExitCode.OK
    if not args.url:
        print(
            "quiz central init: give the database's URL (postgresql://OWNER@HOST/DATABASE), "
            "or --print-sql for the SQL alone.",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    try:
        server, applied = migrations.init(args.url, prefix, clinics)
    except CentralError as error:
        print(f"quiz central init: {terminal_text(error.message)}", file=sys.stderr)
        return ExitCode.PROBLEM
    server = terminal_text(server)
    if applied.before == applied.after:
        print(f"{server}: schema version {applied.after}, already current")
    else:
        print(f"{server}: schema version {applied.before} -> {applied.after}")
    for code in applied.clinics:
        print(f"clinic {code}: roles {prefix}_t_{code} (terminals), {prefix}_m_{code} (manager)")
    print(f"group role: {prefix}_group (reads every clinic)")
    return ExitCode.OK


def run_connect(args: argparse.Namespace) -> int:
    """Write the central store's URL and the clinic into the settings (no connection:
    `quiz sync` tries it)."""
    from quiz import paths
    from quiz.settings import load_settings, save_settings
    from quiz.storage.central.connection import has_password, server_name
    from quiz.storage.central.errors import CentralError
    from quiz.tables.text import terminal_text

    url = args.url.strip()
    try:
        server = server_name(url)
    except CentralError as error:
        print(f"quiz central connect: {terminal_text(error.message)}", file=sys.stderr)
        return ExitCode.USAGE
    if has_password(url):
        print(
            "quiz central connect: the URL holds a password, and quiz never writes one "
            "into its files. Give the URL without it and put the password where libpq "
            "finds it: a line in ~/.pgpass (or the file PGPASSFILE names), or a service "
            "file (PGSERVICE). Nothing was saved.",
            file=sys.stderr,
        )
        return ExitCode.USAGE
    path = paths.settings_path()
    try:
        save_settings(load_settings(path)._replace(central=url, clinic=args.clinic), path)
    except OSError as error:
        print(
            f"quiz central connect: could not write {terminal_text(str(path))} "
            f"({terminal_text(error.strerror or str(error))}). Nothing was saved.",
            file=sys.stderr,
        )
        return ExitCode.PROBLEM
    print(
        f"This terminal sends its attempts to {terminal_text(str(server))} as clinic "
        f"{args.clinic} (saved in {terminal_text(str(path))}). Run 'quiz sync' to send "
        "now and see what is pending."
    )
    return ExitCode.OK
