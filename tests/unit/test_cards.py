"""The drill's cards: which answers are reviews, when a question is due, and the cards
kept as attempts end equal those a replay of the answer log makes.

Time comes from a clock the tests move (tests/support/fakes.FixedClock); nothing
sleeps. QUESTIONS (tests/support/store_records) are swelling-01, swelling-04,
bruising-02 and the critical drugs-pregnancy-03.
"""

from __future__ import annotations

import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.domain.records import AttemptStatus, Mode
from quiz.storage import cards, db, recovery
from quiz.storage.card_model import DEFAULT_PARAMETERS, RebuildProgress, SchedulerSettings
from quiz.storage.reports import ReportFilter
from quiz.storage.scores import ScoreStore
from tests.support.cards import (
    DAY,
    WEEK,
    assert_cards_are_replayed_ones,
    card_rows,
    due_ids,
    replayed_rows,
    take,
)
from tests.support.fakes import FixedClock
from tests.support.store_records import QUESTIONS
from tests.unit.test_store_kinds import every_row as store_kinds_every_row

S01, S04, B02, D03 = (q.question_id for q in QUESTIONS)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    opened = ScoreStore.open(tmp_path / "scores.sqlite3")
    yield opened
    opened.close()


def card(store: ScoreStore, question: str, learner: str = "Ana Ruiz") -> sqlite3.Row | None:
    connection = store._connection
    connection.row_factory = sqlite3.Row
    try:
        row: sqlite3.Row | None = connection.execute(
            """SELECT c.* FROM card c JOIN question q ON q.id = c.question
               JOIN learner l ON l.id = c.learner WHERE q.code = ? AND l.key = ?""",
            (question, learner.casefold()),
        ).fetchone()
        return row
    finally:
        connection.row_factory = None


# --- what is due --------------------------------------------------------------------------


def test_two_wrong_answers_in_practice_make_exactly_those_two_due(
    store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [False, True, False, True])
    assert sorted(due_ids(store, clock)) == sorted([S01, B02])
    counts = {
        s.section: (s.due_now, s.due_this_week, s.cards)
        for s in store.due_counts("ana ruiz", now=clock.now())
    }
    assert counts == {"swelling": (1, 2, 2), "bruising": (1, 1, 1), "drugs-pregnancy": (0, 1, 1)}
    due_at = {c.question_id: c.due_at for c in store.due_list(now=clock.now(), within=WEEK)}
    assert store.next_due("Ana Ruiz") == min(due_at.values())
    assert store.next_due("Nobody") is None
    assert_cards_are_replayed_ones(store)


def test_a_right_answer_is_not_due_until_a_later_day(store: ScoreStore, clock: FixedClock) -> None:
    take(store, clock, [True, True, True, True])
    answered = clock.now()
    assert due_ids(store, clock) == []
    clock.advance(DAY - 60)  # a minute short of a day after the last answer
    assert due_ids(store, clock) == []
    for question in (S01, D03):  # an ordinary and a critical question
        found = card(store, question)
        assert found is not None and found["reviews"] == 1 and found["lapses"] == 0
        assert found["due_at"] - found["last_review_at"] >= DAY * 1000
    first_due = min(c.due_at for c in store.due_list(now=answered, within=timedelta(days=400)))
    assert first_due - answered >= timedelta(hours=23, minutes=59)
    clock.advance((first_due - clock.now()).total_seconds())
    assert due_ids(store, clock) != []  # falls due on its day, not before


def test_due_questions_come_critical_first_then_least_remembered(
    store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [True, None, None, None])  # swelling-01 known for a while...
    clock.advance(40 * DAY)
    take(store, clock, [None, False, False, False])  # ...then three misses
    found = store.due_questions("Ana Ruiz", now=clock.now())
    assert found[0].question_id == D03  # critical first
    assert found[0].critical and not found[1].critical
    rest = found[1:]
    assert [c.retrievability for c in rest] == sorted(c.retrievability for c in rest)
    assert S01 in [c.question_id for c in rest]  # 40 days on, due again
    assert store.due_questions("Ana Ruiz", now=clock.now(), limit=2) == found[:2]
    only = store.due_questions("Ana Ruiz", now=clock.now(), sections=["bruising"])
    assert [c.question_id for c in only] == [B02]


