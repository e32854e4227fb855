"""What a pull reads from the central store (quiz.storage.central.pull has the mirror it
goes into, and how pulls stay incremental).

In one REPEATABLE READ, read-only snapshot: its xmin (the next pull's watermark), the
tombstones the role may read, and the ended attempts changed since the watermark, a
batch of rows at a time (the next batch read in a thread while this one is checked).
Each attempt is put in the shape of `quiz scores --format json` straight from its rows
and checked by the import's own reader (quiz.storage.central.fill), ready for
ScoreStore.import_attempts.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from quiz.storage.central.errors import CentralError
from quiz.storage.codec import format_utc, from_ms

if TYPE_CHECKING:
    import psycopg

    from quiz.storage.central.fill import Pulled
    from quiz.storage.exchange import ExportedAttempts

PULL_BATCH = 2000
"""Attempts read per query (their questions and answers are one query each)."""
ENDED = ("completed", "timed_out", "abandoned")


def read_server(
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
            exported = _checked(changed_attempts(connection, watermark, placed, bodies), bodies)
    finally:
        connection.isolation_level, connection.read_only = before
    return len(exported), new_watermark, tombstones, exported


def _checked(pulled: Iterator[Pulled], bodies: dict[int, dict[str, Any]]) -> ExportedAttempts:
    """The attempts checked and ready to add: made from their rows, the import's
    reader checking each question as asked once (quiz.storage.central.fill)."""
    from quiz.storage import exchange
    from quiz.storage.central import fill

    responses = Responses()
    filler = fill.Filler(lambda one: attempt_export(one, bodies, responses))
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
       floor(extract(epoch FROM w.answered_at))::bigint
  FROM quiz.answer w
 WHERE w.attempt = ANY (%s) ORDER BY w.attempt, w.item, w.rev
"""
"""Answers, their times as whole seconds since the epoch (fill.Given): made into datetimes
(or formatted in Python) for 2M answers, they were a tenth of a first pull; only an
attempt that goes the reader's way has its times written out (`attempt_export`).
Responses come as JSON text, parsed only where an export is made (`Responses`: each text
once; most are alike)."""
_RESPONSES_KEPT = 100_000
"""Parsed responses kept per pull, at most."""


class Responses(dict[str, Any]):
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


def changed_attempts(
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


def attempt_export(
    pulled: Pulled, bodies: dict[int, dict[str, Any]], responses: Responses
) -> dict[str, Any]:
    """One attempt in the shape of `quiz scores --format json` (AttemptDetail.
    to_export_dict), from its rows."""
    (
        _rowid, uuid, learner, course, course_version, mode, exam, status, started_at,
        finished_at, time_limit, correct, total, percent, passed, sections, seed,
        deadline_at, pass_mark, identified, verify_code,
    ) = pulled.row  # fmt: skip
    by_item: dict[int, list[dict[str, Any]]] = {}
    for _attempt, item, response, right, seconds, answered_s in pulled.answers:
        by_item.setdefault(item, []).append(
            {
                "response": None if response is None else responses[response],
                "correct": right,
                "seconds": seconds,
                "answered_at": format_utc(from_ms(answered_s * 1000)),
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
