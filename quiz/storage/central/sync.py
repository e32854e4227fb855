"""A terminal's sync with the central store: tombstones both ways, then every pending
attempt sent whole (`quiz sync`, and each round of the app's background sender).

Order: the clinic's tombstones are read first and applied here (a learner forgotten
centrally is forgotten on this terminal, and their pending attempts go with them),
then this terminal's own tombstones are sent, then the attempts. An attempt's mark is
cleared only if nothing changed while it was on its way (quiz.storage.outbox), so an
answer saved meanwhile leaves it pending for the next round; sending it twice changes
nothing on the server (ingest is idempotent). For a backlog, the next attempt is read
from SQLite while one is on its way (`read_ahead`), several attempts are on their way
at once, each in its own transaction (push.push_attempts: libpq's pipeline mode), and
the marks are cleared a batch at a time (CLEAR_BATCH).

An attempt the server refuses for good (its learner forgotten there, an id that is
another attempt's, content it will not take) is not sent again: its mark is cleared and
it is reported. Anything that stops the round (the server unreachable, a refused
password, another schema, a role that is not a terminal's) is raised as CentralError,
with what was sent so far kept sent.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from quiz.storage.central.errors import CentralError, ServerName
from quiz.storage.central.push import push_attempts

if TYPE_CHECKING:
    import psycopg

    from quiz.storage.outbox import Pending
    from quiz.storage.scores import ScoreStore

REFUSED_FOR_GOOD = frozenset({"forgotten", "conflict", "rejected"})
CLEAR_BATCH = 100
"""Attempts sent whose marks are cleared in one local transaction: clearing each in its
own cost a commit (an fsync) per attempt, a fifth of a backlog's push. A mark left
uncleared by a crash only sends its attempt again, which changes nothing."""


@dataclass
class SyncOutcome:
    """What a round did."""

    sent: int = 0  # attempts the server took (added or changed)
    unchanged: int = 0  # attempts the server had already
    refused: list[str] = field(default_factory=list)  # messages, one per attempt refused
    tombstones_sent: int = 0
    forgotten_here: int = 0  # learners of this store forgotten by the clinic's tombstones
    still_pending: int = 0


@dataclass(frozen=True)
class CourseSkew:
    """A course version this clinic's terminals used that is newer than this one's."""

    course: str
    here: str  # the version this terminal used last
    newer: str  # the version seen on the server
    seen_at: datetime  # when the server first saw it


def sync_round(
    store: ScoreStore,
    connection: psycopg.Connection[Any],
    server: ServerName,
    clinic: str,
    *,
    stop: threading.Event | None = None,
    sent_one: Callable[[], None] | None = None,
) -> SyncOutcome:
    """Tombstones both ways, then every pending attempt. Raises CentralError when the
    round cannot go on (the pending attempts stay pending)."""
    import psycopg

    outcome = SyncOutcome()
    try:
        received = [
            (bytes(r[0]), r[1].isoformat())
            for r in connection.execute("SELECT hash, forgotten_on FROM quiz.clinic_tombstones()")
        ]
        connection.rollback()
        outcome.forgotten_here = store.receive_tombstones(clinic, received)
        for hash_, day in store.tombstones_to_send():
            with connection.transaction():
                connection.execute("SELECT quiz.add_tombstone(%s, %s::date)", (hash_, day))
            store.tombstone_sent(hash_)
            outcome.tombstones_sent += 1
    except psycopg.Error as error:
        from quiz.storage.central.push import ingest_error

        raise ingest_error(error, server, "(tombstones)") from None
    done_with: list[Pending] = []  # sent (or refused for good): marks to clear

    def outgoing() -> Iterator[tuple[Pending, dict[str, object], int | None]]:
        for pending, attempt in read_ahead(store, store.pending_attempts()):
            if stop is not None and stop.is_set():
                return
            if attempt is not None:
                yield pending, attempt[0], attempt[1]

    try:
        sending = push_attempts(connection, outgoing(), server=server)
        with closing(sending):  # the pipeline left at once, whatever stops the round
            for pending, done in sending:
                if isinstance(done, CentralError):
                    if done.kind not in REFUSED_FOR_GOOD:
                        raise done
                    outcome.refused.append(done.message)
                    done_with.append(pending)
                    continue
                if done == "unchanged":
                    outcome.unchanged += 1
                else:
                    outcome.sent += 1
                done_with.append(pending)
                if len(done_with) >= CLEAR_BATCH:
                    store.clear_sent_all(done_with)
                    done_with.clear()
                if sent_one is not None:
                    sent_one()
    finally:  # what was sent stays sent, whatever stopped the round
        if done_with:
            store.clear_sent_all(done_with)
    outcome.still_pending = store.pending_count()
    return outcome


def read_ahead(
    store: ScoreStore, pending: list[Pending]
) -> Iterator[tuple[Pending, tuple[dict[str, object], int | None] | None]]:
    """Each pending attempt with what sending it sends (ScoreStore.outgoing), the next
    one read from the store in a thread of its own while this one is on its way: a
    backlog's reading from SQLite overlaps the server's work instead of adding to it.
    (Reading an attempt a moment earlier changes nothing: its mark is cleared only if
    its version is still the one `pending` read.)"""
    from concurrent.futures import ThreadPoolExecutor

    if not pending:
        return
    with ThreadPoolExecutor(1, thread_name_prefix="quiz-sync-read") as reader:
        ahead = reader.submit(store.outgoing, pending[0])
        for index, attempt in enumerate(pending):
            outgoing = ahead.result()
            if index + 1 < len(pending):
                ahead = reader.submit(store.outgoing, pending[index + 1])
            yield attempt, outgoing


def course_skew(
    store: ScoreStore, connection: psycopg.Connection[Any], server: ServerName
) -> list[CourseSkew]:
    """The courses of which the server has seen, from another terminal of this clinic, a
    version that first appeared after the one this terminal used last (a newer course
    text there). Raises CentralError."""
    import psycopg

    try:
        seen = connection.execute(
            "SELECT course, course_version, first_seen FROM quiz.clinic_courses()"
        ).fetchall()
        connection.rollback()
    except psycopg.Error as error:
        from quiz.storage.central.push import ingest_error

        raise ingest_error(error, server, "(courses)") from None
    skews = []
    for course, here, used_at in store.courses_used():
        ours = [first for code, version, first in seen if code == course and version == here]
        since = ours[0] if ours else used_at
        newer = [
            (first, version)
            for code, version, first in seen
            if code == course and version != here and first > since
        ]
        if newer:
            first, version = max(newer)
            skews.append(CourseSkew(course, here, str(version), first))
    return skews
