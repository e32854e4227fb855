"""The figures the report summaries hold, summed over some attempts, and written.

`Totals` sums attempts one at a time (`add`) by the keys of the summary tables
(described in quiz.storage.schema), and adds its figures to the tables (`write_shared`,
`write_learners`). quiz.storage.summaries reads the attempts and keeps the tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import NamedTuple

from quiz.storage.codec import is_choice_mask, local_month_number

QuestionKey = tuple[int, int, int, int]  # question id, content key, month, exam (0/1)
SectionKey = tuple[int, int, int, int]  # learner id, section id, month, exam
LearnerKey = tuple[int, int, int, int]  # learner id, course id, month, exam
VersionKey = tuple[int, int]  # asked_question id, month
ChoiceKey = tuple[int, int, int, int, str]  # question id, content key, month, exam, choice
LatestKey = tuple[int, int, int]  # learner id, course id, exam
SectionLatestKey = tuple[int, int]  # learner id, section id


@dataclass(slots=True)
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

    def add(self, more: QuestionSums) -> None:
        self.asked += more.asked
        self.answered += more.answered
        self.right += more.right
        self.ms += more.ms
        self.r_n += more.r_n
        self.r_x += more.r_x
        self.r_sum += more.r_sum
        self.r_sq += more.r_sq
        self.r_xr += more.r_xr


def better(asked: int, right: int, best_asked: int, best_right: int) -> bool:
    """Whether right/asked beats best_right/best_asked: a higher fraction, or the same
    one over more questions (best_asked 0: there is no best yet)."""
    if best_asked <= 0:
        return True
    mine, theirs = right * best_asked, best_right * asked
    return mine > theirs or (mine == theirs and asked > best_asked)


@dataclass(slots=True)
class SectionSums:
    attempts: int = 0
    asked: int = 0
    answered: int = 0
    right: int = 0
    ms: int = 0
    best_asked: int = 0  # the best attempt at the section: questions asked in it...
    best_right: int = 0  # ...and answered right

    def offer_best(self, asked: int, right: int) -> None:
        if better(asked, right, self.best_asked, self.best_right):
            self.best_asked, self.best_right = asked, right


class SectionLatest(NamedTuple):
    """A learner's latest counted attempt at a section, and its result there (a named
    tuple: one is made for nearly every section of every attempt an import adds, and a
    frozen dataclass takes several times as long to make)."""

    started_at: int
    attempt: int  # id
    asked: int
    right: int
    pass_mark: int | None  # the attempt's (None for practice)

    @property
    def order(self) -> tuple[int, int]:
        return self.started_at, self.attempt


class Version(NamedTuple):
    """An asked_question row, as the summaries need it."""

    question: int
    section: int
    type: str
    choices: str  # JSON, as stored: parsed only when a wrong pick is counted
    answer: str
    content: int  # its content key (codec.content_key): statistics keep versions apart


@dataclass(frozen=True)
class CountedAttempt:
    rowid: int
    learner: int
    course: int
    exam: int  # 1 for an exam, 0 for practice
    started_at: int
    pass_mark: int | None
    items: list[int]  # asked_question ids


AnswerRow = tuple[int, int, int, int, int, int | None]
"""An answer as `_answer_rows` reads it: attempt, item, answered (0/1), right (0/1), ms,
and for a wrong answer stored as an integer the response (the choices picked, where its
kind stores a mask: codec.is_choice_mask), else None."""


def rest_scores(total: int, right_total: int) -> tuple[float, float] | None:
    """The score on the rest of an attempt of `total` items with `right_total` right, for
    an item answered (wrong, right); None for a one-item attempt (no rest)."""
    if total < 2:
        return None
    return (right_total / (total - 1), (right_total - 1) / (total - 1))


def count_answer(
    sums: QuestionSums,
    by_section: dict[int, list[int]],
    section: int,
    answered: int,
    right: int,
    ms: int,
    rests: tuple[float, float] | None,
) -> None:
    """What one item of an attempt adds to its question's sums and to its section's
    counts (section -> [asked, answered, right, ms]); `rests`: `rest_scores`."""
    sums.asked += 1
    sums.answered += answered
    sums.right += right
    sums.ms += ms
    if rests is not None:
        rest = rests[right]
        sums.r_n += 1
        sums.r_x += right
        sums.r_sum += rest
        sums.r_sq += rest * rest
        sums.r_xr += right * rest
    counts = by_section.get(section)
    if counts is None:
        by_section[section] = [1, answered, right, ms]
    else:
        counts[0] += 1
        counts[1] += answered
        counts[2] += right
        counts[3] += ms


class Totals:
    """The summary figures of some attempts, by the keys of the tables."""

    def __init__(self) -> None:
        self.questions: defaultdict[QuestionKey, QuestionSums] = defaultdict(QuestionSums)
        self.versions: Counter[VersionKey] = Counter()
        self.choices: Counter[ChoiceKey] = Counter()
        self.learners: Counter[LearnerKey] = Counter()
        self.latest: dict[LatestKey, tuple[int, int]] = {}  # (started_at, attempt id)
        self.sections: defaultdict[SectionKey, SectionSums] = defaultdict(SectionSums)
        self.section_latest: dict[SectionLatestKey, SectionLatest] = {}
        self._wrong: dict[int, tuple[str | None, ...]] = {}  # by asked_question id

    def add(
        self,
        attempt: CountedAttempt,
        latest: dict[int, AnswerRow],
        versions: dict[int, Version],
    ) -> None:
        """One attempt. `latest` holds the answers that count (the last row of each
        item) by item (position)."""
        month, exam, order = self.count_attempt(attempt)
        total = len(attempt.items)
        right_total = sum(a[3] for a in latest.values())
        # The score on the rest of the attempt, for an item answered wrong / right.
        rests = rest_scores(total, right_total)
        questions = self.questions
        counted_versions = self.versions
        by_section: dict[int, list[int]] = {}  # section -> [asked, answered, right, ms]
        for item, asked in enumerate(attempt.items):
            version = versions.get(asked)
            if version is None:
                continue  # a damaged list of items: not a question that can be counted
            answer = latest.get(item)
            if answer is None:
                answered = right = ms = 0
            else:
                _attempt, _item, answered, right, ms, mask = answer
                if mask:
                    self._add_picks(asked, version, mask, month, exam)
            sums = questions[(version.question, version.content, month, exam)]
            count_answer(sums, by_section, version.section, answered, right, ms, rests)
            counted_versions[(asked, month)] += 1
        self.add_sections(attempt, month, exam, order, by_section)

    def count_attempt(self, attempt: CountedAttempt) -> tuple[int, int, tuple[int, int]]:
        """Counts `attempt` for its learner (and as their latest); gives its month number,
        exam (1/0) and order (started, rowid)."""
        month = local_month_number(attempt.started_at)
        exam = attempt.exam
        order = (attempt.started_at, attempt.rowid)
        self.learners[(attempt.learner, attempt.course, month, exam)] += 1
        latest_key = (attempt.learner, attempt.course, exam)
        if self.latest.get(latest_key, (-1, -1)) < order:
            self.latest[latest_key] = order
        return month, exam, order

    def add_sections(
        self,
        attempt: CountedAttempt,
        month: int,
        exam: int,
        order: tuple[int, int],
        by_section: dict[int, list[int]],
    ) -> None:
        """An attempt's figures by section: section -> [asked, answered, right, ms]."""
        learner = attempt.learner
        for section, (asked_count, answered_count, right_count, ms_total) in by_section.items():
            section_sums = self.sections[(learner, section, month, exam)]
            section_sums.attempts += 1
            section_sums.asked += asked_count
            section_sums.answered += answered_count
            section_sums.right += right_count
            section_sums.ms += ms_total
            section_sums.offer_best(asked_count, right_count)
            key = (learner, section)
            found = self.section_latest.get(key)
            if found is None or found.order < order:
                self.section_latest[key] = SectionLatest(
                    attempt.started_at, attempt.rowid, asked_count, right_count, attempt.pass_mark
                )

    def _add_picks(self, asked: int, version: Version, mask: int, month: int, exam: int) -> None:
        wrong = self._wrong.get(asked)
        if wrong is None and not is_choice_mask(version.type):
            wrong = self._wrong[asked] = ()  # an integer, but not picks (a number, 1/0)
        elif wrong is None:  # position -> the choice's text if it is a wrong one
            right = {str(a) for a in json.loads(version.answer)}
            texts = [str(c) for c in json.loads(version.choices)]
            wrong = self._wrong[asked] = tuple(t if t not in right else None for t in texts)
        for position, text in enumerate(wrong):
            if text is not None and mask >> position & 1:
                self.choices[(version.question, version.content, month, exam, text)] += 1

    # --- writing ------------------------------------------------------------------------

    def write_shared(self, connection: sqlite3.Connection, sign: int) -> None:
        """Add these figures to the shared tables (sign -1: take them away)."""
        connection.executemany(
            """INSERT INTO question_stats (question, content, month, exam, asked, answered,
                   right, ms, r_n, r_x, r_sum, r_sq, r_xr)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (question, content, month, exam) DO UPDATE SET
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
                for key, s in sorted(self.questions.items())
            ),
        )
        connection.executemany(
            """INSERT INTO version_stats (asked_question, month, asked) VALUES (?, ?, ?)
               ON CONFLICT (asked_question, month) DO UPDATE SET asked = asked + excluded.asked""",
            ((*key, sign * count) for key, count in sorted(self.versions.items())),
        )
        connection.executemany(
            """INSERT INTO choice_stats (question, content, month, exam, choice, picks)
               VALUES (?, ?, ?, ?, ?, ?)
               ON CONFLICT (question, content, month, exam, choice) DO UPDATE SET
                   picks = picks + excluded.picks""",
            ((*key, sign * count) for key, count in sorted(self.choices.items())),
        )
        if sign < 0:  # rows that fell to nothing go
            connection.executemany(
                """DELETE FROM question_stats
                   WHERE question = ? AND content = ? AND month = ? AND exam = ?
                       AND asked <= 0""",
                sorted(self.questions),
            )
            connection.executemany(
                "DELETE FROM version_stats WHERE asked_question = ? AND month = ? AND asked <= 0",
                sorted(self.versions),
            )
            connection.executemany(
                """DELETE FROM choice_stats
                   WHERE question = ? AND content = ? AND month = ? AND exam = ? AND choice = ?
                       AND picks <= 0""",
                sorted(self.choices),
            )

    def write_learners(self, connection: sqlite3.Connection) -> None:
        """Add these figures to the per-learner tables (sums add up, bests and latests
        are kept if better)."""
        connection.executemany(
            """INSERT INTO learner_stats (learner, course, month, exam, attempts)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (learner, course, month, exam) DO UPDATE SET
                   attempts = attempts + excluded.attempts""",
            ((*key, count) for key, count in sorted(self.learners.items())),
        )
        connection.executemany(
            """INSERT INTO learner_latest (learner, course, exam, started_at, attempt)
               VALUES (?, ?, ?, ?, ?)
               ON CONFLICT (learner, course, exam) DO UPDATE SET
                   started_at = excluded.started_at, attempt = excluded.attempt
               WHERE (excluded.started_at, excluded.attempt) > (started_at, attempt)""",
            ((*key, *order) for key, order in sorted(self.latest.items())),
        )
        better_sql = """excluded.best_right * best_asked > best_right * excluded.best_asked
            OR (excluded.best_right * best_asked = best_right * excluded.best_asked
                AND excluded.best_asked > best_asked)"""
        connection.executemany(
            f"""INSERT INTO learner_section_stats (learner, section, month, exam, attempts,
                   asked, answered, right, ms, best_asked, best_right)
               VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (learner, section, month, exam) DO UPDATE SET
                   attempts = attempts + excluded.attempts, asked = asked + excluded.asked,
                   answered = answered + excluded.answered, right = right + excluded.right,
                   ms = ms + excluded.ms,
                   best_asked = CASE WHEN {better_sql} THEN excluded.best_asked
                       ELSE best_asked END,
                   best_right = CASE WHEN {better_sql} THEN excluded.best_right
                       ELSE best_right END""",
            (
                (
                    *key,
                    s.attempts,
                    s.asked,
                    s.answered,
                    s.right,
                    s.ms,
                    s.best_asked,
                    s.best_right,
                )
                for key, s in sorted(self.sections.items())
            ),
        )
        connection.executemany(
            """INSERT INTO learner_section_latest (learner, section, started_at, attempt,
                   asked, right, pass_mark)
               VALUES (?, ?, ?, ?, ?, ?, ?)
               ON CONFLICT (learner, section) DO UPDATE SET
                   started_at = excluded.started_at, attempt = excluded.attempt,
                   asked = excluded.asked, right = excluded.right,
                   pass_mark = excluded.pass_mark
               WHERE (excluded.started_at, excluded.attempt) > (started_at, attempt)""",
            (
                (*key, s.started_at, s.attempt, s.asked, s.right, s.pass_mark)
                for key, s in sorted(self.section_latest.items())
            ),
        )
