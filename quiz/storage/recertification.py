"""Who is due for recertification, and a learner's own passes: read from the attempts.

A preset of a course may say how long its pass stays valid (`valid_for`, read from
course.yaml by the command or the app: the store does not keep the course). For each
such preset, a learner's last pass is their latest exam attempt of that preset that
ended counted ('completed' or 'timed_out') and passed, whatever the report's period or
clinic: a certificate is the person's. Until when it holds is quiz.domain.validity's
rule, in the attempt's own UTC offset.

One query for all the presets, the report's own reading of a learner's latest pass
(quiz.storage.report_reading.latest_passes, which the unverified passes read too):
passes are a large share of a store's exam attempts (a third of the 100,000-attempt
benchmark store's are exams, a third of those passes), so a scan of attempt (~25 ms on
that store) is as quick as an index on the passes would be, and needs no index to keep
on every write.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence
from datetime import datetime

from quiz.domain.text import learner_key
from quiz.domain.validity import has_expired, local_moment, valid_until
from quiz.storage.codec import from_ms
from quiz.storage.report_model import (
    PassValidity,
    RecertificationDue,
    ReportFilter,
    ValidPreset,
)
from quiz.storage.report_reading import latest_passes

LastPass = tuple[int, int | None]
"""(finished_at in ms, utc_offset in minutes or None) of a learner's last pass."""


def last_passes(
    connection: sqlite3.Connection,
    presets: Sequence[ValidPreset],
    learner: str | None = None,
) -> dict[tuple[int, str, str], LastPass]:
    """(learner id, course id, preset id) -> the last pass of each learner (only
    `learner`'s, matched by learner_key, when given) in each of `presets`: the latest
    pass as the report reads it (report_reading.latest_passes), whatever the period."""
    if not presets:
        return {}
    wanted = {(p.course, p.exam) for p in presets}
    found: dict[tuple[int, str, str], LastPass] = {}
    exams = sorted({p.exam for p in presets})
    for latest in latest_passes(connection, ReportFilter(learner=learner), exams):
        if (latest.course, latest.exam) in wanted:
            key = (latest.learner, latest.course, latest.exam)
            found[key] = (latest.finished_at, latest.utc_offset)
    return found


def due_for_recertification(
    connection: sqlite3.Connection,
    presets: Sequence[ValidPreset],
    now: datetime,
    learner: str | None = None,
) -> tuple[RecertificationDue, ...]:
    """For each preset of `presets`, each learner of the store (only `learner`, when
    given) whose last pass has expired at `now`, or who never passed it: per preset,
    those who never passed first, then the longest expired first."""
    if not presets:
        return ()
    passes = last_passes(connection, presets, learner)
    learners = _learners(connection, learner)
    due: list[RecertificationDue] = []
    for preset in presets:
        rows = []
        for rowid, key, name in learners:
            found = passes.get((rowid, preset.course, preset.exam))
            if found is None:
                rows.append(RecertificationDue(preset, name, key, None, None, None))
                continue
            finished = from_ms(found[0])
            if has_expired(finished, preset.validity, now, found[1]):
                until = valid_until(finished, preset.validity, found[1])
                day = local_moment(finished, found[1]).date()
                rows.append(RecertificationDue(preset, name, key, finished, day, until))
        rows.sort(key=lambda r: (r.expired_on is not None, r.expired_on, r.key, r.learner))
        due += rows
    return tuple(due)


def learner_passes(
    connection: sqlite3.Connection,
    presets: Sequence[ValidPreset],
    learner: str,
    now: datetime,
) -> tuple[PassValidity, ...]:
    """`learner`'s last pass of each of `presets` that they have passed, with until when
    it holds and whether it has expired at `now` (in the order of `presets`)."""
    passes = last_passes(connection, presets, learner)
    if not passes:
        return ()
    rowid, key, name = _learners(connection, learner)[0]
    found = []
    for preset in presets:
        last = passes.get((rowid, preset.course, preset.exam))
        if last is None:
            continue
        finished = from_ms(last[0])
        found.append(
            PassValidity(
                preset,
                name,
                key,
                finished,
                local_moment(finished, last[1]).date(),
                valid_until(finished, preset.validity, last[1]),
                has_expired(finished, preset.validity, now, last[1]),
            )
        )
    return tuple(found)


def _learners(connection: sqlite3.Connection, learner: str | None) -> list[tuple[int, str, str]]:
    """(id, key, name) of every learner, or of `learner` alone (matched by learner_key)."""
    if learner is None:
        return connection.execute("SELECT id, key, name FROM learner ORDER BY key").fetchall()
    return connection.execute(
        "SELECT id, key, name FROM learner WHERE key = ?", (learner_key(learner),)
    ).fetchall()
