"""Opening the app from the command line, and what happens when it closes.

Exit codes (quiz.errors.ExitCode): 0 after a normal quit (whatever the result), 1 when
the app cannot start (no usable course, an unusable score store) or after an internal
error (one line on the terminal; the traceback goes to the log file it names), 2 for a
usage error found once the course is loaded (an unknown course, preset or section, or
no --course among several), 128+N after signal N once the answers are saved.

The score store is opened, and the course loaded, in threads once the first screen
is painted: neither sqlite3 and the store nor YAML and the loader are imported here.
"""

from __future__ import annotations

import asyncio
import gc
import signal
import sys
import traceback
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path

from quiz import paths
from quiz.domain.clock import Clock
from quiz.domain.folders import find_course_folders
from quiz.errors import ExitCode
from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.attempt import SAVE_WAIT_SECONDS
from quiz.ui.services import ProcessHooks

STARTUP_SWITCH_INTERVAL = 0.0005
"""Seconds (`sys.setswitchinterval`) while the app starts, until the course is shown."""
GC_THRESHOLDS = (20_000, 20, 20)
"""The cyclic collector's thresholds while the app runs (see `tune_for_start_up`)."""
STARTUP_GC_THRESHOLDS = (100_000, 20, 20)
"""The same until the course is shown: from the import to the form on the screen the app
makes some 32,000 objects that outlive a pass, and at 20,000 the collector's pass in
the middle of it (3-5 ms, to free about a thousand) held up the course's being shown."""


def _error(line: str) -> None:
    print(line, file=sys.stderr)


class TerminalProcess(ProcessHooks):
    """The app owns this process: it handles SIGHUP and SIGTERM, and the process is
    tuned for a fast start until the course is shown."""

    def __init__(self) -> None:
        self.switch_interval = sys.getswitchinterval()
        """The thread switch interval to go back to once start-up is over."""

    def tune_for_start_up(self) -> None:
        # Textual allocates many short-lived objects that are never cyclic: with the
        # default thresholds the cyclic collector runs hundreds of times per answer and
        # its full passes stall the screen for up to ~100 ms. Collect far less often;
        # what start-up built is frozen once the course is shown, so passes stay short.
        gc.set_threshold(*STARTUP_GC_THRESHOLDS)
        # Textual writes every frame from its own output thread, which has to take the
        # GIL from the event loop: by default it waits up to 5 ms for it. Right after
        # the first frame the loop is busy (the footer's keys, the loader thread
        # starting), so the home screen reached the terminal ~7 ms after it was made.
        # Switch threads sooner until the course is shown, then go back to the default.
        sys.setswitchinterval(STARTUP_SWITCH_INTERVAL)

    def app_started(self, on_signal: Callable[[int], None]) -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGHUP, signal.SIGTERM):
            loop.add_signal_handler(signum, on_signal, signum)

    def course_shown(self) -> None:
        gc.freeze()
        self.end_start_up()

    def end_start_up(self) -> None:
        gc.set_threshold(*GC_THRESHOLDS)
        sys.setswitchinterval(self.switch_interval)


def run_app(options: AppOptions, *, clock: Clock | None = None) -> int:
    """Open the app with `options` (`clock`: where it reads the time; the system's unless
    given); returns the process exit code."""
    if not find_course_folders(options.questions_dir):
        # Nothing to load at all: say so before the terminal is taken over.
        from quiz.domain.loader import load_courses

        for load in load_courses(options.questions_dir):
            for problem in load.problems:
                _error(f"quiz: {problem}")
        _error("Give --questions a course folder, or a folder of course folders.")
        return ExitCode.PROBLEM

    process = TerminalProcess()
    process.tune_for_start_up()
    from quiz.settings import central_config

    app = make_app(
        options,
        central=central_config(),
        settings_path=paths.settings_path(),
        cache_dir=paths.cache_dir(),
        process=process,
        clock=clock,
    )
    from quiz.ui.textual_seams import keep_parsed_css, parse_css_again

    keep_parsed_css(paths.cache_dir() / "css")  # for this run only
    try:
        app.run()
    except Exception:  # an error outside the app's own handling
        app.internal_error = app.internal_error or traceback.format_exc()
    finally:
        process.end_start_up()
        parse_css_again()
    app.shutdown.cancel_watchdog()
    return _after(app)


def _after(app: QuizApp) -> int:
    """Save what is left, close the store, report, and choose the exit code."""
    code = app.return_code or ExitCode.OK
    attempt = app.attempt
    if attempt is not None and attempt.active:
        # The app stopped mid-attempt (an internal error): keep the answers given, and
        # the attempt, as if its process had gone (paused, to be resumed).
        from quiz.domain.pausing import Leaving

        attempt.leave(Leaving.GONE, announce=False)
    if attempt is not None and attempt.saved is not None:
        try:
            error = attempt.saved.result(timeout=SAVE_WAIT_SECONDS)
        except Exception as failure:
            error = str(failure)
        if error:
            _error(f"quiz: the last attempt could not be saved: {error}")
    if app.sender is not None:  # what it has not sent stays pending, for next time
        app.sender.stop()
    app.services.store.close(timeout=SAVE_WAIT_SECONDS)

    if app.internal_error is not None:
        log = _write_log(app.internal_error)
        where = f"the details are in {log}" if log else "the details could not be written"
        _error(f"quiz: an internal error stopped the app; {where}.")
        return ExitCode.PROBLEM
    for line in app.exit_lines:
        _error(line)
    if app.shutdown.exit_signal is not None:
        return ExitCode.SIGNAL_BASE + app.shutdown.exit_signal
    return code


def _write_log(details: str) -> Path | None:
    path = paths.log_path()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as log:
            log.write(f"--- {datetime.now(UTC).isoformat()} quiz internal error\n{details}\n")
    except OSError:
        _error(details)
        return None
    return path
