"""The new attempts of an import's batch written (`write_new`, for quiz.storage.importing)
set by set, not attempt by attempt: the rows they name (learners, spellings, courses,
sections, questions as asked) found or added once each (`BatchRefs`); their attempt rows
and answer rows two `executemany`s (the attempts take the ids after the highest, inside
the transaction); their summaries added from the rows in hand (as `summaries.add_attempts`
adds them, the attempts answered once an item summed from their columns:
quiz.storage.import_totals), not read back; their learners' drill cards marked to be
made again.
"""

from __future__ import annotations

import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain, repeat
from typing import TYPE_CHECKING

from quiz.storage import cards, summaries
from quiz.storage.attempt_rows import INSERT_ANSWER
from quiz.storage.codec import pack_ints
from quiz.storage.import_totals import ImportTotals, wrong_pick
from quiz.storage.interning import Ids

if TYPE_CHECKING:  # read by the import only: the app never loads it
    from quiz.storage import exchange
    from quiz.storage.importing import ImportTally

_INSERT_ATTEMPT = """INSERT INTO attempt (id, uuid, learner, learner_name, course_version,
        mode, exam, sections, seed, started_at, time_limit, deadline_at, pass_mark, items,
        status, finished_at, correct, total, percent, passed, identified, clinic, utc_offset)
    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"""
_SET_CODE = "UPDATE OR IGNORE attempt SET verify_code = ? WHERE id = ?"
"""An imported verification code is kept as it is, unless another attempt has it
already (a copy of an attempt under another id): then the newcomer keeps none."""


def write_new(
    connection: sqlite3.Connection,
    ids: Ids,
    batch: exchange.PreparedBatch,
    new: list[exchange.PreparedAttempt],
    tally: ImportTally,
) -> None:
    """Insert the new attempts of a batch, their answers and their summaries."""
    (highest,) = connection.execute("SELECT coalesce(max(id), 0) FROM attempt").fetchone()
    refs = BatchRefs(connection, ids, batch, tally)
    attempt_rows = []
    answer_rows: list[Iterator[tuple[object, ...]]] = []  # each attempt's, made as inserted
    counted: list[_Counted] = []
    codes: list[tuple[str, int]] = []
    for offset, attempt in enumerate(new, start=1):
        rowid = highest + offset
        learner = refs.learner(attempt.learner_key, attempt.learner)
        course, version = refs.course(attempt.course, attempt.course_version)
        items = refs.items(attempt.course, course, attempt.questions)
        assert attempt.verdict is not None  # finished: see importing.import_batch
        correct, percent, passed = attempt.verdict
        attempt_rows.append(
            (
                rowid,
                attempt.id,
                learner,
                refs.spelling(learner, attempt.learner),
                version,
                attempt.mode,
                attempt.exam,
                refs.sections(attempt.course, course, attempt.sections),
                attempt.seed,
                attempt.started_ms,
                attempt.time_limit_seconds,
                attempt.deadline_ms,
                attempt.pass_mark,
                b"".join(map(tally.packed.__getitem__, items)),  # codec.pack_ints
                attempt.status,
                attempt.finished_ms,
                correct,
                attempt.total,
                percent,
                None if passed is None else int(passed),
                attempt.identified,
                attempt.clinic,
                attempt.utc_offset_minutes,
            )
        )
        if attempt.verify_code is not None:
            codes.append((attempt.verify_code, rowid))
        positions, revs, right, ms, at_ds, _ = attempt.columns()
        stored = attempt.stored
        answer_rows.append(zip(repeat(rowid), positions, revs, stored, right, ms, at_ds))
        if summaries.counts(attempt.status, attempt.mode):
            # The answer that counts to each item (its last), as summaries._answer_rows
            # reads it: answered, right, ms, and a wrong answer's response stored as an
            # integer (wrong_pick).
            answered = repeat(1) if None not in stored else [int(v is not None) for v in stored]
            counted_attempt = summaries.CountedAttempt(
                rowid,
                learner,
                course,
                1 if attempt.mode == "exam" else 0,
                attempt.started_ms,
                attempt.pass_mark,
                items,
            )
            if len(positions) == len(items) and positions == _in_order(len(items)):
                # One answer to each item (most attempts): summed from the columns.
                counted.append((counted_attempt, None, (answered, right, ms, stored)))
            else:
                masks = map(wrong_pick, stored, right)
                latest = zip(repeat(rowid), positions, answered, right, ms, masks)
                counted.append((counted_attempt, dict(zip(positions, latest, strict=True)), None))
        tally.imported.append(attempt.id)
        change = batch.disagreement(attempt)
        if change is not None:
            tally.recomputed.append(change)
    connection.executemany(_INSERT_ATTEMPT, attempt_rows)
    connection.executemany(_SET_CODE, codes)
    connection.executemany(INSERT_ANSWER, chain.from_iterable(answer_rows))
    wanted = {asked for attempt, _, _ in counted for asked in attempt.items}
    tally.versions.update(summaries.read_versions(connection, wanted - tally.versions.keys()))
    _add_summaries(connection, counted, tally.versions)
    # The drill's cards of the learners whose reviews came in: made again from the log
    # after the import (quiz.storage.cards; ScoreStore.rebuild_cards).
    cards.mark_stale(
        connection,
        (row[2] for row in attempt_rows if row[14] in summaries.COUNTED_STATUSES),
    )


