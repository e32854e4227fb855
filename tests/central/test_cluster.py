"""The throwaway cluster itself: a real server, and nothing left when it stops."""

from __future__ import annotations

import os

import psycopg

from tests.support.postgres import Cluster, running_cluster


def test_the_session_cluster_is_a_real_postgresql(pg_cluster: Cluster) -> None:
    with psycopg.connect(pg_cluster.url()) as connection:
        row = connection.execute("SHOW server_version_num").fetchone()
        fsync = connection.execute("SHOW fsync").fetchone()
    assert row is not None and int(row[0]) >= 150000
    assert fsync == ("off",)


def test_a_stopped_cluster_leaves_nothing_running_or_on_disk(pg_cluster: Cluster) -> None:
    # pg_cluster: only run when the binaries are there (it skips, or fails under CI).
    with running_cluster() as cluster:
        (pid,) = cluster.server_pids()
        assert cluster.is_running()
        folder = cluster.folder
    assert not folder.exists()
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        pass
    else:  # a zombie not yet reaped by init is gone as a server: its socket is gone too
        assert not (folder / ".s.PGSQL.5432").exists()
