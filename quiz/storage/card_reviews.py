"""What counts as a review of a drill's card, read from the answer log.

The issue's rules, in one place (`reviews_of`):
- attempts that ended 'completed' or 'timed_out' (COUNTED_STATUSES), practice, exam
  and drill alike; abandoned ones, paused ones and those in progress do not count (a
  paused attempt's answers count once it is resumed and ends);
- in a practice round or an exam, the answer that counts: the last revision of each
  item, at its own time; an item whose last revision is no answer (an exam answer
  taken back) or that was never answered is no review;
- in a drill round, the first answer to each item only (rev 0): a miss that comes
  back later in the same round is practice, not a review.
Reviews are replayed in the order they were given (time, then attempt, then item). A
review made under another right answer than the card's (another content key: see
`codec.content_key`) starts the card again; a reworded prompt keeps it.

quiz.storage.cards keeps the card rows from these reviews (as attempts end, and again
from the log when needed); quiz.storage.scheduling runs FSRS over them.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from typing import NamedTuple

from quiz.storage.codec import content_key, unpack_ints
from quiz.storage.summaries import COUNTED_STATUSES

COUNTED = ",".join(f"'{s}'" for s in COUNTED_STATUSES)
"""COUNTED_STATUSES as an SQL list, for `status IN (...)`."""
CHUNK = 500  # ids per IN (...): well below SQLite's limit on parameters


class Review(NamedTuple):
    """One answer that counts as a review (the module's rules say which)."""

    at_ms: int  # when it was given
    attempt: int  # attempt row id
    item: int  # its position in the attempt
    right: bool
    ms: int  # time spent on the question
    question: int  # question row id
    section: int  # section row id of the version asked
    critical: bool  # of the version asked
    content: int  # content key of the version asked (codec.content_key)


# --- question versions ------------------------------------------------------------------


class Version(NamedTuple):
    question: int
    section: int
    critical: bool
    content: int


class Versions:
    """What a store remembers between the attempts it ends: asked_question rows as the
    cards need them, read once (the rows never change and are never deleted)."""

    def __init__(self) -> None:
        self._known: dict[int, Version] = {}
        self.available = False  # the store has the card tables (known once seen)

    def load(self, connection: sqlite3.Connection, ids: Iterable[int]) -> dict[int, Version]:
        wanted = sorted(set(ids) - self._known.keys())
        for start in range(0, len(wanted), CHUNK):
            chunk = wanted[start : start + CHUNK]
            for rowid, question, section, kind, critical, choices, answer in connection.execute(
                f"""SELECT id, question, section, type, critical, choices, answer
                    FROM asked_question WHERE id IN ({",".join("?" * len(chunk))})""",
                chunk,
            ):
                self._known[rowid] = Version(
                    question, section, bool(critical), content_key(kind, choices, answer)
                )
        return self._known


# --- reviews from the log ---------------------------------------------------------------


class CountedAttempt(NamedTuple):
    """An attempt whose answers may be reviews: its row, learner, mode and items."""

    rowid: int
    learner: int
    drill: bool
    started_at: int
    items: list[int]


_ANSWERS = "attempt, item, rev, correct, ms, at_ds, response IS NOT NULL"
_Chosen = tuple[int, int, int, int]  # correct, ms, at_ds, given


def reviews_of(
    connection: sqlite3.Connection, attempts: Sequence[CountedAttempt], versions: Versions
) -> list[tuple[int, Review]]:
    """(learner, review) for every review of `attempts` (counted ones), by the rules of
    this module: the answer that counts of each item (its last revision), or in a
    drill its first answer (rev 0); an item whose chosen revision is no answer is no
    review. One tight loop: a full rebuild reads two million answers through it."""
    known = versions.load(connection, (v for a in attempts for v in a.items))
    by_id = {a.rowid: a for a in attempts}
    found: list[tuple[int, Review]] = []
    append = found.append

    def add(attempt: CountedAttempt, chosen: dict[int, _Chosen]) -> None:
        items, started, rowid, learner = (
            attempt.items,
            attempt.started_at,
            attempt.rowid,
            attempt.learner,
        )
        for item, (correct, ms, at_ds, given) in chosen.items():
            if not given or not 0 <= item < len(items):
                continue
            version = known.get(items[item])
            if version is None:
                continue
            append(
                (
                    learner,
                    Review(
                        started + at_ds * 100,
                        rowid,
                        item,
                        bool(correct),
                        ms,
                        version.question,
                        version.section,
                        version.critical,
                        version.content,
                    ),
                )
            )

    ids = sorted(by_id)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        current: CountedAttempt | None = None
        chosen: dict[int, _Chosen] = {}
        drill = False
        for attempt, item, rev, correct, ms, at_ds, given in connection.execute(
            f"""SELECT {_ANSWERS} FROM answer
                WHERE attempt IN ({",".join("?" * len(chunk))}) ORDER BY attempt, item, rev""",
            chunk,
        ):
            if current is None or attempt != current.rowid:
                if current is not None:
                    add(current, chosen)
                current, chosen = by_id[attempt], {}
                drill = current.drill
            if not drill or rev == 0:
                chosen[item] = (correct, ms, at_ds, given)  # a later revision replaces it
        if current is not None:
            add(current, chosen)
    return found


def counted_attempts(
    connection: sqlite3.Connection, learners: Sequence[int]
) -> list[CountedAttempt]:
    """The counted attempts (COUNTED_STATUSES) of `learners`."""
    found: list[CountedAttempt] = []
    for start in range(0, len(learners), CHUNK):
        chunk = list(learners[start : start + CHUNK])
        found += [
            CountedAttempt(rowid, learner, mode == "drill", started_at, unpack_ints(items))
            for rowid, learner, mode, started_at, items in connection.execute(
                f"""SELECT id, learner, mode, started_at, items FROM attempt
                    WHERE status IN ({COUNTED})
                      AND learner IN ({",".join("?" * len(chunk))})""",
                chunk,
            )
        ]
    return found
