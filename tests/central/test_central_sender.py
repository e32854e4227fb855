"""The faults of issue 16 §6 against the real server: the server stopped mid-exam (the
exam goes on and saves here, the app shows a quiet "not sent yet", and after the
restart the push completes with nothing doubled), the pushing process SIGKILLed
mid-push (then exactly one copy of each attempt), and bad connections (a clear message
naming the server, exit 1, local data untouched).

Tests wait for states (the sender's reports, the app's state, rows on the server),
never for a length of time."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from textual.widgets import Static

from quiz import paths
from quiz.domain.records import AttemptStatus, Mode
from quiz.launch import AppOptions
from quiz.settings import CentralConfig
from quiz.storage.central.sender import Sender, SendState
from quiz.storage.scores import ScoreStore
from quiz.ui.app import make_app
from quiz.ui.saving import NOT_SENT_MARK, StoreThread
from quiz.ui.screens.exam import ExamScreen
from quiz.ui.screens.results import ResultsScreen
from tests.support.app import start
from tests.support.central import Central
from tests.support.central_child import attempts
from tests.support.cli import run_cli
from tests.support.courses import course_load
from tests.support.fakes import FixedClock
from tests.support.paths import MINI, REPO
from tests.support.postgres import PASSWORD_GROUP, Cluster
from tests.support.store_records import answer, completed, make_start
from tests.support.waiting import shown, wait_for

STATE_WAIT_SECONDS = 30.0
"""How long a test waits for a state before it fails (never reached when all is well)."""


@pytest.fixture
def restarting(pg_cluster: Cluster) -> Iterator[Cluster]:
    """The cluster, started again after the test whatever happened in it."""
    yield pg_cluster
    if not pg_cluster.is_running():
        pg_cluster.restart_server()


def eventually(check: Callable[[], bool], what: str) -> None:
    """Wait until `check()` holds (a state, read again and again), or fail naming it."""
    deadline = time.monotonic() + STATE_WAIT_SECONDS
    while not check():
        if time.monotonic() > deadline:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.02)


class States:
    """The sender's reports, as they come."""

    def __init__(self) -> None:
        self.queue: queue.Queue[SendState] = queue.Queue()
        self.last: SendState | None = None

    def report(self, state: SendState) -> None:
        self.queue.put(state)

    def until(self, check: Callable[[SendState], bool], what: str) -> SendState:
        deadline = time.monotonic() + STATE_WAIT_SECONDS
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"gave up waiting for {what}; last state {self.last}")
            try:
                self.last = self.queue.get(timeout=left)
            except queue.Empty:
                continue
            if check(self.last):
                return self.last


def server_copies(central: Central) -> dict[str, int]:
    """Attempts on the server by id, with their answer rows."""
    return dict(
        central.rows(
            "SELECT a.uuid, (SELECT count(*) FROM quiz.answer w WHERE w.attempt = a.id)::int "
            "FROM quiz.attempt a"
        )
    )


def local_answers(store: ScoreStore, attempt_id: str) -> int:
    row = store._connection.execute(
        "SELECT count(*) FROM answer w JOIN attempt a ON a.id = w.attempt WHERE a.uuid = ?",
        (attempt_id,),
    ).fetchone()
    return int(row[0])


def test_server_down_mid_exam_the_exam_goes_on_and_after_the_restart_nothing_is_doubled(
    central: Central, restarting: Cluster, tmp_path: Path
) -> None:
    url = central.url(central.terminal("lisbon"))
    store = ScoreStore.open(tmp_path / "scores.sqlite3", outbox=True, clinic="lisbon")
    states = States()
    sender = Sender(store, url, "lisbon", states.report, first_retry=60, idle=60)
    try:
        now = datetime.now(UTC)
        exam = store.start_attempt(make_start(started_at=now, time_limit_seconds=3600))
        store.record_answer(exam, answer(0, at=now))
        sender.start()
        states.until(lambda s: s.unsent == 0 and s.problem is None, "the exam's start sent")
        assert server_copies(central) == {exam: 1}

        restarting.stop_server()
        for position in (1, 2, 3):  # the exam goes on: each answer saved here at once
            store.record_answer(exam, answer(position, at=now))
        store.finish_attempt(exam, completed(4))
        assert local_answers(store, exam) == 4
        sender.wake_now()
        down = states.until(lambda s: s.problem is not None, "a failed round")
        assert down.unsent == 1 and "could not be reached" in (down.problem or "")
        assert store.pending_count() == 1

        restarting.restart_server()
        sender.wake_now()
        states.until(lambda s: s.problem is None and s.unsent == 0, "the push completed")
        assert server_copies(central) == {exam: 4}
        assert central.rows("SELECT status FROM quiz.attempt") == [("completed",)]
        sender.wake_now()  # sending again changes nothing
        states.until(lambda s: s.problem is None, "another round")
        assert server_copies(central) == {exam: 4}
    finally:
        sender.stop()
        store.close()