def test_an_exam_miss_is_due_and_the_answer_that_counts_is_the_last(
    store: ScoreStore, clock: FixedClock
) -> None:
    # swelling-01 right then changed to wrong; swelling-04 wrong then changed to right.
    take(store, clock, [[True, False], [False, True], True, None], mode=Mode.EXAM)
    assert due_ids(store, clock) == [S01]
    assert card(store, D03) is None  # unanswered: no review
    found = card(store, S04)
    assert found is not None and found["reviews"] == 1


def test_in_a_drill_only_the_first_answer_to_a_question_is_a_review(
    store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [False, True, None, None])
    assert due_ids(store, clock) == [S01]
    # The drill: swelling-01 missed, brought back and fixed in the same round.
    take(store, clock, [[False, True], None, None, None], mode=Mode.DRILL)
    found = card(store, S01)
    assert found is not None and found["reviews"] == 2  # the miss only, not the fix
    assert due_ids(store, clock) == [S01]  # still due: the round's fix is practice
    # The same answers in practice: the last one counts, so it is no longer due.
    take(store, clock, [[False, True], None, None, None], learner="Ben Ode")
    assert due_ids(store, clock, "Ben Ode") == []
    assert_cards_are_replayed_ones(store)


def test_abandoned_attempts_are_not_reviews_and_timed_out_ones_are(
    store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [False, False, None, None], status=AttemptStatus.ABANDONED)
    assert card_rows(store._connection) == []
    take(store, clock, [False, None, None, None], status=AttemptStatus.TIMED_OUT, mode=Mode.EXAM)
    assert due_ids(store, clock) == [S01]
    assert_cards_are_replayed_ones(store)


def test_an_attempt_closed_by_recovery_and_then_finished_is_reviewed_once(
    store: ScoreStore, clock: FixedClock
) -> None:
    attempt_id = take(store, clock, [False, True, None, None], finish=False)
    connection = store._connection
    rowid = connection.execute("SELECT id FROM attempt WHERE uuid = ?", (attempt_id,)).fetchone()[0]
    connection.execute("BEGIN IMMEDIATE")
    connection.execute("UPDATE attempt SET deadline_at = 0 WHERE id = ?", (rowid,))
    recovery.close_gone(connection, store._ids, rowid, 10**13)  # timed out: counted
    connection.execute("COMMIT")
    assert due_ids(store, clock) == [S01]
    from quiz.domain.records import AttemptResult

    store.finish_attempt(
        attempt_id, AttemptResult(AttemptStatus.COMPLETED, clock.now(), 1, 4, 25.0, None)
    )
    found = card(store, S01)
    assert found is not None and found["reviews"] == 1
    assert_cards_are_replayed_ones(store)


# --- when a question changes ------------------------------------------------------------


def test_rewording_keeps_the_card_and_a_changed_answer_resets_it(
    store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [True, None, None, None])
    clock.advance(3 * DAY)
    reworded = (
        replace(QUESTIONS[0], prompt="For how long does swelling usually last?"),
        *QUESTIONS[1:],
    )
    take(store, clock, [True, None, None, None], questions=reworded)
    found = card(store, S01)
    assert found is not None and found["reviews"] == 2
    clock.advance(30 * DAY)
    changed = (
        replace(
            QUESTIONS[0],
            choices=("A few hours", "One to three days", "Up to a week"),
            answer=("Up to a week",),
        ),
        *QUESTIONS[1:],
    )
    take(store, clock, [False, None, None, None], questions=changed)
    found = card(store, S01)
    assert found is not None and found["reviews"] == 1 and found["lapses"] == 0
    assert_cards_are_replayed_ones(store)


# --- leeches ----------------------------------------------------------------------------


