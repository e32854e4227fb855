"""The drill's cards: one row per learner and question, kept as attempts end, and
rebuilt from the answer log when needed (the table is described in quiz.storage.schema).

What counts as a review, and the reviews read from the answer log, are
quiz.storage.card_reviews; this module keeps the rows from them.

Kept on write: `apply_attempt` runs in the transaction that ends an attempt (finish or
recovery: quiz.storage.live.end_attempt), after the report summaries. A review older
than its card's last one (an attempt finished late, on another computer, or closed
twice) makes that card again from the log instead, so the rows kept are always those a
replay gives. `replay` makes learners' rows again from the log (inside the caller's
transaction): after `learners rename` (a merge) and `learners forget`. A full rebuild
(after the migration that made the table, or a change of the scheduler settings) is
done in batches: the learners to do are listed in card_stale (`mark_stale`,
`mark_all_stale`) and `rebuild_stale_batch` does a few at a time, each batch its own
short transaction (ScoreStore.rebuild_cards loops), so other terminals keep saving
answers while it runs. An import marks the learners it touched with `mark_stale`.

fsrs is imported (through quiz.storage.scheduling) only inside the functions that
schedule. Reading the cards (what is due, leeches) is quiz.storage.card_queries.
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, NamedTuple

from quiz.storage.card_model import DEFAULT_SETTINGS, SchedulerSettings
from quiz.storage.card_reviews import (
    CHUNK,
    COUNTED,
    CountedAttempt,
    Review,
    Versions,
    counted_attempts,
    reviews_of,
)
from quiz.storage.codec import unpack_ints
from quiz.storage.summaries import COUNTED_STATUSES

if TYPE_CHECKING:  # fsrs is loaded only where cards are scheduled
    from quiz.storage.scheduling import Reviewer

BATCH_ITEMS = 25_000
"""A batch of a full rebuild takes learners until their counted attempts hold this many
questions (about half a second under the write lock); a learner is never split."""
CARDS_VERSION = 5
"""The schema version that made the card tables: a store of an older one (made by tests
with `db.connect(upto=...)`) has no cards to keep."""

CARD_COLUMNS = (
    "question, section, critical, content, state, step, stability, difficulty, due_at, "
    "last_review_at, reviews, lapses"
)
_INSERT = f"INSERT OR REPLACE INTO card (learner, {CARD_COLUMNS}) VALUES "
_MANY = 64
"""Rows a statement writes at most (64 x 13 values: under the 999 parameters of older
SQLite builds). See `_insert`."""
_INSERTS = {
    size: _INSERT + ", ".join(["(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"] * size)
    for size in (_MANY >> shift for shift in range(_MANY.bit_length()))
}


class CardRow(NamedTuple):
    """A row of the card table (described in quiz.storage.schema), without its learner."""

    question: int
    section: int
    critical: int
    content: int
    state: int  # fsrs.State
    step: int | None
    stability: float
    difficulty: float
    due_at: int  # ms
    last_review_at: int  # ms
    reviews: int
    lapses: int


def available(connection: sqlite3.Connection) -> bool:
    """Whether the store has the card tables (see CARDS_VERSION)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0]) >= CARDS_VERSION


# --- settings ---------------------------------------------------------------------------


_SETTINGS = """SELECT retention, critical_retention, learning_steps, relearning_steps,
    maximum_interval, leech_threshold, parameters FROM scheduler_settings WHERE id = 1"""


def read_settings(connection: sqlite3.Connection) -> SchedulerSettings:
    """The store's scheduler settings (the defaults if the row is missing)."""
    return _settings_of(connection.execute(_SETTINGS).fetchone())


def _settings_of(row: tuple[object, ...] | None) -> SchedulerSettings:
    if row is None:
        return DEFAULT_SETTINGS
    retention, critical, learning, relearning, maximum, threshold, parameters = row
    return SchedulerSettings(
        retention=float(retention),  # type: ignore[arg-type]
        critical_retention=float(critical),  # type: ignore[arg-type]
        learning_steps=tuple(int(s) for s in json.loads(str(learning))),
        relearning_steps=tuple(int(s) for s in json.loads(str(relearning))),
        maximum_interval=int(maximum),  # type: ignore[call-overload]
        leech_threshold=int(threshold),  # type: ignore[call-overload]
        parameters=tuple(float(p) for p in json.loads(str(parameters))),
    )


def write_settings(connection: sqlite3.Connection, settings: SchedulerSettings) -> bool:
    """Keep `settings` (inside the caller's transaction). When the cards depend on
    what changed, every learner is marked for a rebuild; returns whether they were."""
    before = read_settings(connection)
    connection.execute(
        """INSERT OR REPLACE INTO scheduler_settings (id, retention, critical_retention,
               learning_steps, relearning_steps, maximum_interval, leech_threshold, parameters)
           VALUES (1, ?, ?, ?, ?, ?, ?, ?)""",
        (
            settings.retention,
            settings.critical_retention,
            json.dumps(list(settings.learning_steps)),
            json.dumps(list(settings.relearning_steps)),
            settings.maximum_interval,
            settings.leech_threshold,
            json.dumps(list(settings.parameters)),
        ),
    )
    if before.schedule() == settings.schedule():
        return False
    mark_all_stale(connection)
    return True


