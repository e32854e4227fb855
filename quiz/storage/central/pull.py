"""A local SQLite mirror of what the connecting role may read on the central store.

The mirror is an ordinary score store (so `quiz report`, `scores`, `learners` run
their tuned SQLite code on it), in the user cache folder, one per server and role
(`mirror_path`). A pull reads the ended attempts the server's row-level security lets
the role see and adds them with the import's own code (ScoreStore.import_attempts):
checked, verdicts recomputed, summaries and cards kept, as for any import. They are
put in the form the import takes (exchange.PreparedAttempt) straight from their rows
(quiz.storage.central.fill), the import's reader checking each question as asked once,
and reading the export (`quiz scores --format json`) rebuilt from an attempt's rows
where anything is out of the ordinary. Only ended attempts come: the import leaves
running ones out, and an ended attempt never changes on the server (its status only
moves forward).

Pulls are incremental. Attempt ids alone cannot say what is new: an attempt is first
sent in progress and ends later, and transactions commit out of id order. So each
attempt row carries the transaction that last changed it (changed_xid), and a pull
reads, in one REPEATABLE READ snapshot, the rows changed by transactions at or after
the previous pull's snapshot xmin (every transaction before it had ended when that
pull ran, so nothing is missed; a row read twice is found present by the import).

Forgetting reaches the mirror as tombstones: a tombstone (sha256 of clinic code and
learner key) matching a learner of the mirror forgets that learner here too (their
attempts at other clinics come back at the next pull, which then reads everything).
The mirror's own bookkeeping is in tables named central_* of the mirror file.
"""

from __future__ import annotations

import hashlib
import sqlite3
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from quiz import paths
from quiz.storage import db
from quiz.storage.central.errors import CentralError, ServerName
from quiz.storage.codec import format_utc, from_ms
from quiz.storage.liveness import now_ms
from quiz.storage.outbox import tombstone_hash

if TYPE_CHECKING:
    import psycopg

    from quiz.storage.central.fill import Pulled
    from quiz.storage.exchange import ExportedAttempts
    from quiz.storage.scores import ScoreStore

PULL_BATCH = 2000
"""Attempts read per query (their questions and answers are one query each)."""
ENDED = ("completed", "timed_out", "abandoned")

MIRROR_STATE_SQL = """
CREATE TABLE IF NOT EXISTS central_pull (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    server TEXT NOT NULL,
    watermark TEXT NOT NULL,
    pulled_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS central_tombstone (
    hash BLOB PRIMARY KEY
) WITHOUT ROWID;
"""
"""The mirror's bookkeeping: the server it mirrors, the snapshot xmin of the last pull
(as text: an xid8) and when it ended (ms, this computer's clock: only to say how old the
mirror is), and the tombstones already applied."""


@dataclass(frozen=True)
class PullOutcome:
    """What a pull did."""

    read: int  # attempts read from the server
    imported: int  # new in the mirror
    conflicting: tuple[str, ...]  # ids whose copy differs from the mirror's (kept as it was)
    forgotten: int  # learners of the mirror forgotten by a tombstone
    pulled_at: datetime


def mirror_path(server: ServerName) -> Path:
    """The mirror of `server` (as its role), in the user cache folder."""
    digest = hashlib.sha256(str(server).encode("utf-8")).hexdigest()[:20]
    return paths.cache_dir() / "central" / f"mirror-{digest}.sqlite3"


def is_mirror(path: Path) -> bool:
    """Whether `path` is a mirror (in the folder `mirror_path` puts them)."""
    return path.parent == paths.cache_dir() / "central" and path.name.startswith("mirror-")


def last_pulled(mirror: Path) -> datetime | None:
    """When the mirror was last brought up to date (None: never)."""
    if not mirror.exists():
        return None
    with closing(db.connect(mirror, create=False)) as connection:
        _state_tables(connection)
        row = connection.execute("SELECT pulled_at FROM central_pull").fetchone()
    return None if row is None else from_ms(int(row[0]))


