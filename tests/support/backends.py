"""One store test, two stores (issue 16, §5): the behaviour of recording attempts,
reading scores and reports, forgetting a learner and importing an export, run against
the local SQLite store and against the central PostgreSQL store.

A test takes the `backend` fixture (tests/conftest.py), parametrised "sqlite" and
"central", and goes through it:

- `open()`: the store attempts are recorded into (at `path`; `open_store` is the
  opener, for the shared builders). On "sqlite" the store itself; on
  "central" a terminal's store of clinic lisbon (its changes marked to be sent).
- `db()`: what `--db` names to read them: the store's path, or the group role's URL of
  the central store (the command pulls into the mirror and answers from it). What is
  pending on the terminal is sent first, as `quiz sync` does.
- `reading()`: the store that answers reads, as a ScoreStore: the same file, or the
  mirror brought up to date (sent first, then pulled, as `--db postgresql://` does).
- `forget(name)`: `quiz learners forget` locally, or the clinic manager's forget on the
  server (its tombstone reaches the mirror at the next pull).
- `import_file(file)`: `quiz import FILE` into the store, or through the terminals'
  ingest (`quiz import FILE --db postgresql://DESK@…`).

The central store only mirrors ended attempts (an attempt in progress is the terminal's
until it ends), so tests of running or paused attempts stay SQLite-only.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from quiz.storage.scores import ScoreStore

if TYPE_CHECKING:
    from tests.support.central import Central

BACKENDS = ("sqlite", "central")
TERMINAL_CLINIC = "lisbon"


class StoreBackend(Protocol):
    name: str
    path: Path
    """The store attempts are recorded into."""

    def open_store(self, path: Path) -> ScoreStore: ...

    def open(self) -> ScoreStore: ...

    def db(self) -> str: ...

    def reading(self) -> AbstractContextManager[ScoreStore]: ...

    def forget(self, name: str) -> int: ...

    def import_file(self, file: Path) -> int: ...


@dataclass
class SqliteBackend:
    """The local store at `path`."""

    path: Path
    name: str = "sqlite"

    def open_store(self, path: Path) -> ScoreStore:
        return ScoreStore.open(path)

    def open(self) -> ScoreStore:
        return self.open_store(self.path)

    def db(self) -> str:
        return str(self.path)

    @contextmanager
    def reading(self) -> Iterator[ScoreStore]:
        with ScoreStore.open(self.path, create=False) as store:
            yield store

    def forget(self, name: str) -> int:
        """Forget `name` here; the attempts deleted."""
        with ScoreStore.open(self.path) as store:
            plan = store.forget_plan(name)
            store.forget_learner(plan)
            return plan.attempts

    def import_file(self, file: Path) -> int:
        """Import an export file; the attempts added."""
        from quiz.storage import exchange

        with ScoreStore.open(self.path) as store, exchange.read_export_file(file) as exported:
            return len(store.import_attempts(exported).imported)


@dataclass
class CentralBackend:
    """A terminal of clinic lisbon at `path` pushing to `central`, read back through the
    group role's mirror (the one `--db postgresql://GROUP@…` pulls into)."""

    path: Path
    central: Central
    name: str = "central"

    def open_store(self, path: Path) -> ScoreStore:
        """A store of this terminal: what it changes is marked to be sent."""
        return ScoreStore.open(path, outbox=True, clinic=TERMINAL_CLINIC)

    def open(self) -> ScoreStore:
        return self.open_store(self.path)

    def send(self) -> None:
        """Send what is pending on the terminal (a `quiz sync` round)."""
        from quiz.storage.central.sync import sync_round

        if not self.path.exists():
            return
        role = self.central.terminal(TERMINAL_CLINIC)
        with self.open() as store, self.central.connect(role) as connection:
            outcome = sync_round(store, connection, self.central.server(role), TERMINAL_CLINIC)
        assert outcome.still_pending == 0 and not outcome.refused, outcome

    def db(self) -> str:
        self.send()
        return self.central.url(self.central.group)

    @contextmanager
    def reading(self) -> Iterator[ScoreStore]:
        from quiz.storage.central.pull import mirror_path, pull

        self.send()
        role = self.central.group
        server = self.central.server(role)
        mirror = mirror_path(server)
        with self.central.connect(role) as connection:
            pull(connection, server, mirror)
        with ScoreStore.open(mirror, create=False) as store:
            yield store

    def forget(self, name: str) -> int:
        """Forget `name` on the server as the clinic's manager; the attempts deleted."""
        from quiz.domain.text import learner_key
        from quiz.storage.central.forget import forget_central

        self.send()
        deleted, _server = forget_central(
            self.central.url(self.central.manager(TERMINAL_CLINIC)), learner_key(name)
        )
        return deleted

    def import_file(self, file: Path) -> int:
        """Send an export file's ended attempts through the terminals' ingest, as
        `quiz import FILE --db postgresql://DESK@…` does; the attempts added."""
        from quiz.storage import exchange
        from quiz.storage.central.push import push_attempt

        role = self.central.terminal(TERMINAL_CLINIC)
        added = 0
        with exchange.read_export_file(file) as exported, self.central.connect(role) as connection:
            for detail in exported:
                export = detail.to_export_dict()
                if export["status"] in ("in_progress", "paused"):
                    continue
                server = self.central.server(role)
                added += push_attempt(connection, export, server=server) == "added"
        return added
