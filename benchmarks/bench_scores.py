"""Scores: one answer's commit, and the report on a large store.

    python -m benchmarks.bench_scores [--quick]

- commit: `ScoreStore.record_answer` (one answer, its own transaction) against a bare
  `BEGIN IMMEDIATE; INSERT one row; COMMIT` into a table of the same shape, same file
  system, WAL and synchronous=FULL; blocks of each alternated, per-commit medians.
  Budget: at most 3x.
- store: a generated store of 100,000 attempts and 2 million answers
  (benchmarks/gen_store.py, kept in benchmarks/.work): bytes on disk per stored answer
  (budget: at most 36), and the time of the report's queries (budget: at most 300 ms),
  beside one plain SQL pass over every answer for scale.
- export (`--only export`): `quiz scores --format json` of that store to a file, a
  whole process, against the floor: a process that reads every attempt and answer row
  with sqlite3 and `json.dumps` them to a file (chunk by chunk); alternated, medians.
  Budget: at most 3x. And the export's peak RSS (the process's, from wait4) at 100,000
  attempts against at 10,000 (a store made the same way): the export streams, so at
  most 1.5x.
- import (`--only scores-import`): `quiz import` of that export into an empty store, a
  whole process (which checks the file in two parts at once where a second processor
  is free), against the floor: what any import of that file must do, in one process:
  read and parse the file with the stdlib (json's raw_decode, an attempt at a
  time off large chunks of text: the fastest stdlib reading, faster than one json.load)
  and insert the same attempt and answer rows (read beforehand from the store it was
  exported from) with `executemany` in one transaction into an empty store, and commit;
  the parse, the inserts and the commit timed. Budget: at most 3x.
- cards (`--only cards`): the drill's cards. Finishing an attempt (`finish_attempt`, a
  round of 20 questions of the bundled course, the size of its exam, a third right)
  with its card update, against the same finish without it (cards.apply_attempt turned
  off: the finish path as it was before the cards), alternated blocks, medians.
  Budget: at most 2x; the same for all 55 questions beside it (info). A full rebuild of
  the cards of the 2-million-answer store (a copy, every learner listed,
  `ScoreStore.rebuild_cards` in its batches, progress on stderr). Budget: at most 60 s;
  the longest batch (the write lock held) beside it.
"""

from __future__ import annotations

import hashlib
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    PYTHON,
    ROOT,
    WORK,
    Row,
    alternate,
    ensure_importable,
    median,
    module_exists,
    not_available,
    ratio_row,
    subprocess_env,
)

COMMIT_BUDGET = 3.0
REPORT_BUDGET_MS = 300.0
BYTES_BUDGET = 36.0
STORE_ATTEMPTS = 100_000
STORE_ANSWERS_PER_ATTEMPT = 20
SMALL_STORE_ATTEMPTS = 10_000
EXPORT_BUDGET = 3.0
EXPORT_RSS_BUDGET = 1.5
IMPORT_BUDGET = 3.0

_BARE_TABLE = """CREATE TABLE answer (
    attempt INTEGER NOT NULL, item INTEGER NOT NULL, rev INTEGER NOT NULL, response,
    correct INTEGER NOT NULL, ms INTEGER NOT NULL, at_ds INTEGER NOT NULL,
    PRIMARY KEY (attempt, item, rev)) WITHOUT ROWID"""


# --- one answer's commit ------------------------------------------------------------------


def _attempt_start():  # type: ignore[no-untyped-def]
    from quiz.domain.clock import SystemClock
    from quiz.domain.loader import load_course
    from quiz.domain.records import Mode
    from quiz.domain.selection import pick_questions
    from quiz.domain.session import QuizSession

    course = load_course(ROOT / "questions" / "laser-skin-tightening").course
    assert course is not None
    selection = pick_questions(course, seed=1)
    session = QuizSession(course, selection, mode=Mode.PRACTICE, seed=1, clock=SystemClock())
    return session.attempt_start("Bench Learner")