def pull(connection: psycopg.Connection[Any], server: ServerName, mirror: Path) -> PullOutcome:
    """Bring the mirror at `mirror` up to date with what the connection's role may read.
    Raises CentralError (the server) or StoreError (the mirror file)."""
    import psycopg

    from quiz.storage.scores import ScoreStore

    # One connection to the mirror's bookkeeping for the whole pull, and the score store
    # opened only when there is something to add or forget: a report on a current mirror
    # pays for one opening of the file here, not three.
    with closing(db.connect(mirror)) as state:
        _state_tables(state)
        row = state.execute("SELECT server, watermark FROM central_pull").fetchone()
        if row is not None and row[0] != str(server):
            raise CentralError(
                "other",
                server,
                f"the mirror {mirror} holds {row[0]}'s attempts, not {server}'s; delete it "
                "(it is only a copy) and pull again.",
            )
        watermark = "0" if row is None else str(row[1])
        applied = {bytes(r[0]) for r in state.execute("SELECT hash FROM central_tombstone")}

        placed: dict[str, tuple[Any, Any]] = {}
        try:
            read, new_watermark, tombstones, exported = _read_server(connection, watermark, placed)
        except psycopg.Error as error:
            from quiz.storage.central.push import ingest_error

            raise ingest_error(error, server, "(pull)") from None
        outcome, forgotten = None, 0
        with exported:
            if read or any(h not in applied for h, _ in tombstones):
                with ScoreStore.open(mirror) as store:
                    outcome = store.import_attempts(exported) if read else None
                    forgotten = _apply_tombstones(store, tombstones, applied)
        _place(mirror, placed)
        pulled = now_ms()
        _record_pull(state, str(server), "0" if forgotten else new_watermark, pulled, tombstones)
    return PullOutcome(
        read=read,
        imported=len(outcome.imported) if outcome else 0,
        conflicting=outcome.conflicting if outcome else (),
        forgotten=forgotten,
        pulled_at=from_ms(pulled),
    )


def _record_pull(
    state: sqlite3.Connection,
    server: str,
    watermark: str,
    pulled: int,
    tombstones: list[tuple[bytes, str]],
) -> None:
    """Keep where the pull got to, when it ended, and the tombstones it applied."""
    with db.write_transaction(state):
        state.execute(
            "INSERT OR REPLACE INTO central_pull (id, server, watermark, pulled_at) "
            "VALUES (1, ?, ?, ?)",
            (server, watermark, pulled),
        )
        state.executemany(
            "INSERT OR IGNORE INTO central_tombstone (hash) VALUES (?)",
            [(h,) for h, _ in tombstones],
        )


def _place(mirror: Path, placed: dict[str, tuple[Any, Any]]) -> None:
    """Record the server's clinic and UTC offset on the mirror's attempts (those that
    have none yet: an attempt's clinic never changes)."""
    if not placed:
        return
    with closing(db.connect(mirror)) as connection, db.write_transaction(connection):
        connection.executemany(
            "UPDATE attempt SET clinic = ?, utc_offset = ? WHERE uuid = ? AND clinic IS NULL",
            [(code, offset, uuid) for uuid, (code, offset) in placed.items()],
        )


def _state_tables(connection: sqlite3.Connection) -> None:
    present = connection.execute(
        "SELECT count(*) FROM sqlite_schema "
        "WHERE name IN ('central_pull', 'central_tombstone') AND type = 'table'"
    ).fetchone()[0]
    if present == 2:
        return  # made already: no write (and no commit to wait for) on every pull
    with db.write_transaction(connection):
        for statement in MIRROR_STATE_SQL.split(";"):
            if statement.strip():
                connection.execute(statement)


def _read_server(
    connection: psycopg.Connection[Any],
    watermark: str,
    placed: dict[str, tuple[Any, Any]],
) -> tuple[int, str, list[tuple[bytes, str]], ExportedAttempts]:
    """The attempts changed since `watermark`, checked as an export file's are (the
    import's own reading, quiz.storage.exchange, handed the exports as they are built:
    no JSON text written and parsed again); their number, the new watermark and the
    readable tombstones (hash, clinic code). Each attempt's clinic and UTC offset go
    into `placed`."""
    import psycopg

    connection.rollback()
    before = (connection.isolation_level, connection.read_only)
    connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    connection.read_only = True
    try:
        with connection.transaction():
            row = connection.execute(
                "SELECT pg_snapshot_xmin(pg_current_snapshot())::text"
            ).fetchone()
            assert row is not None
            new_watermark = str(row[0])
            tombstones = [
                (bytes(r[0]), str(r[1]))
                for r in connection.execute(
                    "SELECT t.hash, c.code FROM quiz.tombstone t "
                    "JOIN quiz.clinic c ON c.id = t.clinic ORDER BY t.hash"
                )
            ]
            bodies: dict[int, dict[str, Any]] = {}  # asked_question id -> body, read once
            exported = _checked(_changed_attempts(connection, watermark, placed, bodies), bodies)
    finally:
        connection.isolation_level, connection.read_only = before
    return len(exported), new_watermark, tombstones, exported


