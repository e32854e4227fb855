"""`--db postgresql://…` on the reading commands: they pull what the role may read into
the mirror and answer from it with the outputs of a local store; with the server down
they answer from the mirror, saying how old it is; a manager forgets on the server."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz.domain.records import Mode
from quiz.storage.central.connection import connect, server_name
from quiz.storage.central.sync import sync_round
from quiz.storage.scores import ScoreStore
from tests.support.central import Central
from tests.support.cli import run_cli
from tests.support.postgres import Cluster
from tests.support.store_records import answer, completed, make_start


def terminal(central: Central, tmp_path: Path, clinic: str, learners: list[str]) -> Path:
    """A terminal of `clinic` whose learners each took an exam and a practice round,
    all pushed to the central store."""
    path = tmp_path / f"{clinic}.sqlite3"
    with ScoreStore.open(path, outbox=True, clinic=clinic) as store:
        for number, learner in enumerate(learners):
            began = datetime.now(UTC) - timedelta(days=2, hours=number)
            exam = store.start_attempt(make_start(learner, started_at=began))
            for position in range(4):
                at = began + timedelta(seconds=10 * (position + 1))
                store.record_answer(exam, answer(position, right=position != number % 4, at=at))
            store.finish_attempt(exam, completed(3))
            practice = store.start_attempt(
                make_start(learner, mode=Mode.PRACTICE, started_at=began + timedelta(minutes=30))
            )
            store.record_answer(practice, answer(0, right=False, at=began + timedelta(minutes=31)))
            store.finish_attempt(practice, completed(0, passed=None))
        url = central.url(central.terminal(clinic))
        with connect(url) as connection:
            outcome = sync_round(store, connection, server_name(url), clinic)
        assert outcome.still_pending == 0 and outcome.sent == 2 * len(learners)
    return path


def combined(tmp_path: Path, capsys: pytest.CaptureFixture[str], *stores: Path) -> Path:
    """One SQLite store with the exports of `stores` imported: what the mirror must equal."""
    target = tmp_path / "combined.sqlite3"
    for store in stores:
        code, out, _ = run_cli(["scores", "--format", "json", "--db", str(store)], capsys)
        assert code == 0
        exported = store.with_suffix(".json")
        exported.write_text(out, encoding="utf-8")
        assert run_cli(["import", str(exported), "--db", str(target)], capsys)[0] == 0
    return target


@pytest.mark.parametrize("command", [["report"], ["scores"], ["learners"], ["due"]])
def test_the_group_role_answers_as_both_exports_imported_into_one_store(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str], command: list[str]
) -> None:
    lisbon = terminal(central, tmp_path, "lisbon", ["Ana Ruiz", "Ben Ode"])
    porto = terminal(central, tmp_path, "porto", ["Rui Sá"])
    expected_code, expected, _ = run_cli(
        [*command, "--db", str(combined(tmp_path, capsys, lisbon, porto))], capsys
    )
    code, out, err = run_cli([*command, "--db", central.url(central.group)], capsys)
    assert (code, out) == (expected_code, expected), err
    assert "brought this computer's copy" in err or command != ["report"]


def test_a_clinic_manager_sees_only_that_clinic(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lisbon = terminal(central, tmp_path, "lisbon", ["Ana Ruiz"])
    terminal(central, tmp_path, "porto", ["Rui Sá"])
    _, expected, _ = run_cli(["report", "--db", str(combined(tmp_path, capsys, lisbon))], capsys)
    code, out, err = run_cli(["report", "--db", central.url(central.manager("lisbon"))], capsys)
    assert code == 0, err
    assert out == expected and "Rui Sá" not in out
    from quiz.storage.central.pull import mirror_path

    mirror = mirror_path(central.server(central.manager("lisbon")))
    with ScoreStore.open(mirror) as store:  # each attempt keeps its clinic and UTC offset
        placed = store._connection.execute("SELECT DISTINCT clinic, utc_offset FROM attempt")
        assert [row[0] for row in placed] == ["lisbon"]
        with ScoreStore.open(lisbon) as here:
            offsets = here._connection.execute("SELECT DISTINCT utc_offset FROM attempt")
            theirs = store._connection.execute("SELECT DISTINCT utc_offset FROM attempt")
            assert offsets.fetchall() == theirs.fetchall()


def test_with_the_server_down_the_mirror_answers_saying_how_old_it_is(
    central: Central, pg_cluster: Cluster, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal(central, tmp_path, "lisbon", ["Ana Ruiz"])
    url = central.url(central.group)
    code, before, _ = run_cli(["scores", "--db", url], capsys)
    assert code == 0 and "Ana Ruiz" in before
    pg_cluster.stop_server()
    try:
        code, out, err = run_cli(["scores", "--db", url], capsys)
        assert code == 0 and out == before
        assert "could not be reached; answering from this computer's copy" in err
        assert "as it was at 20" in err
        other = central.url(central.manager("porto"))  # never pulled: no copy
        code, out, err = run_cli(["report", "--db", other], capsys)
        assert code == 1 and out == ""
        assert "could not be reached" in err and "no copy of it on this computer" in err
    finally:
        pg_cluster.restart_server()


def test_a_manager_forgets_a_learner_on_the_server_and_the_mirror_follows(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    terminal(central, tmp_path, "lisbon", ["Ana Ruiz", "Ben Ode"])
    manager = central.url(central.manager("lisbon"))
    code, out, _ = run_cli(["learners", "--db", manager], capsys)
    assert code == 0 and "Ana Ruiz" in out
    code, _, err = run_cli(["learners", "forget", "Ana Ruiz", "--db", manager], capsys)
    assert code == 2 and "--yes" in err
    code, out, err = run_cli(["learners", "forget", "Ana Ruiz", "--yes", "--db", manager], capsys)
    assert code == 0, err
    assert "2 attempts deleted" in out and "tombstone" in out
    code, out, _ = run_cli(["learners", "--db", manager], capsys)
    assert code == 0 and "Ana Ruiz" not in out and "Ben Ode" in out
    code, _, err = run_cli(
        ["learners", "forget", "Ben Ode", "--yes", "--db", central.url(central.terminal("lisbon"))],
        capsys,
    )
    assert code == 1 and "only a clinic's manager role may forget" in err
    code, _, err = run_cli(["learners", "rename", "Ben Ode", "Ben O", "--db", manager], capsys)
    assert code == 2 and "read-only" in err


def test_import_to_the_central_store_goes_through_ingest_and_refuses_the_forgotten(
    central: Central, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "old.sqlite3"
    with ScoreStore.open(old) as store:  # an old terminal's store, no central store then
        for learner in ("Ana Ruiz", "Ben Ode"):
            attempt = store.start_attempt(make_start(learner))
            store.record_answer(attempt, answer(0))
            store.finish_attempt(attempt, completed(1))
    code, out, _ = run_cli(["scores", "--format", "json", "--db", str(old)], capsys)
    exported = tmp_path / "old.json"
    exported.write_text(out, encoding="utf-8")
    desk = central.url(central.terminal("lisbon"))
    code, out, err = run_cli(["import", str(exported), "--db", desk], capsys)
    assert code == 0, err
    assert "2 imported" in out
    assert sorted(central.rows("SELECT learner FROM quiz.attempt")) == [("Ana Ruiz",), ("Ben Ode",)]
    manager = central.url(central.manager("lisbon"))
    assert run_cli(["learners", "forget", "Ana Ruiz", "--yes", "--db", manager], capsys)[0] == 0
    code, out, err = run_cli(["import", str(exported), "--db", desk], capsys)
    assert code == 1
    assert "1 already present, 1 refused" in out
    assert "its learner was forgotten there" in err and "Traceback" not in err
    assert central.rows("SELECT learner FROM quiz.attempt") == [("Ben Ode",)]
