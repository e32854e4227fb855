"""Learners kept tidy: list them, merge two spellings of one person, forget one who left.

Names match by `learner_key` (trimmed, NFC, case folded). Renaming and forgetting keep
the report summaries right, reading only the learners' own attempts (so a big store is
not held locked while `summaries.rebuild` reads every answer): a merge makes the
per-learner summaries of the learner kept again (`summaries.refresh_learner`; the
shared ones do not depend on who answered), forgetting takes the learner's attempts
out of the shared ones and drops their own (`summaries.forget_learner`). The drill's
cards of the learners concerned are made again from their answers (`cards.replay`):
a merge replays the two histories as one; forgetting deletes the learner's cards.

Every function here runs inside the caller's transaction (ScoreStore's `_writing`
or `_reading`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from quiz.domain.text import learner_key
from quiz.storage import cards, pins, summaries
from quiz.storage.codec import from_ms

_COUNTED = ",".join(f"'{s}'" for s in summaries.COUNTED_STATUSES)


class LearnerProblem(Exception):
    """A rename or forget that cannot be done as asked; `message` says why and what to do."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UnknownLearner(LearnerProblem):
    def __init__(self, name: str, close: tuple[str, ...]) -> None:
        if close:
            hint = "Close names: " + ", ".join(close) + "."
        else:
            hint = "'quiz learners' lists them."
        super().__init__(f"There is no learner called {name!r} in the score store. {hint}")
        self.name = name
        self.close = close


@dataclass(frozen=True)
class LearnerInfo:
    """A row of `quiz learners`."""

    name: str  # as last typed (or as renamed)
    key: str
    spellings: tuple[str, ...]  # every spelling typed for this learner
    attempts: int  # saved attempts, whatever their status
    exams: int
    counted: int  # completed or timed out, not drill rounds (what the reports count)
    in_progress: int
    last_activity: datetime | None  # the latest start, answer heartbeat or finish


@dataclass(frozen=True)
class RenameOutcome:
    old_name: str
    new_name: str
    merged: bool  # NEW was another learner: OLD's attempts now belong to NEW
    attempts: int  # attempts that now carry the new name


@dataclass(frozen=True)
class ForgetPlan:
    """What forgetting a learner deletes (shown before asking; returned after deleting)."""

    learner_id: int
    name: str
    key: str
    spellings: tuple[str, ...]
    attempts: int
    answers: int
    practice: int
    exams: int
    in_progress: int  # running now: forgetting waits until they end
    paused: int  # left unfinished: forgotten with the rest (they do not hold it up)
    first_at: datetime | None
    last_at: datetime | None


# --- reading ----------------------------------------------------------------------------


def list_learners(connection: sqlite3.Connection) -> list[LearnerInfo]:
    """Every learner, by name."""
    spellings: dict[int, list[str]] = {}
    for learner, name in connection.execute("SELECT learner, name FROM learner_name ORDER BY id"):
        spellings.setdefault(learner, []).append(name)
    rows = connection.execute(
        f"""SELECT l.id, l.key, l.name, count(a.id), coalesce(sum(a.mode = 'exam'), 0),
                   coalesce(sum(a.status IN ({_COUNTED}) AND a.mode != 'drill'), 0),
                   coalesce(sum(a.status = 'in_progress'), 0),
                   max(max(a.started_at, coalesce(a.finished_at, 0),
                           coalesce(a.heartbeat_at, 0)))
            FROM learner l LEFT JOIN attempt a ON a.learner = l.id
            GROUP BY l.id ORDER BY l.key, l.id"""
    ).fetchall()
    return [
        LearnerInfo(
            name=name,
            key=key,
            spellings=tuple(spellings.get(rowid, [])),
            attempts=attempts,
            exams=exams,
            counted=counted,
            in_progress=in_progress,
            last_activity=from_ms(last) if last is not None else None,
        )
        for rowid, key, name, attempts, exams, counted, in_progress, last in rows
    ]


def close_names(connection: sqlite3.Connection, name: str, limit: int = 5) -> tuple[str, ...]:
    """Learners whose name is like `name` (for "did you mean")."""
    known = {key: shown for key, shown in connection.execute("SELECT key, name FROM learner")}
    return closest(name, known, limit)


