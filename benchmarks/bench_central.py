"""The central store (issue 16, §7): pushing a backlog, the first pull, the report on a
current mirror, and the first screen with a central store set.

    python -m benchmarks --only central-push,central-pull,central-report,central-first-screen

Every part starts its own throwaway PostgreSQL cluster, as the tests do
(tests/support/postgres.py: Debian's binaries found with `pg_config --bindir` or under
/usr/lib/postgresql/*/bin, run as the postgres user when we are root, a Unix socket in a
temporary folder, fsync off), and stops it at the end. Without the binaries the rows
say so and are not counted.

- push (`central-push`): a terminal's backlog of 10,000 attempts with 200,000 answers
  (benchmarks/gen_store.py's store of 10k attempts, every attempt marked pending) sent by
  `sync_round` (quiz sync's round: each attempt read from SQLite, sent whole through
  quiz.ingest_attempt in its own transaction, its mark cleared), into a fresh database.
  Floor: the same rows (attempts, their questions as asked, answers: built from the
  same exports beforehand) sent with `executemany` in one transaction into tables of
  the same shape, over the same socket. Budgets: at most 60 s and at most 3x.
- pull (`central-pull`): the server holding 100,000 attempts and 2M answers (the pushed
  10k, copied nine times on the server under new ids), pulled by the group role into an
  empty mirror (`quiz.storage.central.pull.pull`: read, checked and added by the
  import's code). Floor: the same role reading the same rows with one query per table
  (attempts, their items, the questions as asked, answers), every row fetched. Budget:
  at most 3x.
- report (`central-report`): `quiz report --db postgresql://GROUP@…`'s work in the
  process with that mirror current (connect, the incremental pull that finds nothing,
  the report on the mirror), after one untimed report (it makes the mirror's drill
  cards). Budget: at most 300 ms plus one round trip (`SELECT 1` on an open connection).
- first screen (`central-first-screen`): the app's home screen in tmux with QUIZ_CENTRAL
  and QUIZ_CLINIC set (the cluster running), beside the same without them and the
  trivial Textual app, alternated. Budget: the first screen's own (at most 1.25x the
  trivial app's).
"""

from __future__ import annotations

import contextlib
import itertools
import shutil
import sqlite3
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    PYTHON,
    WORK,
    Row,
    alternate,
    ensure_importable,
    median,
    ratio_row,
)

PUSH_ATTEMPTS = 10_000
PULL_COPIES = 10  # the pushed attempts and nine copies: 100,000 attempts
PUSH_SECONDS_BUDGET = 60.0
PUSH_BUDGET = 3.0
PULL_BUDGET = 3.0
REPORT_BUDGET_MS = 300.0
CLINIC = "bench"

_databases = itertools.count(1)


# --- the cluster --------------------------------------------------------------------------


def _no_postgres(figures: list[tuple[str, str]]) -> list[Row] | None:
    """Rows saying why there is no cluster, or None when the binaries are there."""
    ensure_importable()
    from tests.support.postgres import NoPostgres, find_binaries

    try:
        find_binaries()
    except NoPostgres as error:
        return [
            Row(figure, f"not run: {error}"[:300], budget=budget, ok=None)
            for figure, budget in figures
        ]
    return None


@contextlib.contextmanager
def _cluster() -> Iterator[Any]:
    from tests.support.postgres import Cluster

    cluster = Cluster.start()
    try:
        yield cluster
    finally:
        cluster.stop()


def _work() -> Path:
    WORK.mkdir(parents=True, exist_ok=True)
    return WORK


