"""`quiz learners`: the list, rename (a merge and a plain rename) and forget, on the
report fixture; the summaries stay what a rebuild from the attempts would make."""

from __future__ import annotations

import io
import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.records import Mode
from quiz.storage import db as store_db
from quiz.storage.scores import ScoreStore
from tests.support.backends import StoreBackend
from tests.support.cli import run_cli
from tests.support.report_store import ALL, CY, GIVEN, Given, build_store, save
from tests.support.summaries import assert_summaries_are_rebuilt_ones as rebuilt_ones


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "scores.sqlite3"
    build_store(path)
    return path


@pytest.fixture
def shared_db(backend: StoreBackend) -> str:
    """The report fixture in either store (tests/support/backends.py); what `--db` names
    to read it."""
    build_store(backend.path, open_store=backend.open_store)
    return backend.db()


def rows(path: Path, sql: str, *parameters: Any) -> list[tuple[Any, ...]]:
    connection = sqlite3.connect(path)
    try:
        return connection.execute(sql, parameters).fetchall()
    finally:
        connection.close()


def assert_summaries_are_rebuilt_ones(path: Path) -> None:
    """The summaries kept by rename/forget equal those a full rebuild makes (all tables)."""
    connection = store_db.connect(path, create=False)
    try:
        rebuilt_ones(connection)
    finally:
        connection.close()


def attempts_of(path: Path) -> dict[str, int]:
    with ScoreStore.open(path, create=False) as store:
        found: dict[str, int] = {}
        for attempt in store.list_attempts():
            found[attempt.learner_key] = found.get(attempt.learner_key, 0) + 1
        return found


# --- list -------------------------------------------------------------------------------