def _answers(start, count: int):  # type: ignore[no-untyped-def]
    """`count` answers to the attempt's questions, round and round (a changed answer is a
    new row, as in an exam)."""
    from quiz.domain.model import QuestionType
    from quiz.domain.records import AnswerRecord

    out = []
    for index in range(count):
        asked = start.questions[index % len(start.questions)]
        if asked.type == QuestionType.TRUE_FALSE:
            response: object = True
        elif asked.type == QuestionType.SHORT:
            response = "tender"
        elif asked.type == QuestionType.MULTIPLE:
            response = [asked.choices[0]]
        else:
            response = asked.choices[0]
        out.append(
            AnswerRecord(asked.question_id, response, index % 3 == 0, 7.5, datetime.now(UTC))
        )
    return out


def measure_commit(quick: bool) -> tuple[list[float], list[float]]:
    """(record_answer seconds, bare commit seconds), one entry per commit."""
    ensure_importable()
    from quiz.storage.scores import ScoreStore

    block = 25
    rounds = 8 if quick else 40
    folder = Path(tempfile.mkdtemp(prefix="commit-", dir=WORK))
    try:
        bare = sqlite3.connect(folder / "bare.sqlite3", isolation_level=None)
        bare.execute("PRAGMA journal_mode = WAL")
        bare.execute("PRAGMA synchronous = FULL")
        bare.execute(_BARE_TABLE)
        store = ScoreStore.open(folder / "scores.sqlite3")
        start = _attempt_start()
        attempt_id = store.start_attempt(start)
        answers = _answers(start, block * rounds + block)
        ours: list[float] = []
        floor: list[float] = []
        seq = 0
        answer_index = 0

        def bare_block() -> None:
            nonlocal seq
            for _ in range(block):
                row = (1, seq, 0, 2, 1, 7500, seq * 75)
                t0 = time.perf_counter()
                bare.execute("BEGIN IMMEDIATE")
                bare.execute(
                    "INSERT INTO answer (attempt, item, rev, response, correct, ms, at_ds) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?)",
                    row,
                )
                bare.execute("COMMIT")
                floor.append(time.perf_counter() - t0)
                seq += 1

        def our_block() -> None:
            nonlocal answer_index
            for _ in range(block):
                answer = answers[answer_index]
                t0 = time.perf_counter()
                store.record_answer(attempt_id, answer)
                ours.append(time.perf_counter() - t0)
                answer_index += 1

        bare_block()  # warm-up
        our_block()
        ours.clear()
        floor.clear()
        for index in range(rounds):
            pair = (our_block, bare_block) if index % 2 == 0 else (bare_block, our_block)
            for step in pair:
                step()
        store.close()
        bare.close()
        return ours, floor
    finally:
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def commit_rows(quick: bool) -> list[Row]:
    if not module_exists("quiz.storage.scores"):
        return [not_available("one answer commit", "quiz/storage/scores.py", "≤ 3x")]
    ours, floor = measure_commit(quick)
    return [
        ratio_row(
            "one answer commit (record_answer)",
            median(ours) * 1000,
            median(floor) * 1000,
            "ms",
            at_most=COMMIT_BUDGET,
            digits=3,
            note=f"median of {len(ours)} commits each, in alternated blocks; baseline: "
            "BEGIN IMMEDIATE, one INSERT, COMMIT; WAL, synchronous=FULL",
        )
    ]


# --- the large store ----------------------------------------------------------------------


def _stamp() -> str:
    digest = hashlib.sha256()
    for path in (
        ROOT / "benchmarks" / "gen_store.py",
        ROOT / "quiz" / "storage" / "db.py",
        ROOT / "quiz" / "storage" / "summaries.py",
        ROOT / "quiz" / "storage" / "codec.py",
    ):
        if path.exists():
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def large_store(attempts: int = STORE_ATTEMPTS) -> Path:
    """The generated store, made again when the generator or the schema changes."""
    from benchmarks.gen_store import generate

    path = WORK / "stores" / f"scores-{attempts}.sqlite3"
    marker = path.with_suffix(".stamp")
    stamp = _stamp()
    if not path.exists() or not marker.exists() or marker.read_text() != stamp:
        print(f"  generating {path.name} (about a minute) ...", file=sys.stderr, flush=True)
        generate(path, attempts=attempts, answers_per_attempt=STORE_ANSWERS_PER_ATTEMPT)
        marker.write_text(stamp)
    return path