def lapse(store: ScoreStore, clock: FixedClock, learner: str, times: int) -> None:
    """swelling-01 known, then forgotten, `times` times over (a lapse each)."""
    for _ in range(times):
        take(store, clock, [True, None, None, None], learner=learner)
        clock.advance(5 * DAY)
        take(store, clock, [False, None, None, None], learner=learner)
        clock.advance(DAY)


def test_four_lapses_make_a_leech_and_the_report_lists_its_learners(
    store: ScoreStore, clock: FixedClock
) -> None:
    lapse(store, clock, "Ana Ruiz", 4)
    lapse(store, clock, "Ben Ode", 4)
    lapse(store, clock, "Cy Lee", 3)
    found = card(store, S01)
    assert found is not None and found["lapses"] == 4 and found["reviews"] == 8
    staff = {d.learner: d for d in store.staff_due(now=clock.now())}
    assert staff["Ana Ruiz"].leeches == (S01,) and staff["Cy Lee"].leeches == ()
    report = store.report(ReportFilter())
    (leech,) = report.leeches
    assert leech.question == S01 and leech.section == "swelling"
    assert (leech.learners, leech.lapses) == (("Ana Ruiz", "Ben Ode"), (4, 4))
    assert store.report(ReportFilter(learner="cy lee")).leeches == ()
    # The threshold is a setting; changing it alone makes no rebuild.
    settings = replace(store.scheduler_settings(), leech_threshold=3)
    assert store.change_scheduler_settings(settings) is False
    assert store.cards_to_rebuild() == 0
    assert len(store.report(ReportFilter()).leeches[0].learners) == 3
    assert_cards_are_replayed_ones(store)


# --- drill rounds in the report ---------------------------------------------------------


def test_drill_rounds_stay_out_of_the_statistics_and_show_on_their_own(
    store: ScoreStore, clock: FixedClock
) -> None:
    take(store, clock, [False, True, True, True])
    before = store.report(ReportFilter())
    take(store, clock, [[False, True], None, None, None], mode=Mode.DRILL)
    take(store, clock, [True, None, None, None], mode=Mode.DRILL, learner="Ben Ode")
    after = store.report(ReportFilter())
    assert (after.attempts, after.learners, after.questions, after.sections) == (
        before.attempts,
        before.learners,
        before.questions,
        before.sections,
    )
    assert [(d.learner, d.rounds, d.questions, d.right) for d in after.drill] == [
        ("Ana Ruiz", 1, 4, 1),
        ("Ben Ode", 1, 4, 1),
    ]
    ana = store.report(ReportFilter(learner="Ana Ruiz"))
    assert [d.learner for d in ana.drill] == ["Ana Ruiz"] and ana.attempts == 1
    (summary,) = [a for a in store.list_attempts(learner="Ben Ode")]
    assert summary.mode is Mode.DRILL and summary.passed is None
    assert store.section_trends("Ben Ode") == ()  # My scores' trends count no drill round


# --- rebuilds ---------------------------------------------------------------------------


def history(store: ScoreStore, clock: FixedClock, *, drill: Mode = Mode.DRILL) -> None:
    """Three learners' practice, exams and drills over weeks, with a late finish."""
    late = take(store, clock, [False, True, None, False], learner="Ann", finish=False)
    for week in range(4):
        take(store, clock, [week % 2 == 0, False, True, None], learner="Ann")
        take(store, clock, [True, [True, False], False, True], learner="Anne", mode=Mode.EXAM)
        take(store, clock, [[False, True], None, True, None], learner="Ben", mode=drill)
        clock.advance(4 * DAY)
    from quiz.domain.records import AttemptResult

    store.finish_attempt(  # finished late: older answers than the cards' last reviews
        late, AttemptResult(AttemptStatus.COMPLETED, clock.now(), 1, 4, 25.0, None)
    )