_reviewers: dict[tuple[object, ...] | None, Reviewer] = {}


def reviewer(connection: sqlite3.Connection) -> Reviewer:
    """The Reviewer of the store's settings (imports fsrs); one per settings row seen."""
    from quiz.storage.scheduling import Reviewer

    row = connection.execute(_SETTINGS).fetchone()
    found = _reviewers.get(row)
    if found is None:
        found = _reviewers[row] = Reviewer(_settings_of(row))
    return found


# --- keeping the rows -------------------------------------------------------------------


def _read_cards(
    connection: sqlite3.Connection, learner: int, questions: Iterable[int]
) -> dict[int, CardRow]:
    wanted = sorted(set(questions))
    found: dict[int, CardRow] = {}
    for start in range(0, len(wanted), CHUNK):
        chunk = wanted[start : start + CHUNK]
        for row in connection.execute(
            f"""SELECT {CARD_COLUMNS} FROM card
                WHERE learner = ? AND question IN ({",".join("?" * len(chunk))})""",
            (learner, *chunk),
        ):
            card = CardRow(*row)
            found[card.question] = card
    return found


def _write(connection: sqlite3.Connection, learner: int, cards: Iterable[CardRow]) -> None:
    _insert(connection, [(learner, *card) for card in cards])


def _insert(connection: sqlite3.Connection, rows: Sequence[tuple[object, ...]]) -> None:
    """INSERT OR REPLACE card `rows` (learner and CARD_COLUMNS), several to a statement:
    each execution of such a statement costs SQLite a statement journal (a replace may
    delete a row, and a constraint may still abort it), so executemany, an execution a
    row, cost twice the instructions of statements of many rows (55 rows: 2.7 M against
    1.4 M). The rows go in chunks of _MANY and the rest in powers of two (55: 32, 16, 4,
    2 and 1), so a connection caches at most seven statement texts; in the order given
    (a later row of a card replaces an earlier one, as with executemany)."""
    done, size = 0, _MANY
    while done < len(rows):
        while size > len(rows) - done:
            size //= 2
        connection.execute(
            _INSERTS[size], [value for row in rows[done : done + size] for value in row]
        )
        done += size


def apply_attempt(
    connection: sqlite3.Connection,
    attempt_rowid: int,
    *,
    again: bool,
    versions: Versions | None = None,
    row: tuple[int, str, int, bytes, str] | None = None,
) -> None:
    """Review the cards of attempt `attempt_rowid`, which has just ended (inside the
    caller's transaction, after its status was written). `again`: the attempt had been
    closed before (by recovery), so its reviews may be in the cards already: its
    questions' cards are made again from the log instead. `row`: the attempt's learner,
    mode, started_at, items and (new) status, if the caller has read them."""
    if row is None:
        row = connection.execute(
            "SELECT learner, mode, started_at, items, status FROM attempt WHERE id = ?",
            (attempt_rowid,),
        ).fetchone()
        if row is None:
            return
    learner, mode, started_at, packed, status = row
    if status not in COUNTED_STATUSES and not again:
        return
    if versions is None or not versions.available:
        if not available(connection):
            return
        if versions is not None:
            versions.available = True  # a store is never downgraded
    attempt = CountedAttempt(
        attempt_rowid, learner, mode == "drill", started_at, unpack_ints(packed)
    )
    if again:
        known = Versions().load(connection, attempt.items)
        questions = {known[v].question for v in attempt.items if v in known}
        replay(connection, [learner], questions)
        return
    reviews = [r for _learner, r in reviews_of(connection, [attempt], versions or Versions())]
    if not reviews:
        return
    stored = _read_cards(connection, learner, (r.question for r in reviews))
    reviews.sort()  # in the order given: time, then attempt, then item
    changed, late = reviewer(connection).review_attempt(learner, reviews, stored)
    _write(connection, learner, changed)
    if late:
        replay(connection, [learner], late)


def replay(
    connection: sqlite3.Connection,
    learners: Sequence[int],
    questions: set[int] | None = None,
    versions: Versions | None = None,
) -> int:
    """Make the cards of `learners` (of `questions` only, if given) again from the
    answer log, inside the caller's transaction; returns the reviews replayed. A
    learner with no reviews is left with no cards (one forgotten, or merged away)."""
    if not learners:
        return 0
    versions = versions or Versions()
    attempts = counted_attempts(connection, learners)
    reviews = reviews_of(connection, attempts, versions)
    if questions is not None:
        reviews = [(lr, r) for lr, r in reviews if r.question in questions]
    cards: dict[tuple[int, int], CardRow] = {}
    if reviews:
        by_card: dict[tuple[int, int], list[Review]] = defaultdict(list)
        for learner, review in reviews:
            by_card[(learner, review.question)].append(review)
        run = reviewer(connection).run
        for key, given in by_card.items():
            given.sort()  # in the order given: time, then attempt, then item
            cards[key] = run(key[0], given)
    for start in range(0, len(learners), CHUNK):
        chunk = list(learners[start : start + CHUNK])
        marks = ",".join("?" * len(chunk))
        if questions is None:
            connection.execute(f"DELETE FROM card WHERE learner IN ({marks})", chunk)
        else:
            for question in sorted(questions):
                connection.execute(
                    f"DELETE FROM card WHERE question = ? AND learner IN ({marks})",
                    (question, *chunk),
                )
    _insert(connection, [(learner, *card) for (learner, _q), card in cards.items()])
    return len(reviews)


