"""The central store's tests run against a real PostgreSQL: one throwaway cluster for
the whole session (tests/support/postgres.py), a fresh database for each test.

Without the binaries these tests skip, saying what to install; under CI (CI=true) that
is a failure instead, so CI can never pass without having run them."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest

from tests.support.central import Central, central_store
from tests.support.postgres import Cluster, NoPostgres


@pytest.fixture(scope="session")
def pg_cluster() -> Iterator[Cluster]:
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
    if not pg_cluster.is_running():  # a test that stops the server restarts it; be sure
        pg_cluster.restart_server()
    with central_store(pg_cluster) as store:
        yield store