def _checked(pulled: Iterator[Pulled], bodies: dict[int, dict[str, Any]]) -> ExportedAttempts:
    """The attempts checked and ready to add: made from their rows, the import's
    reader checking each question as asked once (quiz.storage.central.fill)."""
    from quiz.storage import exchange
    from quiz.storage.central import fill

    responses = _Responses()
    filler = fill.Filler(lambda one: _export(one, bodies, responses))
    try:
        return fill.read(filler, pulled)
    except exchange.ImportFileError as error:
        raise CentralError(
            "other", None, f"an attempt read from the central store is not usable: {error.message}"
        ) from None


_ATTEMPTS = """
SELECT a.id, a.uuid, a.learner, a.course, a.course_version, a.mode, a.exam, a.status,
       a.started_at, a.finished_at, a.time_limit_seconds, a.correct, a.total, a.percent,
       a.passed, a.sections, a.seed, a.deadline_at, a.pass_mark, a.identified, a.verify_code,
       (SELECT c.code FROM quiz.clinic c WHERE c.id = a.clinic), a.utc_offset_minutes
  FROM quiz.attempt a
 WHERE a.changed_xid >= %s::xid8 AND a.status = ANY (%s) AND a.id > %s
 ORDER BY a.id
 LIMIT %s
"""
_ITEMS = """
SELECT i.attempt, i.item, i.asked FROM quiz.attempt_item i
 WHERE i.attempt = ANY (%s) ORDER BY i.attempt, i.item
"""
_ASKED = "SELECT q.id, q.body FROM quiz.asked_question q WHERE q.id = ANY (%s)"
"""The questions as asked, each version read once a pull (many attempts share them)."""
_ANSWERS = """
SELECT w.attempt, w.item, w.response::text, w.correct, w.seconds,
       to_char(w.answered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       floor(extract(epoch FROM w.answered_at))::bigint
  FROM quiz.answer w
 WHERE w.attempt = ANY (%s) ORDER BY w.attempt, w.item, w.rev
"""
"""Answers, their times written by the server as codec.format_utc writes them (whole
seconds, UTC): formatting 2M times in Python was a tenth of a first pull; and as whole
seconds since the epoch (fill.Given). Responses come as JSON text, parsed only where an
export is made (`_Responses`: each text once; most are alike)."""
_RESPONSES_KEPT = 100_000
"""Parsed responses kept per pull, at most."""


class _Responses(dict[str, Any]):
    """Responses parsed from their JSON text, each text once (a first pull has 2M
    answers and few distinct responses). The values are only read (the import
    encodes them), so one parsed value may be shared by several exports."""

    def __missing__(self, text: str) -> Any:
        import json

        value = json.loads(text)
        if len(self) < _RESPONSES_KEPT:
            self[text] = value
        return value


_FLAGS = """
SELECT f.attempt, f.uuid, f.item, f.question_id, f.flagged_at, f.note FROM quiz.flag f
 WHERE f.attempt = ANY (%s) ORDER BY f.attempt, f.flagged_at, f.uuid
"""


def _changed_attempts(
    connection: psycopg.Connection[Any],
    watermark: str,
    placed: dict[str, tuple[Any, Any]],
    bodies: dict[int, dict[str, Any]],
) -> Iterator[Pulled]:
    """The rows of the attempts changed since `watermark`, attempt by attempt (the
    questions as asked go into `bodies`, each read once a pull); each one's clinic code
    and UTC offset go into `placed` by id (the export has no place for them). The next
    batch is read from the server (in a thread) while this one is checked: the server's
    work overlaps the import's."""
    from concurrent.futures import ThreadPoolExecutor
    from itertools import groupby
    from operator import itemgetter

    from quiz.storage.central.fill import Given, Pulled

    with ThreadPoolExecutor(1, thread_name_prefix="quiz-pull-read") as reader:
        ahead = reader.submit(_read_batch, connection, watermark, 0, bodies)
        while True:
            batch = ahead.result()
            if batch is None:
                return
            rows, asked, answer_rows, flag_rows = batch
            ahead = reader.submit(_read_batch, connection, watermark, rows[-1][0], bodies)
            items: dict[int, list[int]] = {r[0]: [] for r in rows}
            for attempt, _item, asked_id in asked:
                items[attempt].append(asked_id)
            answers: dict[int, list[Given]] = {
                attempt: list(given) for attempt, given in groupby(answer_rows, itemgetter(0))
            }
            flags: dict[int, list[dict[str, Any]]] = {}
            for attempt, flag_id, item, question_id, flagged_at, note in flag_rows:
                flags.setdefault(attempt, []).append(
                    {
                        "id": flag_id,
                        "position": item,
                        "question_id": question_id,
                        "flagged_at": format_utc(flagged_at),
                        "note": note,
                    }
                )
            for row in rows:
                placed[row[1]] = (row[-2], row[-1])
                yield Pulled(row[:-2], items[row[0]], answers.get(row[0], []), flags.get(row[0]))


