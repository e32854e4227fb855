"""Sending one attempt, whole, to the central store (quiz.ingest_attempt).

The attempt goes as one attempt of `quiz scores --format json` (its export dict:
AttemptDetail.to_export_dict), plus what the server needs and the export leaves out:
`learner_key` (quiz.domain.text.learner_key, the matching rule's one home, so the
server matches learners as the terminal does) and `utc_offset_minutes` (the
terminal's offset when the attempt started, for month buckets; None when unknown).
The clinic is never sent: the server takes it from the calling role.

Learners' flags on its questions (the export's "flags", when it has any) follow in
the same transaction (quiz.ingest_flags); an exam's are in the export only once the
exam is over (quiz.domain.flags). The server's functions are idempotent, so sending an
attempt again (after a crash, from a copied store file) changes nothing. A serialization
failure (40001) or a deadlock (40P01) is retried here, with a growing wait; anything else
is a CentralError.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Literal

from quiz.domain.text import learner_key
from quiz.storage.central.errors import CentralError, ServerName

if TYPE_CHECKING:
    import psycopg

RETRIES = 6
"""Tries of one attempt after a serialization failure or a deadlock."""
FIRST_WAIT_SECONDS = 0.02

Outcome = Literal["added", "changed", "unchanged"]
_RETRIED_STATES = frozenset({"40001", "40P01"})


def payload(export: Mapping[str, Any], utc_offset_minutes: int | None = None) -> dict[str, Any]:
    """What ingest_attempt takes: the export dict, learner_key and utc_offset_minutes
    (the export's own when none is given: an export file's, for `quiz import`)."""
    body = dict(export)
    body["learner_key"] = learner_key(str(export.get("learner", "")))
    if utc_offset_minutes is not None or "utc_offset_minutes" not in body:
        body["utc_offset_minutes"] = utc_offset_minutes
    return body


def push_attempt(
    connection: psycopg.Connection[Any],
    export: Mapping[str, Any],
    *,
    server: ServerName,
    utc_offset_minutes: int | None = None,
    wait: Callable[[float], None] = time.sleep,
) -> Outcome:
    """Send one attempt (its export dict) in a transaction of its own; what the server
    did with it. Raises CentralError (kind 'unreachable' when the connection is lost:
    the caller keeps the attempt pending and tries later)."""
    import psycopg
    from psycopg.types.json import Jsonb

    body = Jsonb(payload(export, utc_offset_minutes))
    flags = export.get("flags")
    delay = FIRST_WAIT_SECONDS
    for attempt in range(RETRIES):
        try:
            with connection.transaction():
                row = connection.execute("SELECT quiz.ingest_attempt(%s)", (body,)).fetchone()
                if flags:  # learners' flags go with their attempt (sql/0004_flags.sql)
                    connection.execute(
                        "SELECT quiz.ingest_flags(%s, %s)", (str(export["id"]), Jsonb(flags))
                    )
        except psycopg.Error as error:
            state = getattr(error, "sqlstate", None)
            if state in _RETRIED_STATES and attempt + 1 < RETRIES:
                wait(delay)
                delay *= 2
                continue
            raise ingest_error(error, server, str(export.get("id", "?"))) from None
        assert row is not None
        outcome: Outcome = row[0]
        return outcome
    raise AssertionError("unreachable: the last retry raises")


def ingest_error(error: Exception, server: ServerName, attempt_id: str) -> CentralError:
    """The CentralError for an ingest the server refused (or could not be asked)."""
    import psycopg

    from quiz.storage.central.connection import connection_error

    state = getattr(error, "sqlstate", None)
    detail = getattr(getattr(error, "diag", None), "message_primary", None) or str(error)
    if isinstance(error, psycopg.OperationalError) and state is None:
        return connection_error(server, error)
    if state == "QZ001":
        return CentralError(
            "forgotten",
            server,
            f"the central store {server} refused attempt {attempt_id}: its learner was "
            "forgotten there, and stays forgotten. Nothing was sent.",
        )
    if state in ("QZ002", "QZ003"):
        return CentralError(
            "conflict",
            server,
            f"the central store {server} refused attempt {attempt_id}: {detail}. The "
            "attempt stays here as it is; tell the clinic group's administrator.",
        )
    if state == "42501":
        return CentralError(
            "role",
            server,
            f"the central store {server} refused attempt {attempt_id}: {detail}. Connect "
            "as a login role granted exactly one clinic's terminal role.",
        )
    if state is not None and state[:2] in ("22", "23"):
        return CentralError(
            "rejected",
            server,
            f"the central store {server} refused attempt {attempt_id}: {detail}.",
        )
    if state is not None and state[:2] in ("08", "57"):  # connection lost, server shut down
        return connection_error(server, error)
    return CentralError(
        "other", server, f"the central store {server}: attempt {attempt_id}: {detail}"
    )
