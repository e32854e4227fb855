"""The outbox wired into the score store (schema 7): a store opened with a central store
configured marks an attempt pending in the transaction of every write that changes it,
one opened without marks nothing (its answer commit is the one INSERT it was); every
attempt records the terminal's clinic and UTC offset; forgetting leaves tombstones."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.domain.records import AttemptResult, AttemptStart, AttemptStatus, Mode
from quiz.domain.text import learner_key
from quiz.storage import outbox
from quiz.storage.scores import ScoreStore, utc_offset_minutes
from tests.support.store_records import answer, completed, make_start


@pytest.fixture
def central_store(tmp_path: Path) -> Iterator[ScoreStore]:
    with ScoreStore.open(tmp_path / "scores.sqlite3", outbox=True, clinic="lisbon") as store:
        yield store


def versions(store: ScoreStore) -> dict[str, int]:
    """Pending attempts by id, with the number of times each was marked."""
    return {p.attempt_id: p.version for p in outbox.pending(store._connection)}


def now_start(learner: str = "Ana Ruiz", mode: Mode = Mode.PRACTICE) -> AttemptStart:
    return make_start(learner, mode=mode, started_at=datetime.now(UTC), time_limit_seconds=None)


def test_a_plain_local_store_marks_nothing(tmp_path: Path) -> None:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as store:
        attempt = store.start_attempt(make_start())
        store.record_answer(attempt, answer(0))
        store.finish_attempt(attempt, completed(1))
        assert outbox.pending_count(store._connection) == 0
        assert store.clinic is None and store.outbox is False


def test_every_write_that_changes_an_attempt_marks_it_in_its_transaction(
    central_store: ScoreStore,
) -> None:
    attempt = central_store.start_attempt(make_start())
    assert versions(central_store) == {attempt: 1}
    central_store.record_answer(attempt, answer(0))
    central_store.record_answer(attempt, answer(1, right=False))
    assert versions(central_store) == {attempt: 3}
    central_store.finish_attempt(attempt, completed(1))
    assert versions(central_store) == {attempt: 4}
    (read,) = outbox.pending(central_store._connection)
    with central_store._writing("test") as connection:
        assert outbox.clear_sent(connection, read)
    assert versions(central_store) == {}


def test_marks_cleared_together_go_in_one_commit_and_only_if_unchanged(
    central_store: ScoreStore,
) -> None:
    """A backlog's marks are cleared a batch at a time (quiz.storage.central.sync); one
    whose attempt changed after it was read stays, for the next round."""
    store = central_store
    store.start_attempt(now_start())
    second = store.start_attempt(now_start("Ben Ode"))
    read = store.pending_attempts()
    assert len(read) == 2
    store.record_answer(second, replace(answer(0), answered_at=datetime.now(UTC)))
    statements: list[str] = []
    store._connection.set_trace_callback(statements.append)
    assert store.clear_sent_all(read) == 1
    store._connection.set_trace_callback(None)
    assert [s.split()[0] for s in statements].count("COMMIT") == 1
    assert versions(store) == {second: 2}  # started, then answered after it was read


def test_pausing_resuming_giving_up_and_a_new_round_mark_the_attempts_they_change(
    central_store: ScoreStore,
) -> None:
    store = central_store
    first = store.start_attempt(now_start())
    store.record_answer(first, replace(answer(0), answered_at=datetime.now(UTC)))
    paused_at = datetime.now(UTC)
    store.finish_attempt(first, AttemptResult(AttemptStatus.PAUSED, paused_at, 0, 4, 0.0, None))
    with store._writing("test") as connection:
        connection.execute("DELETE FROM outbox")
    assert store.resume_attempt(first) is not None
    assert versions(store) == {first: 1}
    store.finish_attempt(first, AttemptResult(AttemptStatus.PAUSED, paused_at, 0, 4, 0.0, None))
    assert versions(store) == {first: 2}
    second = store.start_attempt(now_start())  # gives up the paused round
    assert versions(store) == {first: 3, second: 1}
    assert store.get_attempt(first).summary.status is AttemptStatus.ABANDONED  # type: ignore[union-attr]


def test_giving_up_a_paused_exam_marks_it(central_store: ScoreStore) -> None:
    store = central_store
    exam = store.start_attempt(make_start(started_at=datetime.now(UTC), time_limit_seconds=3600))
    store.finish_attempt(
        exam, AttemptResult(AttemptStatus.PAUSED, datetime.now(UTC), 0, 4, 0.0, None)
    )
    with store._writing("test") as connection:
        connection.execute("DELETE FROM outbox")
    assert store.give_up_attempt(exam)
    assert versions(store) == {exam: 1}


def test_recovery_marks_what_it_closes(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path, outbox=True) as store:
        left = store.start_attempt(make_start(mode=Mode.PRACTICE, time_limit_seconds=None))
        store._connection.execute("DELETE FROM outbox")
        store._connection.execute("UPDATE attempt SET pid = 999999999, host = NULL")
        with store._writing("test") as connection:  # a process long gone, on no host
            connection.execute("UPDATE attempt SET heartbeat_at = 0")
    with ScoreStore.open(path, outbox=True) as store:
        assert store.get_attempt(left).summary.status is not AttemptStatus.IN_PROGRESS  # type: ignore[union-attr]
        assert list(versions(store)) == [left]  # paused, then ended: its time is up


def test_every_attempt_records_the_clinic_and_the_utc_offset(
    central_store: ScoreStore, tmp_path: Path
) -> None:
    attempt = central_store.start_attempt(make_start())
    row = central_store._connection.execute(
        "SELECT clinic, utc_offset FROM attempt WHERE uuid = ?", (attempt,)
    ).fetchone()
    assert row == ("lisbon", utc_offset_minutes(make_start().started_at))
    with ScoreStore.open(tmp_path / "other.sqlite3") as plain:
        other = plain.start_attempt(make_start())
        clinic = plain._connection.execute(
            "SELECT clinic FROM attempt WHERE uuid = ?", (other,)
        ).fetchone()
    assert clinic == (None,)


def test_the_utc_offset_is_in_minutes_and_unknown_without_a_time_zone() -> None:
    moment = datetime(2026, 7, 1, 12, 0, tzinfo=UTC)
    offset = moment.astimezone().utcoffset()
    assert offset is not None
    assert utc_offset_minutes(moment) == offset.total_seconds() // 60
    assert utc_offset_minutes(datetime(2026, 7, 1, 12, 0)) is None


def test_forgetting_leaves_a_tombstone_for_each_clinic_the_learner_is_known_at(
    central_store: ScoreStore,
) -> None:
    store = central_store
    attempt = store.start_attempt(make_start("Ana Ruiz"))
    store.finish_attempt(attempt, completed(0))
    imported_elsewhere = store.start_attempt(make_start(" ana ruiz ", mode=Mode.PRACTICE))
    store.finish_attempt(
        imported_elsewhere,
        AttemptResult(
            AttemptStatus.COMPLETED, make_start().started_at + timedelta(minutes=1), 0, 4, 0.0, None
        ),
    )
    store._connection.execute(
        "UPDATE attempt SET clinic = 'porto' WHERE uuid = ?", (imported_elsewhere,)
    )
    store.forget_learner(store.forget_plan("Ana Ruiz"))
    key = learner_key("Ana Ruiz")
    hashes = {h for h, _ in outbox.tombstones_to_send(store._connection)}
    assert hashes == {outbox.tombstone_hash("lisbon", key), outbox.tombstone_hash("porto", key)}
    assert outbox.pending_count(store._connection) == 0  # the marks went with the attempts


def test_forgetting_with_no_clinic_anywhere_leaves_no_tombstone(tmp_path: Path) -> None:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as store:
        attempt = store.start_attempt(make_start())
        store.finish_attempt(attempt, completed(0))
        store.forget_learner(store.forget_plan("Ana Ruiz"))
        assert outbox.tombstones_to_send(store._connection) == []


def test_the_answer_commit_of_a_plain_store_is_one_insert(tmp_path: Path) -> None:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as store:
        attempt = store.start_attempt(make_start())
        seen: list[str] = []
        store._connection.set_trace_callback(seen.append)
        try:
            store.record_answer(attempt, answer(0))
        finally:
            store._connection.set_trace_callback(None)
    assert [s.split()[0] for s in seen] == ["BEGIN", "INSERT", "COMMIT"]


def test_import_clinic_is_recorded_and_a_forgotten_learners_old_export_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.cli import run_cli
    from tests.support.store_records import fill_store

    source = tmp_path / "old.sqlite3"
    fill_store(source)  # Ana Ruiz and Ben Ode, no clinic: an old terminal's
    code, export, _ = run_cli(["scores", "--format", "json", "--db", str(source)], capsys)
    assert code == 0
    exported = tmp_path / "old.json"
    attempts = json.loads(export)
    for attempt in attempts:  # an old export names no clinic nor offset
        del attempt["clinic"], attempt["utc_offset_minutes"]
    exported.write_text(json.dumps(attempts), encoding="utf-8")
    store_path = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(
        ["import", str(exported), "--clinic", "lisbon", "--db", str(store_path)], capsys
    )
    assert code == 0, err
    assert "2 imported" in out
    with ScoreStore.open(store_path) as store:
        rows = store._connection.execute("SELECT clinic, utc_offset FROM attempt").fetchall()
        assert rows == [("lisbon", None), ("lisbon", None)]  # the offset is never guessed
    code, _, err = run_cli(["learners", "forget", "Ana Ruiz", "--yes", "--db", str(store_path)],
                           capsys)  # fmt: skip
    assert code == 0, err
    code, out, err = run_cli(
        ["import", str(exported), "--clinic", "lisbon", "--db", str(store_path)], capsys
    )
    assert code == 1
    assert "1 refused (learner forgotten)" in out and "1 already present" in out
    assert "forgotten" in err and "Traceback" not in err
    with ScoreStore.open(store_path) as store:
        assert [learner.name for learner in store.list_learners()] == ["Ben Ode"]


def test_import_refuses_a_clinic_that_is_not_an_id(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.cli import run_cli

    code, _, err = run_cli(["import", str(tmp_path / "x.json"), "--clinic", "Lisboa"], capsys)
    assert code == 2 and "lower-case letters" in err


def test_a_name_at_two_clinics_needs_clinic_and_the_commands_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.cli import run_cli

    path = tmp_path / "group.sqlite3"
    for clinic, right in (("lisbon", True), ("porto", False)):
        with ScoreStore.open(path, clinic=clinic) as store:
            attempt = store.start_attempt(make_start("Ana Ruiz"))
            store.record_answer(attempt, answer(0, right=right))
            store.finish_attempt(attempt, completed(int(right)))
    db = ["--db", str(path)]
    for command in (["scores"], ["report"]):
        code, out, err = run_cli([*command, "--learner", "ana ruiz", *db], capsys)
        assert code == 2 and out == ""
        assert "ana ruiz is a name at 2 clinics (lisbon, porto)" in err
        assert "give --clinic ID as well" in err
    code, out, err = run_cli(["scores", "--learner", "Ana Ruiz", "--clinic", "porto", *db], capsys)
    assert code == 0 and out.count("Ana Ruiz") == 1, err
    for clinic, correct in (("lisbon", 1), ("porto", 0)):
        code, out, err = run_cli(
            ["scores", "--learner", "Ana Ruiz", "--clinic", clinic, "--format", "json", *db],
            capsys,
        )
        assert code == 0, err
        assert [a["correct"] for a in json.loads(out)] == [correct]
    code, out, err = run_cli(["report", "--learner", "Ana Ruiz", "--clinic", "lisbon", *db], capsys)
    assert code == 0, err
    code, _, err = run_cli(["due", "--learner", "Ana Ruiz", *db], capsys)
    assert code == 1 and "cannot tell them apart" in err
    # --clinic alone: that clinic's attempts (and, for due, its learners).
    code, out, err = run_cli(["scores", "--clinic", "porto", "--format", "json", *db], capsys)
    assert code == 0, err
    assert [(a["learner"], a["correct"]) for a in json.loads(out)] == [("Ana Ruiz", 0)]
    code, out, err = run_cli(["scores", "--clinic", "faro", *db], capsys)
    assert (code, out) == (0, "no attempts match\n"), err
    code, out, err = run_cli(["report", "--clinic", "lisbon", "--format", "json", *db], capsys)
    assert code == 0, err
    assert json.loads(out)["attempts"] == 1
    code, out, err = run_cli(["report", "--clinic", "faro", *db], capsys)
    assert (code, out) == (0, "no finished attempts match\n"), err
    code, out, _ = run_cli(["scores", *db], capsys)  # without --learner: everyone, as ever
    assert code == 0 and out.count("Ana Ruiz") == 2


def test_due_and_report_per_clinic_keep_the_learners_known_there(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`quiz due --clinic ID`: the learners with an attempt at that clinic (the drill's
    cards are kept per name); `quiz report --clinic ID`: that clinic's attempts."""
    from tests.support.cli import run_cli

    path = tmp_path / "group.sqlite3"
    for clinic, learner in (("lisbon", "Ana Ruiz"), ("porto", "Rui Sá")):
        with ScoreStore.open(path, clinic=clinic) as store:
            attempt = store.start_attempt(make_start(learner))
            store.record_answer(attempt, answer(0, right=False))
            store.finish_attempt(attempt, completed(0))
    db = ["--db", str(path)]
    code, out, err = run_cli(["due", "--format", "json", *db], capsys)
    assert code == 0, err
    assert {card["learner"] for card in json.loads(out)} == {"Ana Ruiz", "Rui Sá"}
    for clinic, learner in (("lisbon", "Ana Ruiz"), ("porto", "Rui Sá")):
        code, out, err = run_cli(["due", "--clinic", clinic, "--format", "json", *db], capsys)
        assert code == 0, err
        assert {card["learner"] for card in json.loads(out)} == {learner}
        code, out, err = run_cli(["report", "--clinic", clinic, "--format", "json", *db], capsys)
        assert code == 0, err
        assert [s["learner"] for s in json.loads(out)["staff"]] == [learner]
    code, out, err = run_cli(["due", "--clinic", "faro", "--format", "json", *db], capsys)
    assert (code, json.loads(out)) == (0, []), err
    code, _, err = run_cli(["due", "--clinic", "Faro", *db], capsys)
    assert code == 2 and "lower-case letters" in err