def table_sizes(path: Path) -> list[tuple[str, int]]:
    """(table or index, bytes) largest first, from SQLite's dbstat table (if compiled in)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return list(
            connection.execute(
                "SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 6"
            )
        )
    except sqlite3.Error:
        return []
    finally:
        connection.close()


# For scale: one pass over every answer, grouped by learner, in plain SQL (what a report
# computed straight from the answer table, without summaries, costs at least).
_RAW_SCAN = """
SELECT t.learner, count(*), sum(a.correct)
FROM answer a JOIN attempt t ON t.id = a.attempt
WHERE t.status IN ('completed', 'timed_out')
GROUP BY t.learner
"""


def raw_report_seconds(path: Path, runs: int) -> float:
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    times = []
    try:
        for _ in range(runs):
            t0 = time.perf_counter()
            connection.execute(_RAW_SCAN).fetchall()
            times.append(time.perf_counter() - t0)
    finally:
        connection.close()
    return median(times)


def report_function():  # type: ignore[no-untyped-def]
    """The report's query part, if `quiz report` is built: a callable(store_path) or None."""
    ensure_importable()
    try:
        import quiz.commands.report as report
    except ImportError:
        return None
    for name in ("build_report", "compute_report", "make_report", "report"):
        function = getattr(report, name, None)
        if callable(function):
            return function
    return None


def store_rows(quick: bool) -> list[Row]:
    if not module_exists("quiz.storage.scores"):
        return [
            not_available("bytes per stored answer", "quiz/storage/scores.py", "≤ 36"),
            not_available("quiz report queries", "quiz/storage/scores.py", "≤ 300 ms"),
        ]
    path = large_store()
    answers = STORE_ATTEMPTS * STORE_ANSWERS_PER_ATTEMPT
    size = sum(os.path.getsize(p) for p in (path, Path(f"{path}-wal")) if os.path.exists(p))
    per_answer = size / answers
    sizes = table_sizes(path)
    breakdown = ", ".join(f"{name} {b / answers:.1f}" for name, b in sizes)
    rows = [
        Row(
            "bytes on disk per stored answer (2M answers)",
            f"{per_answer:.1f} B",
            "—",
            None,
            f"≤ {BYTES_BUDGET:g} B",
            per_answer <= BYTES_BUDGET,
            f"{size / 1e6:.0f} MB for {STORE_ATTEMPTS} attempts, {answers} answers; bytes per "
            f"answer by table: {breakdown}",
        )
    ]
    raw = raw_report_seconds(path, 1 if quick else 3)
    function = report_function()
    if function is not None:
        runs = 3 if quick else 7
        function(path)  # warm-up: page cache, imports
        times = []
        for _ in range(runs):
            t0 = time.perf_counter()
            function(path)
            times.append(time.perf_counter() - t0)
        ours = median(times) * 1000
        rows.append(
            Row(
                "quiz report queries (2M answers)",
                f"{ours:.0f} ms",
                f"{raw * 1000:.0f} ms",
                ours / (raw * 1000),
                f"≤ {REPORT_BUDGET_MS:g} ms",
                ours <= REPORT_BUDGET_MS,
                f"{function.__module__}.{function.__name__}(store) (opening the store and "
                f"building the whole report), median of {runs}; baseline (for scale): one "
                "SQL pass over every answer grouped by learner",
            )
        )
    else:
        rows.append(
            Row(
                "quiz report queries (2M answers)",
                "not available yet: quiz report (quiz/commands/report.py)",
                f"{raw * 1000:.0f} ms",
                budget=f"≤ {REPORT_BUDGET_MS:g} ms",
                note="baseline (for scale): one SQL pass over every answer grouped by learner",
            )
        )
    return rows


