"""The report summaries: small tables that hold what the report needs, kept as attempts end.

Reports read these instead of every answer (grouping two million answers takes SQLite
seconds). They are derived data, over the counted attempts (COUNTED_STATUSES); the
tables are described in `quiz.storage.schema`. Drill rounds are left out (they pick weak
questions on purpose: they would skew the question statistics and the staff figures;
the report shows them on their own lines). Two kinds:

- Shared sums, whoever the learner: `question_stats`, `version_stats`, `choice_stats`
  (the first and the last by question and content version, codec.content_key, so a
  corrected question's figures start again). Pure sums: adding an attempt adds, taking
  one away subtracts (`Totals.write_shared`).
- Per learner: `learner_stats`, `learner_latest`, `learner_section_stats` (sums, and the
  best result in a section), `learner_section_latest` (the latest result in a section).
  A best or a latest can grow but not shrink by sums, so an attempt is added with
  `Totals.write_learners`, and anything else (an attempt taken away, a merge) makes
  the learner's rows again from their attempts: `refresh_learner`, which reads only
  that learner's attempts.

The figures themselves, summed attempt by attempt and written to the tables, are
`Totals` (quiz.storage.summary_totals). `apply_attempt` adds (or, with sign -1, takes
away) one attempt inside the caller's transaction; `add_attempts` adds attempts just
written from the rows their writer holds (quiz.storage.importing: nothing is read
back); `forget_learner` and
`refresh_learner` serve quiz.storage.learners;
`rebuild` makes every table again from the attempts and answers; `compute` gives the
same figures for the attempts started in a period, straight from the answers (for the
part of a month a report's period starts in).

Which attempt is the latest: the one started last, and of two started in the same
millisecond the one saved last (the higher id): the order reports list attempts in.
Which result is the best: the highest percent right, and of equal percents the one of
more questions; so every order of adding attempts gives the same rows.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator

from quiz.storage.codec import content_key, unpack_ints
from quiz.storage.summary_totals import (
    AnswerRow,
    CountedAttempt,
    QuestionSums,
    Totals,
    Version,
)

__all__ = [
    "COUNTED_STATUSES",
    "LEARNER_TABLES",
    "SHARED_TABLES",
    "TABLES_VERSION",
    "AnswerRow",
    "CountedAttempt",
    "QuestionSums",
    "Totals",
    "Version",
    "add_attempts",
    "apply_attempt",
    "compute",
    "counts",
    "drop_learner",
    "forget_learner",
    "kept",
    "read_versions",
    "rebuild",
    "refresh_learner",
]

COUNTED_STATUSES = ("completed", "timed_out")
"""The statuses of the attempts the reports and the drill's cards count: ended ones, not
in progress, paused (until they end) or abandoned."""
_STATUSES = ",".join(f"'{s}'" for s in COUNTED_STATUSES)


TABLES_VERSION = 10
"""The schema version that made the summary tables as they are now (10: question_stats
and choice_stats by content version). A store of an older one is made only by tests
(`db.connect(upto=...)`): its summaries are not kept (they are rebuilt when it is
upgraded), as its cards are not (cards.CARDS_VERSION)."""


def kept(connection: sqlite3.Connection) -> bool:
    """Whether the store's summary tables are those of now (see TABLES_VERSION)."""
    return int(connection.execute("PRAGMA user_version").fetchone()[0]) >= TABLES_VERSION


def counts(status: str, mode: str) -> bool:
    """Whether an attempt of this status and mode is in the summaries (what `_attempts`
    selects in SQL, for a writer that holds the attempt: `add_attempts`)."""
    return status in COUNTED_STATUSES and mode != "drill"


SPARSE = 4
"""compute reads answers attempt by attempt when the attempts it sums are fewer than
1/SPARSE of the id range they span (one learner's), else in one range scan."""

# --- reading attempts -------------------------------------------------------------------

_ATTEMPT_COLUMNS = """t.id, t.learner, v.course, t.mode = 'exam', t.started_at, t.pass_mark,
    t.items FROM attempt t JOIN course_version v ON v.id = t.course_version"""

# The answer that counts is the highest rev: rows come in (attempt, item, rev) order and
# later ones replace earlier ones. The mask is read only where a pick can be counted.
_ANSWER_COLUMNS = """attempt, item, response IS NOT NULL, correct, ms,
    CASE WHEN correct = 0 AND typeof(response) = 'integer' THEN response END"""


def _attempts(
    connection: sqlite3.Connection, where: str, parameters: Iterable[object]
) -> dict[int, CountedAttempt]:
    return {
        row[0]: CountedAttempt(row[0], row[1], row[2], row[3], row[4], row[5], unpack_ints(row[6]))
        for row in connection.execute(
            f"""SELECT {_ATTEMPT_COLUMNS} WHERE t.status IN ({_STATUSES}) AND t.mode != 'drill'
                AND {where} ORDER BY t.id""",
            tuple(parameters),
        )
    }


def read_versions(
    connection: sqlite3.Connection, ids: Iterable[int] | None = None
) -> dict[int, Version]:
    """asked_question rows by id: all of them, or those of `ids`."""
    sql = "SELECT id, question, section, type, choices, answer FROM asked_question"
    if ids is None:
        return {row[0]: _version(*row[1:]) for row in connection.execute(sql)}
    wanted = sorted(set(ids))
    found: dict[int, Version] = {}
    for start in range(0, len(wanted), 500):  # well below SQLite's limit on parameters
        chunk = wanted[start : start + 500]
        for row in connection.execute(f"{sql} WHERE id IN ({','.join('?' * len(chunk))})", chunk):
            found[row[0]] = _version(*row[1:])
    return found