def _pending_store(path: Path, count: int) -> list[str]:
    """A terminal's store holding `count` finished attempts, all pending."""
    exported = path.with_suffix(".json")
    exported.write_text(json.dumps(attempts("killed", count)), encoding="utf-8")
    from quiz.storage.exchange import read_export_file

    with ScoreStore.open(path) as store, read_export_file(exported) as details:
        outcome = store.import_attempts(details)
        with store._writing("test") as connection:
            connection.execute(
                "INSERT INTO outbox (attempt, version, marked_at) SELECT id, 1, 0 FROM attempt"
            )
    return list(outcome.imported)


@pytest.mark.slow
def test_a_sync_killed_mid_push_leaves_exactly_one_copy_after_the_next(
    central: Central, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = paths.db_path(None)
    ids = _pending_store(path, 400)
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "QUIZ_CENTRAL": central.url(central.terminal("lisbon")),
        "QUIZ_CLINIC": "lisbon",
    }
    child = subprocess.Popen(
        [sys.executable, "-m", "quiz", "sync"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        eventually(
            lambda: child.poll() is not None or len(server_copies(central)) >= 20,
            "the first attempts on the server",
        )
        child.send_signal(signal.SIGKILL)
    finally:
        child.wait(timeout=60)
    before = len(server_copies(central))
    assert before > 0  # mid-push, or (on a very fast machine) done already
    monkeypatch.setenv("QUIZ_CENTRAL", env["QUIZ_CENTRAL"])
    monkeypatch.setenv("QUIZ_CLINIC", "lisbon")
    code, out, err = run_cli(["sync"], capsys)
    assert code == 0, err
    assert "not sent yet: 0 attempts" in out
    copies = server_copies(central)
    assert sorted(copies) == sorted(ids)  # every attempt once: the uuid is the key
    assert central.rows("SELECT count(*) FROM quiz.attempt") == [(len(ids),)]
    with ScoreStore.open(path) as store:
        for attempt_id in ids[:: max(1, len(ids) // 20)]:
            assert copies[attempt_id] == local_answers(store, attempt_id)


def _untouched(path: Path) -> tuple[object, ...]:
    with ScoreStore.open(path) as store:
        connection = store._connection
        return (
            connection.execute("SELECT * FROM attempt ORDER BY id").fetchall(),
            connection.execute("SELECT * FROM answer ORDER BY 1, 2, 3").fetchall(),
            store.pending_count(),
        )


@pytest.mark.parametrize("fault", ["wrong_url", "refused_password", "other_schema"])
def test_a_bad_connection_names_the_server_exits_1_and_touches_nothing(
    central: Central,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    fault: str,
) -> None:
    path = paths.db_path(None)
    with ScoreStore.open(path, outbox=True, clinic="lisbon") as store:
        attempt = store.start_attempt(make_start())
        store.record_answer(attempt, answer(0))
        store.finish_attempt(attempt, completed(1))
    before = _untouched(path)
    secret = "n0t-the-pw"
    if fault == "wrong_url":
        url = f"postgresql://desk@/nowhere?host={tmp_path}&port=5432"
        said = f"desk@{tmp_path}:5432/nowhere could not be reached"
    elif fault == "refused_password":
        role = f"{central.prefix}_pwdesk"
        with central.owner() as owner:
            owner.execute(
                f"CREATE ROLE {role} LOGIN PASSWORD 'right' IN ROLE {PASSWORD_GROUP}, "
                f"{central.prefix}_t_lisbon"
            )
        url = central.cluster.url(role, central.database, password=secret)
        said = f"{role}@{central.cluster.socket_dir}:5432/{central.database} refused the password"
    else:
        with central.owner() as owner:
            owner.execute("COMMENT ON SCHEMA quiz IS 'quiz central store; schema_version 99'")
        url = central.url(central.terminal("lisbon"))
        said = "has schema version 99, newer than this quiz's"
    monkeypatch.setenv("QUIZ_CENTRAL", url)
    monkeypatch.setenv("QUIZ_CLINIC", "lisbon")
    code, out, err = run_cli(["sync"], capsys)
    assert code == 1
    assert said in err, err
    assert "1 attempt still pending here" in err
    assert secret not in out + err and "Traceback" not in err
    assert _untouched(path) == before
    assert server_copies(central) == {}


# --- the app: the quiet "not sent yet" mark --------------------------------------------


def _status(screen: object) -> str:
    from textual.screen import Screen

    assert isinstance(screen, Screen)
    return str(screen.query_one("#status", Static).render())


async def test_the_app_shows_not_sent_yet_while_the_server_is_down_and_never_an_error(
    central: Central, restarting: Cluster, tmp_path: Path
) -> None:
    path = tmp_path / "scores.sqlite3"
    clock = FixedClock()  # at the real time now: the server's and the store's checks use it
    clock.advance((datetime.now(UTC) - clock.now()).total_seconds())
    central_config = CentralConfig(central.url(central.terminal("lisbon")), "lisbon")
    app = make_app(
        AppOptions(questions_dir=MINI, db_path=path),
        open_store=lambda: ScoreStore.open(path, outbox=True, clinic="lisbon"),
        store_thread=StoreThread(),
        clock=clock,
        course_loads=[course_load(MINI)],
        central=central_config,
    )
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for(pilot, lambda: app.sender is not None, what="the sender started")
        sender = app.sender
        assert sender is not None
        start(app, Mode.EXAM, count=2, seed=1, time_limit_seconds=600)
        screen = await shown(pilot, ExamScreen)
        restarting.stop_server()
        await pilot.press("a", "enter")
        await wait_for(
            pilot, lambda: app.not_sent, what="the not-sent mark", timeout=STATE_WAIT_SECONDS
        )
        assert NOT_SENT_MARK in _status(screen)
        assert not app.saving_problem  # saved here: no error, no dialog
        assert len(app.screen_stack) == 2 and app.screen is screen
        await pilot.press("a", "enter")  # the exam goes on
        await pilot.press("ctrl+s", "y")
        results = await shown(pilot, ResultsScreen)
        await wait_for(
            pilot,
            lambda: NOT_SENT_MARK in str(results.query_one("#results-saved", Static).render()),
            what="the results' not-sent mark",
        )
        restarting.restart_server()
        sender.wake_now()
        await wait_for(
            pilot, lambda: not app.not_sent, what="the mark gone", timeout=STATE_WAIT_SECONDS
        )
        assert str(results.query_one("#results-saved", Static).render()) == "Your result is saved."
        attempt = app.attempt
        assert attempt is not None and attempt.saver.attempt_id is not None
        attempt_id = attempt.saver.attempt_id
    copies = server_copies(central)
    assert list(copies) == [attempt_id] and copies[attempt_id] >= 1
    assert central.rows("SELECT status FROM quiz.attempt") == [(AttemptStatus.COMPLETED.value,)]


def test_failing_rounds_wait_longer_each_time_and_answers_do_not_cut_the_wait(
    tmp_path: Path,
) -> None:
    store = ScoreStore.open(tmp_path / "scores.sqlite3", outbox=True, clinic="lisbon")
    states = States()
    url = f"postgresql://desk@/quiz?host={tmp_path}&port=5432"  # no server there
    sender = Sender(store, url, "lisbon", states.report, first_retry=5, max_retry=20, idle=60)
    try:
        store.start_attempt(make_start())
        waits = [sender._round() for _ in range(4)]  # the rounds, without the thread
        assert waits == [5, 10, 20, 20]
        assert states.queue.get_nowait().problem is not None
        sender.wake()  # an answer saved: the growing wait stands
        assert not sender._wake.is_set()
        sender.wake_now()
        assert sender._wake.is_set()
        assert store.pending_count() == 1  # kept, to be sent later
    finally:
        sender.stop()
        store.close()
