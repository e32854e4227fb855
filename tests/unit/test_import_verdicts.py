"""`quiz import` recomputes the verdict of a finished exam (quiz.domain.grading), stores
it and says where the file disagreed; the report's fallback for a stored attempt without
a verdict uses the same rule; so does crash recovery.

The exam: 3 questions, the third critical, pass mark 50. Two right and the critical
one wrong is 2 of 3 (67%): a fail, whatever the percent.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.records import AttemptResult, AttemptStatus
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.store_records import QUESTIONS, T0, answer, completed, fill_store, make_start

EXAM = tuple(
    replace(q, position=i) for i, q in enumerate((QUESTIONS[0], QUESTIONS[1], QUESTIONS[3]))
)
assert EXAM[2].critical


def exam_store(path: Path, *, critical_right: bool = False, learner: str = "Ana Ruiz") -> str:
    """A store with one finished exam: questions 1 and 2 right, the critical one as asked."""
    with ScoreStore.open(path) as store:
        attempt_id = store.start_attempt(replace(make_start(learner, questions=EXAM), pass_mark=50))
        store.record_answer(attempt_id, answer(0))
        store.record_answer(attempt_id, answer(1))
        store.record_answer(attempt_id, answer(3, right=critical_right))
        correct = 3 if critical_right else 2
        store.finish_attempt(attempt_id, completed(correct, 3, passed=critical_right))
    return attempt_id


def exported(source: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, _ = run_cli(["scores", "--db", str(source), "--format", "json"], capsys)
    assert code == 0
    attempts: list[dict[str, Any]] = json.loads(out)
    return attempts


def write(path: Path, attempts: list[dict[str, Any]]) -> Path:
    path.write_text(json.dumps(attempts), encoding="utf-8")
    return path


def verdicts(db: Path, capsys: pytest.CaptureFixture[str]) -> dict[str, bool | None]:
    return {str(a["id"]): a["passed"] for a in exported(db, capsys)}


def latest_exam_line(db: Path, capsys: pytest.CaptureFixture[str], *only: str) -> str:
    code, out, _ = run_cli(["report", "--db", str(db), *only], capsys)
    assert code == 0
    latest = out[out.index("LATEST EXAM") :]
    return next(line for line in latest.splitlines() if line.startswith("Ana Ruiz"))


@pytest.mark.parametrize("emptied", ["null", "missing"])
def test_an_exam_imported_without_passed_is_failed_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], emptied: str
) -> None:
    attempt_id = exam_store(tmp_path / "clinic.sqlite3")
    attempts = exported(tmp_path / "clinic.sqlite3", capsys)
    if emptied == "null":
        attempts[0]["passed"] = None
    else:
        del attempts[0]["passed"]
    file = write(tmp_path / "old.json", attempts)
    target = tmp_path / "manager.sqlite3"

    code, out, err = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0, err
    assert out.splitlines() == [
        f"{file}: 1 imported, 0 already present, 0 conflicting",
        f"{file}: attempt {attempt_id} (Ana Ruiz): file said no verdict, recomputed failed "
        "(2 of 3 right, 66.67%; critical question 3 missed); the recomputed verdict was stored",
    ]
    assert verdicts(target, capsys) == {attempt_id: False}
    assert "failed 67%" in latest_exam_line(target, capsys)
    assert "failed 67%" in latest_exam_line(target, capsys, "--learner", "Ana Ruiz")

    # Again: the same attempt (its `passed` is recomputed, not compared), nothing to say.
    code, out, _ = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0
    assert out == f"{file}: 0 imported, 1 already present, 0 conflicting\n"


def test_a_hand_edited_verdict_or_score_is_replaced_and_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = exam_store(tmp_path / "a.sqlite3")
    second = exam_store(tmp_path / "b.sqlite3", learner="Ben Ode")
    edited = exported(tmp_path / "a.sqlite3", capsys) + exported(tmp_path / "b.sqlite3", capsys)
    edited[0]["passed"] = True
    edited[1].update(correct=3, percent=100.0, passed=True)
    file = write(tmp_path / "edited.json", edited)
    target = tmp_path / "manager.sqlite3"
    code, out, _ = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == f"{file}: 2 imported, 0 already present, 0 conflicting"
    assert f"attempt {first} (Ana Ruiz): file said passed, recomputed failed (2 of 3" in lines[1]
    assert (
        f"attempt {second} (Ben Ode): file said 3 of 3 right and passed, recomputed failed"
        in lines[2]
    )
    with ScoreStore.open(target) as store:
        stored = {a.id: (a.correct, a.percent, a.passed) for a in store.list_attempts()}
    assert stored == {first: (2, 66.67, False), second: (2, 66.67, False)}


def test_files_that_agree_practice_and_abandoned_attempts_are_not_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    fill_store(tmp_path / "clinic.sqlite3")  # an exam passed 4 of 4, practice
    with ScoreStore.open(tmp_path / "clinic.sqlite3") as store:
        left = store.start_attempt(make_start("Cleo Dar", started_at=T0 + timedelta(days=1)))
        store.record_answer(left, answer(0))
        store.finish_attempt(
            left,
            AttemptResult(
                AttemptStatus.ABANDONED, T0 + timedelta(days=1, minutes=1), 1, 4, 25.0, None
            ),
        )
    attempts = exported(tmp_path / "clinic.sqlite3", capsys)
    assert sorted(str(a["passed"]) for a in attempts) == ["None", "None", "True"]
    for attempt in attempts:
        if attempt["mode"] == "practice":
            attempt.pop("passed")
    file = write(tmp_path / "clinic.json", attempts)
    target = tmp_path / "manager.sqlite3"
    code, out, _ = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0
    assert out == f"{file}: 3 imported, 0 already present, 0 conflicting\n"
    assert verdicts(target, capsys) == {str(a["id"]): a.get("passed") for a in attempts}


def test_the_report_gives_a_stored_exam_without_a_verdict_the_rule_s_verdict(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """As an import before the rule was shared left it: passed (and percent) empty.
    The report's fallback counts the critical question, from the summaries and from the
    attempts."""
    db = tmp_path / "old.sqlite3"
    exam_store(db)
    connection = sqlite3.connect(db)
    connection.execute("UPDATE attempt SET passed = NULL, percent = NULL")
    connection.commit()
    connection.close()
    assert "failed 67%" in latest_exam_line(db, capsys)
    assert "failed 67%" in latest_exam_line(db, capsys, "--learner", "Ana Ruiz")
    exam_store(tmp_path / "right.sqlite3", critical_right=True)  # and a pass stays a pass
    connection = sqlite3.connect(tmp_path / "right.sqlite3")
    connection.execute("UPDATE attempt SET passed = NULL")
    connection.commit()
    connection.close()
    assert "passed 100%" in latest_exam_line(tmp_path / "right.sqlite3", capsys)


def test_recovery_fails_a_timed_out_exam_with_its_critical_question_missed(
    tmp_path: Path,
) -> None:
    db = tmp_path / "scores.sqlite3"
    with ScoreStore.open(db) as store:
        attempt_id = store.start_attempt(replace(make_start(questions=EXAM), pass_mark=50))
        store.record_answer(attempt_id, answer(0))
        store.record_answer(attempt_id, answer(1))
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    connection = sqlite3.connect(db)
    connection.execute("UPDATE attempt SET pid = ?", (process.pid,))
    connection.commit()
    connection.close()
    with ScoreStore.open(db) as store:  # T0's deadline has long passed: timed out
        [summary] = store.list_attempts()
    assert summary.status is AttemptStatus.TIMED_OUT
    assert (summary.correct, summary.percent, summary.passed) == (2, 66.67, False)
