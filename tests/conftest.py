"""Shared test set-up: no test touches the real user data folder; the throwaway
PostgreSQL cluster of the central store's tests, and the `backend` fixture that runs a
store test against both stores (tests/support/backends.py)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from tests.support.backends import StoreBackend
    from tests.support.central import Central
    from tests.support.postgres import Cluster


@pytest.fixture(autouse=True)
def _isolated_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every per-user path (data, settings, log, XDG dirs) at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("QUIZ_DB", str(home / "scores.sqlite3"))
    monkeypatch.setenv("QUIZ_SETTINGS", str(home / "settings.json"))
    monkeypatch.setenv("QUIZ_LOG", str(home / "quiz.log"))
    monkeypatch.delenv("QUIZ_QUESTIONS", raising=False)
    monkeypatch.delenv("QUIZ_CENTRAL", raising=False)
    monkeypatch.delenv("QUIZ_CLINIC", raising=False)
    monkeypatch.delenv("QUIZ_SIGNING_KEY", raising=False)
    monkeypatch.setenv("QUIZ_CERTIFICATES", str(home / "certificates"))


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).resolve().parent / "fixtures"


# --- the central store: a real PostgreSQL ------------------------------------------------
# One throwaway cluster for the whole session (tests/support/postgres.py), a fresh
# database for each test. Without the binaries these tests skip, saying what to
# install; under CI (CI=true) that is a failure instead, so CI can never pass without
# having run them. psycopg is imported only by the tests that use them.


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
    from tests.support.postgres import Cluster, NoPostgres

    try:
        cluster = Cluster.start()
    except NoPostgres as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"CI=true and the central store's tests cannot run: {error}")
        pytest.skip(str(error))
    try:
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def central(pg_cluster: Cluster) -> Iterator[Central]:
    from tests.support.central import central_store

    if not pg_cluster.is_running():  # a test that stops the server restarts it; be sure
        pg_cluster.restart_server()
    with central_store(pg_cluster) as store:
        yield store


@pytest.fixture(params=["sqlite", "central"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> StoreBackend:
    """The store a store test records into and reads from: the SQLite store, or a
    terminal pushing to the central store read back through its mirror."""
    from tests.support.backends import CentralBackend, SqliteBackend

    if request.param == "sqlite":
        return SqliteBackend(tmp_path / "scores.sqlite3")
    central: Central = request.getfixturevalue("central")
    return CentralBackend(tmp_path / "terminal.sqlite3", central)