# --- the export and the import of the large store -----------------------------------------

# The export's floor: every attempt and answer row, read with sqlite3 and json.dumps'ed
# to a file, a chunk of rows at a time (blobs as hex, which JSON needs).
_EXPORT_FLOOR = """
import json, sqlite3, sys
connection = sqlite3.connect(f"file:{sys.argv[1]}?mode=ro", uri=True)
with open(sys.argv[2], "w", encoding="utf-8") as out:
    for table in ("attempt", "answer"):
        columns = ", ".join(
            f"hex({name})" if kind.upper() == "BLOB" else name
            for _cid, name, kind, *_ in connection.execute(f"PRAGMA table_info({table})")
        )
        cursor = connection.execute(f"SELECT {columns} FROM {table}")
        while chunk := cursor.fetchmany(2000):
            out.write(json.dumps(chunk))
            out.write("\\n")
"""

# The import's floor: what any import of the file must do, timed in one process: read
# and parse the export file with the stdlib (json's raw_decode, an attempt at a time
# off 4 MiB chunks of text: faster than one json.load of the whole file, and without
# its gigabytes), and insert the same attempt and answer rows (read beforehand from
# the store the file was exported from) with executemany in one transaction into an
# empty store (the schema as the app makes it), and commit; prints the seconds.
_IMPORT_FLOOR = """
import json, sqlite3, sys, time
from pathlib import Path
from quiz.storage.scores import ScoreStore
export, source, target = sys.argv[1], sys.argv[2], Path(sys.argv[3])
ScoreStore.open(target).close()
read = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
tables = {t: read.execute(f"SELECT * FROM {t}").fetchall() for t in ("attempt", "answer")}
connection = sqlite3.connect(target, isolation_level=None)
connection.execute("PRAGMA synchronous = FULL")
connection.execute("PRAGMA journal_mode = WAL")
started = time.perf_counter()
decode = json.JSONDecoder().raw_decode
parsed = 0
with open(export, encoding="utf-8") as handle:
    text, at = handle.read(1 << 22), 0
    at = text.index("[") + 1
    while True:
        while at < len(text) and text[at] in " \\t\\r\\n,":
            at += 1
        if at == len(text):
            more = handle.read(1 << 22)
            if not more:
                break
            text, at = text[at:] + more, 0
            continue
        if text[at] == "]":
            break
        if len(text) - at < 1 << 20:  # read ahead of the attempt: no failed parse at a cut
            more = handle.read(1 << 22)
            text, at = text[at:] + more, 0
        try:
            entry, end = decode(text, at)
        except json.JSONDecodeError:
            more = handle.read(1 << 22)
            if not more:
                raise
            text, at = text[at:] + more, 0
            continue
        parsed += 1
        at = end
assert parsed == len(tables["attempt"]), parsed
connection.execute("BEGIN IMMEDIATE")
for table, rows in tables.items():
    marks = ", ".join("?" * len(rows[0]))
    connection.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)
connection.execute("COMMIT")
print(time.perf_counter() - started)
"""


# A command run this way reports its own peak RSS at exit (VmHWM belongs to the process's
# memory since its exec; the rusage of a child forked from this big process does not).
_WITH_PEAK = """
import atexit, runpy, sys
def peak():
    with open("/proc/self/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmHWM:"):
                sys.stderr.write(f"peak-kib {line.split()[1]}\\n")
atexit.register(peak)
sys.argv = [sys.argv[1], *sys.argv[2:]]
runpy.run_module(sys.argv[0], run_name="__main__", alter_sys=True)
"""