class Database:
    """A fresh database on the cluster, initialised by `quiz central init`'s code for
    one clinic, with login roles for its terminal and the group."""

    def __init__(self, cluster: Any) -> None:
        import psycopg

        from quiz.storage.central import migrations
        from quiz.storage.central.connection import connect

        number = next(_databases)
        self.cluster = cluster
        self.name = f"bench{number}"
        self.prefix = f"b{number}"
        with psycopg.connect(cluster.url(), autocommit=True) as admin:
            admin.execute(f"CREATE DATABASE {self.name}")
        with connect(self.owner_url, check_schema=False) as owner:
            migrations.apply(owner, self.prefix, (CLINIC,))
        with psycopg.connect(self.owner_url, autocommit=True) as owner:
            owner.execute(f"CREATE ROLE {self.terminal} LOGIN IN ROLE {self.prefix}_t_{CLINIC}")
            owner.execute(f"CREATE ROLE {self.group} LOGIN IN ROLE {self.prefix}_group")

    _own = (f"t_{CLINIC}", f"m_{CLINIC}", "group")
    """The roles `quiz central init` made (after the prefix)."""

    @property
    def owner_url(self) -> str:
        return str(self.cluster.url(database=self.name))

    @property
    def terminal(self) -> str:
        return f"{self.prefix}_desk"

    @property
    def group(self) -> str:
        return f"{self.prefix}_head_office"

    def url(self, role: str) -> str:
        return str(self.cluster.url(role, self.name))

    def drop(self) -> None:
        import psycopg

        with psycopg.connect(self.cluster.url(), autocommit=True) as admin:
            admin.execute(f"DROP DATABASE IF EXISTS {self.name} WITH (FORCE)")
            roles = (self.terminal, self.group, *(f"{self.prefix}_{r}" for r in self._own))
            for role in roles:
                admin.execute(f'DROP ROLE IF EXISTS "{role}"')


# --- push ---------------------------------------------------------------------------------


