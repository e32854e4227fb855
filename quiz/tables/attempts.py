"""The table of saved attempts, as `quiz scores` prints it (table, CSV) and My scores
shows it: one spec (quiz.tables.columns).

`quiz scores --format json` is the export `quiz import` reads back: every answer of
every attempt (`AttemptDetail.to_export_dict`), not a table.
"""

from __future__ import annotations

from collections.abc import Sequence

from quiz.storage.attempts import AttemptSummary
from quiz.tables.columns import FIT, REST, Column, Shown, Table
from quiz.tables.formats import (
    NO_VALUE,
    local_minute,
    percent_text,
    status_words,
    utc_text,
    verdict_word,
)


def _score(attempt: AttemptSummary) -> str:
    """Right of asked ("3/4"; "-/4" while unfinished)."""
    right = "-" if attempt.correct is None else attempt.correct
    return f"{right}/{attempt.total}"


def _score_and_percent(attempt: AttemptSummary) -> str:
    if attempt.correct is None:
        return _score(attempt)
    return f"{_score(attempt)} {percent_text(attempt.percent or 0)}"


def _several_courses(attempts: Sequence[AttemptSummary]) -> bool:
    return len({a.course for a in attempts}) > 1


IDENTIFIED_SHORT = {"typed": "name", "pin": "PIN", "witnessed": "witness", "central": "central"}
"""How the table shows an attempt's identification in 7 columns ('name': typed on trust)."""


def _someone_identified(attempts: Sequence[AttemptSummary]) -> bool:
    """Whether any attempt is more than a typed name (else the column tells nothing)."""
    return any(str(a.identified) != "typed" for a in attempts)


ATTEMPTS: Table[Sequence[AttemptSummary], AttemptSummary] = Table(
    name="attempts",
    title="Attempts",
    rows=list,
    columns=(
        Column(
            "id",
            value=lambda a: a.id,
            # Its first 8 characters: enough for `quiz certificate ID` (CSV/JSON: whole).
            table=Shown("id", 8, text=lambda a: a.id[:8]),
        ),
        Column(
            "started",
            text=lambda a: local_minute(a.started_at),
            table=Shown("started", 16),
            screen=Shown("Started", 16),
        ),
        Column("learner", value=lambda a: a.learner, table=Shown("learner", REST)),
        Column(
            "course",
            value=lambda a: a.course,
            table=Shown("course", REST, only_if=_several_courses),
        ),
        Column("course_version", value=lambda a: a.course_version),
        Column(
            "mode",
            value=lambda a: str(a.mode),
            table=Shown("mode", 8),
            screen=Shown("Kind", 8),
        ),
        Column("exam", value=lambda a: a.exam),
        Column(
            "status",
            value=lambda a: str(a.status),
            text=lambda a: status_words(a.status),
            table=Shown("status", 11),
            screen=Shown("Status", 11),
        ),
        Column("started_at", value=lambda a: utc_text(a.started_at)),
        Column(
            "finished_at",
            value=lambda a: utc_text(a.finished_at) if a.finished_at else None,
        ),
        Column("time_limit_seconds", value=lambda a: a.time_limit_seconds),
        Column("correct", value=lambda a: a.correct),
        Column("total", value=lambda a: a.total),
        Column(
            "score",
            text=_score,
            table=Shown("score", FIT, right=True, text=_score_and_percent),
            screen=Shown("Score", 7, right=True),
        ),
        Column(
            "percent",
            value=lambda a: a.percent,
            text=lambda a: NO_VALUE if a.correct is None else percent_text(a.percent),
            screen=Shown("Percent", 7, right=True),
        ),
        Column(
            "passed",
            value=lambda a: a.passed,
            text=lambda a: verdict_word(a.passed, none=NO_VALUE),
            table=Shown("result", 6, text=lambda a: verdict_word(a.passed, none="")),
            screen=Shown("Result", 6),
        ),
        Column(
            # How the learner was known (quiz.domain.identity): typed, pin, witnessed.
            "identified",
            value=lambda a: str(a.identified),
            table=Shown(
                "ident.",
                7,
                text=lambda a: IDENTIFIED_SHORT.get(str(a.identified), str(a.identified)),
                only_if=_someone_identified,
            ),
        ),
    ),
)