def _run_measured(command: list[str], stdout: Path | None = None) -> tuple[float, float, str]:
    """(wall seconds, peak RSS in MiB as the child reported it or NaN, what it printed)
    of a child process; its output goes to `stdout` if given."""
    started = time.perf_counter()
    with open(stdout, "wb") if stdout else open(os.devnull, "wb") as sink:
        child = subprocess.run(
            command,
            cwd=ROOT,
            env=subprocess_env(),
            stdout=sink if stdout else subprocess.PIPE,
            stderr=subprocess.PIPE,
            check=False,
        )
    wall = time.perf_counter() - started
    said = child.stderr.decode(errors="replace")
    if child.returncode != 0:
        raise RuntimeError(f"{' '.join(command[-6:])} exited {child.returncode}: {said[-500:]}")
    peak = float("nan")
    for line in said.splitlines():
        if line.startswith("peak-kib "):
            peak = int(line.split()[1]) / 1024
    return wall, peak, (child.stdout or b"").decode()


def _export_command(store: Path) -> list[str]:
    """The export, reporting its peak RSS."""
    return [PYTHON, "-c", _WITH_PEAK, "quiz", "scores", "--db", str(store), "--format", "json"]


def export_file() -> Path:
    return WORK / "exports" / f"scores-{STORE_ATTEMPTS}.json"


def rows_export(quick: bool = False) -> list[Row]:
    if not module_exists("quiz.storage.scores"):
        return [not_available("quiz scores --format json", "quiz/storage/scores.py")]
    store = large_store()
    small = large_store(SMALL_STORE_ATTEMPTS)
    out = export_file()
    out.parent.mkdir(parents=True, exist_ok=True)
    floor_out = out.with_suffix(".floor.json")
    peaks: list[float] = []

    def ours() -> float:
        wall, peak, _ = _run_measured(_export_command(store), out)
        peaks.append(peak)
        return wall

    def floor() -> float:
        return _run_measured([PYTHON, "-c", _EXPORT_FLOOR, str(store), str(floor_out)])[0]

    runs = 1 if quick else 3
    mine, base = alternate(runs, ours, floor)
    size = out.stat().st_size
    floor_out.unlink(missing_ok=True)
    small_peaks = [
        _run_measured(_export_command(small), out.with_suffix(".small.json"))[1]
        for _ in range(runs)
    ]
    out.with_suffix(".small.json").unlink(missing_ok=True)
    answers = STORE_ATTEMPTS * STORE_ANSWERS_PER_ATTEMPT
    return [
        ratio_row(
            f"quiz scores --format json ({STORE_ATTEMPTS // 1000}k attempts, "
            f"{answers // 1_000_000}M answers)",
            median(mine),
            median(base),
            "s",
            at_most=EXPORT_BUDGET,
            note=f"whole process to a file ({size / 1e6:.0f} MB), median of {runs}; "
            "baseline: every attempt and answer row read with sqlite3 and json.dumps'ed to "
            "a file",
        ),
        ratio_row(
            f"peak RSS of the export, {STORE_ATTEMPTS // 1000}k vs "
            f"{SMALL_STORE_ATTEMPTS // 1000}k attempts",
            median(peaks),
            median(small_peaks),
            "MiB",
            at_most=EXPORT_RSS_BUDGET,
            note=f"the process's peak RSS (VmHWM at exit), median of {runs}; baseline: the same "
            f"export of a store of {SMALL_STORE_ATTEMPTS} attempts",
        ),
    ]


def rows_scores_import(quick: bool = False) -> list[Row]:
    if not module_exists("quiz.storage.importing"):
        return [not_available("quiz import", "quiz/storage/importing.py")]
    store = large_store()
    source = export_file()
    if not source.exists():
        print(f"  exporting {source.name} ...", file=sys.stderr, flush=True)
        source.parent.mkdir(parents=True, exist_ok=True)
        _run_measured(_export_command(store), source)
    target = WORK / "stores" / "imported.sqlite3"

    def fresh() -> None:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{target}{suffix}").unlink(missing_ok=True)

    def ours() -> float:
        fresh()
        command = [PYTHON, "-m", "quiz", "import", "--db", str(target), str(source)]
        return _run_measured(command)[0]

    def floor() -> float:
        fresh()
        command = [PYTHON, "-c", _IMPORT_FLOOR, str(source), str(store), str(target)]
        return float(_run_measured(command)[2])

    runs = 1 if quick else 3
    mine, base = alternate(runs, ours, floor)
    fresh()
    return [
        ratio_row(
            f"quiz import of that export into an empty store ({STORE_ATTEMPTS // 1000}k attempts)",
            median(mine),
            median(base),
            "s",
            at_most=IMPORT_BUDGET,
            note=f"whole process (it checks a big file in two parts at once, on two "
            f"processors: quiz.storage.exchange.halves), median of {runs}; baseline: the "
            "export file read and parsed "
            "with the stdlib (json raw_decode, an attempt at a time) and the same attempt "
            "and answer rows inserted with executemany in one transaction and committed "
            "(parse, inserts and commit timed)",
        )
    ]


