"""How the app ends: quitting (asking first in an exam), and signals.

Textual installs no handler for SIGHUP (the terminal closed) or SIGTERM: `run_app`'s
process hooks route them here, to save what was answered, leave the attempt as
quiz.domain.pausing says (paused, so it can be resumed, except an exam stopped with
SIGTERM: abandoned; timed out past its deadline), and exit with 128+N. After a signal
a watchdog makes sure the process ends even if the terminal is gone.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from typing import TYPE_CHECKING

from quiz.domain.text import plural
from quiz.errors import ExitCode

if TYPE_CHECKING:
    from quiz.ui.app import QuizApp

EXIT_WATCHDOG_SECONDS = 2.0
"""After a signal, how long a normal exit may take before the process just ends."""


class Shutdown:
    """Leaving the app: quitting, signals, and the exit watchdog."""

    def __init__(self, app: QuizApp) -> None:
        self._app = app
        self.exit_signal: int | None = None
        """The signal that ended the app, if one did."""
        self._watchdog: threading.Timer | None = None
        self._signal_task: asyncio.Task[None] | None = None

    async def quit(self) -> None:
        """Quit; during an exam, ask first (its answers are kept, the exam abandoned).
        A practice or drill round is left paused."""
        app = self._app
        attempt = app.attempt
        if attempt is not None and attempt.active and attempt.is_exam:
            from quiz.ui.screens.dialogs import ConfirmDialog

            detail = (
                f"Unanswered: {plural(len(attempt.session.unanswered()), 'question')}. Your "
                "answers so far are saved and the exam is recorded as abandoned."
            )

            async def answered(yes: bool | None) -> None:
                if yes:
                    await self._leave_and_exit(ExitCode.OK)

            app.push_screen(
                ConfirmDialog("Quit and leave the exam?", detail, yes="Quit", no="Stay"), answered
            )
            return
        await self._leave_and_exit(ExitCode.OK)

    def signal_received(self, signum: int) -> None:
        """SIGHUP or SIGTERM: save, leave the attempt, exit with 128+N (once)."""
        if self.exit_signal is not None:
            return
        self.exit_signal = signum
        self._signal_task = asyncio.get_running_loop().create_task(
            self._leave_and_exit(ExitCode.SIGNAL_BASE + signum)
        )

    async def _leave_and_exit(self, code: int) -> None:
        app = self._app
        attempt = app.attempt
        if attempt is not None and attempt.active:
            from quiz.domain.pausing import Leaving

            if self.exit_signal is None:
                how = Leaving.LEFT  # a quit (an exam asked first)
            elif self.exit_signal == getattr(signal, "SIGHUP", None):
                how = Leaving.HANGUP  # the terminal closed
            else:
                how = Leaving.TERMINATED
            attempt.leave(how, announce=False)
        if attempt is not None:
            await attempt.wait_saved()
        if self.exit_signal is not None:
            self._arm_watchdog(code)
        app.exit(return_code=code)

    def _arm_watchdog(self, code: int) -> None:
        # After SIGHUP the terminal is gone: Textual's shutdown can block for ever
        # writing to it. The answers are saved by now, so if the normal exit has not
        # finished in a few seconds, close the store and leave with the same code.
        timer = threading.Timer(EXIT_WATCHDOG_SECONDS, self._force_exit, args=(code,))
        timer.daemon = True
        timer.start()
        self._watchdog = timer

    def cancel_watchdog(self) -> None:
        """The app has exited by itself: the watchdog is not needed (`run_app` calls this)."""
        if self._watchdog is not None:
            self._watchdog.cancel()
            self._watchdog = None

    def _force_exit(self, code: int) -> None:
        with contextlib.suppress(Exception):
            self._app.services.store.close(timeout=1.0, wait=False)
        os._exit(code)