def test_the_list_shows_attempts_and_last_activity(
    shared_db: str, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["learners", "--db", shared_db], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split()[:3] == ["learner", "attempts", "exams"]
    ana = next(line for line in lines if line.startswith("Ana Ruiz"))
    assert ana.split()[2:4] == ["4", "2"]  # 4 attempts, 2 exams
    assert "2026-12-03" in ana  # her last activity
    dee = next(line for line in lines if line.startswith("Dee Park"))
    assert dee.split()[2] == "1"  # abandoned attempts are listed too
    assert any(line.startswith("[bold]Cy[/bold]") for line in lines)
    assert max(len(line) for line in lines) <= 80


def test_an_empty_or_missing_store(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    missing = tmp_path / "none" / "scores.sqlite3"
    code, out, _ = run_cli(["learners", "--db", str(missing)], capsys)
    assert code == 0 and "no learners yet" in out and not missing.parent.exists()
    code, _, err = run_cli(["learners", "rename", "A", "B", "--db", str(missing)], capsys)
    assert code == 1 and "does not exist" in err and not missing.parent.exists()


# --- rename -----------------------------------------------------------------------------


def test_rename_merges_two_spellings_of_one_person(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ScoreStore.open(db) as store:
        anne = save(
            store, Given("Anne Ruiz", Mode.PRACTICE, datetime(2026, 12, 5, tzinfo=UTC), ALL)
        )
    before = attempts_of(db)
    code, out, err = run_cli(
        ["learners", "rename", "anne ruiz", "Ana Ruiz", "--db", str(db)], capsys
    )
    assert code == 0, err
    assert "Merged Anne Ruiz into Ana Ruiz" in out and "5 attempts" in out
    after = attempts_of(db)
    assert "anne ruiz" not in after
    assert after["ana ruiz"] == before["ana ruiz"] + before["anne ruiz"]
    assert {k: v for k, v in after.items() if k != "ana ruiz"} == {
        k: v for k, v in before.items() if k not in ("ana ruiz", "anne ruiz")
    }
    with ScoreStore.open(db, create=False) as store:
        moved = store.get_attempt(anne)
        report = store.report()
    assert moved is not None
    assert moved.summary.learner == "Anne Ruiz"  # the spelling typed for that attempt
    assert moved.summary.learner_key == "ana ruiz"
    ana = next(learner for learner in report.learners if learner.key == "ana ruiz")
    assert ana.attempts == 5 and ana.last_at == datetime(2026, 12, 5, tzinfo=UTC)
    assert [learner.key for learner in report.learners].count("ana ruiz") == 1
    assert rows(db, "SELECT count(*) FROM learner WHERE key = 'anne ruiz'") == [(0,)]
    assert_summaries_are_rebuilt_ones(db)
    code, out, _ = run_cli(["learners", "--db", str(db)], capsys)
    ana_line = next(line for line in out.splitlines() if line.startswith("Ana Ruiz"))
    assert "Anne Ruiz" in ana_line  # listed as another spelling


def test_rename_to_a_new_spelling_renames(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["learners", "rename", "Ben Ode", "Benjamin Ode", "--db", str(db)], capsys
    )
    assert code == 0 and "Renamed Ben Ode to Benjamin Ode (3 attempts)" in out
    after = attempts_of(db)  # attempts keep the learner, found under the new key
    assert "ben ode" not in after and after["benjamin ode"] == 3
    with ScoreStore.open(db, create=False) as store:
        names = [learner.name for learner in store.report().learners]
    assert "Benjamin Ode" in names and "Ben Ode" not in names
    assert_summaries_are_rebuilt_ones(db)


def test_rename_changes_only_the_case_of_a_name(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["learners", "rename", "ben ode", "BEN ODE", "--db", str(db)], capsys)
    assert code == 0 and "Renamed Ben Ode to BEN ODE" in out
    assert attempts_of(db)["ben ode"] == 3


def test_renaming_an_unknown_learner_lists_close_names(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = rows(db, "SELECT * FROM learner ORDER BY id")
    code, out, err = run_cli(["learners", "rename", "Anna Ruis", "X", "--db", str(db)], capsys)
    assert code == 1 and out == ""
    assert "no learner called 'Anna Ruis'" in err and "Close names: Ana Ruiz" in err
    code, _, err = run_cli(["learners", "rename", "Ana Ruiz", "   ", "--db", str(db)], capsys)
    assert code == 1 and "empty" in err
    assert rows(db, "SELECT * FROM learner ORDER BY id") == before


# --- forget -----------------------------------------------------------------------------


def test_forget_without_a_terminal_refuses_unless_yes(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = attempts_of(db)
    code, out, err = run_cli(["learners", "forget", "Ben Ode", "--db", str(db)], capsys)
    assert code == 1
    assert "Forgetting Ben Ode deletes:" in out and "3 attempts (2 practice, 1 exam)" in out
    assert "only quiz command that deletes attempts" in out
    assert "Pass --yes" in err and "nothing was deleted" in err
    assert attempts_of(db) == before


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_forget_asks_on_a_terminal(
    db: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    before = attempts_of(db)
    monkeypatch.setattr("sys.stdin", _Terminal("no\n"))
    code, out, _ = run_cli(["learners", "forget", "Ben Ode", "--db", str(db)], capsys)
    assert code == 1 and "Nothing was deleted." in out
    assert attempts_of(db) == before
    monkeypatch.setattr("sys.stdin", _Terminal("yes\n"))
    code, out, _ = run_cli(["learners", "forget", "Ben Ode", "--db", str(db)], capsys)
    assert code == 0 and "Deleted Ben Ode: 3 attempts" in out
    assert "ben ode" not in attempts_of(db)


def test_forget_with_yes_deletes_that_learner_only(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    answers_before = rows(db, "SELECT count(*) FROM answer")[0][0]
    theirs = sum(
        len(responses) for g in GIVEN if g.learner == CY for responses in g.responses.values()
    )
    before = attempts_of(db)
    code, out, err = run_cli(
        ["learners", "forget", " [BOLD]cy[/bold] ", "--yes", "--db", str(db)], capsys
    )
    assert code == 0, err
    assert f"Deleted {CY}: 2 attempts and {theirs} answers" in out
    after = attempts_of(db)
    assert after == {k: v for k, v in before.items() if k != "[bold]cy[/bold]"}
    assert rows(db, "SELECT count(*) FROM answer")[0][0] == answers_before - theirs
    assert rows(db, "SELECT count(*) FROM learner WHERE key = '[bold]cy[/bold]'") == [(0,)]
    assert rows(db, "SELECT count(*) FROM learner_name WHERE name = ?", CY) == [(0,)]
    assert_summaries_are_rebuilt_ones(db)
    with ScoreStore.open(db, create=False) as store:
        report = store.report()
    assert CY not in {learner.name for learner in report.learners}
    assert report.attempts == sum(1 for g in GIVEN if g.counted and g.learner != CY)


def test_a_forgotten_learner_leaves_what_is_read_and_no_one_else_does(
    backend: StoreBackend,
) -> None:
    """Locally, and on the central store (its manager's forget, then the mirror's pull)."""
    build_store(backend.path, open_store=backend.open_store)
    with backend.reading() as store:
        before = {a.id: a.learner_key for a in store.list_attempts()}
    assert backend.forget(" [BOLD]cy[/bold] ") == 2
    with backend.reading() as store:
        after = {a.id: a.learner_key for a in store.list_attempts()}
        report = store.report()
        rebuilt_ones(store._connection)
    assert after == {k: v for k, v in before.items() if v != "[bold]cy[/bold]"}
    assert CY not in {learner.name for learner in report.learners}
    assert report.attempts == sum(1 for g in GIVEN if g.counted and g.learner != CY)


def test_forget_refuses_while_an_attempt_is_in_progress(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from tests.support.report_store import start_of

    store = ScoreStore.open(db)  # this process stays alive: its attempt is in progress
    try:
        store.start_attempt(start_of(Given("Ben Ode", Mode.PRACTICE, GIVEN[-1].at, ALL)))
        code, _, err = run_cli(["learners", "forget", "Ben Ode", "--yes", "--db", str(db)], capsys)
    finally:
        store.close()
    assert code == 1 and "in progress" in err
    assert attempts_of(db)["ben ode"] == 4


def test_forget_an_unknown_learner(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["learners", "forget", "Benn Ode", "--yes", "--db", str(db)], capsys)
    assert code == 1 and out == "" and "Close names: Ben Ode" in err


def test_forget_names_the_backups_that_still_hold_the_attempts(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    backup = db.with_name(db.name + ".v1-20260101-000000.bak")
    backup.write_bytes(b"copy")
    code, out, _ = run_cli(["learners", "forget", "Ben Ode", "--yes", "--db", str(db)], capsys)
    assert code == 0 and str(backup) in out


def test_help_says_forget_is_the_only_command_that_deletes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code, out, _ = run_cli(["learners", "--help"], capsys)
    assert code == 0 and "only quiz command that deletes attempts" in " ".join(out.split())
    code, out, _ = run_cli(["learners", "forget", "--help"], capsys)
    assert code == 0 and "--yes" in out
