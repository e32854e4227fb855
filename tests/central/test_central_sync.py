"""A terminal connected to the central store: `quiz central connect` keeps the URL and
the clinic (never a password), `quiz sync` sends what is pending and exchanges the
forgotten learners, `--status` changes nothing, and a server that cannot be reached
leaves everything pending and untouched, saying how many."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from quiz import paths
from quiz.domain.records import Mode
from quiz.domain.text import learner_key
from quiz.settings import load_settings
from quiz.storage import outbox
from quiz.storage.scores import ScoreStore
from tests.support.central import Central
from tests.support.cli import run_cli
from tests.support.store_records import answer, completed, make_start

SECRET = "s3cr3t-pw"


def connect_terminal(
    central: Central, capsys: pytest.CaptureFixture[str], clinic: str = "lisbon"
) -> None:
    code, out, err = run_cli(
        ["central", "connect", central.url(central.terminal(clinic)), "--clinic", clinic],
        capsys,
    )
    assert code == 0, err
    assert f"as clinic {clinic}" in out


def take_rounds(count: int, learner: str = "Ana Ruiz") -> list[str]:
    """`count` finished exams in the configured store (as the app would save them)."""
    from quiz.commands import open_store

    ids = []
    with open_store(paths.db_path(None), create=True) as store:
        for n in range(count):
            start = make_start(learner, started_at=datetime.now(UTC) - timedelta(hours=n + 1))
            attempt = store.start_attempt(start)
            for position in range(4):
                store.record_answer(attempt, answer(position, at=start.started_at))
            store.finish_attempt(attempt, completed(4))
            ids.append(attempt)
    return ids


def server_attempts(central: Central) -> list[tuple[str, str, str]]:
    return central.rows(
        "SELECT a.uuid, c.code, a.status FROM quiz.attempt a "
        "JOIN quiz.clinic c ON c.id = a.clinic ORDER BY a.uuid"
    )


def test_connect_refuses_a_url_with_a_password_and_saves_nothing(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    url = central.cluster.url(central.terminal("lisbon"), central.database, password=SECRET)
    code, out, err = run_cli(["central", "connect", url, "--clinic", "lisbon"], capsys)
    assert code == 2
    assert "password" in err and ".pgpass" in err and "PGPASSFILE" in err
    assert SECRET not in out + err
    assert not paths.settings_path().exists() or SECRET not in paths.settings_path().read_text()
    assert load_settings().central is None


def test_connect_keeps_the_url_and_clinic_and_the_environment_overrides_them(
    central: Central, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz.settings import central_config

    connect_terminal(central, capsys)
    saved = json.loads(paths.settings_path().read_text(encoding="utf-8"))
    assert saved["central"] == central.url(central.terminal("lisbon"))
    assert saved["clinic"] == "lisbon"
    config = central_config()
    assert config is not None and config.clinic == "lisbon"
    monkeypatch.setenv("QUIZ_CENTRAL", "postgresql://else@elsewhere/db")
    monkeypatch.setenv("QUIZ_CLINIC", "porto")
    config = central_config()
    assert config is not None
    assert (config.url, config.clinic) == ("postgresql://else@elsewhere/db", "porto")


def test_sync_sends_what_is_pending_once_and_the_attempts_record_the_clinic(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    connect_terminal(central, capsys)
    ids = take_rounds(2)
    code, out, _ = run_cli(["sync", "--status"], capsys)
    assert code == 0 and "not sent yet: 2 attempts" in out
    assert "last sync that succeeded: never" in out
    assert server_attempts(central) == []  # --status sent nothing
    code, out, err = run_cli(["sync"], capsys)
    assert code == 0, err
    assert "sent 2 attempts" in out and "not sent yet: 0 attempts" in out
    assert server_attempts(central) == sorted((i, "lisbon", "completed") for i in ids)
    code, out, _ = run_cli(["sync"], capsys)
    assert code == 0 and "sent 0 attempts" in out
    assert len(server_attempts(central)) == 2  # nothing doubled
    with ScoreStore.open(paths.db_path(None)) as store:
        clinics = store._connection.execute("SELECT DISTINCT clinic FROM attempt").fetchall()
        assert clinics == [("lisbon",)]
        assert store.sync_state().last_success_ms is not None


def test_a_server_that_cannot_be_reached_leaves_everything_pending(
    central: Central, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    connect_terminal(central, capsys)
    take_rounds(1)
    before = paths.db_path(None).read_bytes()
    code, _, err = run_cli(
        ["central", "connect", f"postgresql://nobody@/db?host={tmp_path}&port=5432",
         "--clinic", "lisbon"],
        capsys,
    )  # fmt: skip
    assert code == 0, err
    code, out, err = run_cli(["sync"], capsys)
    assert code == 1
    assert f"nobody@{tmp_path}:5432/db could not be reached" in err
    assert "1 attempt still pending here" in err
    assert "Traceback" not in err
    with ScoreStore.open(paths.db_path(None)) as store:
        assert store.pending_count() == 1
        state = store.sync_state()
        assert state.last_failure_ms is not None and state.last_success_ms is None
    assert len(before) > 0
    code, out, _ = run_cli(["sync", "--status"], capsys)
    assert code == 0 and "not sent yet: 1 attempt" in out and "last sync that failed" in out


def test_sync_without_a_central_store_or_clinic_says_what_to_do(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, _, err = run_cli(["sync"], capsys)
    assert code == 1 and "quiz central connect URL --clinic ID" in err
    monkeypatch.setenv("QUIZ_CENTRAL", "postgresql://desk@host/db")
    monkeypatch.setenv("QUIZ_CLINIC", "Lisboa Centro")
    code, _, err = run_cli(["sync"], capsys)
    assert code == 1 and "'Lisboa Centro' is not a clinic id" in err


def test_forgetting_here_reaches_the_server_and_the_clinics_forgetting_reaches_here(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    connect_terminal(central, capsys)
    take_rounds(1, "Ana Ruiz")
    take_rounds(1, "Ben Ode")
    assert run_cli(["sync"], capsys)[0] == 0
    code, _, err = run_cli(["learners", "forget", "Ana Ruiz", "--yes"], capsys)
    assert code == 0, err
    code, out, err = run_cli(["sync"], capsys)
    assert code == 0 and "sent 1 forgotten learner" in out, err
    assert central.rows("SELECT learner FROM quiz.attempt") == [("Ben Ode",)]
    assert central.rows("SELECT hash FROM quiz.tombstone") == [
        (outbox.tombstone_hash("lisbon", learner_key("Ana Ruiz")),)
    ]
    # The clinic's manager forgets Ben Ode centrally: the next sync forgets him here.
    with central.connect(central.manager("lisbon")) as manager:
        manager.execute("SELECT quiz.forget_learner(%s)", (learner_key("Ben Ode"),))
        manager.commit()
    code, out, _ = run_cli(["sync"], capsys)
    assert code == 0 and "forgot 1 learner here" in out
    with ScoreStore.open(paths.db_path(None)) as store:
        assert store.list_learners() == []
        assert store.is_forgotten("lisbon", "ben ode")


def test_sync_warns_when_another_terminal_of_the_clinic_uses_a_newer_course(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    from quiz.storage.central.push import push_attempt
    from tests.support.central import export

    connect_terminal(central, capsys)
    take_rounds(1)
    assert run_cli(["sync"], capsys)[0] == 0
    newer = export(mode="exam")
    newer["course"] = "laser-skin-tightening"
    newer["course_version"] = "sha256:" + "cd" * 32
    with central.connect(central.terminal("lisbon")) as other_terminal:
        push_attempt(other_terminal, newer, server=central.server(central.terminal("lisbon")))
    code, out, _ = run_cli(["sync", "--status"], capsys)
    assert code == 0
    assert "warning: another terminal of this clinic uses a newer version of course " in out
    assert "sha256:cdcdcdcdcdcd" in out


def test_a_store_without_a_central_store_marks_nothing_when_answering(
    capsys: pytest.CaptureFixture[str],
) -> None:
    take_rounds(1)
    with ScoreStore.open(paths.db_path(None)) as store:
        assert store.pending_count() == 0
        assert store.list_attempts()[0].mode is Mode.EXAM


def test_a_store_file_copied_to_a_second_computer_both_syncing_sends_one_copy(
    central: Central, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    import shutil

    connect_terminal(central, capsys)
    ids = take_rounds(3)
    copy = tmp_path / "copy.sqlite3"
    shutil.copyfile(paths.db_path(None), copy)  # the WAL was checkpointed on close
    assert run_cli(["sync"], capsys)[0] == 0
    code, out, err = run_cli(["sync", "--db", str(copy)], capsys)
    assert code == 0, err
    assert "sent 0 attempts (3 more the server had already)" in out
    assert server_attempts(central) == sorted((i, "lisbon", "completed") for i in ids)
    answers = central.rows("SELECT count(*) FROM quiz.answer")
    assert answers == [(3 * 4,)]