_Counted = tuple[
    summaries.CountedAttempt,
    dict[int, summaries.AnswerRow] | None,
    tuple[Iterable[int], Sequence[int], Iterable[int], Sequence[int | str | None]] | None,
]
"""An attempt `write_new` adds to the summaries: with its answers that count by item
(`Totals.add`), or, when it has one answer to each item, its answers' columns
(`ImportTotals.add_plain`): answered, right, ms, the responses as stored."""

_IN_ORDER: list[array[int]] = []


def _in_order(count: int) -> array[int]:
    """array("q", range(count)) (kept)."""
    while len(_IN_ORDER) <= count:
        _IN_ORDER.append(array("q", range(len(_IN_ORDER))))
    return _IN_ORDER[count]


def _add_summaries(
    connection: sqlite3.Connection, counted: list[_Counted], versions: dict[int, summaries.Version]
) -> None:
    """summaries.add_attempts of the attempts `write_new` added, in their order, the plain
    ones summed the faster way (quiz.storage.import_totals: the same figures)."""
    if not summaries.kept(connection):
        return
    totals = ImportTotals()
    for attempt, latest, columns in counted:
        if columns is None:
            assert latest is not None
            totals.add(attempt, latest, versions)
        else:
            totals.add_plain(attempt, *columns, versions)
    totals.write_shared(connection, 1)
    totals.write_learners(connection)


class BatchRefs:
    """The rows one batch's new attempts point at, each found (or added) once."""

    def __init__(
        self,
        connection: sqlite3.Connection,
        ids: Ids,
        batch: exchange.PreparedBatch,
        tally: ImportTally,
    ) -> None:
        self.connection = connection
        self.ids = ids
        self.batch = batch
        self.tally = tally
        # Learners and spellings may be merged or forgotten by another process between
        # two transactions: kept for this one only.
        self._learners: dict[str, int] = {}  # by key
        self._names: dict[str, str] = {}  # the name last set, by key
        self._spellings: dict[tuple[int, str], int] = {}
        self._asked: dict[str, dict[int, int]] = {}  # course -> question number -> row

    def learner(self, key: str, name: str) -> int:
        """As `Ids.learner`: their name becomes the one typed last."""
        learner = self._learners.get(key)
        if learner is None:
            learner = self._learners[key] = Ids.learner(self.connection, key, name)
        elif self._names[key] != name:
            self.connection.execute("UPDATE learner SET name = ? WHERE id = ?", (name, learner))
        self._names[key] = name
        return learner

    def spelling(self, learner: int, name: str) -> int:
        row = self._spellings.get((learner, name))
        if row is None:
            row = self._spellings[(learner, name)] = Ids.spelling(self.connection, learner, name)
        return row

    def course(self, code: str, version: str) -> tuple[int, int]:
        """The course's row and its version's."""
        rows = self.tally.courses.get((code, version))
        if rows is None:
            course = self.ids.row(self.connection, "course", code=code)
            rows = (
                course,
                self.ids.row(self.connection, "course_version", course=course, hash=version),
            )
            self.tally.courses[(code, version)] = rows
        return rows

    def sections(self, code: str, course: int, sections: tuple[str, ...]) -> bytes:
        packed = self.tally.sections.get((code, sections))
        if packed is None:
            packed = pack_ints(
                [self.ids.row(self.connection, "section", course=course, code=s) for s in sections]
            )
            self.tally.sections[(code, sections)] = packed
        return packed

    def items(self, code: str, course: int, numbers: tuple[int, ...]) -> list[int]:
        """The asked_question rows of an attempt's questions (by their numbers)."""
        rows = self._asked.get(code)
        if rows is None:
            rows = self._asked[code] = {}
        try:
            return list(map(rows.__getitem__, numbers))
        except KeyError:  # a question first asked in this batch
            for number in numbers:
                if number not in rows:
                    rows[number] = self._asked_row(code, course, number)
            return list(map(rows.__getitem__, numbers))

    def _asked_row(self, code: str, course: int, number: int) -> int:
        from quiz.storage import exchange

        question = self.batch.versions.questions[number]
        key = (code, *exchange.question_identity(question))
        row = self.tally.asked.get(key)
        if row is None:
            row = self.tally.asked[key] = self.ids.asked(self.connection, course, code, question)
            self.tally.packed[row] = pack_ints([row])
        return row
