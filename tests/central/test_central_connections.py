"""Bad connections (issue 16, §6) and the schema's set-up: a clear message naming the
server and never the password, and what to do; `quiz central init` exits 1 then."""

from __future__ import annotations

import argparse
import threading
from pathlib import Path

import psycopg
import pytest

from quiz.commands import central as central_command
from quiz.storage.central import migrations
from quiz.storage.central.connection import connect, schema_version
from quiz.storage.central.errors import CentralError
from tests.support.central import Central
from tests.support.postgres import PASSWORD_GROUP, Cluster

SECRET = "s3cret-Pa55"


def _run_central(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    parser = argparse.ArgumentParser(prog="quiz central")
    central_command.configure(parser)
    code = central_command.run(parser.parse_args(argv))
    captured = capsys.readouterr()
    return int(code), captured.out, captured.err


def test_a_wrong_url_is_named_as_such(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(CentralError) as caught:
        connect(f"postgres:/nowhere:{SECRET}@ x=")
    assert caught.value.kind == "url"
    assert SECRET not in caught.value.message
    assert "postgresql://USER@HOST/DATABASE" in caught.value.message
    code, _, err = _run_central(["init", f"host=x password={SECRET} what"], capsys)
    assert code == 1
    assert SECRET not in err and "not a PostgreSQL URL" in err


def test_a_refused_password_names_the_server_not_the_password(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    role = f"{central.prefix}_pw"
    with central.owner() as owner:
        owner.execute(f"CREATE ROLE {role} LOGIN PASSWORD 'right' IN ROLE {PASSWORD_GROUP}")
    url = central.cluster.url(role, central.database, password=SECRET)
    with pytest.raises(CentralError) as caught:
        connect(url)
    error = caught.value
    assert error.kind == "password"
    assert SECRET not in error.message
    assert f"{role}@{central.cluster.socket_dir}:5432/{central.database}" in error.message
    assert "PGPASSFILE" in error.message
    code, _, err = _run_central(["init", url], capsys)
    assert code == 1 and SECRET not in err and "refused the password" in err
    # The right password works (the role and its rule are real).
    with psycopg.connect(central.cluster.url(role, central.database, password="right")):
        pass


def test_an_unreachable_server_is_said_so(tmp_path: Path) -> None:
    url = f"postgresql://nobody@/db?host={tmp_path}&port=5432"
    with pytest.raises(CentralError) as caught:
        connect(url)
    assert caught.value.kind == "unreachable"
    assert caught.value.retryable
    assert f"nobody@{tmp_path}:5432/db" in caught.value.message


def test_a_database_without_the_schema_says_run_init(pg_cluster: Cluster) -> None:
    with pytest.raises(CentralError) as caught:
        connect(pg_cluster.url())
    assert caught.value.kind == "not_initialised"
    assert "quiz central init" in caught.value.message


def test_a_server_of_another_schema_version_is_refused(central: Central) -> None:
    with central.owner() as owner:
        owner.execute("COMMENT ON SCHEMA quiz IS 'quiz central store; schema_version 99'")
    for role in (central.terminal("lisbon"), central.manager("lisbon")):
        with pytest.raises(CentralError) as caught:
            central.connect(role)
        assert caught.value.kind == "schema"
        assert "99" in caught.value.message and "Upgrade quiz" in caught.value.message
        assert role in caught.value.message


def test_init_twice_changes_nothing_and_adds_clinics(
    central: Central, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["init", central.owner_url, "--role-prefix", central.prefix, "--clinic", "faro"]
    code, out, _ = _run_central(argv, capsys)
    assert code == 0
    assert f"schema version {migrations.SCHEMA_VERSION}, already current" in out
    assert f"{central.prefix}_t_faro" in out
    assert central.rows("SELECT version FROM quiz.schema_version ORDER BY 1") == [
        (v,) for v in range(1, migrations.SCHEMA_VERSION + 1)
    ]
    assert central.rows("SELECT code FROM quiz.clinic ORDER BY id") == [
        ("lisbon",),
        ("porto",),
        ("faro",),
    ]
    # Another prefix on the same database is refused, with the one to give.
    code, _, err = _run_central(["init", central.owner_url, "--role-prefix", "other"], capsys)
    assert code == 1 and f"--role-prefix {central.prefix}" in err


def test_a_bad_clinic_id_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        _run_central(["init", "--print-sql", "--clinic", "Lisboa Centro"], capsys)
    assert caught.value.code == 2
    assert "lower-case letters" in capsys.readouterr().err


def test_print_sql_is_what_init_applies(
    pg_cluster: Cluster, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = _run_central(
        ["init", "--print-sql", "--role-prefix", "ps", "--clinic", "a1"], capsys
    )
    assert code == 0
    assert "pg_advisory_xact_lock" in out and out.startswith("BEGIN;")
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE printed")
    try:
        with psycopg.connect(pg_cluster.url(database="printed"), autocommit=True) as owner:
            owner.execute(out.encode())
            assert schema_version(owner) == migrations.SCHEMA_VERSION
            assert owner.execute("SELECT code, terminal_role FROM quiz.clinic").fetchall() == [
                ("a1", "ps_t_a1")
            ]
    finally:
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            admin.execute("DROP DATABASE printed WITH (FORCE)")
            for role in ("ps_t_a1", "ps_m_a1", "ps_terminal", "ps_manager", "ps_group"):
                admin.execute(f"DROP ROLE IF EXISTS {role}")


def test_two_inits_at_once_apply_each_file_once(pg_cluster: Cluster) -> None:
    with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
        admin.execute("CREATE DATABASE racing")
    url = pg_cluster.url(database="racing")
    results: list[object] = []
    barrier = threading.Barrier(2)

    def init() -> None:
        try:
            with connect(url, check_schema=False) as connection:
                barrier.wait(timeout=30)
                results.append(migrations.apply(connection, "rc", ("x1",)))
        except Exception as error:  # reported by the assertion below
            results.append(error)

    threads = [threading.Thread(target=init) for _ in range(2)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        befores = sorted(r.before for r in results if isinstance(r, migrations.Applied))
        assert befores == [0, migrations.SCHEMA_VERSION], results
        with psycopg.connect(url) as owner:
            assert owner.execute(
                "SELECT version FROM quiz.schema_version ORDER BY 1"
            ).fetchall() == [(v,) for v in range(1, migrations.SCHEMA_VERSION + 1)]
    finally:
        with psycopg.connect(pg_cluster.url(), autocommit=True) as admin:
            admin.execute("DROP DATABASE racing WITH (FORCE)")
            for role in ("rc_t_x1", "rc_m_x1", "rc_terminal", "rc_manager", "rc_group"):
                admin.execute(f"DROP ROLE IF EXISTS {role}")


def test_the_schema_version_is_the_last_files() -> None:
    assert len(migrations.migrations()) == migrations.SCHEMA_VERSION
