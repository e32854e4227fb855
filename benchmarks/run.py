"""Run every benchmark and print the table: figure | measured | baseline | ratio | budget | result.

    python -m benchmarks [--quick] [--only NAME[,NAME...]] [--list] [--markdown]

Each budget is a ratio against a baseline measured in the same run on this machine
(Textual, PyYAML and SQLite set the floor), except where the issue gives an
absolute limit. A part whose subject is not built yet says "not available yet".
Exit status: 0 when every measured budget holds, 1 otherwise.
"""

from __future__ import annotations

import argparse
import importlib
import sys
import time
import traceback
from collections.abc import Callable, Sequence
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.common import Row, ensure_importable, machine

# name -> (module, what it measures); each module has rows(quick: bool) -> list[Row]
PARTS: dict[str, tuple[str, str]] = {
    "loading": ("bench_loading", "bank loading throughput vs yaml.load(CSafeLoader)"),
    "blueprint-check": ("bench_loading", "exam blueprint check on 20k questions vs grouping them"),
    "import": ("bench_import", "import time of quiz.cli and quiz.ui.app vs Textual's"),
    "scores": ("bench_scores", "answer commit vs bare SQLite; report time; bytes per answer"),
    "export": ("bench_scores", "quiz scores --format json vs reading + json.dumps; RSS"),
    "scores-import": ("bench_scores", "quiz import of that export vs executemany inserts"),
    "cards": ("bench_scores", "finishing an attempt with vs without its cards; full card rebuild"),
    "first-screen": ("bench_tui", "first screen in tmux vs a trivial Textual app"),
    "keypress": ("bench_tui", "answer to result through tmux; CPU per answer vs a bare app"),
    "memory": ("bench_tui", "peak RSS on the home screen vs a trivial Textual app"),
    "central-push": ("bench_central", "a 10k-attempt backlog pushed vs executemany, 1 transaction"),
    "central-pull": ("bench_central", "first pull of 100k attempts vs one query per table"),
    "central-report": ("bench_central", "quiz report --db postgresql:// on a current mirror"),
    "central-first-screen": ("bench_central", "first screen with QUIZ_CENTRAL set vs trivial"),
}


def part_function(name: str) -> Callable[[bool], list[Row]]:
    module = importlib.import_module(f"benchmarks.{PARTS[name][0]}")
    function = getattr(module, f"rows_{name.replace('-', '_')}", None) or module.rows
    return function  # type: ignore[no-any-return]


def format_ratio(row: Row) -> str:
    return "—" if row.ratio is None else f"{row.ratio:.2f}x"


def print_table(rows: Sequence[Row], *, markdown: bool = False, out=None) -> None:  # type: ignore[no-untyped-def]
    out = out or sys.stdout
    header = ("figure", "measured", "baseline", "ratio", "budget", "result")
    lines = [(r.figure, r.measured, r.baseline, format_ratio(r), r.budget, r.verdict) for r in rows]
    if markdown:
        print("| " + " | ".join(header) + " |", file=out)
        print("|" + "|".join("---" for _ in header) + "|", file=out)
        for line in lines:
            print("| " + " | ".join(line) + " |", file=out)
    else:
        widths = [max(len(h), *(len(line[i]) for line in lines)) for i, h in enumerate(header)]
        print("  ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)), file=out)
        print("  ".join("-" * w for w in widths), file=out)
        for line in lines:
            print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)), file=out)
    notes = [r for r in rows if r.note]
    if notes:
        print("", file=out)
        for row in notes:
            print(f"- {row.figure}: {row.note}", file=out)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="fewer repeats (noisier)")
    parser.add_argument("--only", metavar="NAME[,NAME]", help="run these parts only")
    parser.add_argument("--list", action="store_true", help="list the parts and exit")
    parser.add_argument("--markdown", action="store_true", help="print the table as Markdown")
    args = parser.parse_args(argv)
    if args.list:
        for name, (_module, what) in PARTS.items():
            print(f"{name:14} {what}")
        return 0
    names = list(PARTS)
    if args.only:
        names = [n.strip() for n in args.only.split(",") if n.strip()]
        unknown = [n for n in names if n not in PARTS]
        if unknown:
            parser.error(f"unknown part(s): {', '.join(unknown)}; known: {', '.join(PARTS)}")
    ensure_importable()
    print(f"machine: {machine()}", flush=True)
    rows: list[Row] = []
    started = time.perf_counter()
    for name in names:
        part_start = time.perf_counter()
        print(f"running {name} ...", file=sys.stderr, flush=True)
        try:
            rows.extend(part_function(name)(args.quick))
        except Exception as error:  # one broken part must not hide the others
            traceback.print_exc()
            rows.append(Row(name, f"error: {type(error).__name__}: {error}"[:120], ok=False))
        print(f"  {name}: {time.perf_counter() - part_start:.0f} s", file=sys.stderr, flush=True)
    print(f"\n(took {time.perf_counter() - started:.0f} s{', --quick' if args.quick else ''})")
    print_table(rows, markdown=args.markdown)
    return 0 if all(r.ok is not False for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
