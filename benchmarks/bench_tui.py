"""The app in a real terminal (tmux, 80x24): first screen, keypress, CPU per answer, memory.

    python -m benchmarks.bench_tui [first-screen|keypress|memory] [--quick]

Every program is started in a fresh tmux session of a private tmux server and the
screen is read with `capture-pane` through a control-mode client, polled every
few milliseconds. Runs of the quiz alternate with runs of its baseline:

- first screen: time from starting the session to the home screen's text, against
  a trivial one-Static Textual app (benchmarks/apps/trivial.py); with the bundled
  course (until the course title shows) and with a generated 10k-question course
  (until the home screen shows; the course loads in a worker);
- keypress: practice on the bundled course, seed 1: a letter picks a choice, Enter
  submits; the time from sending Enter to "Correct"/"Incorrect" on the screen,
  against a bare Textual screen with the same widgets (benchmarks/apps/bare_practice.py);
  CPU time (utime+stime) of the process per answered question;
- memory: peak RSS (VmHWM) on the home screen with the bundled course, against the
  trivial app.

The quiz runs with a temporary HOME, XDG folders, settings, log and --db, so
nothing touches real data.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    FRAME_MS,
    PYTHON,
    ROOT,
    WORK,
    Row,
    median,
    module_exists,
    not_available,
    percentile,
    ratio_row,
)
from benchmarks.courses import course_folder
from benchmarks.tmuxctl import Tmux, TmuxError, cpu_seconds, peak_rss_mib

APPS = ROOT / "benchmarks" / "apps"
TRIVIAL_TEXT = "Trivial app ready"
HOME_TEXT = "Your name"  # a label of the home screen's form, shown before the course loads
# The first section's title: listed on the home screen once the course has loaded.
BUNDLED_READY = "What the procedure does"
LARGE_READY = "Aftercare 1"
PANEL_VERDICTS = ("✓ Correct", "✗ Incorrect")  # the feedback panel's first line
VERDICTS = (*PANEL_VERDICTS, "Correct.", "Incorrect.")  # the panel or the status line
PICKED = ("(•)", "[x]")
SETTLE = 0.12  # seconds between keys: a person does not type answers at 20 a second

FIRST_SCREEN_BUDGET = 1.25
COURSE_READY_BUDGET = 1.5  # the bundled course: sections listed, the form usable
LARGE_READY_BUDGET = 3.0  # the same for a generated 10k-question course
KEY_MEDIAN_FRAMES = 2
KEY_P99_FRAMES = 4
NEXT_QUESTION_BUDGET = 1.3  # Enter after feedback -> the next question shown
CPU_BUDGET = 1.5
MEMORY_BUDGET = 1.8


def quiz_available() -> str | None:
    """None if the app can be opened in tmux; else what is missing."""
    if shutil.which("tmux") is None:
        return "tmux (install it: apt-get install tmux)"
    for module in ("quiz.ui.run", "quiz.ui.app", "quiz.storage.scores"):
        if not module_exists(module):
            return module
    return None


class Sandbox:
    """A temporary home for the quiz: no real settings, scores or logs are touched."""

    def __init__(self) -> None:
        WORK.mkdir(parents=True, exist_ok=True)
        self.path = Path(tempfile.mkdtemp(prefix="sandbox-", dir=WORK))

    def env(self) -> dict[str, str]:
        home = self.path / "home"
        home.mkdir(exist_ok=True)
        return {
            "HOME": str(home),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_STATE_HOME": str(home / "state"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "QUIZ_SETTINGS": str(home / "settings.json"),
            "QUIZ_LOG": str(home / "quiz.log"),
            "PYTHONPATH": str(ROOT),
            # Bytecode caches, as an installed quiz has them (pip compiles a wheel's
            # modules; Textual's came compiled). With PYTHONDONTWRITEBYTECODE set in the
            # environment, as it is in some shells, every start compiled the quiz's ~20
            # modules from source (~19 ms of a ~250 ms first screen) while the baseline's
            # Textual loaded compiled. The warm-up runs write the caches, here:
            "PYTHONDONTWRITEBYTECODE": "",
            "PYTHONPYCACHEPREFIX": str(WORK / "pycache"),
        }

    def quiz_argv(self, *args: str) -> list[str]:
        """`python -m quiz --db <the sandbox's store> args...`.

        One store for all runs: the first (a warm-up) creates it, the others open it,
        as a trainee's every opening but the first does.
        """
        return [PYTHON, "-m", "quiz", "--db", str(self.path / "scores.sqlite3"), *args]

    def remove(self) -> None:
        shutil.rmtree(self.path, ignore_errors=True)

    def __enter__(self) -> Sandbox:
        return self

    def __exit__(self, *exc: object) -> None:
        self.remove()


# --- first screen and memory --------------------------------------------------------------


@dataclass
class ScreenRuns:
    trivial: list[float] = field(default_factory=list)
    bundled_home: list[float] = field(default_factory=list)
    bundled_ready: list[float] = field(default_factory=list)
    large_home: list[float] = field(default_factory=list)
    large_ready: list[float] = field(default_factory=list)
    bundled_cold_ready: list[float] = field(default_factory=list)
    large_cold_ready: list[float] = field(default_factory=list)
    trivial_rss: list[float] = field(default_factory=list)
    bundled_rss: list[float] = field(default_factory=list)
    exam_terminal: list[float] = field(default_factory=list)


_screen_cache: dict[bool, ScreenRuns] = {}


EXAM_TERMINAL = "exam-terminal==0.2.13"
EXAM_TERMINAL_TEXT = "Begin Exam"
EXAM_TERMINAL_SIZE = (80, 30)  # it refuses windows under 79x27


def exam_terminal_argv() -> list[str] | None:
    """exam-terminal (a curses exam tool from PyPI) on its sample exam, installed into a
    throwaway venv in benchmarks/.work on first use; None if it cannot be installed."""
    venv = WORK / "exam-venv"
    program = venv / "bin" / "exam-terminal"
    if not program.exists():
        print(f"  installing {EXAM_TERMINAL} into {venv} ...", file=sys.stderr, flush=True)
        try:
            subprocess.run([PYTHON, "-m", "venv", str(venv)], check=True)
            subprocess.run(
                [str(venv / "bin" / "pip"), "install", "-q", EXAM_TERMINAL],
                check=True,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
        except (OSError, subprocess.CalledProcessError):
            return None
    samples = list(venv.glob("lib/python*/site-packages/exam_terminal/exams/sample_exam.yml"))
    if not program.exists() or not samples:
        return None
    return [str(program), "-e", str(samples[0])]


def _open_and_time(
    tmux: Tmux,
    name: str,
    argv: list[str],
    env: dict[str, str],
    texts: list[str],
    size: tuple[int, int] | None = None,
) -> tuple[list[float], int]:
    """Start `argv`; seconds until each of `texts` showed (in order); the pid."""
    start = time.perf_counter()
    pid = tmux.start(name, argv, env=env, cwd=ROOT, size=size)
    times = []
    for text in texts:
        elapsed, _screen = tmux.wait_for(name, [text], start=start, poll=0.004)
        times.append(elapsed)
    return times, pid


def screen_runs(quick: bool) -> ScreenRuns:
    """Alternated runs of the trivial app, the quiz (bundled) and the quiz (10k course)."""
    if quick in _screen_cache:
        return _screen_cache[quick]
    runs = 5 if quick else 11
    large = course_folder(10_000)
    result = ScreenRuns()
    sandbox = Sandbox()
    env = sandbox.env()
    trivial_argv = [PYTHON, str(APPS / "trivial.py")]
    with sandbox, Tmux() as tmux:

        def trivial(index: int, into: ScreenRuns) -> None:
            times, pid = _open_and_time(tmux, f"t{index}", trivial_argv, env, [TRIVIAL_TEXT])
            into.trivial.append(times[0])
            time.sleep(0.5)
            into.trivial_rss.append(peak_rss_mib(pid))
            tmux.kill(f"t{index}", pid)

        def bundled(index: int, into: ScreenRuns) -> None:
            times, pid = _open_and_time(
                tmux, f"b{index}", sandbox.quiz_argv(), env, [HOME_TEXT, BUNDLED_READY]
            )
            into.bundled_home.append(times[0])
            into.bundled_ready.append(times[1])
            time.sleep(0.5)
            into.bundled_rss.append(peak_rss_mib(pid))
            tmux.kill(f"b{index}", pid)

        def generated(index: int, into: ScreenRuns) -> None:
            argv = sandbox.quiz_argv("--questions", str(large))
            times, pid = _open_and_time(tmux, f"g{index}", argv, env, [HOME_TEXT, LARGE_READY])
            into.large_home.append(times[0])
            into.large_ready.append(times[1])
            tmux.kill(f"g{index}", pid)

        cold_cache = sandbox.path / "cold-cache"

        def cold(index: int, into: ScreenRuns) -> None:
            # A first opening: no course cache (quiz.domain.course_cache), as after
            # a course's files change. Info rows: the budgets are for the openings that
            # follow, which are nearly all of them. A cache folder of their own, emptied
            # before each: the other runs keep theirs (emptying the shared one made
            # every bundled run after these a first opening too).
            for name, argv, text, times in (
                ("cb", sandbox.quiz_argv(), BUNDLED_READY, into.bundled_cold_ready),
                (
                    "cg",
                    sandbox.quiz_argv("--questions", str(large)),
                    LARGE_READY,
                    into.large_cold_ready,
                ),
            ):
                shutil.rmtree(cold_cache, ignore_errors=True)
                cold_env = {**env, "XDG_CACHE_HOME": str(cold_cache)}
                ready, pid = _open_and_time(tmux, f"{name}{index}", argv, cold_env, [text])
                times.append(ready[0])
                tmux.kill(f"{name}{index}", pid)

        exam_argv = exam_terminal_argv()

        def exam_terminal(index: int, into: ScreenRuns) -> None:
            assert exam_argv is not None
            times, pid = _open_and_time(
                tmux, f"e{index}", exam_argv, env, [EXAM_TERMINAL_TEXT], EXAM_TERMINAL_SIZE
            )
            into.exam_terminal.append(times[0])
            tmux.kill(f"e{index}", pid)

        order = [trivial, bundled, generated, cold]
        if exam_argv is not None:
            order.append(exam_terminal)
        # warm-up: bytecode and page caches, the course generated
        for step in order:
            step(-1, ScreenRuns())
        for index in range(runs):
            # rotate who goes first, so no one always runs right after a pause
            turn = index % len(order)
            for step in order[turn:] + order[:turn]:
                step(index, result)
                time.sleep(0.2)
    _screen_cache[quick] = result
    return result


def rows_first_screen(quick: bool = False) -> list[Row]:
    missing = quiz_available()
    budget = f"≤ {FIRST_SCREEN_BUDGET:g}x"
    if missing:
        return [
            not_available("first screen, bundled course", missing, budget),
            not_available("first screen, 10k-question course", missing, budget),
        ]
    runs = screen_runs(quick)
    trivial = median(runs.trivial) * 1000
    note = f"median of {len(runs.trivial)} alternated runs; baseline: benchmarks/apps/trivial.py"
    return [
        ratio_row(
            "first screen, bundled course (home shown)",
            median(runs.bundled_home) * 1000,
            trivial,
            "ms",
            at_most=FIRST_SCREEN_BUDGET,
            digits=0,
            note=note + "; the home screen counts as shown when its 'Your name' field is",
        ),
        ratio_row(
            "bundled course ready (sections listed)",
            median(runs.bundled_ready) * 1000,
            trivial,
            "ms",
            at_most=COURSE_READY_BUDGET,
            digits=0,
            note="until the first section's title is listed on the home screen",
        ),
        ratio_row(
            "first screen, 10k-question course (home shown)",
            median(runs.large_home) * 1000,
            trivial,
            "ms",
            at_most=FIRST_SCREEN_BUDGET,
            digits=0,
        ),
        ratio_row(
            "10k-question course ready (sections listed)",
            median(runs.large_ready) * 1000,
            trivial,
            "ms",
            at_most=LARGE_READY_BUDGET,
            digits=0,
        ),
        ratio_row(
            "bundled course ready, first opening (info)",
            median(runs.bundled_cold_ready) * 1000,
            trivial,
            "ms",
            digits=0,
            note="no course cache yet: loaded from YAML, as after the course files change",
        ),
        ratio_row(
            "10k-question course ready, first opening (info)",
            median(runs.large_cold_ready) * 1000,
            trivial,
            "ms",
            digits=0,
        ),
        *_exam_terminal_rows(runs, trivial),
    ]


def _exam_terminal_rows(runs: ScreenRuns, trivial: float) -> list[Row]:
    if not runs.exam_terminal:
        return [Row("exam-terminal first screen", "not available: could not install it")]
    theirs = median(runs.exam_terminal) * 1000
    ours = median(runs.bundled_home) * 1000
    return [
        ratio_row(
            "exam-terminal first screen (info, 80x30)",
            theirs,
            trivial,
            "ms",
            digits=0,
            note=f"{EXAM_TERMINAL} on its sample exam, until 'Begin Exam' shows",
        ),
        Row(
            "first screen, bundled course, vs exam-terminal",
            f"{ours:.0f} ms",
            f"{theirs:.0f} ms",
            ours / theirs,
            "< 1x (ahead of it)",
            ours < theirs,
        ),
    ]


def rows_memory(quick: bool = False) -> list[Row]:
    missing = quiz_available()
    if missing:
        return [not_available("peak RSS, home screen", missing, f"≤ {MEMORY_BUDGET:g}x")]
    runs = screen_runs(quick)
    return [
        ratio_row(
            "peak RSS, home screen, bundled course",
            median(runs.bundled_rss),
            median(runs.trivial_rss),
            "MiB",
            at_most=MEMORY_BUDGET,
            note="VmHWM 0.5 s after the screen showed; baseline: benchmarks/apps/trivial.py",
        )
    ]


# --- keypress -----------------------------------------------------------------------------


@dataclass
class KeyRuns:
    answer_ms: list[float] = field(default_factory=list)  # the feedback panel's verdict
    status_ms: list[float] = field(default_factory=list)  # the first verdict, wherever it is
    pick_ms: list[float] = field(default_factory=list)
    next_ms: list[float] = field(default_factory=list)
    cpu_per_answer: list[float] = field(default_factory=list)


def answer_questions(tmux: Tmux, name: str, pid: int, count: int, runs: KeyRuns) -> None:
    """Answer `count` questions: pick (or type), Enter, wait for the verdict, Enter, next."""
    tmux.wait_for(name, ["Question 1 of"], timeout=60)
    time.sleep(0.5)
    cpu_start = cpu_seconds(pid)
    for number in range(1, count + 1):
        time.sleep(SETTLE)
        # Read after the pause: the wait that saw the question's number may have caught
        # the frame half drawn by tmux (its top lines only), and a typed question then
        # looked like one with choices (its letter went into the answer box, and no
        # choice was ever marked: 2 of 4 benchmark runs in a row failed so).
        screen = tmux.capture(name)
        if f"Question {number} of" not in screen:
            raise TmuxError(f"expected question {number}; screen:\n{screen}")
        if "Type your answer" in screen:
            tmux.send(name, "tender", literal=True)
            tmux.wait_for(name, ["tender"])
        else:
            start = time.perf_counter()
            tmux.send(name, "a")
            runs.pick_ms.append(tmux.wait_for(name, PICKED, start=start, poll=0.001)[0] * 1000)
        time.sleep(SETTLE)
        if any(v in tmux.capture(name) for v in VERDICTS):
            raise TmuxError("a verdict is on the screen before the answer was submitted")
        start = time.perf_counter()
        tmux.send(name, "Enter")
        runs.status_ms.append(tmux.wait_for(name, VERDICTS, start=start, poll=0.001)[0] * 1000)
        runs.answer_ms.append(
            tmux.wait_for(name, PANEL_VERDICTS, start=start, poll=0.001)[0] * 1000
        )
        if number == count:
            break
        time.sleep(SETTLE)
        start = time.perf_counter()
        tmux.send(name, "Enter")
        following = f"Question {number + 1} of"
        runs.next_ms.append(tmux.wait_for(name, [following], start=start, poll=0.001)[0] * 1000)
    runs.cpu_per_answer.append((cpu_seconds(pid) - cpu_start) / count)


_key_cache: dict[bool, tuple[KeyRuns, KeyRuns]] = {}


def key_runs(quick: bool) -> tuple[KeyRuns, KeyRuns]:
    """(quiz, bare app) runs, alternated: bare, quiz, quiz, bare, ..."""
    if quick in _key_cache:
        return _key_cache[quick]
    sessions = 1 if quick else 2
    count = 20 if quick else 50
    quiz, bare = KeyRuns(), KeyRuns()
    sandbox = Sandbox()
    env = sandbox.env()
    with sandbox, Tmux() as tmux:

        def run_bare(index: int) -> None:
            pid = tmux.start(
                f"bare{index}",
                [PYTHON, str(APPS / "bare_practice.py"), str(count)],
                env=env,
                cwd=ROOT,
            )
            answer_questions(tmux, f"bare{index}", pid, count, bare)
            tmux.kill(f"bare{index}", pid)

        def run_quiz(index: int) -> None:
            argv = sandbox.quiz_argv("--mode", "practice", "--learner", "Bench", "--seed", "1")
            pid = tmux.start(f"quiz{index}", argv, env=env, cwd=ROOT)
            answer_questions(tmux, f"quiz{index}", pid, count, quiz)
            tmux.kill(f"quiz{index}", pid)

        for index in range(sessions):
            pair = [run_bare, run_quiz] if index % 2 == 0 else [run_quiz, run_bare]
            for step in pair:
                step(index)
                time.sleep(0.3)
    _key_cache[quick] = (quiz, bare)
    return quiz, bare


def _frames(ms: float) -> float:
    return ms / FRAME_MS


def rows_keypress(quick: bool = False) -> list[Row]:
    missing = quiz_available()
    if missing:
        return [
            not_available("answer → result shown, median (frames)", missing, "≤ 2 frames"),
            not_available("answer → result shown, p99 (frames)", missing, "≤ 4 frames"),
            not_available("CPU per answered question", missing, f"≤ {CPU_BUDGET:g}x"),
        ]
    quiz, bare = key_runs(quick)
    shown, bare_shown = quiz.status_ms, bare.status_ms
    shown_median, shown_p99 = median(shown), percentile(shown, 99)
    bare_median, bare_p99 = median(bare_shown), percentile(bare_shown, 99)
    samples = f"{len(shown)} answers each"
    return [
        Row(
            "answer → result shown, median (frames of 16.7 ms)",
            f"{_frames(shown_median):.2f} ({shown_median:.1f} ms)",
            f"{_frames(bare_median):.2f} ({bare_median:.1f} ms)",
            shown_median / bare_median,
            f"≤ {KEY_MEDIAN_FRAMES} frames",
            _frames(shown_median) <= KEY_MEDIAN_FRAMES,
            f"Enter sent → 'Correct'/'Incorrect' on the screen (status line or feedback "
            f"panel, whichever shows first), through tmux; {samples}; baseline: "
            "benchmarks/apps/bare_practice.py",
        ),
        Row(
            "answer → result shown, p99 (frames)",
            f"{_frames(shown_p99):.2f} ({shown_p99:.1f} ms)",
            f"{_frames(bare_p99):.2f} ({bare_p99:.1f} ms)",
            shown_p99 / bare_p99,
            f"≤ {KEY_P99_FRAMES} frames",
            _frames(shown_p99) <= KEY_P99_FRAMES,
        ),
        ratio_row(
            "CPU per answered question",
            median(quiz.cpu_per_answer) * 1000,
            median(bare.cpu_per_answer) * 1000,
            "ms",
            at_most=CPU_BUDGET,
            note="utime+stime of the process over the answers (pick, submit, next) / answers",
        ),
        ratio_row(
            "answer → feedback panel shown, median (info)",
            median(quiz.answer_ms),
            median(bare.answer_ms),
            "ms",
            note=f"p99 {percentile(quiz.answer_ms, 99):.0f} ms, bare app "
            f"{percentile(bare.answer_ms, 99):.0f} ms; mounting a new panel takes Textual "
            "about 3 frames even in the bare app",
        ),
        ratio_row(
            "letter → choice marked, median (info)",
            median(quiz.pick_ms),
            median(bare.pick_ms),
            "ms",
        ),
        ratio_row(
            "Enter → next question shown, median",
            median(quiz.next_ms),
            median(bare.next_ms),
            "ms",
            at_most=NEXT_QUESTION_BUDGET,
            note="Enter after the feedback → 'Question N+1 of' on the screen",
        ),
    ]


def rows(quick: bool = False) -> list[Row]:
    return rows_first_screen(quick) + rows_keypress(quick) + rows_memory(quick)


if __name__ == "__main__":
    from benchmarks.run import print_table

    wanted = [a for a in sys.argv[1:] if not a.startswith("--")]
    quick_run = "--quick" in sys.argv
    parts = {"first-screen": rows_first_screen, "keypress": rows_keypress, "memory": rows_memory}
    out: list[Row] = []
    for part in wanted or list(parts):
        out.extend(parts[part](quick_run))
    print_table(out)
