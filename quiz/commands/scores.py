"""`quiz scores [--learner NAME] [--since YYYY-MM-DD] [--format table|csv|json]`.

One row per attempt, newest first. Never creates, moves or repairs the store: a
store that cannot be read is a message naming it and exit 1.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, TextIO

from quiz import paths

if TYPE_CHECKING:  # the store is imported when the command runs, not with quiz.cli
    from quiz.storage.attempts import AttemptSummary
    from quiz.storage.scores import ScoreStore

TABLE_WIDTH = 80
CSV_FIELDS = (
    "id",
    "learner",
    "course",
    "course_version",
    "mode",
    "exam",
    "status",
    "started_at",
    "finished_at",
    "time_limit_seconds",
    "correct",
    "total",
    "percent",
    "passed",
)


def add_filter_options(
    parser: argparse.ArgumentParser, *, learner_help: str, format_help: str
) -> None:
    """--learner, --since and --format, shared by the commands that list or report attempts."""
    # Its own dest: `learner` is the app's --learner, which quiz.cli refuses with a command.
    parser.add_argument("--learner", dest="only_learner", metavar="NAME", help=learner_help)
    parser.add_argument(
        "--since",
        metavar="YYYY-MM-DD",
        type=local_date,
        help="only attempts started on or after this (local) date",
    )
    parser.add_argument(
        "--format", choices=("table", "csv", "json"), default="table", help=format_help
    )


def configure(parser: argparse.ArgumentParser) -> None:
    add_filter_options(
        parser,
        learner_help="only this learner's attempts",
        format_help="table (default), csv (safe to open in a spreadsheet) "
        "or json (for 'quiz import')",
    )


def local_date(text: str) -> date:
    """An argparse type: YYYY-MM-DD, a local date (the commands' --since)."""
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a date like 2026-11-23 (YYYY-MM-DD)"
        ) from None


def run(args: argparse.Namespace) -> int:
    from quiz.storage.scores import ScoreStore, StoreError

    path = paths.db_path(args.db)
    out = sys.stdout
    if not path.exists():
        note = f"no attempts yet (the store {path} does not exist)"
        if args.format == "table":
            out.write(note + "\n")
        else:
            print(note, file=sys.stderr)
            _write([], args.format, out, store=None)
        return 0
    try:
        with ScoreStore.open(path, create=False) as store:
            attempts = store.list_attempts(learner=args.only_learner, since=args.since)
            if not attempts and args.format == "table":
                filtered = args.only_learner is not None or args.since is not None
                out.write("no attempts match\n" if filtered else "no attempts yet\n")
                return 0
            _write(attempts, args.format, out, store=store)
    except StoreError as error:
        print(f"quiz scores: {error.message}", file=sys.stderr)
        return 1
    return 0


def _write(
    attempts: list[AttemptSummary], form: str, out: TextIO, *, store: ScoreStore | None
) -> None:
    if form == "json":
        _write_json(attempts, out, store)
    elif form == "csv":
        _write_csv(attempts, out)
    else:
        _write_table(attempts, out)


# --- json -------------------------------------------------------------------------------


def _write_json(attempts: list[AttemptSummary], out: TextIO, store: ScoreStore | None) -> None:
    """A JSON list, written one attempt at a time (a big store need not fit in memory)."""
    if not attempts or store is None:
        out.write("[]\n")
        return
    out.write("[\n")
    for index, detail in enumerate(store.iter_details(attempts)):
        if index:
            out.write(",\n")
        out.write(json_text(detail.to_export_dict()))
    out.write("\n]\n")


def json_text(value: Any) -> str:
    """JSON that is harmless on a terminal: C1 controls and DEL escaped as \\u00XX
    (json.dumps escapes C0 controls itself), other Unicode kept readable."""
    import json

    text = json.dumps(value, ensure_ascii=False, indent=2)
    return "".join(f"\\u{ord(c):04x}" if "\x7f" <= c <= "\x9f" else c for c in text)


# --- csv --------------------------------------------------------------------------------

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(text: str) -> str:
    """A cell a spreadsheet will not run as a formula (OWASP CSV injection): text
    starting with = + - @ tab or carriage return gets a leading apostrophe."""
    from quiz.domain.text import strip_control

    text = strip_control(text)
    if text.startswith(_FORMULA_STARTS):
        return "'" + text
    return text


