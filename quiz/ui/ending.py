"""How the app ends: quitting (asking first in an exam), signals, and internal errors.

Textual installs no handler for SIGHUP (the terminal closed) or SIGTERM: here they
save what was answered, mark the attempt abandoned (timed out past its deadline),
and exit with 128+N. An unexpected error keeps its traceback for the log file that
`run_app` writes, instead of printing it on the terminal.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
import traceback
from concurrent.futures import Future
from typing import TYPE_CHECKING

from textual.app import App

if TYPE_CHECKING:
    from quiz.ui.attempt import Attempt
    from quiz.ui.saving import ScoreStoreLike, StoreThread

SAVE_WAIT_SECONDS = 10.0
"""How long quitting waits for answers to reach the store."""
EXIT_WATCHDOG_SECONDS = 2.0
"""After a signal, how long a normal exit may take before the process just ends."""


class EndingMixin(App[None]):
    """Quitting, signals and internal errors for the quiz app."""

    attempt: Attempt | None
    store: ScoreStoreLike | None
    store_thread: StoreThread
    exit_lines: list[str]
    exit_signal: int | None = None
    """The signal that ended the app, if one did."""
    internal_error: str | None = None
    """The traceback of an unexpected error, for the log."""
    _exit_watchdog: threading.Timer | None = None
    _signal_task: asyncio.Task[None] | None = None

    def fail_start(self, code: int, lines: list[str]) -> None:
        """Close the app; `run_app` prints `lines` and exits with `code`."""
        self.exit_lines = lines
        self.exit(return_code=code)

    async def wait_saved(self, future: Future[str | None] | None) -> str | None:
        """Wait (at most SAVE_WAIT_SECONDS) for a result to be written; its error or None."""
        if future is None:
            return None
        try:
            return await asyncio.wait_for(asyncio.wrap_future(future), SAVE_WAIT_SECONDS)
        except TimeoutError:
            return "the score store did not answer in time"

    async def action_quit(self) -> None:
        attempt = self.attempt
        if attempt is not None and attempt.active and attempt.is_exam:
            from quiz.ui.screens.dialogs import ConfirmDialog

            detail = (
                f"{len(attempt.session.unanswered())} question(s) are unanswered. Your "
                "answers so far are saved and the exam is recorded as abandoned."
            )

            async def answered(yes: bool | None) -> None:
                if yes:
                    await self._abandon_and_exit(0)

            self.push_screen(
                ConfirmDialog("Quit and leave the exam?", detail, yes="Quit", no="Stay"), answered
            )
            return
        await self._abandon_and_exit(0)

    async def _abandon_and_exit(self, code: int) -> None:
        attempt = self.attempt
        if attempt is not None and attempt.active:
            from quiz.domain.records import AttemptStatus

            attempt.finish(AttemptStatus.ABANDONED)
        if attempt is not None:
            await self.wait_saved(attempt.saved)
        if self.exit_signal is not None:
            self._arm_exit_watchdog(code)
        self.exit(return_code=code)

    # --- signals -------------------------------------------------------------------------

    def install_signal_handlers(self) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            loop.add_signal_handler(signum, self._signal_received, signum)

    def _signal_received(self, signum: int) -> None:
        if self.exit_signal is not None:
            return
        self.exit_signal = signum
        self._signal_task = asyncio.get_running_loop().create_task(
            self._abandon_and_exit(128 + signum)
        )

    def _arm_exit_watchdog(self, code: int) -> None:
        # After SIGHUP the terminal is gone: Textual's shutdown can block for ever
        # writing to it. The answers are saved by now, so if the normal exit has not
        # finished in a few seconds, close the store and leave with the same code.
        timer = threading.Timer(EXIT_WATCHDOG_SECONDS, self._force_exit, args=(code,))
        timer.daemon = True
        timer.start()
        self._exit_watchdog = timer

    def cancel_exit_watchdog(self) -> None:
        """The app has exited by itself: the watchdog is not needed (`run_app` calls this)."""
        if self._exit_watchdog is not None:
            self._exit_watchdog.cancel()
            self._exit_watchdog = None

    def _force_exit(self, code: int) -> None:
        store = self.store
        if store is not None:
            with contextlib.suppress(Exception):
                self.store_thread.call(store.close, timeout=1.0)
        os._exit(code)

    # --- internal errors -----------------------------------------------------------------

    def _handle_exception(self, error: Exception) -> None:
        # Keep the traceback for the log file; run_app prints one line instead of it.
        if self.internal_error is None:
            self.internal_error = "".join(traceback.format_exception(error))
        super()._handle_exception(error)

    def _print_error_renderables(self) -> None:
        if self.internal_error is not None:
            self._exit_renderables.clear()
            return
        super()._print_error_renderables()
