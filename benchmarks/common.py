"""What every benchmark shares: table rows, statistics, alternation, the machine, paths.

Each budget of the performance issue is a ratio against a baseline measured in
the same run on the same machine, so every part measures the thing and its
baseline alternately (other work on the machine then hits both alike) and
reports medians.
"""

from __future__ import annotations

import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
"""The checkout: benchmarks measure this copy of `quiz`."""
WORK = ROOT / "benchmarks" / ".work"
"""Generated courses, stores and throwaway venvs (gitignored)."""
PYTHON = sys.executable
FRAME_MS = 1000 / 60


def ensure_importable() -> None:
    """Make `quiz` and `benchmarks` importable from the checkout, however we were started."""
    root = str(ROOT)
    if root not in sys.path:
        sys.path.insert(0, root)


def subprocess_env(**extra: str) -> dict[str, str]:
    """The environment for a measured child process: the checkout first on the path."""
    env = dict(os.environ)
    path = env.get("PYTHONPATH")
    env["PYTHONPATH"] = str(ROOT) + (os.pathsep + path if path else "")
    env.update(extra)
    return env


@dataclass
class Row:
    """One line of the table."""

    figure: str
    measured: str
    baseline: str = "—"
    ratio: float | None = None
    budget: str = "—"
    ok: bool | None = None  # None: informative only, or not measured
    note: str = ""

    @property
    def verdict(self) -> str:
        if self.ok is None:
            return "info" if not self.measured.startswith("not available") else "n/a"
        return "pass" if self.ok else "FAIL"


def not_available(figure: str, what: str, budget: str = "—") -> Row:
    return Row(figure, f"not available yet: {what}", budget=budget)


def ratio_row(
    figure: str,
    measured: float,
    baseline: float,
    unit: str,
    *,
    at_most: float | None = None,
    at_least: float | None = None,
    ratio: float | None = None,
    note: str = "",
    digits: int = 1,
) -> Row:
    """A row whose budget is a ratio of `measured` to `baseline` (or the `ratio` given)."""
    value = ratio if ratio is not None else measured / baseline
    if at_most is not None:
        budget, ok = f"≤ {at_most:g}x", value <= at_most
    elif at_least is not None:
        budget, ok = f"≥ {at_least:g}x", value >= at_least
    else:
        budget, ok = "—", None
    return Row(
        figure,
        f"{measured:.{digits}f} {unit}",
        f"{baseline:.{digits}f} {unit}",
        value,
        budget,
        ok,
        note,
    )


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def percentile(values: Sequence[float], pct: float) -> float:
    """The `pct` percentile (nearest rank), e.g. 99 for p99."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    rank = max(1, round(pct / 100 * len(ordered) + 0.5 - 1e-9))
    return ordered[min(len(ordered), rank) - 1]


def alternate(
    runs: int, measure_a: Callable[[], float], measure_b: Callable[[], float]
) -> tuple[list[float], list[float]]:
    """Measure a, b, b, a, a, b ... so neither always goes first after a pause."""
    first: list[float] = []
    second: list[float] = []
    for index in range(runs):
        if index % 2 == 0:
            first.append(measure_a())
            second.append(measure_b())
        else:
            second.append(measure_b())
            first.append(measure_a())
    return first, second


def wall_of(command: Sequence[str], *, env: dict[str, str] | None = None) -> float:
    """Seconds from start to exit of `command` (which must succeed)."""
    start = time.perf_counter()
    subprocess.run(command, check=True, env=env, cwd=ROOT, stdout=subprocess.DEVNULL)
    return time.perf_counter() - start


def machine() -> str:
    """One line: CPU model, cores, Python, OS, and the versions that set the floor."""
    model = platform.processor() or "unknown CPU"
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as handle:
            for line in handle:
                if line.startswith("model name"):
                    model = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    versions = []
    for name in ("textual", "yaml"):
        try:
            module = __import__(name)
            versions.append(f"{name} {getattr(module, '__version__', '?')}")
        except ImportError:
            versions.append(f"{name} missing")
    import sqlite3

    versions.append(f"SQLite {sqlite3.sqlite_version}")
    return (
        f"{model}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"{platform.system()} {platform.release()}; " + ", ".join(versions)
    )


def module_exists(name: str) -> bool:
    """True if `name` can be imported from the checkout (without importing it)."""
    import importlib.util

    ensure_importable()
    try:
        return importlib.util.find_spec(name) is not None
    except ModuleNotFoundError:
        return False
