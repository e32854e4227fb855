"""The central store's schema: numbered SQL files (`sql/NNNN_*.sql`, package data) and
a `quiz.schema_version` table, applied in one transaction under pg_advisory_xact_lock
so that two `quiz central init` at once apply each file once.

`{{prefix}}` in a file is the role prefix (`quiz` unless told otherwise): the roles are
the cluster's, so two quiz databases on one cluster need two prefixes. The schema's
comment says its version too (`quiz central store; schema_version N`): every role can
read a comment from the catalog, so a client checks the version without a grant on
any table (a terminal role may only execute ingest_attempt).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import psycopg

ADVISORY_LOCK_KEY = 0x5155_495A_0016  # "QUIZ", issue 16: one key for every quiz database
DEFAULT_ROLE_PREFIX = "quiz"
_PREFIX = re.compile(r"^[a-z][a-z0-9_]{0,19}$")
_FILE = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
SCHEMA_COMMENT = "quiz central store; schema_version {version}"
_COMMENT = re.compile(r"^quiz central store; schema_version (\d+)$")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    text: str  # with {{prefix}} still in it

    def sql(self, prefix: str) -> str:
        return self.text.replace("{{prefix}}", prefix)


def check_prefix(prefix: str) -> str:
    """`prefix` if it can start a role name, else ValueError saying what can."""
    if not _PREFIX.match(prefix):
        raise ValueError(
            f"role prefix {prefix!r}: use a lower-case letter, then letters, digits or _ "
            "(at most 20)"
        )
    return prefix


def migrations() -> list[Migration]:
    """The SQL files of the package, in order; their numbers run 1, 2, ... without gaps."""
    found = []
    for entry in resources.files("quiz.storage.central").joinpath("sql").iterdir():
        match = _FILE.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise RuntimeError(f"quiz's central SQL files are misnumbered: {[m.name for m in found]}")
    return found


SCHEMA_VERSION = 5  # 0005: a faster ingest_attempt (issue 16, the push budget)
"""The version of the central schema this quiz speaks (the highest file's number)."""

_PREAMBLE = """\
SELECT pg_advisory_xact_lock({key});
CREATE SCHEMA IF NOT EXISTS quiz;
CREATE TABLE IF NOT EXISTS quiz.schema_version (
    version integer PRIMARY KEY,
    applied_at timestamptz NOT NULL DEFAULT now()
);
"""


def script(prefix: str, since: int = 0, clinics: tuple[str, ...] = ()) -> str:
    """The whole SQL of an upgrade from version `since` (0: a new database), with its
    clinics added, as one transaction: what `--print-sql` prints for an administrator."""
    check_prefix(prefix)
    parts = ["BEGIN;", _PREAMBLE.format(key=ADVISORY_LOCK_KEY)]
    for migration in migrations()[since:]:
        parts.append(f"-- {migration.name}\n{migration.sql(prefix)}")
        parts.append(f"INSERT INTO quiz.schema_version (version) VALUES ({migration.version});")
    parts.append(f"COMMENT ON SCHEMA quiz IS '{SCHEMA_COMMENT.format(version=SCHEMA_VERSION)}';")
    parts.extend(f"SELECT quiz.add_clinic({_literal(code)});" for code in clinics)
    parts.append("COMMIT;")
    return "\n".join(parts) + "\n"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Applied:
    """What `apply` did: the version found, the version now, the clinics added."""

    before: int
    after: int
    clinics: tuple[str, ...]


def apply(
    connection: psycopg.Connection[Any], prefix: str, clinics: tuple[str, ...] = ()
) -> Applied:
    """Bring the database up to SCHEMA_VERSION and add `clinics`, in one transaction
    under the advisory lock (another init waits, then finds nothing left to do). A
    database of a newer schema is left alone: CentralError is raised by the caller's
    check (`connection.schema_version`) before this."""
    check_prefix(prefix)
    with connection.transaction():
        connection.execute(_PREAMBLE.format(key=ADVISORY_LOCK_KEY))
        row = connection.execute(
            "SELECT coalesce(max(version), 0) FROM quiz.schema_version"
        ).fetchone()
        before = int(row[0]) if row else 0
        if before:
            stored = connection.execute("SELECT role_prefix FROM quiz.settings").fetchone()
            if stored is not None and stored[0] != prefix:
                raise ValueError(
                    f"this database's roles start with {stored[0]!r}, not {prefix!r}: give "
                    f"--role-prefix {stored[0]}"
                )
        for migration in migrations()[before:]:
            connection.execute(migration.sql(prefix))
            connection.execute(
                "INSERT INTO quiz.schema_version (version) VALUES (%s)", (migration.version,)
            )
        connection.execute(
            f"COMMENT ON SCHEMA quiz IS '{SCHEMA_COMMENT.format(version=SCHEMA_VERSION)}'"
        )
        for code in clinics:
            connection.execute("SELECT quiz.add_clinic(%s)", (code,))
    return Applied(before, SCHEMA_VERSION, clinics)


def version_from_comment(comment: str | None) -> int | None:
    """The schema version a `quiz` schema's comment states (None: not one of ours)."""
    if comment is None:
        return None
    match = _COMMENT.match(comment)
    return int(match[1]) if match else None


def init(url: str, prefix: str, clinics: tuple[str, ...] = ()) -> tuple[str, Applied]:
    """`quiz central init`: connect as the owner, refuse a newer schema, apply, add the
    clinics. The server's name (no password) and what was done. Raises CentralError;
    on any error nothing was changed (one transaction)."""
    import psycopg

    from quiz.storage.central.connection import connect, schema_version, server_name
    from quiz.storage.central.errors import CentralError

    server = server_name(url)
    with connect(url, check_schema=False) as connection:
        found = schema_version(connection)
        if found is not None and found > SCHEMA_VERSION:
            raise CentralError(
                "schema",
                server,
                f"{server} has schema version {found}, newer than this quiz's "
                f"({SCHEMA_VERSION}); nothing was changed. Upgrade quiz.",
            )
        try:
            return str(server), apply(connection, prefix, clinics)
        except ValueError as error:
            raise CentralError(
                "other", server, f"{server}: {error}; nothing was changed."
            ) from None
        except psycopg.Error as error:
            detail = getattr(getattr(error, "diag", None), "message_primary", None) or str(error)
            hint = ""
            if getattr(error, "sqlstate", None) == "42501":
                hint = (
                    " Run it as the database owner, with CREATEROLE (or --print-sql for an "
                    "administrator)."
                )
            raise CentralError(
                "role" if hint else "other",
                server,
                f"{server}: {detail}; nothing was changed.{hint}",
            ) from None
