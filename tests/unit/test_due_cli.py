"""`quiz due` (table, CSV, JSON), the report's leeches and drill lines, and `quiz
scheduler`, run as commands on stores written through ScoreStore. "Now" is a clock the
tests set (quiz.commands.due.CLOCK)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from quiz.commands import due
from quiz.domain.records import Mode
from quiz.storage import db
from quiz.storage.scores import ScoreStore
from quiz.tables.text import TABLE_WIDTH, text_width
from tests.support.cards import DAY, assert_cards_are_replayed_ones, take
from tests.support.cli import run_cli
from tests.support.fakes import FixedClock
from tests.support.store_records import QUESTIONS

S01, S04, B02, D03 = (q.question_id for q in QUESTIONS)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> FixedClock:
    fixed = FixedClock()
    monkeypatch.setattr(due, "CLOCK", fixed)
    return fixed


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "scores.sqlite3"


def lapses(store: ScoreStore, clock: FixedClock, learner: str, times: int) -> None:
    for _ in range(times):
        take(store, clock, [True, None, None, None], learner=learner)
        clock.advance(5 * DAY)
        take(store, clock, [False, None, None, None], learner=learner)
        clock.advance(DAY)


def run_due(path: Path, capsys: pytest.CaptureFixture[str], *more: str) -> tuple[int, str, str]:
    return run_cli(["due", "--db", str(path), *more], capsys)


def test_json_lists_the_two_missed_questions_and_not_the_right_ones(
    path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    with ScoreStore.open(path) as store:
        take(store, clock, [False, True, False, True])
    code, out, err = run_due(path, capsys, "--format", "json")
    assert (code, err) == (0, "")
    rows = json.loads(out)
    assert sorted(r["question_id"] for r in rows) == sorted([S01, B02])
    for row in rows:
        assert {"learner", "question_id", "section", "critical", "due_at", "lapses", "leech"} <= (
            row.keys()
        )
        assert row["learner"] == "Ana Ruiz" and row["due"] is True
        assert row["critical"] is False and row["leech"] is False and row["lapses"] == 0
        assert row["due_at"].endswith("Z") and row["due_at"][10] == "T"
        assert 0 <= row["retrievability"] <= 1
    week = json.loads(run_due(path, capsys, "--format", "json", "--within", "7d")[1])
    assert {r["question_id"] for r in week} == {S01, S04, B02, D03}
    assert {r["question_id"] for r in week if r["due"]} == {S01, S04, B02, D03}


def test_table_and_csv(path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]) -> None:
    with ScoreStore.open(path) as store:
        take(store, clock, [False, True, True, False], learner="=HYPERLINK(1)")
        take(store, clock, [True, True, True, True], learner="Ben Ode")
    code, out, _ = run_due(path, capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Due now: 2 questions for 1 learner; 0 leeches")
    assert all(text_width(line) <= TABLE_WIDTH for line in lines)
    body = [line for line in lines if "now" in line.split()]
    assert len(body) == 2 and body[0].split()[1] == D03  # critical first
    assert "yes" in body[0].split()
    code, out, _ = run_due(path, capsys, "--format", "csv")
    rows = list(csv.DictReader(io.StringIO(out, newline="")))
    assert [r["question_id"] for r in rows] == [D03, S01]
    assert rows[0]["learner"] == "'=HYPERLINK(1)" and rows[0]["critical"] == "true"
    code, out, _ = run_due(path, capsys, "--learner", "ben ode")
    assert code == 0 and out.startswith("Nothing is due now, and there are no leeches.")


def test_leeches_are_in_quiz_due_and_in_the_report(
    path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    with ScoreStore.open(path) as store:
        lapses(store, clock, "Ana Ruiz", 4)
        lapses(store, clock, "Ben Ode", 4)
        clock.advance(DAY / 2)
        take(store, clock, [True, None, None, None], learner="Ana Ruiz")  # not due now
    rows = json.loads(run_due(path, capsys, "--format", "json")[1])
    leeches = {(r["learner"], r["question_id"]): r for r in rows if r["leech"]}
    assert set(leeches) == {("Ana Ruiz", S01), ("Ben Ode", S01)}
    assert leeches[("Ana Ruiz", S01)]["due"] is False  # listed though not due
    assert leeches[("Ana Ruiz", S01)]["lapses"] == 4
    code, out, _ = run_due(path, capsys)
    assert "LEECH" in out and "2 leeches" in out

    code, out, _ = run_cli(["report", "--db", str(path)], capsys)
    assert code == 0
    lines = out.splitlines()
    at = lines.index("LEECHES")
    leech_line = next(line for line in lines[at:] if line.startswith(S01))
    assert "Ana Ruiz (4), Ben Ode (4)" in leech_line and " 2 " in leech_line
    assert all(text_width(line) <= TABLE_WIDTH for line in lines)
    report = json.loads(run_cli(["report", "--db", str(path), "--format", "json"], capsys)[1])
    assert report["leech_threshold"] == 4
    assert report["leeches"] == [
        {
            "course": "laser-skin-tightening",
            "question": S01,
            "section": "swelling",
            "staff": 2,
            "learners": ["Ana Ruiz", "Ben Ode"],
            "lapses": [4, 4],
        }
    ]
    out = run_cli(["report", "--db", str(path), "--format", "csv"], capsys)[1]
    block = [b for b in out.split("\r\n\r\n") if b.startswith("table,course,question")][-1]
    (row,) = list(csv.DictReader(io.StringIO(block, newline="")))
    assert row["table"] == "leeches" and row["learners"] == "Ana Ruiz; Ben Ode"


def test_the_report_shows_drill_rounds_on_their_own_lines(
    path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    with ScoreStore.open(path) as store:
        take(store, clock, [False, True, True, True])
        take(store, clock, [[False, True], None, None, None], mode=Mode.DRILL)
    code, out, _ = run_cli(["report", "--db", str(path)], capsys)
    assert code == 0
    words = " ".join(out.split())
    assert "Report: 1 attempts (0 exams)" in words and "Drill: 1 round by 1 learner" in words
    lines = out.splitlines()
    at = lines.index("DRILL ACTIVITY")
    row = next(line for line in lines[at:] if line.startswith("Ana Ruiz"))
    assert row.split()[2:6] == ["1", "4", "1", "25%"]
    report = json.loads(run_cli(["report", "--db", str(path), "--format", "json"], capsys)[1])
    assert report["attempts"] == 1
    assert [(d["learner"], d["rounds"], d["questions"], d["right"]) for d in report["drill"]] == [
        ("Ana Ruiz", 1, 4, 1)
    ]
    (question,) = [q for q in report["questions"] if q["question"] == S01]
    assert question["asked"] == 1  # the drill's answer is not in the statistics
    scores = json.loads(run_cli(["scores", "--db", str(path), "--format", "json"], capsys)[1])
    assert sorted(a["mode"] for a in scores) == ["drill", "practice"]


def test_bad_input_is_a_message_and_a_non_zero_exit(
    path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run_due(path, capsys, "--format", "json")
    assert code == 0 and json.loads(out) == [] and "does not exist" in err
    with ScoreStore.open(path) as store:
        take(store, clock, [False, True, True, True])
    code, _, err = run_due(path, capsys, "--within", "a week")
    assert code == 2 and "not a duration" in err and "Traceback" not in err
    code, _, err = run_due(path, capsys, "--learner", "Ana Ruis")
    assert code == 1 and "no learner called 'Ana Ruis'" in err and "Ana Ruiz" in err
    code, _, err = run_cli(["scheduler", "--db", str(path), "--retention", "2"], capsys)
    assert code == 2 and "0.7 to 0.99" in err
    code, _, err = run_cli(["scheduler", "--db", str(path), "--learning-steps", "1x"], capsys)
    assert code == 2 and "not a duration" in err


def test_the_first_command_after_the_upgrade_builds_the_cards_with_progress(
    path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    old = ScoreStore(path, db.connect(path, upto=4))
    try:
        take(old, clock, [False, True, False, True])
        take(old, clock, [False, True, True, True], learner="Ben Ode")
    finally:
        old.close()
    code, out, err = run_due(path, capsys, "--format", "json")
    assert code == 0
    assert "making the drill's cards of 2 learners" in err and "2/2 learners" in err
    assert sorted(r["question_id"] for r in json.loads(out)) == sorted([S01, B02, S01])
    code, out, err = run_due(path, capsys, "--format", "json")
    assert err == ""  # built once


def test_quiz_scheduler_shows_and_changes_the_settings(
    path: Path, clock: FixedClock, capsys: pytest.CaptureFixture[str]
) -> None:
    with ScoreStore.open(path) as store:
        take(store, clock, [False, True, False, True])
    code, out, err = run_cli(["scheduler", "--db", str(path)], capsys)
    assert code == 0 and err == ""
    assert "critical retention   0.95" in out and "learning steps       0s" in out
    code, out, err = run_cli(
        ["scheduler", "--db", str(path), "--retention", "0.85", "--relearning-steps", "10m"],
        capsys,
    )
    assert code == 0 and "making the drill's cards of 1 learner" in err
    assert "retention            0.85" in out and "relearning steps     10m" in out
    code, out, err = run_cli(["scheduler", "--db", str(path), "--leech-threshold", "6"], capsys)
    assert code == 0 and err == "" and "leech threshold      6 lapses" in out


def test_the_cards_of_the_learners_an_import_brings_are_made_by_the_next_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source, target = tmp_path / "a.sqlite3", tmp_path / "b.sqlite3"
    clock = FixedClock()
    with ScoreStore.open(source) as store:
        take(store, clock, [False, True, False, True], learner="Ann")
        missed = sorted(c.question_id for c in store.due_questions("Ann", now=clock.now()))
    assert len(missed) == 2
    code, exported, _ = run_cli(["scores", "--db", str(source), "--format", "json"], capsys)
    assert code == 0
    (tmp_path / "a.json").write_text(exported, encoding="utf-8")
    code, out, err = run_cli(["import", "--db", str(target), str(tmp_path / "a.json")], capsys)
    assert code == 0
    assert "the drill's cards of 1 learner will be made from their answers when first" in err
    with ScoreStore.open(target) as store:
        assert store.cards_to_rebuild() == 1  # made by the first command that needs them
    code, out, err = run_cli(
        ["due", "--db", str(target), "--learner", "Ann", "--format", "json"], capsys
    )
    assert code == 0 and "making the drill's cards of 1 learner" in err
    assert set(missed) <= {r["question_id"] for r in json.loads(out) if r["due"]}  # now: later
    with ScoreStore.open(target) as store:
        assert store.cards_to_rebuild() == 0
        assert sorted(c.question_id for c in store.due_questions("Ann", now=clock.now())) == missed
        assert_cards_are_replayed_ones(store)
