"""The table of `quiz flags` (table, CSV, JSON): one spec (quiz.tables.columns).

One row per flag a learner raised on a question, grouped by question (course, question
id, then the time raised), with the question as it was asked (so an author reads what
the learner saw), who raised it, when, and the note. The flags of an exam still open
are not among them (quiz.domain.flags.flag_shown). Notes are data: every output shows
them literally (the table strips control characters, CSV guards against formulas,
JSON escapes).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.tables.columns import REST, Column, Shown, Table
from quiz.tables.formats import local_minute, utc_text

if TYPE_CHECKING:  # the store's module loads sqlite3 (tests/unit/test_store_boundary.py)
    from quiz.storage.flags import StoredFlag


@dataclass(frozen=True)
class FlagsView:
    """The flags `quiz flags` lists."""

    flags: Sequence[StoredFlag]


@dataclass(frozen=True)
class FlagRow:
    flag: StoredFlag


FLAGS: Table[FlagsView, FlagRow] = Table(
    name="flags",
    title="Flags",
    rows=lambda view: [FlagRow(flag) for flag in view.flags],
    columns=(
        Column("course", value=lambda r: r.flag.course),
        Column("question_id", value=lambda r: r.flag.question_id),  # the table's heading
        Column("content_version", value=lambda r: r.flag.content_version),
        Column("section", value=lambda r: r.flag.section),
        Column("type", value=lambda r: r.flag.type),
        Column("prompt", value=lambda r: r.flag.prompt),
        Column("choices", value=lambda r: list(r.flag.choices)),
        Column("answer", value=lambda r: list(r.flag.answer)),
        Column(
            "flagged_at",
            value=lambda r: utc_text(r.flag.flagged_at),
            text=lambda r: local_minute(r.flag.flagged_at),
            table=Shown("flagged", 16),
        ),
        Column("learner", value=lambda r: r.flag.learner, table=Shown("learner", 18)),
        Column("mode", value=lambda r: r.flag.mode, table=Shown("mode", 8)),
        Column("attempt_id", value=lambda r: r.flag.attempt_id),
        Column("position", value=lambda r: r.flag.position),
        Column(
            "note",
            value=lambda r: r.flag.note,
            text=lambda r: r.flag.note or "(no note)",
            table=Shown("note", REST, wrap=True),
        ),
    ),
)


def by_question(flags: Sequence[StoredFlag]) -> list[tuple[StoredFlag, list[StoredFlag]]]:
    """The flags grouped by question (course and id), in order: each group's first flag
    (its question as first asked) and all of them."""
    groups: dict[tuple[str, str], list[StoredFlag]] = {}
    for flag in flags:
        groups.setdefault((flag.course, flag.question_id), []).append(flag)
    return [(group[0], group) for group in groups.values()]
