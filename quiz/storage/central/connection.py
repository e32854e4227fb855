"""Opening a connection to the central store, and saying plainly what went wrong.

The URL is libpq's (`postgresql://user@host/db?sslmode=verify-full`, or `key=value`
words); the password comes from libpq's own means (the URL itself when it was given
in the environment, PGPASSWORD, PGPASSFILE, a service file): quiz never writes one.
Every message names the server as user@host:port/database, never the password.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from quiz.storage.central.errors import CentralError, ServerName
from quiz.storage.central.migrations import SCHEMA_VERSION, version_from_comment

if TYPE_CHECKING:
    import psycopg

CONNECT_TIMEOUT_SECONDS = 10
APPLICATION_NAME = "quiz"


def server_name(url: str) -> ServerName:
    """The server a URL names, without its password. Raises CentralError ('url')."""
    from psycopg.conninfo import conninfo_to_dict

    try:
        words = conninfo_to_dict(url)
    except Exception:  # psycopg.ProgrammingError; its message may quote the password
        raise CentralError(
            "url",
            None,
            "the central store's address is not a PostgreSQL URL. Give one like "
            "postgresql://USER@HOST/DATABASE (in QUIZ_CENTRAL, or after the command); "
            "leave the password out and let libpq find it (PGPASSFILE, a service file).",
        ) from None
    return ServerName(
        user=str(words.get("user") or ""),
        host=str(words.get("host") or words.get("hostaddr") or ""),
        port=str(words.get("port") or ""),
        database=str(words.get("dbname") or words.get("user") or ""),
    )


def connect(url: str, *, check_schema: bool = True) -> psycopg.Connection[Any]:
    """A connection to the central store at `url` (autocommit off), its schema checked
    to be the one this quiz speaks unless `check_schema` is false (`central init`).
    Raises CentralError."""
    import psycopg

    server = server_name(url)
    try:
        connection = psycopg.connect(
            url, connect_timeout=CONNECT_TIMEOUT_SECONDS, application_name=APPLICATION_NAME
        )
    except psycopg.OperationalError as error:
        raise connection_error(server, error, url) from None
    except psycopg.Error as error:
        raise CentralError(
            "other", server, f"the central store {server}: {_said(error, url)}"
        ) from None
    if check_schema:
        try:
            check_version(connection, server)
        except BaseException:
            connection.close()
            raise
    return connection


def connection_error(server: ServerName, error: Exception, url: str = "") -> CentralError:
    """The CentralError for a connection that failed (libpq's words, sorted by kind)."""
    text = _said(error, url)
    lowered = text.lower()
    if "password authentication failed" in lowered or "no password supplied" in lowered:
        return CentralError(
            "password",
            server,
            f"the central store {server} refused the password for role {server.user or '?'}. "
            "Check the password libpq finds (PGPASSFILE or ~/.pgpass, a service file, "
            "PGPASSWORD); quiz never stores one.",
        )
    if "does not exist" in lowered and "database" in lowered:
        return CentralError(
            "database",
            server,
            f"the central store {server}: database {server.database} does not exist. Check "
            "the URL's database name, or create it and run 'quiz central init URL'.",
        )
    if "role" in lowered and "does not exist" in lowered:
        return CentralError(
            "password",
            server,
            f"the central store {server}: role {server.user or '?'} does not exist. Ask "
            "the database administrator for your clinic's login.",
        )
    return CentralError(
        "unreachable",
        server,
        f"the central store {server} could not be reached ({text}). Check the host and "
        "port and that the server is running; answers stay saved here and are sent later.",
    )


def _said(error: Exception, url: str) -> str:
    """libpq's message, on one line, with the URL's password (if any) masked."""
    text = " ".join(str(error).split())
    password = _password(url)
    if password:
        text = text.replace(password, "***")
    return text


def has_password(url: str) -> bool:
    """Whether `url` holds a password (quiz refuses to keep one)."""
    return bool(_password(url))


def _password(url: str) -> str:
    from psycopg.conninfo import conninfo_to_dict

    try:
        return str(conninfo_to_dict(url).get("password") or "")
    except Exception:
        return ""


def schema_version(connection: psycopg.Connection[Any]) -> int | None:
    """The central schema's version (None: no quiz schema, or not one of ours). Read
    from the schema's comment, which every role may read."""
    row = connection.execute(
        "SELECT obj_description(oid, 'pg_namespace') FROM pg_namespace WHERE nspname = 'quiz'"
    ).fetchone()
    connection.rollback()  # leave no transaction open
    if row is None:
        return None
    return version_from_comment(row[0]) if row[0] is not None else None


def check_version(connection: psycopg.Connection[Any], server: ServerName) -> None:
    found = schema_version(connection)
    if found is None:
        raise CentralError(
            "not_initialised",
            server,
            f"the central store {server} has no quiz schema. Have the database owner run "
            "'quiz central init URL' first (or 'quiz central init URL --print-sql' for "
            "the database administrator).",
        )
    if found > SCHEMA_VERSION:
        raise CentralError(
            "schema",
            server,
            f"the central store {server} has schema version {found}, newer than this "
            f"quiz's ({SCHEMA_VERSION}). Upgrade quiz on this computer.",
        )
    if found < SCHEMA_VERSION:
        raise CentralError(
            "schema",
            server,
            f"the central store {server} has schema version {found}, older than this "
            f"quiz's ({SCHEMA_VERSION}). Have the database owner run 'quiz central init "
            "URL' to upgrade it.",
        )