def _read_batch(
    connection: psycopg.Connection[Any], watermark: str, after: int, bodies: dict[int, Any]
) -> tuple[list[Any], list[Any], list[Any], list[Any]] | None:
    """The rows of the next PULL_BATCH attempts after id `after` (None: no more): the
    attempts', their items', answers' and flags'; the questions as asked not read yet
    go into `bodies`."""
    rows = connection.execute(_ATTEMPTS, (watermark, list(ENDED), after, PULL_BATCH)).fetchall()
    if not rows:
        return None
    ids = [r[0] for r in rows]
    asked = connection.execute(_ITEMS, (ids,)).fetchall()
    unread = list({r[2] for r in asked if r[2] not in bodies})
    if unread:
        bodies.update(connection.execute(_ASKED, (unread,)).fetchall())
    answers = connection.execute(_ANSWERS, (ids,)).fetchall()
    flags = connection.execute(_FLAGS, (ids,)).fetchall()
    return rows, asked, answers, flags


def _export(
    pulled: Pulled, bodies: dict[int, dict[str, Any]], responses: _Responses
) -> dict[str, Any]:
    """One attempt in the shape of `quiz scores --format json` (AttemptDetail.
    to_export_dict), from its rows."""
    (
        _rowid, uuid, learner, course, course_version, mode, exam, status, started_at,
        finished_at, time_limit, correct, total, percent, passed, sections, seed,
        deadline_at, pass_mark, identified, verify_code,
    ) = pulled.row  # fmt: skip
    by_item: dict[int, list[dict[str, Any]]] = {}
    for _attempt, item, response, right, seconds, answered_at, _epoch in pulled.answers:
        by_item.setdefault(item, []).append(
            {
                "response": None if response is None else responses[response],
                "correct": right,
                "seconds": seconds,
                "answered_at": answered_at,
            }
        )
    exported_items = []
    for position, asked_id in enumerate(pulled.asked):
        body = bodies[asked_id]
        given = by_item.get(position, [])
        latest = given[-1] if given else None
        entry: dict[str, Any] = {
            "question_id": body["question_id"],
            "section": body["section"],
            "response": latest["response"] if latest else None,
            "correct": latest["correct"] if latest else False,
            "seconds": latest["seconds"] if latest else None,
            "answered_at": latest["answered_at"] if latest else None,
            "type": body["type"],
            "prompt": body["prompt"],
            "choices": body["choices"],
            "right_answer": body["right_answer"],
            "critical": body["critical"],
        }
        if len(given) > 1:
            entry["history"] = given[:-1]
        exported_items.append(entry)
    exported = {
        "id": uuid,
        "learner": learner,
        "course": course,
        "course_version": course_version,
        "mode": mode,
        "exam": exam,
        "status": status,
        "started_at": format_utc(started_at),
        "finished_at": format_utc(finished_at) if finished_at else None,
        "time_limit_seconds": time_limit,
        "correct": correct,
        "total": total,
        "percent": percent,
        "passed": passed,
        "answers": exported_items,
        "sections": list(sections),
        "seed": seed,
        "deadline_at": format_utc(deadline_at) if deadline_at else None,
        "pass_mark": pass_mark,
        "identified": identified,  # the terminal's: a copy keeps its own identification
        "verify_code": verify_code,
    }
    if pulled.flags:  # learners' flags, as an export carries them
        exported["flags"] = pulled.flags
    return exported


def _apply_tombstones(
    store: ScoreStore, tombstones: list[tuple[bytes, str]], applied: set[bytes]
) -> int:
    """Forget the mirror's learners a new tombstone names; how many."""
    from quiz.storage.learners import UnknownLearner

    new = {h: code for h, code in tombstones if h not in applied}
    if not new:
        return 0
    forgotten = 0
    for learner in store.list_learners():
        if not any(tombstone_hash(code, learner.key) == h for h, code in new.items()):
            continue
        try:
            plan = store.forget_plan(learner.name)
        except UnknownLearner:
            continue
        store.forget_learner(plan)
        forgotten += 1
    return forgotten