def closest(name: str, known: dict[str, str], limit: int = 5) -> tuple[str, ...]:
    """Of `known` (learner_key -> name), the names like `name`: containing it, contained
    in it, or close in spelling."""
    import difflib

    wanted = learner_key(name)
    found = [k for k in known if wanted and (wanted in k or k in wanted)]
    found += difflib.get_close_matches(wanted, list(known), n=limit, cutoff=0.6)
    return tuple(known[k] for k in dict.fromkeys(found))[:limit]


def _find(connection: sqlite3.Connection, name: str) -> tuple[int, str, str]:
    key = learner_key(name)
    row = connection.execute("SELECT id, key, name FROM learner WHERE key = ?", (key,)).fetchone()
    if row is None:
        raise UnknownLearner(name, close_names(connection, name))
    return int(row[0]), str(row[1]), str(row[2])


# --- rename -----------------------------------------------------------------------------


def rename_learner(connection: sqlite3.Connection, old: str, new: str) -> RenameOutcome:
    """Give OLD's attempts the name NEW. If NEW is another learner, merge OLD into NEW
    (OLD's attempts move to NEW, each keeping the spelling typed for it); otherwise
    OLD is renamed. Raises UnknownLearner, or LearnerProblem for an empty NEW."""
    new = new.strip()
    new_key = learner_key(new)
    if not new_key:
        raise LearnerProblem("The new name is empty: give the name to keep.")
    source, old_key, old_name = _find(connection, old)
    attempts = connection.execute(
        "SELECT count(*) FROM attempt WHERE learner = ?", (source,)
    ).fetchone()[0]
    row = connection.execute("SELECT id FROM learner WHERE key = ?", (new_key,)).fetchone()
    if row is None or row[0] == source:
        connection.execute(
            "UPDATE learner SET key = ?, name = ? WHERE id = ?", (new_key, new, source)
        )
        pins.learner_renamed(connection, old_key, new_key, source, source)
        return RenameOutcome(old_name, new, merged=False, attempts=attempts)
    target = int(row[0])
    connection.execute("UPDATE attempt SET learner = ? WHERE learner = ?", (target, source))
    pins.learner_renamed(connection, old_key, new_key, source, target)
    summaries.drop_learner(connection, source)
    summaries.refresh_learner(connection, target)
    cards.drop_learner(connection, source)
    cards.replay(connection, [target])
    for spelling, name in connection.execute(
        "SELECT id, name FROM learner_name WHERE learner = ?", (source,)
    ).fetchall():
        same = connection.execute(
            "SELECT id FROM learner_name WHERE learner = ? AND name = ?", (target, name)
        ).fetchone()
        if same is None:
            connection.execute(
                "UPDATE learner_name SET learner = ? WHERE id = ?", (target, spelling)
            )
        else:
            connection.execute(
                "UPDATE attempt SET learner_name = ? WHERE learner_name = ?", (same[0], spelling)
            )
            connection.execute("DELETE FROM learner_name WHERE id = ?", (spelling,))
    connection.execute("DELETE FROM learner WHERE id = ?", (source,))
    connection.execute("UPDATE learner SET name = ? WHERE id = ?", (new, target))
    total = connection.execute(
        "SELECT count(*) FROM attempt WHERE learner = ?", (target,)
    ).fetchone()[0]
    return RenameOutcome(old_name, new, merged=True, attempts=total)


# --- forget -----------------------------------------------------------------------------


def forget_plan(connection: sqlite3.Connection, name: str) -> ForgetPlan:
    """What `forget_learner` would delete. Raises UnknownLearner."""
    learner, key, shown = _find(connection, name)
    return _plan(connection, learner, key, shown)


