"""Opening the app from the command line, and what happens when it closes.

Exit codes: 0 after a normal quit (whatever the result), 1 when the app cannot start
(no usable course, an unusable score store) or after an internal error (one line on
the terminal; the traceback goes to the log file it names), 2 for a usage error found
once the course is loaded (an unknown preset or section), 128+N after signal N once the
answers are saved.

The score store is opened, and the course loaded, in threads once the first screen
is painted: neither sqlite3 and the store nor YAML and the loader are imported here.
"""

from __future__ import annotations

import contextlib
import gc
import sys
import traceback
from datetime import UTC, datetime
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from quiz import paths
from quiz.launch import AppOptions
from quiz.ui.app import QuizApp, make_app
from quiz.ui.ending import SAVE_WAIT_SECONDS
from quiz.ui.peek import course_folders
from quiz.ui.saving import StoreThread
from quiz.ui.store_setup import EXIT_PROBLEM

if TYPE_CHECKING:
    from quiz.ui.saving import ScoreStoreLike

STARTUP_SWITCH_INTERVAL = 0.0005
"""Seconds (`sys.setswitchinterval`) while the app starts, until the course is shown."""


def _error(line: str) -> None:
    print(line, file=sys.stderr)


def run_app(options: AppOptions) -> int:
    """Open the app with `options`; returns the process exit code."""
    if not course_folders(options.questions_dir):
        # Nothing to load at all: say so before the terminal is taken over.
        from quiz.domain.loader import load_courses

        for load in load_courses(options.questions_dir):
            for problem in load.problems:
                _error(f"quiz: {problem}")
        _error("Give --questions a course folder, or a folder of course folders.")
        return EXIT_PROBLEM

    def open_store() -> ScoreStoreLike:
        from quiz.storage.scores import ScoreStore

        store: ScoreStoreLike = ScoreStore.open(options.db_path)
        return store

    def set_aside(path: Path) -> list[Path]:
        from quiz.storage.scores import set_aside

        return set_aside(path)

    # Textual allocates many short-lived objects that are never cyclic: with the default
    # thresholds the cyclic collector runs hundreds of times per answer and its full
    # passes stall the screen for up to ~100 ms. Collect far less often; the app also
    # freezes what start-up built (see QuizApp.tune_gc), so those passes stay short.
    gc.set_threshold(20_000, 20, 20)
    # Textual writes every frame from its own output thread, which has to take the GIL
    # from the event loop: by default it waits up to 5 ms for it. Right after the first
    # frame the loop is busy (the footer's keys, the rest of the stylesheet, the loader
    # thread starting), so the home screen reached the terminal ~7 ms after it was made.
    # Switch threads sooner until the course is shown, then go back to the default.
    switch_interval = sys.getswitchinterval()
    sys.setswitchinterval(STARTUP_SWITCH_INTERVAL)
    store_thread = StoreThread()
    app = make_app(
        options,
        store=None,
        store_thread=store_thread,
        open_store=open_store,
        reopen_store=open_store,
        set_aside=set_aside,
        settings_path=paths.settings_path(),
        handle_signals=True,
        tune_gc=True,
        started=partial(sys.setswitchinterval, switch_interval),
    )
    try:
        app.run()
    except Exception:  # an error outside the app's own handling
        app.internal_error = app.internal_error or traceback.format_exc()
    finally:
        sys.setswitchinterval(switch_interval)
    app.cancel_exit_watchdog()
    return _after(app, store_thread)


def _after(app: QuizApp, store_thread: StoreThread) -> int:
    """Save what is left, close the store, report, and choose the exit code."""
    code = app.return_code or 0
    attempt = app.attempt
    if attempt is not None and attempt.active:
        # The app stopped mid-attempt (an internal error): keep the answers given.
        from quiz.domain.records import AttemptStatus

        attempt.finish(AttemptStatus.ABANDONED)
    if attempt is not None and attempt.saved is not None:
        try:
            error = attempt.saved.result(timeout=SAVE_WAIT_SECONDS)
        except Exception as failure:
            error = str(failure)
        if error:
            _error(f"quiz: the last attempt could not be saved: {error}")
    store = app.store
    if store is not None:
        with contextlib.suppress(Exception):
            store_thread.call(store.close, timeout=SAVE_WAIT_SECONDS)
    store_thread.shutdown(wait=True)

    if app.internal_error is not None:
        log = _write_log(app.internal_error)
        where = f"the details are in {log}" if log else "the details could not be written"
        _error(f"quiz: an internal error stopped the app; {where}.")
        return EXIT_PROBLEM
    for line in app.exit_lines:
        _error(line)
    if app.exit_signal is not None:
        return 128 + app.exit_signal
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