def test_the_cards_kept_equal_a_replay_after_renames_and_forgetting(
    store: ScoreStore, clock: FixedClock
) -> None:
    history(store, clock)
    assert card_rows(store._connection)
    assert_cards_are_replayed_ones(store)
    store.rename_learner("Anne", "Ann")  # a merge: two histories become one
    assert_cards_are_replayed_ones(store)
    store.rename_learner("Ben", "Benjamin")  # a plain rename
    assert_cards_are_replayed_ones(store)
    store.forget_learner(store.forget_plan("Benjamin"))
    assert_cards_are_replayed_ones(store)
    learners = {row[0] for row in store._connection.execute("SELECT DISTINCT learner FROM card")}
    assert len(learners) == 1


def test_a_settings_change_rebuilds_every_card_in_batches(
    store: ScoreStore, clock: FixedClock
) -> None:
    history(store, clock)
    before = card_rows(store._connection)
    changed = replace(store.scheduler_settings(), retention=0.8, relearning_steps=(600,))
    assert store.change_scheduler_settings(changed) is True
    assert store.cards_to_rebuild() == 3
    seen: list[RebuildProgress] = []
    final = store.rebuild_cards(seen.append)
    assert store.cards_to_rebuild() == 0 and final.learners_done == 3 and seen
    after = card_rows(store._connection)
    assert after != before
    assert after == replayed_rows(store._connection)
    with ScoreStore.open(store.path) as again:  # kept in the store
        assert again.scheduler_settings() == changed


