"""The report summaries a store keeps, compared with the ones a rebuild from its
attempts would make (they must be equal whatever was written, renamed or forgotten)."""

from __future__ import annotations

import sqlite3
from typing import Any

import pytest

from quiz.storage import summaries

SUMMARY_TABLES = (*summaries.SHARED_TABLES, *summaries.LEARNER_TABLES)


def summary_rows(connection: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every summary table, in key order."""
    return {
        table: sorted(connection.execute(f"SELECT * FROM {table}").fetchall())
        for table in SUMMARY_TABLES
    }


def rebuilt_summary_rows(connection: sqlite3.Connection) -> dict[str, list[tuple[Any, ...]]]:
    """What `summaries.rebuild` makes of the store (rolled back: the store is unchanged)."""
    connection.execute("BEGIN IMMEDIATE")
    try:
        summaries.rebuild(connection)
        return summary_rows(connection)
    finally:
        connection.execute("ROLLBACK")


def assert_same_summaries(
    kept: dict[str, list[tuple[Any, ...]]], rebuilt: dict[str, list[tuple[Any, ...]]]
) -> None:
    """Equal row for row; sums of fractions (question_stats.r_*) to rounding."""
    assert kept.keys() == rebuilt.keys()
    for table in kept:
        assert len(kept[table]) == len(rebuilt[table]), table
        for mine, theirs in zip(kept[table], rebuilt[table], strict=True):
            assert mine == pytest.approx(theirs, rel=1e-9, abs=1e-9), (table, mine, theirs)


def assert_summaries_are_rebuilt_ones(connection: sqlite3.Connection) -> None:
    """The summaries the store kept as attempts came and went equal a rebuild's."""
    assert_same_summaries(summary_rows(connection), rebuilt_summary_rows(connection))
