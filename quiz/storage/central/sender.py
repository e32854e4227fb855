"""The app's background sender: a thread that sends the store's pending attempts to the
central store, round after round, while the app runs (issue 16).

It is started once the home screen shows, and imports psycopg only then, in its own
thread: the first screen never pays for it. Each round is `sync.sync_round` (tombstones
both ways, then every pending attempt sent whole, its mark cleared only if unchanged
meanwhile). The store is called from this thread (ScoreStore serialises its use with a
lock, each call a short local transaction), and the network is never touched while the
store is held: an answer saved during a push waits for no server, and an exam never
waits on the network.

When a round fails (the server down, the network gone) the attempts stay pending and
the next round waits longer each time (FIRST_RETRY_SECONDS, doubled up to
MAX_RETRY_SECONDS); `report` is told how many attempts are not sent yet and why, and
told again when a round succeeds. `wake()` starts a round at once (after an answer, or
from a test, which never waits for time). Waits are `threading.Event.wait`, so `stop()`
ends the thread promptly.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from quiz.storage.central.errors import CentralError

if TYPE_CHECKING:
    from quiz.storage.scores import ScoreStore

FIRST_RETRY_SECONDS = 5.0
MAX_RETRY_SECONDS = 300.0
BUSY_SECONDS = 2.0
"""After a round that left attempts changed meanwhile, the wait before the next."""
IDLE_SECONDS = 30.0
"""With nothing pending, how often to look again without being woken."""


@dataclass(frozen=True)
class SendState:
    """What the learner may be shown: attempts saved here and not sent yet (0: all sent),
    and, while sending fails, why (a message naming the server, no password)."""

    unsent: int
    problem: str | None = None
    rounds: int = 0  # rounds finished so far (tests wait for a count)


class Sender:
    """Sends `store`'s pending attempts to the central store at `url` as `clinic`."""

    def __init__(
        self,
        store: ScoreStore,
        url: str,
        clinic: str,
        report: Callable[[SendState], None],
        *,
        first_retry: float = FIRST_RETRY_SECONDS,
        max_retry: float = MAX_RETRY_SECONDS,
        idle: float = IDLE_SECONDS,
    ) -> None:
        self.store = store
        self.url = url
        self.clinic = clinic
        self.report = report
        self.first_retry = first_retry
        self.max_retry = max_retry
        self.idle = idle
        self.rounds = 0
        self.retry_wait = first_retry
        """The wait before the next round after a failure (doubles each time)."""
        self._stop = threading.Event()
        self._wake = threading.Event()
        self._thread = threading.Thread(target=self._run, name="quiz-sender", daemon=True)
        self._connection: Any = None

    def start(self) -> None:
        self._thread.start()

    def wake(self) -> None:
        """Start a round now (something was saved), unless rounds are failing: then the
        growing wait stands (a learner answering fast does not hammer a server that is
        down). Thread-safe, never blocks."""
        if self.retry_wait == self.first_retry:
            self._wake.set()

    def wake_now(self) -> None:
        """Start a round now, whatever the wait (a test, after restarting the server)."""
        self._wake.set()

    def stop(self, timeout: float = 2.0) -> None:
        """End the thread (what was not sent stays pending, for next time)."""
        self._stop.set()
        self._wake.set()
        if self._thread.is_alive() and threading.current_thread() is not self._thread:
            self._thread.join(timeout)

    @property
    def alive(self) -> bool:
        return self._thread.is_alive()

    # in the sender's thread

    def _run(self) -> None:
        try:
            while not self._stop.is_set():
                wait = self._round()
                self._wake.wait(wait)
                self._wake.clear()
        finally:
            self._close()

    def _round(self) -> float:
        """One round; how long to wait before the next unless woken."""
        from quiz.storage.central.connection import connect, server_name
        from quiz.storage.central.sync import sync_round

        try:
            nothing = not self.store.pending_count() and not self.store.tombstones_to_send()
            if nothing and self.rounds > 0:  # the first round takes the clinic's tombstones
                self.rounds += 1
                self._tell(SendState(0, None, self.rounds))
                return self.idle
            server = server_name(self.url)
            if self._connection is None or self._connection.closed:
                self._connection = connect(self.url)
            outcome = sync_round(self.store, self._connection, server, self.clinic, stop=self._stop)
        except CentralError as error:
            self._close()
            self.rounds += 1
            with contextlib.suppress(Exception):
                self.store.record_sync(error.message)
            self._tell(SendState(self._unsent(), error.message, self.rounds))
            wait = self.retry_wait
            self.retry_wait = min(self.retry_wait * 2, self.max_retry)
            return wait
        except Exception as error:  # the store (a full disk...): try again later, quietly
            self._close()
            self.rounds += 1
            self._tell(SendState(self._unsent(), str(error) or type(error).__name__, self.rounds))
            wait = self.retry_wait
            self.retry_wait = min(self.retry_wait * 2, self.max_retry)
            return wait
        self.rounds += 1
        self.retry_wait = self.first_retry
        with contextlib.suppress(Exception):
            self.store.record_sync()
        self._tell(SendState(outcome.still_pending, None, self.rounds))
        # Still pending: changed while on its way (an answer saved meanwhile); soon again.
        return BUSY_SECONDS if outcome.still_pending else self.idle

    def _unsent(self) -> int:
        try:
            return self.store.pending_count()
        except Exception:
            return 0

    def _tell(self, state: SendState) -> None:
        with contextlib.suppress(Exception):  # the app may be closing: nothing to tell
            self.report(state)

    def _close(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            with contextlib.suppress(Exception):
                connection.close()
