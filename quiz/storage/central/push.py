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

import json
import select
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, Literal, TypeVar, cast

from quiz.domain.text import learner_key
from quiz.storage.central.errors import CentralError, ServerName

if TYPE_CHECKING:
    import psycopg

RETRIES = 6
"""Tries of one attempt after a serialization failure or a deadlock."""
FIRST_WAIT_SECONDS = 0.02

Outcome = Literal["added", "changed", "unchanged"]
_RETRIED_STATES = frozenset({"40001", "40P01"})
Key = TypeVar("Key")


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


PIPELINE_WINDOW = 8
"""Attempts sent ahead, each its own transaction, before the first one's answer is read
(push_attempts): the server works on one while this side reads and encodes the next."""
_INGEST = b"SELECT quiz.ingest_attempt($1::jsonb)"
_INGEST_FLAGS = b"SELECT quiz.ingest_flags($1, $2::jsonb)"


@dataclass
class _Sending(Generic[Key]):
    key: Key
    export: Mapping[str, Any]
    body: bytes
    flags: bytes | None
    tries: int = 0
    delay: float = FIRST_WAIT_SECONDS


def push_attempts(
    connection: psycopg.Connection[Any],
    attempts: Iterable[tuple[Key, Mapping[str, Any], int | None]],
    *,
    server: ServerName,
    window: int = PIPELINE_WINDOW,
    wait: Callable[[float], None] = time.sleep,
) -> Generator[tuple[Key, Outcome | CentralError], None, None]:
    """Send many attempts, (key, export, utc_offset_minutes) each, as push_attempt sends
    one (its ingest_attempt and ingest_flags in one transaction of its own, retried
    after a serialization failure or a deadlock) but pipelined (libpq's pipeline mode):
    up to `window` attempts are on their way at once, so the server's work on one
    overlaps the reading and encoding of the next instead of waiting for it. Yields
    each attempt's key with what the server did with it, or the CentralError it refused
    it with, in the order the answers come. A connection lost raises CentralError
    (kind 'unreachable'); what was yielded before stays done. The attempts are read
    from `attempts` only as there is room in the window; the caller may stop early (the
    attempts still on their way are then waited for, and their answers dropped: sending
    them again changes nothing)."""
    import psycopg
    from psycopg import errors as pg_errors
    from psycopg import pq

    pgconn = connection.pgconn
    ExecStatus = pq.ExecStatus
    try:
        if pgconn.transaction_status != pq.TransactionStatus.IDLE:
            connection.rollback()  # each attempt is a transaction of its own
    except psycopg.Error as error:
        raise ingest_error(error, server, "(push)") from None
    with connection.lock:
        source = iter(attempts)
        on_the_way: deque[_Sending[Key]] = deque()
        again: deque[_Sending[Key]] = deque()  # to send again after a wait (40001, 40P01)
        exhausted = False

        def broken(message: str) -> CentralError:
            return ingest_error(psycopg.OperationalError(message), server, "(push)")

        def send(item: _Sending[Key]) -> None:
            item.tries += 1
            if item.flags is None:
                pgconn.send_query_params(_INGEST, [item.body])
            else:  # learners' flags go with their attempt (sql/0004_flags.sql)
                pgconn.send_query_params(_INGEST, [item.body])
                identifier = str(item.export["id"]).encode("utf-8")
                pgconn.send_query_params(_INGEST_FLAGS, [identifier, item.flags])
            pgconn.pipeline_sync()  # ends the attempt's (implicit) transaction
            on_the_way.append(item)

        def result() -> Any:
            """The next result, waiting for it without holding the GIL."""
            while True:
                writing = pgconn.flush() == 1
                if not pgconn.is_busy():
                    return pgconn.get_result()
                ready, _, _ = select.select([pgconn.socket], [pgconn.socket] if writing else [], [])
                if ready:
                    pgconn.consume_input()

        def answer(item: _Sending[Key]) -> Outcome | pg_errors.Error:
            """Read one sent attempt's results (each statement's, then its sync)."""
            first: Outcome | pg_errors.Error | None = None
            for _statement in range(1 if item.flags is None else 2):
                got = result()
                if got is None:
                    raise broken(pgconn.get_error_message() or "the connection was lost")
                if got.status == ExecStatus.TUPLES_OK:
                    if first is None:
                        value = got.get_value(0, 0)
                        first = cast(Outcome, bytes(value or b"").decode("ascii"))
                elif got.status == ExecStatus.FATAL_ERROR:
                    if pgconn.status == pq.ConnStatus.BAD:
                        raise broken(got.get_error_message() or "the connection was lost")
                    first = pg_errors.error_from_result(got)
                elif got.status != ExecStatus.PIPELINE_ABORTED:
                    raise broken(f"unexpected result {got.status.name}")
                if result() is not None:  # each statement's results end with None
                    raise broken("unexpected results")
            synced = result()
            if synced is None or synced.status != ExecStatus.PIPELINE_SYNC:
                raise broken(pgconn.get_error_message() or "the connection was lost")
            assert first is not None
            return first

        pgconn.enter_pipeline_mode()
        try:
            while True:
                while len(on_the_way) < window and (again or not exhausted):
                    if again:
                        item = again.popleft()
                        wait(item.delay)
                        item.delay *= 2
                        try:
                            send(item)
                        except psycopg.Error as error:
                            raise ingest_error(error, server, str(item.export.get("id"))) from None
                        continue
                    following = next(source, None)
                    if following is None:
                        exhausted = True
                        break
                    key, export, offset = following
                    flags = export.get("flags")
                    item = _Sending(
                        key,
                        export,
                        json.dumps(payload(export, offset)).encode("utf-8"),
                        json.dumps(flags).encode("utf-8") if flags else None,
                    )
                    try:
                        send(item)
                    except psycopg.Error as error:
                        raise ingest_error(error, server, str(export.get("id", "?"))) from None
                if not on_the_way:
                    break
                item = on_the_way.popleft()
                try:
                    outcome = answer(item)
                except psycopg.Error as error:
                    raise ingest_error(error, server, str(item.export.get("id", "?"))) from None
                if isinstance(outcome, pg_errors.Error):
                    if outcome.sqlstate in _RETRIED_STATES and item.tries < RETRIES:
                        again.append(item)
                        continue
                    yield item.key, ingest_error(outcome, server, str(item.export.get("id", "?")))
                else:
                    yield item.key, outcome
        finally:
            _leave_pipeline(pgconn, len(on_the_way), result)


def _leave_pipeline(pgconn: Any, waiting: int, result: Callable[[], Any]) -> None:
    """Read what is still on its way (answers dropped) and leave pipeline mode; on a
    broken connection, leave it as it is (the caller closes it)."""
    from psycopg import pq

    if pgconn.status == pq.ConnStatus.BAD:
        return
    try:
        while waiting:
            got = result()
            if got is not None and got.status == pq.ExecStatus.PIPELINE_SYNC:
                waiting -= 1
        pgconn.exit_pipeline_mode()
    except Exception:  # the connection is gone meanwhile: the caller closes it
        return


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