def _version(question: int, section: int, kind: str, choices: str, answer: str) -> Version:
    return Version(question, section, kind, choices, answer, content_key(kind, choices, answer))


def _answer_rows(
    connection: sqlite3.Connection, attempts: dict[int, CountedAttempt]
) -> Iterator[AnswerRow]:
    """The answers of these attempts, in (attempt, item, rev) order."""
    if not attempts:
        return
    lowest, highest = min(attempts), max(attempts)
    if len(attempts) * SPARSE < highest - lowest:
        for rowid in sorted(attempts):
            yield from connection.execute(
                f"SELECT {_ANSWER_COLUMNS} FROM answer WHERE attempt = ? ORDER BY item, rev",
                (rowid,),
            )
        return
    yield from connection.execute(
        f"""SELECT {_ANSWER_COLUMNS} FROM answer WHERE attempt BETWEEN ? AND ?
            ORDER BY attempt, item, rev""",
        (lowest, highest),
    )


def _total(
    connection: sqlite3.Connection,
    attempts: dict[int, CountedAttempt],
    known: dict[int, Version],
) -> Totals:
    totals = Totals()
    pending = dict(attempts)
    current: int | None = None
    latest: dict[int, AnswerRow] = {}
    for row in _answer_rows(connection, attempts):
        if row[0] != current:
            if current in pending:
                totals.add(pending.pop(current), latest, known)
            current = row[0]
            latest = {}
        latest[row[1]] = row  # rows come by rev: the last one counts
    if current in pending:
        totals.add(pending.pop(current), latest, known)
    for attempt_without_answers in pending.values():
        totals.add(attempt_without_answers, {}, known)
    return totals


def compute(
    connection: sqlite3.Connection,
    *,
    since_ms: int | None = None,
    until_ms: int | None = None,
    learner: int | None = None,
    skip: int | None = None,
) -> Totals:
    """The summary figures of the counted attempts started in [since_ms, until_ms), of
    one learner if `learner` is given, leaving out the attempt `skip`."""
    where = ["1"]
    parameters: list[int] = []
    for condition, value in (
        ("t.started_at >= ?", since_ms),
        ("t.started_at < ?", until_ms),
        ("t.learner = ?", learner),
        ("t.id != ?", skip),
    ):
        if value is not None:
            where.append(condition)
            parameters.append(value)
    attempts = _attempts(connection, " AND ".join(where), parameters)
    if not attempts:
        return Totals()
    if len(attempts) * SPARSE < max(attempts) - min(attempts):
        known = read_versions(connection, (v for a in attempts.values() for v in a.items))
    else:
        known = read_versions(connection)
    return _total(connection, attempts, known)


# --- keeping the tables -----------------------------------------------------------------

LEARNER_TABLES = (
    "learner_stats",
    "learner_latest",
    "learner_section_stats",
    "learner_section_latest",
)
SHARED_TABLES = ("question_stats", "version_stats", "choice_stats")


def apply_attempt(connection: sqlite3.Connection, attempt_rowid: int, sign: int = 1) -> None:
    """Add one attempt to the summaries (sign -1: take it away), if its status counts."""
    if not kept(connection):
        return
    attempts = _attempts(connection, "t.id = ?", (attempt_rowid,))
    attempt = attempts.get(attempt_rowid)
    if attempt is None:
        return
    totals = _total(connection, attempts, read_versions(connection, attempt.items))
    if sign > 0:
        totals.write_shared(connection, 1)
        totals.write_learners(connection)
    else:
        totals.write_shared(connection, -1)
        refresh_learner(connection, attempt.learner, skip=attempt_rowid)


def add_attempts(
    connection: sqlite3.Connection,
    attempts: Iterable[tuple[CountedAttempt, dict[int, AnswerRow]]],
    versions: dict[int, Version],
) -> None:
    """Add counted attempts (`counts`) just written inside the caller's transaction to
    the summaries, from what their writer holds: each with its answers that count (the
    last one to each item) by item, as `_answer_rows` would read them, and `versions`
    holding the asked_question rows they ask (`read_versions`). The same as
    `apply_attempt` of each, one after another (sums add up; bests and latests are kept
    if better), without reading them back (quiz.storage.importing)."""
    if not kept(connection):
        return
    totals = Totals()
    for attempt, latest in attempts:
        totals.add(attempt, latest, versions)
    totals.write_shared(connection, 1)
    totals.write_learners(connection)


def drop_learner(connection: sqlite3.Connection, learner: int) -> None:
    """Delete a learner's rows of the per-learner tables."""
    for table in LEARNER_TABLES:
        connection.execute(f"DELETE FROM {table} WHERE learner = ?", (learner,))


def refresh_learner(connection: sqlite3.Connection, learner: int, skip: int | None = None) -> None:
    """Make a learner's rows of the per-learner tables again from their counted attempts
    (all but `skip`): after one was taken away, or attempts moved to them."""
    if not kept(connection):
        return
    drop_learner(connection, learner)
    compute(connection, learner=learner, skip=skip).write_learners(connection)


def forget_learner(connection: sqlite3.Connection, learner: int) -> None:
    """Take a learner's counted attempts out of every summary (before deleting them)."""
    if not kept(connection):
        return
    compute(connection, learner=learner).write_shared(connection, -1)
    drop_learner(connection, learner)


def rebuild(connection: sqlite3.Connection) -> None:
    """Make every summary table again from every attempt (inside the caller's transaction)."""
    for table in (*SHARED_TABLES, *LEARNER_TABLES):
        connection.execute(f"DELETE FROM {table}")
    totals = compute(connection)
    totals.write_shared(connection, 1)
    totals.write_learners(connection)
