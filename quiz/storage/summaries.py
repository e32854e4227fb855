"""The report summaries: per question, and per learner and section, by month and mode.

Reports read these small tables instead of every answer (grouping two million
answers takes SQLite seconds). They are derived data: `apply_attempt` adds (or, with
sign -1, takes away) one attempt inside the caller's transaction; `rebuild`
recomputes both tables from the attempts and answers; `compute` gives the same sums
for the attempts started in a period, straight from the answers (for the part of a
month a report's period starts in).
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from dataclasses import dataclass

from quiz.storage.codec import local_month_number, unpack_ints

COUNTED_STATUSES = ("completed", "timed_out")

QuestionKey = tuple[int, int, int]  # question id, month, exam (0/1)
SectionKey = tuple[int, int, int, int]  # learner id, section id, month, exam (0/1)


@dataclass
class QuestionSums:
    asked: int = 0
    answered: int = 0
    right: int = 0
    ms: int = 0
    r_n: int = 0
    r_x: int = 0
    r_sum: float = 0.0
    r_sq: float = 0.0
    r_xr: float = 0.0


@dataclass
class SectionSums:
    attempts: int = 0
    asked: int = 0
    answered: int = 0
    right: int = 0
    ms: int = 0


@dataclass(frozen=True)
class _Latest:
    answered: bool
    right: bool
    ms: int


@dataclass(frozen=True)
class _Attempt:
    learner: int
    exam: int
    started_at: int
    items: list[int]  # asked_question ids


class Totals:
    """Sums by summary key, as the two tables hold them."""

    def __init__(self) -> None:
        self.questions: defaultdict[QuestionKey, QuestionSums] = defaultdict(QuestionSums)
        self.sections: defaultdict[SectionKey, SectionSums] = defaultdict(SectionSums)

    def add(
        self,
        attempt: _Attempt,
        latest: dict[int, _Latest],
        asked_info: dict[int, tuple[int, int]],
    ) -> None:
        """One attempt. `latest` holds the answers that count by item (position);
        `asked_info` maps asked_question id -> (question id, section id)."""
        month = local_month_number(attempt.started_at)
        exam = attempt.exam
        total = len(attempt.items)
        right_total = sum(1 for a in latest.values() if a.right)
        seen_sections: set[int] = set()
        for item, asked in enumerate(attempt.items):
            question, section = asked_info[asked]
            answer = latest.get(item)
            answered = answer is not None and answer.answered
            right = answer is not None and answer.right
            ms = answer.ms if answer is not None else 0
            sums = self.questions[(question, month, exam)]
            sums.asked += 1
            sums.answered += answered
            sums.right += right
            sums.ms += ms
            if total > 1:
                rest = (right_total - right) / (total - 1)
                sums.r_n += 1
                sums.r_x += right
                sums.r_sum += rest
                sums.r_sq += rest * rest
                sums.r_xr += right * rest
            section_sums = self.sections[(attempt.learner, section, month, exam)]
            if section not in seen_sections:
                seen_sections.add(section)
                section_sums.attempts += 1
            section_sums.asked += 1
            section_sums.answered += answered
            section_sums.right += right
            section_sums.ms += ms

    def write(self, connection: sqlite3.Connection, sign: int) -> None:
        connection.executemany(
            """INSERT INTO question_stats (question, month, exam, asked, answered, right, ms,
                   r_n, r_x, r_sum, r_sq, r_xr)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (question, month, exam) DO UPDATE SET
                   asked = asked + excluded.asked, answered = answered + excluded.answered,
                   right = right + excluded.right, ms = ms + excluded.ms,
                   r_n = r_n + excluded.r_n, r_x = r_x + excluded.r_x,
                   r_sum = r_sum + excluded.r_sum, r_sq = r_sq + excluded.r_sq,
                   r_xr = r_xr + excluded.r_xr""",
            (
                (
                    *key,
                    sign * s.asked,
                    sign * s.answered,
                    sign * s.right,
                    sign * s.ms,
                    sign * s.r_n,
                    sign * s.r_x,
                    sign * s.r_sum,
                    sign * s.r_sq,
                    sign * s.r_xr,
                )
                for key, s in self.questions.items()
            ),
        )
        connection.executemany(
            """INSERT INTO learner_section_stats (learner, section, month, exam, attempts, asked,
                   answered, right, ms)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (learner, section, month, exam) DO UPDATE SET
                   attempts = attempts + excluded.attempts, asked = asked + excluded.asked,
                   answered = answered + excluded.answered, right = right + excluded.right,
                   ms = ms + excluded.ms""",
            (
                (
                    *key,
                    sign * s.attempts,
                    sign * s.asked,
                    sign * s.answered,
                    sign * s.right,
                    sign * s.ms,
                )
                for key, s in self.sections.items()
            ),
        )
        if sign < 0:
            connection.execute("DELETE FROM question_stats WHERE asked <= 0")
            connection.execute("DELETE FROM learner_section_stats WHERE attempts <= 0")


def _asked_info(connection: sqlite3.Connection) -> dict[int, tuple[int, int]]:
    return {
        asked: (question, section)
        for asked, question, section in connection.execute(
            "SELECT id, question, section FROM asked_question"
        )
    }


_STATUSES = ",".join(f"'{s}'" for s in COUNTED_STATUSES)


def apply_attempt(connection: sqlite3.Connection, attempt_rowid: int, sign: int = 1) -> None:
    """Add one attempt to the summaries (sign -1: take it away), if its status counts."""
    row = connection.execute(
        f"""SELECT learner, mode = 'exam', started_at, items FROM attempt
            WHERE id = ? AND status IN ({_STATUSES})""",
        (attempt_rowid,),
    ).fetchone()
    if row is None:
        return
    attempt = _Attempt(row[0], row[1], row[2], unpack_ints(row[3]))
    latest = {
        item: _Latest(not missing, bool(correct), ms)
        for item, missing, correct, ms in connection.execute(
            """SELECT item, response IS NULL, correct, ms FROM answer
               WHERE attempt = ? ORDER BY item, rev""",
            (attempt_rowid,),
        )
    }
    marks = ",".join("?" * len(set(attempt.items)))
    asked_info = {
        asked: (question, section)
        for asked, question, section in connection.execute(
            f"SELECT id, question, section FROM asked_question WHERE id IN ({marks})",
            sorted(set(attempt.items)),
        )
    }
    totals = Totals()
    totals.add(attempt, latest, asked_info)
    totals.write(connection, sign)


def compute(
    connection: sqlite3.Connection,
    *,
    since_ms: int | None = None,
    until_ms: int | None = None,
) -> Totals:
    """The summary sums for the counted attempts started in [since_ms, until_ms)."""
    where = f"status IN ({_STATUSES})"
    parameters: list[int] = []
    if since_ms is not None:
        where += " AND started_at >= ?"
        parameters.append(since_ms)
    if until_ms is not None:
        where += " AND started_at < ?"
        parameters.append(until_ms)
    attempts = {
        rowid: _Attempt(learner, exam, started_at, unpack_ints(items))
        for rowid, learner, exam, started_at, items in connection.execute(
            f"""SELECT id, learner, mode = 'exam', started_at, items FROM attempt
                WHERE {where} ORDER BY id""",
            parameters,
        )
    }
    asked_info = _asked_info(connection)
    totals = Totals()
    if not attempts:
        return totals
    lowest, highest = min(attempts), max(attempts)
    current: int | None = None
    latest: dict[int, _Latest] = {}
    for attempt, item, missing, correct, ms in connection.execute(
        """SELECT attempt, item, response IS NULL, correct, ms FROM answer
           WHERE attempt BETWEEN ? AND ? ORDER BY attempt, item, rev""",
        (lowest, highest),
    ):
        if attempt != current:
            if current in attempts:
                totals.add(attempts.pop(current), latest, asked_info)
            current = attempt
            latest = {}
        latest[item] = _Latest(not missing, bool(correct), ms)
    if current in attempts:
        totals.add(attempts.pop(current), latest, asked_info)
    for attempt_without_answers in attempts.values():
        totals.add(attempt_without_answers, {}, asked_info)
    return totals


def rebuild(connection: sqlite3.Connection) -> None:
    """Recompute both summary tables from every attempt (inside the caller's transaction)."""
    connection.execute("DELETE FROM question_stats")
    connection.execute("DELETE FROM learner_section_stats")
    compute(connection).write(connection, 1)