def rows(quick: bool = False) -> list[Row]:
    return commit_rows(quick) + store_rows(quick)


# --- the drill's cards ------------------------------------------------------------------

FINISH_BUDGET = 2.0
FINISH_QUESTIONS = 20
REBUILD_BUDGET_S = 60.0


def measure_finish(quick: bool, questions: int = 20) -> tuple[list[float], list[float]]:
    """(finish_attempt seconds with the card update, without it), one entry per finish,
    of attempts of the first `questions` questions of the bundled course."""
    ensure_importable()
    from dataclasses import replace

    from quiz.domain.records import AttemptResult, AttemptStatus
    from quiz.storage import cards
    from quiz.storage.scores import ScoreStore

    block = 5
    rounds = 4 if quick else 12
    folder = Path(tempfile.mkdtemp(prefix="finish-", dir=WORK))
    real_apply = cards.apply_attempt

    def skip_cards(connection: sqlite3.Connection, rowid: int, **_: object) -> None:
        return None

    try:
        store = ScoreStore.open(folder / "scores.sqlite3")
        start = _attempt_start()
        start = replace(
            start,
            questions=tuple(replace(q, position=i) for i, q in enumerate(start.questions)),
        )
        start = replace(start, questions=start.questions[:questions])
        # One learner's rounds, ten minutes apart (the cards see each in its turn, as
        # they would in use), each answer five seconds after the one before.
        clock = [datetime(2026, 1, 5, 9, 0, tzinfo=UTC)]

        def one() -> float:
            began = clock[0]
            clock[0] += timedelta(minutes=10)
            attempt_id = store.start_attempt(replace(start, started_at=began))
            for index, answer in enumerate(_answers(start, len(start.questions))):
                at = began + timedelta(seconds=5 * (index + 1))
                store.record_answer(attempt_id, replace(answer, answered_at=at))
            finished = began + timedelta(seconds=5 * len(start.questions) + 5)
            result = AttemptResult(
                AttemptStatus.COMPLETED, finished, 18, len(start.questions), 33.0, None
            )
            t0 = time.perf_counter()
            store.finish_attempt(attempt_id, result)
            return time.perf_counter() - t0

        ours: list[float] = []
        floor: list[float] = []

        def with_cards() -> None:
            cards.apply_attempt = real_apply
            ours.extend(one() for _ in range(block))

        def without_cards() -> None:
            cards.apply_attempt = skip_cards  # type: ignore[assignment]
            floor.extend(one() for _ in range(block))

        with_cards()  # warm-up: imports fsrs, fills the caches
        without_cards()
        ours.clear()
        floor.clear()
        for index in range(rounds):
            pair = (with_cards, without_cards) if index % 2 == 0 else (without_cards, with_cards)
            for step in pair:
                step()
        store.close()
        return ours, floor
    finally:
        cards.apply_attempt = real_apply
        for path in folder.iterdir():
            path.unlink()
        folder.rmdir()


