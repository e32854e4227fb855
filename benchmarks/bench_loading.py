"""Bank loading: `load_course` (guards, line-numbered problems, validation) against raw
`yaml.load(CSafeLoader)` over the same files, garbage collector paused for both.

    python -m benchmarks.bench_loading [--quick]

Budget: at least 0.8x the raw throughput, on generated courses of 1k and 10k questions.
"""

from __future__ import annotations

import gc
import sys
import time
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, alternate, ensure_importable, median, ratio_row
from benchmarks.courses import course_folder

BUDGET = 0.8
SIZES = (1_000, 10_000)


def yaml_files(folder: Path) -> list[Path]:
    return sorted(p for p in folder.iterdir() if p.suffix in (".yaml", ".yml"))


def measure(folder: Path, runs: int) -> tuple[float, float, int]:
    """(our seconds, raw seconds, bytes): medians over `runs` alternated runs."""
    import yaml

    ensure_importable()
    from quiz.domain.loader import load_course

    files = yaml_files(folder)
    size = sum(p.stat().st_size for p in files)

    def raw() -> float:
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            for path in files:
                with open(path, "rb") as handle:
                    yaml.load(handle.read(), Loader=yaml.CSafeLoader)
            return time.perf_counter() - start
        finally:
            gc.enable()

    def ours() -> float:
        gc.collect()
        gc.disable()
        try:
            start = time.perf_counter()
            loaded = load_course(folder)
            elapsed = time.perf_counter() - start
        finally:
            gc.enable()
        if not loaded.ok:
            raise RuntimeError(f"{folder}: {loaded.problems[:3]}")
        return elapsed

    ours()  # warm-up: imports, caches
    raw()
    mine, theirs = alternate(runs, ours, raw)
    return median(mine), median(theirs), size


def rows(quick: bool = False) -> list[Row]:
    out = []
    for size in SIZES:
        folder = course_folder(size)
        runs = (3 if size >= 10_000 else 5) if quick else (7 if size >= 10_000 else 15)
        ours, raw, nbytes = measure(folder, runs)
        ours_mbs, raw_mbs = nbytes / ours / 1e6, nbytes / raw / 1e6
        out.append(
            ratio_row(
                f"bank loading, {size // 1000}k questions (MB/s)",
                ours_mbs,
                raw_mbs,
                "MB/s",
                at_least=BUDGET,
                note=f"{nbytes / 1e6:.1f} MB of YAML; load_course {ours * 1000:.0f} ms, "
                f"yaml.load {raw * 1000:.0f} ms",
            )
        )
    return out


BLUEPRINT_BUDGET = 3.0


def rows_blueprint_check(quick: bool = False) -> list[Row]:
    """`blueprint_issues` on 20,000 questions (2,000 facts, 20 sections, a critical
    question every 500) against one pass that groups the same questions by section
    and fact: checking a blueprint must stay linear, with no draws."""
    ensure_importable()
    from quiz.domain.blueprint import blueprint_issues
    from quiz.domain.model import CriticalMode, ExamPreset, Question, QuestionType, SourceRef

    questions = [
        Question(
            id=f"q-{i}",
            section=f"s{i % 20}",
            type=QuestionType.TRUE_FALSE,
            prompt="p",
            choices=(),
            answer=("true",),
            explanation="e",
            source="s",
            source_ref=SourceRef(f"s{i % 20}", 0, 0, 1),
            critical=i % 500 == 0,
            fact=f"f{i % 2000}",
        )
        for i in range(20_000)
    ]
    sections = [f"s{i}" for i in range(20)]
    preset = ExamPreset(
        "p",
        "P",
        questions=400,
        time_limit_seconds=60,
        pass_mark=80,
        critical=CriticalMode.FACTS,
        format=2,
    )

    def ours() -> float:
        start = time.perf_counter()
        if blueprint_issues(preset, sections, questions):
            raise RuntimeError("the benchmark blueprint should be met")
        return time.perf_counter() - start

    def grouping() -> float:
        start = time.perf_counter()
        groups: dict[tuple[str, str | None], list[Question]] = {}
        for question in questions:
            groups.setdefault((question.section, question.fact), []).append(question)
        return time.perf_counter() - start

    runs = 5 if quick else 15
    ours()
    grouping()
    mine, theirs = alternate(runs, ours, grouping)
    return [
        ratio_row(
            "blueprint check, 20k questions (ms)",
            median(mine) * 1000,
            median(theirs) * 1000,
            "ms",
            at_most=BLUEPRINT_BUDGET,
            note="baseline: one pass grouping the questions by section and fact",
        )
    ]


if __name__ == "__main__":
    from benchmarks.run import print_table

    print_table(rows(quick="--quick" in sys.argv))
