"""Reading the drill's cards: what is due for a learner, per section, for every
learner, and the `quiz due` list (the rows are kept by quiz.storage.cards).

"Now" is always given by the caller (the app's injected clock, the command's clock).
Retrievability (FSRS's chance of remembering now, which orders a drill) loads fsrs;
counting what is due does not.
"""

from __future__ import annotations

import sqlite3
from collections import defaultdict
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, NamedTuple

from quiz.domain.text import learner_key
from quiz.storage.card_model import DueCard, LearnerDue, SectionDue
from quiz.storage.cards import CARD_COLUMNS, CardRow, read_settings, reviewer
from quiz.storage.codec import from_ms, to_ms

if TYPE_CHECKING:
    from quiz.storage.scheduling import Reviewer

WEEK = timedelta(days=7)


class _Found(NamedTuple):
    learner: int
    name: str
    key: str
    course: str
    question_id: str
    section: str
    card: CardRow


LEARNER_AT_CLINIC = "{learner} IN (SELECT learner FROM attempt WHERE clinic = ?)"
"""An SQL condition: the learner (the column named `learner`) has an attempt at the
clinic of the parameter. A learner's cards and leeches are kept per name, so `--clinic`
on `quiz due` and `quiz report` keeps the learners known at that clinic."""


def _cards(
    connection: sqlite3.Connection,
    *,
    learner: str | None = None,
    course: str | None = None,
    where: str = "1",
    parameters: Sequence[object] = (),
) -> list[_Found]:
    conditions = [where]
    values: list[object] = list(parameters)
    if learner is not None:
        conditions.append("l.key = ?")
        values.append(learner_key(learner))
    if course is not None:
        conditions.append("co.code = ?")
        values.append(course)
    columns = ", ".join(f"c.{name.strip()}" for name in CARD_COLUMNS.split(","))
    return [
        _Found(row[0], row[1], row[2], row[3], row[4], row[5], CardRow(*row[6:]))
        for row in connection.execute(
            f"""SELECT l.id, l.name, l.key, co.code, q.code, s.code, {columns}
                FROM card c
                JOIN learner l ON l.id = c.learner
                JOIN question q ON q.id = c.question
                JOIN course co ON co.id = q.course
                JOIN section s ON s.id = c.section
                WHERE {" AND ".join(conditions)}""",
            values,
        )
    ]


def _due_card(found: _Found, schedule: Reviewer, now: datetime, until_ms: int) -> DueCard:
    from quiz.storage.scheduling import state_name

    card = found.card
    return DueCard(
        learner=found.name,
        learner_key=found.key,
        course=found.course,
        question_id=found.question_id,
        section=found.section,
        critical=bool(card.critical),
        state=state_name(card.state),
        due_at=from_ms(card.due_at),
        last_review_at=from_ms(card.last_review_at),
        reviews=card.reviews,
        lapses=card.lapses,
        leech=card.lapses >= schedule.settings.leech_threshold,
        retrievability=schedule.retrievability(found.learner, card, now),
        due=card.due_at <= until_ms,
    )


def drill_order(card: DueCard) -> tuple[object, ...]:
    """Critical questions first, then the least likely to be remembered now."""
    return (not card.critical, card.retrievability, card.due_at, card.course, card.question_id)


def due_questions(
    connection: sqlite3.Connection,
    learner: str,
    now: datetime,
    *,
    course: str | None = None,
    sections: Sequence[str] | None = None,
    limit: int | None = None,
) -> list[DueCard]:
    """A learner's questions due at `now`, critical first, then by lowest
    retrievability now (then the longest overdue); of `sections` only, if given; the
    first `limit` of them, if given."""
    found = _cards(
        connection, learner=learner, course=course, where="c.due_at <= ?", parameters=(to_ms(now),)
    )
    if sections is not None:
        wanted = set(sections)
        found = [f for f in found if f.section in wanted]
    if not found:
        return []
    schedule = reviewer(connection)
    cards = sorted((_due_card(f, schedule, now, to_ms(now)) for f in found), key=drill_order)
    return cards if limit is None else cards[:limit]


def due_counts(
    connection: sqlite3.Connection, learner: str, now: datetime, *, course: str | None = None
) -> list[SectionDue]:
    """A learner's cards per section: due at `now`, and within a week of it."""
    now_ms, week_ms = to_ms(now), to_ms(now + WEEK)
    counts: dict[tuple[str, str], list[int]] = {}
    for found in _cards(connection, learner=learner, course=course):
        tally = counts.setdefault((found.course, found.section), [0, 0, 0])
        tally[0] += found.card.due_at <= now_ms
        tally[1] += found.card.due_at <= week_ms
        tally[2] += 1
    return [SectionDue(c, s, *tally) for (c, s), tally in sorted(counts.items())]


def next_due(
    connection: sqlite3.Connection, learner: str, *, course: str | None = None
) -> datetime | None:
    """When the learner's next question falls due (the earliest due time of their cards,
    which may be past); None without cards."""
    times = [f.card.due_at for f in _cards(connection, learner=learner, course=course)]
    return from_ms(min(times)) if times else None


def staff_due(
    connection: sqlite3.Connection, now: datetime, *, course: str | None = None
) -> list[LearnerDue]:
    """Every learner with cards: their questions due at `now`, and their leeches."""
    threshold = read_settings(connection).leech_threshold
    now_ms = to_ms(now)
    by_learner: dict[int, list[_Found]] = defaultdict(list)
    for found in _cards(connection, course=course):
        by_learner[found.learner].append(found)
    result = []
    for cards in by_learner.values():
        leeches = sorted(
            (f for f in cards if f.card.lapses >= threshold),
            key=lambda f: (-f.card.lapses, f.course, f.question_id),
        )
        result.append(
            LearnerDue(
                learner=cards[0].name,
                learner_key=cards[0].key,
                due_now=sum(f.card.due_at <= now_ms for f in cards),
                leeches=tuple(f.question_id for f in leeches),
                next_due_at=from_ms(min(f.card.due_at for f in cards)),
            )
        )
    return sorted(result, key=lambda d: (d.learner_key, d.learner))


def due_list(
    connection: sqlite3.Connection,
    now: datetime,
    *,
    within: timedelta = timedelta(0),
    learner: str | None = None,
    course: str | None = None,
    clinic: str | None = None,
) -> list[DueCard]:
    """`quiz due`: per learner (by name), the questions due by `now + within`, and the
    leeches whenever they are due; each learner's in drill order. `clinic`: only the
    learners with an attempt at that clinic (the cards are kept per name, whatever the
    clinic: LEARNER_AT_CLINIC)."""
    until_ms = to_ms(now + within)
    threshold = read_settings(connection).leech_threshold
    where = "(c.due_at <= ? OR c.lapses >= ?)"
    parameters: tuple[object, ...] = (until_ms, threshold)
    if clinic is not None:
        where += f" AND {LEARNER_AT_CLINIC.format(learner='c.learner')}"
        parameters += (clinic,)
    found = _cards(connection, learner=learner, course=course, where=where, parameters=parameters)
    if not found:
        return []
    schedule = reviewer(connection)
    cards = [_due_card(f, schedule, now, until_ms) for f in found]
    return sorted(cards, key=lambda c: (c.learner_key, c.learner, *drill_order(c)))
