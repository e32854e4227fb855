"""A throwaway PostgreSQL cluster for the tests of the central store (issue 16, §5).

The binaries are found with `pg_config --bindir`, else under /usr/lib/postgresql/*/bin
(Debian keeps them off PATH). initdb and pg_ctl refuse to run as root, so as root they
run as the `postgres` user (`runuser -u postgres -- ...`) in a temporary folder that
user owns. The server listens on a Unix socket in that folder only (no TCP port to
collide with), with fsync off: its data is thrown away when the tests end.

`find_binaries` says why there are none (the message of a skip); `Cluster.start`
starts one, `Cluster.stop` stops it (fast shutdown) and deletes its folder.
"""

from __future__ import annotations

import contextlib
import os
import pwd
import shutil
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

SUPERUSER = "postgres"
"""The cluster's bootstrap superuser (initdb -U)."""
PASSWORD_GROUP = "quiz_password_required"
"""Members of this role must give a password (scram-sha-256); every other role is
trusted on the socket. The bad-connection tests use such a member. (pg_hba.conf matches
regular expressions of role names only from PostgreSQL 16: a group works in 15.)"""
PORT = 5432  # only names the socket file (.s.PGSQL.5432): no TCP listening
_START_TIMEOUT_SECONDS = 60


class NoPostgres(Exception):
    """No PostgreSQL binaries on this machine (the message says what to install)."""


def find_binaries() -> Path:
    """The folder holding initdb, pg_ctl and postgres. Raises NoPostgres."""
    candidates: list[Path] = []
    pg_config = shutil.which("pg_config")
    if pg_config is not None:
        try:
            found = subprocess.run(
                [pg_config, "--bindir"], capture_output=True, text=True, check=True, timeout=30
            ).stdout.strip()
        except (OSError, subprocess.SubprocessError):
            found = ""
        if found:
            candidates.append(Path(found))
    versions = sorted(
        Path("/usr/lib/postgresql").glob("*/bin"),
        key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True,
    )
    candidates.extend(versions)
    for folder in candidates:
        if all((folder / name).is_file() for name in ("initdb", "pg_ctl", "postgres", "psql")):
            return folder
    raise NoPostgres(
        "no PostgreSQL binaries (initdb, pg_ctl, postgres, psql) were found with "
        "`pg_config --bindir` or under /usr/lib/postgresql/*/bin; install Debian's "
        "`postgresql` package (apt-get install -y postgresql) to run these tests"
    )


def _as_root() -> bool:
    return os.geteuid() == 0


@dataclass
class Cluster:
    """A running throwaway cluster: its folder, socket folder and binaries."""

    bindir: Path
    folder: Path
    started_seconds: float = 0.0
    """How long initdb and the start took (the README quotes it)."""

    @property
    def data(self) -> Path:
        return self.folder / "data"

    @property
    def socket_dir(self) -> Path:
        return self.folder

    def url(self, user: str = SUPERUSER, database: str = "postgres", password: str = "") -> str:
        """A libpq URL reaching this cluster over its socket as `user`."""
        secret = f":{quote(password, safe='')}" if password else ""
        host = quote(str(self.socket_dir), safe="")
        return f"postgresql://{quote(user, safe='')}{secret}@/{database}?host={host}&port={PORT}"

    @classmethod
    def start(cls) -> Cluster:
        """initdb a new cluster in a temporary folder and start it. Raises NoPostgres when
        there are no binaries, and subprocess.CalledProcessError when they fail."""
        bindir = find_binaries()
        began = time.monotonic()
        folder = Path(tempfile.mkdtemp(prefix="quiz-pg-"))
        cluster = cls(bindir, folder)
        try:
            if _as_root():
                account = pwd.getpwnam("postgres")
                os.chown(folder, account.pw_uid, account.pw_gid)
            folder.chmod(0o700)
            cluster._run(
                "initdb",
                "-D",
                str(cluster.data),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "--no-sync",
                "--encoding=UTF8",
                "--no-locale",
            )
            cluster._write_hba()
            cluster._write_settings()
            cluster.restart_server()
            cluster._create_password_group()
        except BaseException:
            cluster.stop()
            raise
        cluster.started_seconds = time.monotonic() - began
        return cluster

    def _write_hba(self) -> None:
        hba = self.data / "pg_hba.conf"
        hba.write_text(
            "# quiz tests: password roles first, every other role trusted on the socket\n"
            f"local all +{PASSWORD_GROUP} scram-sha-256\n"
            "local all all trust\n",
            encoding="utf-8",
        )

    def _write_settings(self) -> None:
        """The server's settings, in its configuration file (not pg_ctl -o), so that a
        server stopped by a test starts again on the same socket."""
        settings = [
            "listen_addresses = ''",
            f"unix_socket_directories = '{self.socket_dir}'",
            f"port = {PORT}",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
            "max_connections = 60",
        ]
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# quiz tests\n" + "\n".join(settings) + "\n")

    def _create_password_group(self) -> None:
        self._run(
            "psql",
            "-X",
            "-q",
            "-h",
            str(self.socket_dir),
            "-p",
            str(PORT),
            "-U",
            SUPERUSER,
            "-d",
            "postgres",
            "-c",
            f"CREATE ROLE {PASSWORD_GROUP} NOLOGIN",
        )

    def _command(self, program: str, *arguments: str) -> list[str]:
        command = [str(self.bindir / program), *arguments]
        if _as_root():
            return ["runuser", "-u", "postgres", "--", *command]
        return command

    def _run(self, program: str, *arguments: str) -> None:
        result = subprocess.run(
            self._command(program, *arguments),
            capture_output=True,
            text=True,
            timeout=_START_TIMEOUT_SECONDS + 30,
            cwd=self.folder,
        )
        if result.returncode != 0:
            log = self.folder / "server.log"
            tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
            raise subprocess.CalledProcessError(
                result.returncode,
                result.args,
                output=result.stdout,
                stderr=f"{result.stderr}\n{tail}",
            )

    def is_running(self) -> bool:
        result = subprocess.run(
            self._command("pg_ctl", "-D", str(self.data), "status"),
            capture_output=True,
            text=True,
            timeout=30,
            cwd=self.folder,
        )
        return result.returncode == 0

    def stop_server(self) -> None:
        """Stop the server (fast: open sessions are ended) and wait until it is gone;
        the cluster can be started again with `restart_server`."""
        if self.is_running():
            self._run("pg_ctl", "-D", str(self.data), "-m", "fast", "-w", "stop")

    def restart_server(self) -> None:
        self._run(
            "pg_ctl",
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "server.log"),
            "-w",
            "-t",
            str(_START_TIMEOUT_SECONDS),
            "start",
        )

    def stop(self) -> None:
        """Stop the server and delete its folder: nothing is left running or on disk."""
        try:
            self.stop_server()
        finally:
            self._remove()

    def _remove(self) -> None:
        shutil.rmtree(self.folder, ignore_errors=True)

    def server_pids(self) -> Sequence[int]:
        """The postmaster's pid, if it runs (postmaster.pid's first line)."""
        pidfile = self.data / "postmaster.pid"
        with contextlib.suppress(OSError, ValueError, IndexError):
            return [int(pidfile.read_text().splitlines()[0])]
        return []


@contextlib.contextmanager
def running_cluster() -> Iterator[Cluster]:
    cluster = Cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()
