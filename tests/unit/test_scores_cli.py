"""`quiz scores` as a user runs it: the table, CSV, JSON, filters and exit codes."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.domain.records import Mode
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.store_records import T0, answer, completed, fill_store, make_start

NASTY_NAMES = (
    '=HYPERLINK("http://example.invalid","click")',
    "+1 555",
    "-2+3",
    "@SUM(A1)",
    "\tTabbed",
    "\rReturn",
    "[bold]Ana[/bold]",
    "Eve \x1b[31mred\x1b]0;title\x07 \x9b2J",
    "李小龍 Bruce",
    "Two\nLines\u2028Here",
    "\u202eevil\u202c Right",
)


@pytest.fixture
def db(tmp_path: Path) -> Path:
    path = tmp_path / "scores.sqlite3"
    fill_store(path)
    return path


def _store_of(path: Path, names: tuple[str, ...]) -> None:
    with ScoreStore.open(path) as store:
        for number, name in enumerate(names):
            attempt_id = store.start_attempt(
                make_start(name, started_at=T0 + timedelta(minutes=number))
            )
            store.record_answer(attempt_id, answer(0))
            store.finish_attempt(attempt_id, completed(1, passed=False))


def test_json_has_exactly_the_documented_shape(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run_cli(["scores", "--db", str(db), "--format", "json"], capsys)
    assert code == 0
    attempts = json.loads(out)
    assert [a["learner"] for a in attempts] == ["Ben Ode", "Ana Ruiz"]  # newest first
    exam = attempts[1]
    assert list(exam)[:15] == [
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
        "answers",
    ]
    assert {k: exam[k] for k in list(exam)[1:14]} == {
        "learner": "Ana Ruiz",
        "course": "laser-skin-tightening",
        "course_version": "sha256:" + "ab" * 32,
        "mode": "exam",
        "exam": "staff-check",
        "status": "completed",
        "started_at": "2026-11-23T10:00:00Z",
        "finished_at": "2026-11-23T10:05:00Z",
        "time_limit_seconds": 900,
        "correct": 4,
        "total": 4,
        "percent": 100.0,
        "passed": True,
    }
    assert list(exam["answers"][0])[:5] == [
        "question_id",
        "section",
        "response",
        "correct",
        "seconds",
    ]
    assert [(a["question_id"], a["response"], a["correct"]) for a in exam["answers"]] == [
        ("swelling-01", "One to three days", True),
        ("swelling-04", ["It may be tender", "It eases in days"], True),
        ("bruising-02", True, True),
        ("drugs-pregnancy-03", "accutane", True),
    ]
    assert exam["answers"][0]["seconds"] == 7.4
    practice = attempts[0]
    assert practice["passed"] is None and practice["exam"] is None
    # Every question of the attempt, the unanswered ones with a null response.
    assert [a["response"] for a in practice["answers"]] == ["A few hours", None, True, None]
    assert [a["correct"] for a in practice["answers"]] == [False, False, True, False]
    assert practice["answers"][1]["seconds"] is None


def test_the_table_fits_80_columns_newest_first(
    db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _err = run_cli(["scores", "--db", str(db)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "started", "learner", "mode", "status", "score", "result"]
    assert "Ben Ode" in lines[1] and "practice" in lines[1] and "1/4 25%" in lines[1]
    assert "Ana Ruiz" in lines[2] and "4/4 100%" in lines[2] and "passed" in lines[2]
    assert max(len(line) for line in lines) <= 80


def test_names_are_shown_literally_and_harmlessly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    _store_of(path, NASTY_NAMES)
    code, out, _err = run_cli(["scores", "--db", str(path)], capsys)
    assert code == 0
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out and "\r" not in out
    assert "[bold]Ana[/bold]" in out
    assert "李小龍 Bruce" in out
    assert "Two Lines Here" in out and "evil Right" in out and "\u202e" not in out
    lines = out.splitlines()
    assert len(lines) == 1 + len(NASTY_NAMES)
    widths = [sum(2 if "\u4e00" <= c <= "\u9fff" else 1 for c in line) for line in lines]
    assert max(widths) <= 80

    code, out, _err = run_cli(["scores", "--db", str(path), "--format", "json"], capsys)
    assert code == 0
    assert "\x1b" not in out and "\x9b" not in out and "\x07" not in out
    assert {a["learner"] for a in json.loads(out)} == set(NASTY_NAMES)  # exact, once parsed


def test_csv_cells_are_safe_in_a_spreadsheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    _store_of(path, NASTY_NAMES)
    code, out, _err = run_cli(["scores", "--db", str(path), "--format", "csv"], capsys)
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    learners = [row["learner"] for row in rows]
    assert len(learners) == len(NASTY_NAMES)
    for cell in learners:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
        assert "\x1b" not in cell and "\x9b" not in cell
    assert '\'=HYPERLINK("http://example.invalid","click")' in learners
    assert "'-2+3" in learners and "'@SUM(A1)" in learners and "'\tTabbed" in learners
    assert "[bold]Ana[/bold]" in learners and "李小龍 Bruce" in learners
    assert rows[0]["started_at"].endswith("Z") and rows[0]["passed"] == "false"
    assert rows[0]["percent"] == "25.0" and rows[0]["correct"] == "1"


def test_learner_and_since_filter(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        ["scores", "--db", str(db), "--learner", " ana RUIZ", "--format", "csv"], capsys
    )
    assert code == 0 and [r["learner"] for r in csv.DictReader(io.StringIO(out))] == ["Ana Ruiz"]
    day = (T0 + timedelta(days=2)).astimezone().date().isoformat()
    code, out, _ = run_cli(["scores", "--db", str(db), "--since", day], capsys)
    assert code == 0 and out == "no attempts match\n"


def test_a_bad_since_is_a_usage_error(db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run_cli(["scores", "--db", str(db), "--since", "23/11/2026"], capsys)
    assert code == 2 and out == ""
    assert "not a date like 2026-11-23" in err and "Traceback" not in err


def test_a_missing_store_is_not_created(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "nowhere" / "scores.sqlite3"
    code, out, _err = run_cli(["scores", "--db", str(path)], capsys)
    assert code == 0
    assert out == f"no attempts yet (the store {path} does not exist)\n"
    code, out, err = run_cli(["scores", "--db", str(path), "--format", "json"], capsys)
    assert code == 0 and json.loads(out) == [] and str(path) in err
    assert not path.parent.exists()


def test_an_empty_store_says_so(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "scores.sqlite3"
    ScoreStore.open(path).close()
    assert run_cli(["scores", "--db", str(path)], capsys)[1] == "no attempts yet\n"
    code, out, _ = run_cli(["scores", "--db", str(path), "--format", "csv"], capsys)
    assert code == 0 and out.splitlines()[0].startswith("id,learner,course")


def test_the_db_flag_goes_before_or_after_the_command_and_beats_the_environment(
    db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "other.sqlite3"
    _store_of(other, ("Cleo Dar",))
    monkeypatch.setenv("QUIZ_DB", str(other))
    assert "Cleo Dar" in run_cli(["scores"], capsys)[1]
    assert "Ana Ruiz" in run_cli(["--db", str(db), "scores"], capsys)[1]
    assert "Ana Ruiz" in run_cli(["scores", "--db", str(db)], capsys)[1]


def test_an_attempt_in_progress_is_listed_as_such(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        attempt_id = store.start_attempt(make_start(mode=Mode.PRACTICE))
        store.record_answer(attempt_id, answer(1))
        code, out, _ = run_cli(["scores", "--db", str(path)], capsys)  # while it runs
    assert code == 0 and "in progress" in out and "-/4" in out
    code, out, _ = run_cli(["scores", "--db", str(path), "--format", "json"], capsys)
    exported = json.loads(out)[0]
    assert exported["status"] in ("in_progress", "abandoned")
    assert exported["correct"] == 1 and exported["passed"] is None