def _backlog(folder: Path) -> Path:
    """A copy of the generated 10k-attempt store with every attempt marked pending."""
    from benchmarks.bench_scores import large_store

    source = large_store(PUSH_ATTEMPTS)
    target = folder / "terminal.sqlite3"
    for suffix in ("", "-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    shutil.copyfile(source, target)
    connection = sqlite3.connect(target)
    with connection:
        connection.execute("DELETE FROM outbox")
        connection.execute(
            "INSERT INTO outbox (attempt, version, marked_at) SELECT id, 1, 0 FROM attempt"
        )
    connection.close()
    return target


def _push_once(cluster: Any, folder: Path) -> tuple[float, Database, int]:
    """(seconds of sync_round, the database it filled, the attempts sent)."""
    from quiz.storage.central.connection import connect, server_name
    from quiz.storage.central.sync import sync_round
    from quiz.storage.scores import ScoreStore

    path = _backlog(folder)
    database = Database(cluster)
    url = database.url(database.terminal)
    with ScoreStore.open(path, outbox=True, clinic=CLINIC) as store:
        started = time.perf_counter()
        with connect(url) as connection:
            outcome = sync_round(store, connection, server_name(url), CLINIC)
        seconds = time.perf_counter() - started
    assert outcome.still_pending == 0 and not outcome.refused, outcome
    return seconds, database, outcome.sent


_FLOOR_SQL = """
CREATE SCHEMA floor;
CREATE TABLE floor.attempt (
    uuid text PRIMARY KEY, learner text NOT NULL, learner_key text NOT NULL,
    course text NOT NULL, course_version text NOT NULL, mode text NOT NULL, exam text,
    sections text[] NOT NULL, seed bigint NOT NULL, status text NOT NULL,
    started_at timestamptz NOT NULL, finished_at timestamptz, time_limit_seconds integer,
    deadline_at timestamptz, pass_mark integer, correct integer, total integer NOT NULL,
    percent double precision, passed boolean, utc_offset_minutes integer
);
CREATE TABLE floor.asked (
    attempt text NOT NULL REFERENCES floor.attempt(uuid), item integer NOT NULL,
    body jsonb NOT NULL, PRIMARY KEY (attempt, item)
);
CREATE TABLE floor.answer (
    attempt text NOT NULL, item integer NOT NULL, rev integer NOT NULL, response jsonb,
    correct boolean NOT NULL, seconds double precision NOT NULL,
    answered_at timestamptz NOT NULL, PRIMARY KEY (attempt, item, rev),
    FOREIGN KEY (attempt, item) REFERENCES floor.asked(attempt, item)
);
"""
_QUESTION_FIELDS = (
    *("question_id", "section", "type", "prompt", "choices", "right_answer", "critical"),
)
_ATTEMPT_FIELDS = (
    *("course", "course_version", "mode", "exam", "sections", "seed", "status", "started_at"),
    *("finished_at", "time_limit_seconds", "deadline_at", "pass_mark", "correct", "total"),
    *("percent", "passed"),
)
"""floor.attempt's columns after uuid, learner and learner_key, and before the offset."""


def _floor_rows(path: Path) -> tuple[list[tuple[Any, ...]], ...]:
    """The rows of every attempt of the store at `path`, from the exports sync sends."""
    from psycopg.types.json import Jsonb

    from quiz.domain.text import learner_key
    from quiz.storage.scores import ScoreStore

    attempts, asked, answers = [], [], []
    with ScoreStore.open(path) as store:
        for pending in store.pending_attempts():
            outgoing = store.outgoing(pending)
            assert outgoing is not None
            export, offset = outgoing
            attempts.append(
                (
                    export["id"],
                    export["learner"],
                    learner_key(str(export["learner"])),
                    *(export[name] for name in _ATTEMPT_FIELDS),
                    offset,
                )
            )
            items: Any = export["answers"]
            for position, item in enumerate(items):
                asked.append(
                    (export["id"], position, Jsonb({k: item[k] for k in _QUESTION_FIELDS}))
                )
                given = [*item.get("history", []), item] if item["answered_at"] else []
                for rev, answer in enumerate(given):
                    answers.append(
                        (
                            export["id"],
                            position,
                            rev,
                            Jsonb(answer["response"]),
                            answer["correct"],
                            answer["seconds"],
                            answer["answered_at"],
                        )
                    )
    return attempts, asked, answers


def _floor_push_once(database: Database, rows: tuple[list[tuple[Any, ...]], ...]) -> float:
    import psycopg

    attempts, asked, answers = rows
    with psycopg.connect(database.owner_url, autocommit=True) as owner:
        owner.execute("DROP SCHEMA IF EXISTS floor CASCADE")
        owner.execute(_FLOOR_SQL)
    started = time.perf_counter()
    with (
        psycopg.connect(database.owner_url) as connection,
        connection.transaction(),
        connection.cursor() as cursor,
    ):
        cursor.executemany(f"INSERT INTO floor.attempt VALUES ({', '.join(['%s'] * 20)})", attempts)
        cursor.executemany("INSERT INTO floor.asked VALUES (%s, %s, %s)", asked)
        cursor.executemany("INSERT INTO floor.answer VALUES (%s, %s, %s, %s, %s, %s, %s)", answers)
    return time.perf_counter() - started


def rows_central_push(quick: bool = False) -> list[Row]:
    figure = f"push: {PUSH_ATTEMPTS // 1000}k attempts, 200k answers, one terminal's backlog"
    skipped = _no_postgres([(figure, f"≤ {PUSH_SECONDS_BUDGET:g} s, ≤ {PUSH_BUDGET:g}x")])
    if skipped:
        return skipped
    runs = 1 if quick else 3
    with _cluster() as cluster, tempfile.TemporaryDirectory(dir=_work()) as scratch:
        folder = Path(scratch)
        floor_rows = _floor_rows(_backlog(folder))
        answers = len(floor_rows[2])
        databases: list[Database] = []
        sent: list[int] = []

        def ours() -> float:
            seconds, database, count = _push_once(cluster, folder)
            databases.append(database)
            sent.append(count)
            return seconds

        def floor() -> float:
            database = Database(cluster)
            try:
                return _floor_push_once(database, floor_rows)
            finally:
                database.drop()

        mine, base = alternate(runs, ours, floor)
        for database in databases:
            database.drop()
    measured = median(mine)
    ratio = measured / median(base)
    return [
        Row(
            figure,
            f"{measured:.1f} s",
            f"{median(base):.1f} s",
            ratio,
            f"≤ {PUSH_SECONDS_BUDGET:g} s, ≤ {PUSH_BUDGET:g}x",
            measured <= PUSH_SECONDS_BUDGET and ratio <= PUSH_BUDGET,
            note=f"quiz sync's round (sync_round) in the process, {sent[0]} attempts and "
            f"{answers} answers, each attempt in its own transaction through "
            f"quiz.ingest_attempt, median of {runs}; baseline: the same rows sent with "
            "executemany in one transaction into tables of the same shape; a throwaway "
            "cluster on a Unix socket, fsync off",
        )
    ]


# --- pull and the report on the mirror ----------------------------------------------------


def _copy_attempts(database: Database, copies: int) -> None:
    """Copy the server's attempts `copies - 1` times under new ids and uuids (with their
    questions and answers), as the owner."""
    import psycopg

    with psycopg.connect(database.owner_url, autocommit=True) as owner:
        columns = [
            row[0]
            for row in owner.execute(
                "SELECT column_name FROM information_schema.columns "
                "WHERE table_schema = 'quiz' AND table_name = 'attempt' ORDER BY ordinal_position"
            )
        ]
        chosen = {"id": "m.new", "uuid": "a.uuid || '-' || m.copy", "verify_code": "NULL"}
        values = ", ".join(chosen.get(c, f"a.{c}") for c in columns)
        with owner.transaction():
            owner.execute(
                "CREATE TEMP TABLE m AS SELECT a.id AS old, k AS copy, "
                "nextval(pg_get_serial_sequence('quiz.attempt', 'id')) AS new "
                f"FROM quiz.attempt a, generate_series(1, {copies - 1}) k"
            )
            owner.execute(
                f"INSERT INTO quiz.attempt ({', '.join(columns)}) "
                f"SELECT {values} FROM quiz.attempt a JOIN m ON m.old = a.id"
            )
            owner.execute(
                "INSERT INTO quiz.attempt_item (attempt, item, asked) "
                "SELECT m.new, i.item, i.asked FROM quiz.attempt_item i JOIN m ON m.old = i.attempt"
            )
            owner.execute(
                "INSERT INTO quiz.answer (attempt, item, rev, response, correct, seconds, "
                "answered_at) SELECT m.new, w.item, w.rev, w.response, w.correct, w.seconds, "
                "w.answered_at FROM quiz.answer w JOIN m ON m.old = w.attempt"
            )
        owner.execute("ANALYZE")


_FLOOR_READS = (
    "SELECT * FROM quiz.attempt WHERE status IN ('completed', 'timed_out', 'abandoned')",
    "SELECT attempt, item, asked FROM quiz.attempt_item",
    "SELECT id, body FROM quiz.asked_question",
    "SELECT attempt, item, rev, response, correct, seconds, answered_at FROM quiz.answer",
)


def _floor_pull_once(url: str) -> tuple[float, int]:
    """(seconds, rows) reading every row the role may read, one query per table."""
    import psycopg

    started = time.perf_counter()
    rows = 0
    with psycopg.connect(url) as connection:
        for query in _FLOOR_READS:
            rows += len(connection.execute(query).fetchall())
    return time.perf_counter() - started, rows


class PulledServer:
    """A cluster holding 100k attempts and 2M answers, and a mirror of the group role."""

    def __init__(self, cluster: Any, folder: Path) -> None:
        _seconds, self.database, _sent = _push_once(cluster, folder)
        _copy_attempts(self.database, PULL_COPIES)
        self.url = self.database.url(self.database.group)
        self.folder = folder
        self.counts = self._counts()

    def _counts(self) -> tuple[int, int]:
        import psycopg

        with psycopg.connect(self.database.owner_url) as owner:
            row = owner.execute(
                "SELECT (SELECT count(*) FROM quiz.attempt), (SELECT count(*) FROM quiz.answer)"
            ).fetchone()
        assert row is not None
        return int(row[0]), int(row[1])

    def pull_into(self, mirror: Path) -> tuple[float, int]:
        """(seconds, attempts read) of a pull into `mirror`."""
        from quiz.storage.central.connection import connect, server_name
        from quiz.storage.central.pull import pull

        started = time.perf_counter()
        with connect(self.url) as connection:
            outcome = pull(connection, server_name(self.url), mirror)
        return time.perf_counter() - started, outcome.read


def _fresh(path: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return path


def rows_central_pull(quick: bool = False) -> list[Row]:
    figure = "first pull: 100k attempts, 2M answers, into an empty mirror"
    skipped = _no_postgres([(figure, f"≤ {PULL_BUDGET:g}x")])
    if skipped:
        return skipped
    runs = 1 if quick else 2
    with _cluster() as cluster, tempfile.TemporaryDirectory(dir=_work()) as scratch:
        server = PulledServer(cluster, Path(scratch))
        mirror = Path(scratch) / "mirror.sqlite3"
        read: list[int] = []
        floor_rows: list[int] = []

        def ours() -> float:
            seconds, count = server.pull_into(_fresh(mirror))
            read.append(count)
            return seconds

        def floor() -> float:
            seconds, count = _floor_pull_once(server.url)
            floor_rows.append(count)
            return seconds

        mine, base = alternate(runs, ours, floor)
        attempts, answers = server.counts
    return [
        ratio_row(
            figure,
            median(mine),
            median(base),
            "s",
            at_most=PULL_BUDGET,
            note=f"quiz.storage.central.pull.pull as the group role: {read[0]} ended "
            f"attempts read of {attempts} ({answers} answers on the server), checked and "
            f"added by the import's code; median of {runs}; baseline: the same "
            f"role reading the same rows with one query per table ({floor_rows[0]} rows "
            "fetched)",
        )
    ]


def rows_central_report(quick: bool = False) -> list[Row]:
    figure = "quiz report --db postgresql://… with the mirror current (100k attempts)"
    skipped = _no_postgres([(figure, f"≤ {REPORT_BUDGET_MS:g} ms + 1 round trip")])
    if skipped:
        return skipped
    import argparse

    from quiz.commands import store_path
    from quiz.commands.due import finish_card_rebuild
    from quiz.commands.report import build_report
    from quiz.storage.scores import ScoreStore

    runs = 5 if quick else 15
    with (
        _cluster() as cluster,
        tempfile.TemporaryDirectory(dir=_work()) as scratch,
        _cache_home(Path(scratch)),
    ):
        server = PulledServer(cluster, Path(scratch))
        args = argparse.Namespace(db=server.url)
        path = store_path(args, "bench")  # the first pull, untimed
        assert path is not None
        with ScoreStore.open(path) as store:  # the mirror's drill cards, as the first report
            finish_card_rebuild(store, "bench")
        build_report(path)

        def report_ms() -> float:
            started = time.perf_counter()
            current = store_path(args, "bench")
            assert current is not None
            build_report(current)
            return (time.perf_counter() - started) * 1000

        def round_trip_ms() -> float:
            import psycopg

            with psycopg.connect(server.url) as connection:
                connection.execute("SELECT 1").fetchone()
                started = time.perf_counter()
                for _ in range(20):
                    connection.execute("SELECT 1").fetchone()
                return (time.perf_counter() - started) * 1000 / 20

        mine, trips = alternate(runs, report_ms, round_trip_ms)
    measured, trip = median(mine), median(trips)
    budget = REPORT_BUDGET_MS + trip
    return [
        Row(
            figure,
            f"{measured:.0f} ms",
            f"{trip:.2f} ms round trip",
            None,
            f"≤ {REPORT_BUDGET_MS:g} ms + 1 round trip",
            measured <= budget,
            note=f"in the process: connect, the pull that finds nothing new, the report on "
            f"the mirror ({server.counts[0]} attempts); median of {runs}; a round trip: "
            "SELECT 1 on an open connection over the cluster's Unix socket",
        )
    ]


@contextlib.contextmanager
def _cache_home(folder: Path) -> Iterator[None]:
    """The mirror in a cache folder of the run's own (never the user's)."""
    import os

    before = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(folder / "cache")
    try:
        yield
    finally:
        if before is None:
            os.environ.pop("XDG_CACHE_HOME", None)
        else:
            os.environ["XDG_CACHE_HOME"] = before


# --- the first screen with a central store set ---------------------------------------------


def rows_central_first_screen(quick: bool = False) -> list[Row]:
    from benchmarks.bench_tui import (
        APPS,
        FIRST_SCREEN_BUDGET,
        HOME_TEXT,
        TRIVIAL_TEXT,
        Sandbox,
        _open_and_time,
        quiz_available,
    )
    from benchmarks.tmuxctl import Tmux

    figure = "first screen, bundled course, QUIZ_CENTRAL set (home shown)"
    budget = f"≤ {FIRST_SCREEN_BUDGET:g}x"
    skipped = _no_postgres([(figure, budget)])
    if skipped:
        return skipped
    missing = quiz_available()
    if missing:
        return [Row(figure, f"not run: {missing}", budget=budget)]
    runs = 5 if quick else 11
    trivial: list[float] = []
    plain: list[float] = []
    central: list[float] = []
    with _cluster() as cluster, Sandbox() as sandbox, Tmux() as tmux:
        database = Database(cluster)
        env = sandbox.env()
        central_env = {
            **env,
            "QUIZ_CENTRAL": database.url(database.terminal),
            "QUIZ_CLINIC": CLINIC,
        }
        trivial_argv = [PYTHON, str(APPS / "trivial.py")]

        def one(name: str, argv: list[str], run_env: dict[str, str], text: str) -> float:
            times, pid = _open_and_time(tmux, name, argv, run_env, [text])
            time.sleep(0.3)  # let the sender start (it does once the home screen shows)
            tmux.kill(name, pid)
            return times[0]

        order = [
            (trivial, "t", trivial_argv, env, TRIVIAL_TEXT),
            (plain, "p", sandbox.quiz_argv(), env, HOME_TEXT),
            (central, "c", sandbox.quiz_argv(), central_env, HOME_TEXT),
        ]
        for _into, name, argv, run_env, text in order:  # warm-up
            one(f"{name}w", argv, run_env, text)
        for index in range(runs):
            turn = index % len(order)
            for into, name, argv, run_env, text in order[turn:] + order[:turn]:
                into.append(one(f"{name}{index}", argv, run_env, text))
                time.sleep(0.2)
        database.drop()
    base = median(trivial) * 1000
    return [
        ratio_row(
            figure,
            median(central) * 1000,
            base,
            "ms",
            at_most=FIRST_SCREEN_BUDGET,
            digits=0,
            note=f"median of {runs} alternated runs; baseline: benchmarks/apps/trivial.py; "
            f"the same without QUIZ_CENTRAL in the same runs: {median(plain) * 1000:.0f} ms "
            f"({median(plain) * 1000 / base:.2f}x)",
        )
    ]


def rows(quick: bool = False) -> list[Row]:
    return (
        rows_central_push(quick)
        + rows_central_pull(quick)
        + rows_central_report(quick)
        + rows_central_first_screen(quick)
    )


if __name__ == "__main__":
    ensure_importable()
    from benchmarks.run import print_table

    print_table(rows("--quick" in sys.argv))