def fsrs_import_ms() -> float:
    """The time `import fsrs` (through quiz.storage.scheduling) adds to a process that has
    the store loaded: what the first finished attempt of a session pays once."""
    code = (
        "import time, quiz.storage.scores; t = time.perf_counter(); "
        "import quiz.storage.scheduling; print(time.perf_counter() - t)"
    )
    times = []
    for _ in range(5):
        result = subprocess.run(
            [PYTHON, "-c", code],
            cwd=ROOT,
            env=subprocess_env(),
            capture_output=True,
            text=True,
            check=True,
        )
        times.append(float(result.stdout.strip()))
    return median(times) * 1000


def measure_rebuild() -> tuple[float, float, int]:
    """(seconds, longest batch in seconds, reviews) of a full rebuild of the cards of a
    copy of the large store."""
    ensure_importable()
    import shutil

    from quiz.storage import cards
    from quiz.storage.scores import ScoreStore

    source = large_store()
    folder = Path(tempfile.mkdtemp(prefix="rebuild-", dir=WORK))
    try:
        copy = folder / "scores.sqlite3"
        shutil.copyfile(source, copy)
        with ScoreStore.open(copy) as store:
            with store._writing("benchmark: list every learner") as connection:
                connection.execute("DELETE FROM card")
                cards.mark_all_stale(connection)
            longest = 0.0
            last = time.perf_counter()

            def progress(done):  # type: ignore[no-untyped-def]
                nonlocal longest, last
                now = time.perf_counter()
                longest = max(longest, now - last)
                last = now
                print(
                    f"\r  cards: {done.learners_done}/{done.learners_total} learners, "
                    f"{done.reviews} answers",
                    end="",
                    file=sys.stderr,
                    flush=True,
                )

            started = time.perf_counter()
            last = started
            final = store.rebuild_cards(progress)
            seconds = time.perf_counter() - started
            print(file=sys.stderr)
        return seconds, longest, final.reviews
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def rows_cards(quick: bool = False) -> list[Row]:
    if not module_exists("quiz.storage.cards"):
        return [not_available("finishing an attempt", "quiz/storage/cards.py", "≤ 2x")]
    ours, floor = measure_finish(quick, FINISH_QUESTIONS)
    found = [
        ratio_row(
            f"finishing an attempt ({FINISH_QUESTIONS} questions), with its cards",
            median(ours) * 1000,
            median(floor) * 1000,
            "ms",
            at_most=FINISH_BUDGET,
            digits=2,
            note=f"finish_attempt, median of {len(ours)} finishes each, alternated blocks, "
            f"{FINISH_QUESTIONS} questions (the size of the bundled course's exam); baseline: "
            "the same finish without the card update (the path before the cards)",
        ),
    ]
    ours, floor = measure_finish(quick, 55)
    found += [
        ratio_row(
            "finishing an attempt (55 questions), with its cards",
            median(ours) * 1000,
            median(floor) * 1000,
            "ms",
            at_most=FINISH_BUDGET,
            digits=2,
            note="as above, every question of the bundled course: the cost per question "
            "(the FSRS review, about 4 µs, reading and writing the card rows) outweighs "
            "the finish's fixed costs",
        ),
        Row(
            "import fsrs, once a session (info)",
            f"{fsrs_import_ms():.1f} ms",
            note="quiz.storage.scheduling imported after the store, in a fresh process: the "
            "first finished attempt of a session pays it; never on the first-screen path",
        ),
    ]
    seconds, longest, reviews = measure_rebuild()
    found.append(
        Row(
            "full card rebuild, 2M-answer store",
            f"{seconds:.1f} s",
            budget=f"≤ {REBUILD_BUDGET_S:g} s",
            ok=seconds <= REBUILD_BUDGET_S,
            note=f"{reviews} reviews replayed with fsrs; ScoreStore.rebuild_cards in batches of "
            f"about {cards_batch_items()} questions; longest batch (write lock held) "
            f"{longest * 1000:.0f} ms",
        )
    )
    return found


def cards_batch_items() -> int:
    from quiz.storage import cards

    return cards.BATCH_ITEMS


if __name__ == "__main__":
    from benchmarks.run import print_table

    print_table(rows(quick="--quick" in sys.argv))