def test_a_rebuild_in_small_batches_equals_one_in_a_single_batch(
    store: ScoreStore, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    history(store, clock)
    expected = replayed_rows(store._connection)
    monkeypatch.setattr(cards, "BATCH_ITEMS", 1)
    with store._writing("test") as connection:
        cards.mark_all_stale(connection)
        connection.execute("DELETE FROM card")
    batches: list[RebuildProgress] = []
    store.rebuild_cards(batches.append)
    assert len(batches) == 3  # one learner a batch
    assert card_rows(store._connection) == expected


def test_replays_are_reproducible(store: ScoreStore, clock: FixedClock) -> None:
    history(store, clock)
    assert all(replayed_rows(store._connection) == card_rows(store._connection) for _ in range(5))


@pytest.mark.parametrize("count", [1, 55, 64, 150])
def test_card_rows_written_several_to_a_statement_are_each_written_once(
    store: ScoreStore, count: int
) -> None:
    """cards._insert writes rows in statements of 64, then powers of two: every row,
    in order (a later row of the same card replaces an earlier one), none twice."""
    rows = [
        (9, q, 3, q % 2, -(q << 40), 1 + q % 3, None if q % 3 == 1 else 0, q / 7, 5.5, q, q, q, 0)
        for q in range(count)
    ]
    with store._writing("test") as connection:
        cards._insert(connection, rows)
        assert card_rows(connection) == rows
        changed = [(*row[:-2], row[-2] + 1, 1) for row in rows[: count // 2 + 1]]
        again = (*changed[0][:-1], 2)  # the first card once more, later: it wins
        cards._insert(connection, [*changed, again])
        assert card_rows(connection) == sorted([again, *changed[1:], *rows[len(changed) :]])


# --- the upgrade ------------------------------------------------------------------------


def every_row(connection: sqlite3.Connection) -> dict[str, list[tuple[object, ...]]]:
    return store_kinds_every_row(connection)  # without version 7's added columns


def test_a_version_four_store_is_upgraded_keeping_every_row_and_its_cards_are_built(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "scores.sqlite3"
    old = ScoreStore(path, db.connect(path, upto=4))
    try:
        history(old, clock, drill=Mode.PRACTICE)  # no drill before version 5
        take(old, clock, [False, None, None, None], learner="Dee", status=AttemptStatus.ABANDONED)
        rows = every_row(old._connection)
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            old._connection.execute("UPDATE attempt SET mode = 'drill'")
    finally:
        old.close()
    assert "card" not in rows
    with ScoreStore.open(path) as store:
        connection = store._connection
        assert connection.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        kept = every_row(connection)
        assert {table: kept[table] for table in rows} == rows  # the same ids too
        assert kept["card"] == [] and store.cards_to_rebuild() == 4
        assert store.scheduler_settings() == SchedulerSettings()
        indexes = {r[1] for r in connection.execute("PRAGMA index_list(attempt)")}
        assert {"attempt_live", "attempt_drill"} <= indexes
        fks = {fk[2] for fk in connection.execute("PRAGMA foreign_key_list(answer)")}
        assert fks == {"attempt"}
        store.rebuild_cards()
        assert store.cards_to_rebuild() == 0
        assert card_rows(connection) == replayed_rows(connection) != []
        take(store, clock, [True, None, None, None], mode=Mode.DRILL, learner="Dee")
        assert_cards_are_replayed_ones(store)
    assert len(list(tmp_path.glob("scores.sqlite3.v4-*.bak"))) == 1


# --- the scheduler and its import -------------------------------------------------------


def test_the_default_weights_are_fsrs_own() -> None:
    from fsrs.scheduler import DEFAULT_PARAMETERS as FSRS_DEFAULTS

    assert DEFAULT_PARAMETERS == FSRS_DEFAULTS


def test_opening_a_store_and_saving_answers_do_not_load_fsrs(tmp_path: Path) -> None:
    code = f"""
import sys
from pathlib import Path
from tests.support.store_records import make_start, answer
from quiz.storage.scores import ScoreStore
store = ScoreStore.open(Path({str(tmp_path / "s.sqlite3")!r}))
attempt = store.start_attempt(make_start())
store.record_answer(attempt, answer(0))
store.report()
store.due_counts("Ana Ruiz", now=make_start().started_at)
store.staff_due(now=make_start().started_at)
print("fsrs" in sys.modules)
"""
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "False"


def test_learners_marked_by_an_import_are_rebuilt_alone(
    store: ScoreStore, clock: FixedClock
) -> None:
    history(store, clock)
    expected = card_rows(store._connection)
    with store._writing("test: an import's learners") as connection:
        (ann,) = connection.execute("SELECT id FROM learner WHERE key = 'ann'").fetchone()
        connection.execute("DELETE FROM card WHERE learner = ?", (ann,))  # as if new
        cards.mark_stale(connection, [ann, ann])
    assert store.cards_to_rebuild() == 1
    done = store.rebuild_cards()
    assert (done.learners_done, store.cards_to_rebuild()) == (1, 0)
    assert card_rows(store._connection) == expected


def test_the_app_rebuilds_the_cards_of_the_learner_at_hand_only(
    store: ScoreStore, clock: FixedClock
) -> None:
    """After a big import every learner waits for their cards; the app makes those of
    the learner it is serving (a few hundred answers), not everyone's, before it counts
    what is due: the other learners wait for a command that needs them."""
    history(store, clock)
    expected = card_rows(store._connection)
    with store._writing("test: an import's learners") as connection:
        connection.execute("DELETE FROM card")  # as if every learner came in by an import
        cards.mark_all_stale(connection)
    assert store.cards_to_rebuild() == 3 and store.cards_to_rebuild("ANN ") == 1
    assert store.cards_to_rebuild("Nobody") == 0
    done = store.rebuild_cards(learner="ann")
    assert (done.learners_done, done.learners_total) == (1, 1)
    assert store.cards_to_rebuild("Ann") == 0 and store.cards_to_rebuild() == 2
    with store._reading("test") as connection:
        (ann,) = connection.execute("SELECT id FROM learner WHERE key = 'ann'").fetchone()
    assert {row[0] for row in card_rows(store._connection)} == {ann}
    assert store.rebuild_cards(learner="Nobody").learners_done == 0
    store.rebuild_cards()
    assert card_rows(store._connection) == expected


def test_spans_take_days_and_weeks_and_steps_may_be_zero() -> None:
    from quiz.domain.durations import DurationError, parse_span, span_text

    assert parse_span("7d") == 7 * 86400 and parse_span("2w") == 14 * 86400
    assert parse_span("1d12h") == 36 * 3600 and parse_span("0", zero=True) == 0
    assert span_text(parse_span("1d12h")) == "1d12h" and span_text(0) == "0s"
    for bad in ("", "7", "a week", "0s"):
        with pytest.raises(DurationError):
            parse_span(bad)
