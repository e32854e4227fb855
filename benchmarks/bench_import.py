"""Import time: `python -c "import quiz.cli"` and `import quiz.ui.app` against importing
Textual with Header, Footer, Static and OptionList; whole processes, alternated.

    python -m benchmarks.bench_import [--quick] [--importtime MODULE]

Budgets: quiz.cli at most 0.4x the Textual import (the CLI imports Textual only
when it opens the app); quiz.ui.app at most 1.25x it.
`--importtime MODULE` prints the slowest imports under MODULE (python -X importtime).
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import (
    PYTHON,
    ROOT,
    Row,
    median,
    module_exists,
    not_available,
    ratio_row,
    subprocess_env,
    wall_of,
)

TEXTUAL = (
    "from textual.app import App; from textual.widgets import Header, Footer, Static, OptionList"
)
TARGETS = (
    ("import quiz.cli", "quiz.cli", 0.4),
    ("import quiz.ui.app", "quiz.ui.app", 1.25),
)


def measure(module: str, runs: int) -> tuple[float, float]:
    """(median seconds for `import module`, median for the Textual baseline)."""
    env = subprocess_env()
    ours_cmd = [PYTHON, "-c", f"import {module}"]
    base_cmd = [PYTHON, "-c", TEXTUAL]
    for _ in range(2):  # warm-up: bytecode caches, page cache
        wall_of(ours_cmd, env=env)
        wall_of(base_cmd, env=env)
    ours: list[float] = []
    base: list[float] = []
    for index in range(runs):
        pair = [(ours, ours_cmd), (base, base_cmd)]
        for bucket, cmd in pair if index % 2 == 0 else reversed(pair):
            bucket.append(wall_of(cmd, env=env))
    return median(ours), median(base)


def slowest_imports(module: str, top: int = 15) -> list[tuple[int, str]]:
    """(cumulative microseconds, package) of the slowest imports of `import module`."""
    result = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", f"import {module}"],
        env=subprocess_env(),
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    found = []
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "cumulative" in line:
            continue
        _self, cumulative, name = line[len("import time:") :].split("|")
        found.append((int(cumulative), name.rstrip()))
    found.sort(reverse=True)
    return found[:top]


def rows(quick: bool = False) -> list[Row]:
    runs = 6 if quick else 12
    out = []
    for figure, module, budget in TARGETS:
        if not module_exists(module):
            out.append(not_available(figure, module, f"≤ {budget:g}x"))
            continue
        ours, base = measure(module, runs)
        out.append(
            ratio_row(
                f"{figure} (process wall time)",
                ours * 1000,
                base * 1000,
                "ms",
                at_most=budget,
                digits=0,
                note=f"median of {runs} alternated runs; baseline: python -c '{TEXTUAL}'",
            )
        )
    return out


if __name__ == "__main__":
    if "--importtime" in sys.argv:
        target = sys.argv[sys.argv.index("--importtime") + 1]
        for micros, name in slowest_imports(target):
            print(f"{micros / 1000:8.1f} ms  {name}")
        sys.exit(0)
    from benchmarks.run import print_table

    print_table(rows(quick="--quick" in sys.argv))