def _plan(connection: sqlite3.Connection, learner: int, key: str, name: str) -> ForgetPlan:
    attempts, practice, exams, in_progress, paused, first, last = connection.execute(
        """SELECT count(*), coalesce(sum(mode = 'practice'), 0), coalesce(sum(mode = 'exam'), 0),
                  coalesce(sum(status = 'in_progress'), 0), coalesce(sum(status = 'paused'), 0),
                  min(started_at),
                  max(max(started_at, coalesce(finished_at, 0)))
           FROM attempt WHERE learner = ?""",
        (learner,),
    ).fetchone()
    answers = connection.execute(
        """SELECT count(*) FROM answer
           WHERE attempt IN (SELECT id FROM attempt WHERE learner = ?)""",
        (learner,),
    ).fetchone()[0]
    spellings = tuple(
        n
        for (n,) in connection.execute(
            "SELECT name FROM learner_name WHERE learner = ? ORDER BY id", (learner,)
        )
    )
    return ForgetPlan(
        learner_id=learner,
        name=name,
        key=key,
        spellings=spellings,
        attempts=attempts,
        answers=answers,
        practice=practice,
        exams=exams,
        in_progress=in_progress,
        paused=paused,
        first_at=from_ms(first) if first is not None else None,
        last_at=from_ms(last) if last is not None else None,
    )


def forget_learner(connection: sqlite3.Connection, plan: ForgetPlan) -> ForgetPlan:
    """Delete the learner of `plan`, every attempt and answer of theirs, and their share
    of the summaries. Refuses (LearnerProblem) if an attempt of theirs is in progress
    (running now: a paused one is deleted with the rest), or if the learner changed
    since the plan was shown."""
    row = connection.execute(
        "SELECT key, name FROM learner WHERE id = ?", (plan.learner_id,)
    ).fetchone()
    if row is None or row[0] != plan.key:
        raise LearnerProblem(f"{plan.name!r} was renamed or forgotten meanwhile; nothing deleted.")
    current = _plan(connection, plan.learner_id, plan.key, row[1])
    if current.in_progress:
        raise LearnerProblem(
            f"{plan.name} has an attempt in progress (in another window or on another "
            "computer). Nothing was deleted: run this again once it has ended."
        )
    if (current.attempts, current.answers) != (plan.attempts, plan.answers):
        raise LearnerProblem(
            f"{plan.name} saved more answers meanwhile; nothing was deleted. "
            "Run the command again to see what would go."
        )
    summaries.forget_learner(connection, plan.learner_id)
    cards.drop_learner(connection, plan.learner_id)
    # Their flags on questions (quiz.storage.flags) go with their attempts: said here,
    # though the attempt's ON DELETE CASCADE would take them too.
    connection.execute(
        "DELETE FROM flag WHERE attempt IN (SELECT id FROM attempt WHERE learner = ?)",
        (plan.learner_id,),
    )
    connection.execute(
        "DELETE FROM answer WHERE attempt IN (SELECT id FROM attempt WHERE learner = ?)",
        (plan.learner_id,),
    )
    connection.execute("DELETE FROM attempt WHERE learner = ?", (plan.learner_id,))
    connection.execute("DELETE FROM learner_name WHERE learner = ?", (plan.learner_id,))
    pins.learner_pins_forgotten(connection, plan.learner_id, plan.key)
    connection.execute("DELETE FROM learner WHERE id = ?", (plan.learner_id,))
    return current


@contextmanager
def pages_overwritten(connection: sqlite3.Connection) -> Iterator[None]:
    """What is deleted inside is overwritten (secure_delete), and afterwards the
    write-ahead log is emptied into the file, so forgotten answers leave no copy."""
    previous = connection.execute("PRAGMA secure_delete").fetchone()[0]
    connection.execute("PRAGMA secure_delete = ON")
    try:
        yield
        try:  # copy the overwritten pages into the file and empty the log
            connection.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()
        except sqlite3.Error:
            pass  # another program is reading; the log is emptied later
    finally:
        try:
            connection.execute(f"PRAGMA secure_delete = {int(previous)}")
        except sqlite3.Error:
            pass


def clinics_of(connection: sqlite3.Connection, learner_id: int) -> list[str]:
    """The clinics recorded on a learner's attempts (their tombstones' clinics)."""
    return [
        str(row[0])
        for row in connection.execute(
            "SELECT DISTINCT clinic FROM attempt WHERE learner = ? AND clinic IS NOT NULL",
            (learner_id,),
        )
    ]