def drop_learner(connection: sqlite3.Connection, learner: int) -> None:
    """Delete a learner's cards (before the learner is deleted)."""
    connection.execute("DELETE FROM card WHERE learner = ?", (learner,))
    connection.execute("DELETE FROM card_stale WHERE learner = ?", (learner,))


# --- rebuilding in batches --------------------------------------------------------------


def mark_stale(connection: sqlite3.Connection, learners: Iterable[int]) -> None:
    """List learners whose cards are to be made again from the log (by
    `rebuild_stale_batch`, which ScoreStore.rebuild_cards runs): for `quiz import`,
    inside its transaction, with the learner ids of the attempts it added."""
    connection.executemany(
        "INSERT OR IGNORE INTO card_stale (learner) VALUES (?)", ((lr,) for lr in set(learners))
    )


def mark_all_stale(connection: sqlite3.Connection) -> None:
    connection.execute("INSERT OR IGNORE INTO card_stale (learner) SELECT id FROM learner")


def learners_keyed(connection: sqlite3.Connection, key: str) -> list[int]:
    """The learner ids of learner key `key` (quiz.domain.text.learner_key): one, or none."""
    return [
        int(row[0]) for row in connection.execute("SELECT id FROM learner WHERE key = ?", (key,))
    ]


def _stale_where(learners: Sequence[int] | None) -> tuple[str, list[int]]:
    if learners is None:
        return "", []
    return f" WHERE learner IN ({','.join('?' * len(learners))})", list(learners)


def stale_count(connection: sqlite3.Connection, learners: Sequence[int] | None = None) -> int:
    """Learners listed in card_stale (of `learners` only, if given)."""
    if learners is not None and not learners:
        return 0
    where, values = _stale_where(learners)
    return int(connection.execute(f"SELECT count(*) FROM card_stale{where}", values).fetchone()[0])


class Rebuild:
    """What the batches of one rebuild share: the question versions read (they never
    change) and each learner's number of questions in counted attempts, read once (it
    only sizes the batches: a learner's attempts are read again in their batch)."""

    def __init__(self) -> None:
        self.versions = Versions()
        self.sizes: dict[int, int] | None = None

    def size(self, connection: sqlite3.Connection, learner: int) -> int:
        if self.sizes is None:
            self.sizes = dict(
                connection.execute(
                    f"""SELECT learner, sum(total) FROM attempt WHERE status IN ({COUNTED})
                        GROUP BY learner"""
                ).fetchall()
            )
        return int(self.sizes.get(learner, 0))


def rebuild_stale_batch(
    connection: sqlite3.Connection,
    rebuild: Rebuild,
    items: int | None = None,
    learners: Sequence[int] | None = None,
) -> tuple[int, int]:
    """Make the cards of the next few learners listed in card_stale again (inside the
    caller's transaction; of `learners` only, if given), as many as hold about `items`
    questions in their counted attempts (BATCH_ITEMS by default; at least one learner).
    Returns (learners done, reviews replayed)."""
    budget = BATCH_ITEMS if items is None else items
    chosen: list[int] = []
    size = 0
    if learners is not None and not learners:
        return 0, 0
    where, values = _stale_where(learners)
    for (learner,) in connection.execute(
        f"SELECT learner FROM card_stale{where} ORDER BY learner", values
    ):
        more = rebuild.size(connection, learner)
        if chosen and size + more > budget:
            break
        chosen.append(int(learner))
        size += more
    if not chosen:
        return 0, 0
    reviews = replay(connection, chosen, versions=rebuild.versions)
    for start in range(0, len(chosen), CHUNK):
        chunk = chosen[start : start + CHUNK]
        connection.execute(
            f"DELETE FROM card_stale WHERE learner IN ({','.join('?' * len(chunk))})", chunk
        )
    return len(chosen), reviews


def rebuild_all(connection: sqlite3.Connection) -> int:
    """Every card again from the log, in one transaction (the caller's): for a store
    being made in bulk (benchmarks/gen_store.py) and for tests; a store in use is
    rebuilt in batches (ScoreStore.rebuild_cards). Returns the reviews replayed."""
    mark_all_stale(connection)
    rebuild = Rebuild()
    total = 0
    while True:
        done, reviews = rebuild_stale_batch(connection, rebuild)
        if not done:
            return total
        total += reviews