def _write_csv(attempts: Iterable[AttemptSummary], out: TextIO) -> None:
    import csv

    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_FIELDS)
    for attempt in attempts:
        writer.writerow(spreadsheet_safe(v) if isinstance(v, str) else v for v in _csv_row(attempt))


def _csv_row(attempt: AttemptSummary) -> tuple[object, ...]:
    from quiz.storage.codec import format_utc

    def blank(value: object) -> object:
        return "" if value is None else value

    return (
        attempt.id,
        attempt.learner,
        attempt.course,
        attempt.course_version,
        str(attempt.mode),
        blank(attempt.exam),
        str(attempt.status),
        format_utc(attempt.started_at),
        format_utc(attempt.finished_at) if attempt.finished_at else "",
        blank(attempt.time_limit_seconds),
        blank(attempt.correct),
        attempt.total,
        blank(attempt.percent),
        "" if attempt.passed is None else str(attempt.passed).lower(),
    )


# --- table ------------------------------------------------------------------------------

_STATUS_WORDS = {
    "in_progress": "in progress",
    "completed": "completed",
    "timed_out": "timed out",
    "abandoned": "abandoned",
}


def _write_table(attempts: list[AttemptSummary], out: TextIO) -> None:
    """Fits TABLE_WIDTH columns; names shown literally, without control characters. The
    course column is shown only when the attempts are of more than one course."""
    rows = [_table_row(a) for a in attempts]
    header = ("started", "learner", "course", "mode", "status", "score", "result")
    widths = [16, 0, 0, 8, 11, max(len(header[5]), *(len(r[5]) for r in rows)), 6]
    show_course = len({a.course for a in attempts}) > 1
    room = TABLE_WIDTH - sum(widths) - (len(widths) - 1 if show_course else len(widths) - 2)
    longest_name = max((text_width(r[1]) for r in rows), default=0)
    if show_course:
        widths[1] = max(len(header[1]), min(longest_name, room - room // 2))
        widths[2] = room - widths[1]
    else:
        widths[1] = room
    columns = [i for i in range(len(widths)) if show_course or i != 2]
    right_aligned = [i == 5 for i in columns]  # the score
    for row in (header, *rows):
        cells = [row[i] for i in columns]
        out.write(_line(cells, [widths[i] for i in columns], right_aligned) + "\n")


_BIDI_CONTROLS = dict.fromkeys(
    [*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F, 0x061C], None
)


def terminal_text(text: str) -> str:
    """`text` as one harmless line of a table: no control characters, no line breaks
    or tabs, no bidirectional overrides that would reorder the columns on screen."""
    from quiz.domain.text import strip_control

    return " ".join(strip_control(text).translate(_BIDI_CONTROLS).replace("\t", " ").splitlines())


def _table_row(attempt: AttemptSummary) -> tuple[str, ...]:
    started = attempt.started_at.astimezone().strftime("%Y-%m-%d %H:%M")
    if attempt.correct is None:
        score = f"-/{attempt.total}"
    else:
        score = f"{attempt.correct}/{attempt.total} {attempt.percent or 0:.0f}%"
    result = "" if attempt.passed is None else ("passed" if attempt.passed else "failed")
    return (
        started,
        terminal_text(attempt.learner),
        terminal_text(attempt.course),
        str(attempt.mode),
        _STATUS_WORDS[str(attempt.status)],
        score,
        result,
    )


def _line(cells: list[str], widths: list[int], right_aligned: list[bool]) -> str:
    parts = []
    for cell, width, right in zip(cells, widths, right_aligned, strict=True):
        fitted = fit(cell, width)
        pad = " " * (width - text_width(fitted))
        parts.append(pad + fitted if right else fitted + pad)
    return " ".join(parts).rstrip()


def _char_width(char: str) -> int:
    import unicodedata

    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1


def text_width(text: str) -> int:
    """How many terminal columns `text` takes (wide characters two, combining ones none)."""
    return sum(_char_width(c) for c in text)


def fit(text: str, width: int) -> str:
    """`text` cut to `width` terminal columns, with an ellipsis when cut."""
    if text_width(text) <= width:
        return text
    out, used = [], 0
    for char in text:
        char_width = _char_width(char)
        if used + char_width > width - 1:
            break
        out.append(char)
        used += char_width
    return "".join(out) + "…"
