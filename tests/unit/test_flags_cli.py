"""`quiz flags`, `quiz report` and `quiz scores`/`quiz import` with learners' flags, as an
author or a manager runs them: notes shown literally in every format, an exam's flags
hidden until it is over, flags carried by an export and added once by an import."""

from __future__ import annotations

import csv
import io
import json
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.domain.flags import FlagRecord
from quiz.domain.records import Mode
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.paths import BUNDLED
from tests.support.store_records import QUESTIONS, T0, answer, completed, make_start

NOTE = 'Answer <b>B</b>, "really"; =SUM(A1) and, commas'


def flag(position: int, note: str = NOTE, minutes: int = 2) -> FlagRecord:
    question = QUESTIONS[position].question_id
    return FlagRecord(question, position, note, T0 + timedelta(minutes=minutes))


def flagged_store(path: Path) -> tuple[str, str]:
    """A finished practice attempt with two flags, and an exam in progress with one."""
    with ScoreStore.open(path) as store:
        practice = store.start_attempt(make_start("Ana <i>Ruiz</i>", mode=Mode.PRACTICE))
        for position in range(4):
            store.record_answer(practice, answer(position))
        store.record_flag(practice, flag(0))
        store.record_flag(practice, flag(0, "second, on the same question", minutes=3))
        store.finish_attempt(practice, completed(4, passed=None))
        exam = store.start_attempt(make_start("Ben Ode", started_at=T0 + timedelta(hours=1)))
        store.record_flag(exam, flag(2, "exam secret"))
    return practice, exam


def test_flags_as_a_table_by_question_with_notes_shown_literally(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    flagged_store(db)
    code, out, err = run_cli(["flags", "--db", str(db)], capsys)
    assert code == 0, err
    assert out.startswith("2 flags on 1 question, by question.")
    assert "swelling-01 (laser-skin-tightening, swelling): 2 flagged" in out
    assert "How long does swelling usually last?" in out  # the question as asked
    # Literally (wrapped in its column): no markup read, nothing escaped away.
    assert NOTE in " ".join(out.split())
    assert "Ana <i>Ruiz</i>" in out
    assert "exam secret" not in out  # the exam is still open


def test_flags_as_csv_and_json_keep_the_note_as_data(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    practice, _exam = flagged_store(db)
    code, out, _ = run_cli(["flags", "--db", str(db), "--format", "csv"], capsys)
    assert code == 0
    header, *rows = list(csv.reader(io.StringIO(out)))
    assert header[:2] == ["course", "question_id"] and header[-1] == "note"
    assert [row[-1] for row in rows] == [NOTE, "second, on the same question"]
    assert rows[0][header.index("attempt_id")] == practice
    code, out, _ = run_cli(["flags", "--db", str(db), "--format", "json"], capsys)
    assert code == 0
    found = json.loads(out)
    assert [f["note"] for f in found] == [NOTE, "second, on the same question"]
    assert found[0]["learner"] == "Ana <i>Ruiz</i>"
    assert found[0]["choices"] == list(QUESTIONS[0].choices)
    assert found[0]["content_version"].startswith("sha256:")
    assert found[0]["flagged_at"] == "2026-11-23T10:02:00Z"


def test_a_formula_note_is_not_run_by_a_spreadsheet(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    with ScoreStore.open(db) as store:
        attempt = store.start_attempt(make_start(mode=Mode.PRACTICE))
        store.record_flag(attempt, flag(1, "=HYPERLINK(1)"))
    _code, out, _ = run_cli(["flags", "--db", str(db), "--format", "csv"], capsys)
    assert list(csv.reader(io.StringIO(out)))[1][-1] == "'=HYPERLINK(1)"


def test_an_exams_flags_show_once_it_is_over(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    _practice, exam = flagged_store(db)
    code, out, _ = run_cli(["report", "--db", str(db), "--format", "json"], capsys)
    assert code == 0
    flags_by_question = {q["question"]: q["learner_flags"] for q in json.loads(out)["questions"]}
    assert flags_by_question["swelling-01"] == 2 and flags_by_question["bruising-02"] == 0
    with ScoreStore.open(db) as store:
        for position in range(4):
            store.record_answer(exam, answer(position, at=T0 + timedelta(hours=1, seconds=9)))
        store.finish_attempt(exam, completed(4))
    code, out, _ = run_cli(["flags", "--db", str(db), "--format", "json"], capsys)
    assert "exam secret" in [f["note"] for f in json.loads(out)]
    code, out, _ = run_cli(["report", "--db", str(db), "--format", "json"], capsys)
    flags_by_question = {q["question"]: q["learner_flags"] for q in json.loads(out)["questions"]}
    assert flags_by_question["bruising-02"] == 1
    code, out, _ = run_cli(["report", "--db", str(db)], capsys)
    assert "l.flags" in out


def test_course_and_since_narrow_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    flagged_store(db)
    # The bundled course folder names laser-skin-tightening, as the records do.
    code, out, _ = run_cli(["flags", "--db", str(db), "--course", str(BUNDLED)], capsys)
    assert code == 0 and "2 flags" in out
    code, out, _ = run_cli(["flags", "--db", str(db), "--course", "another-course"], capsys)
    assert code == 0 and out == "No flags.\n"
    later = (T0 + timedelta(days=1)).astimezone().date().isoformat()
    code, out, _ = run_cli(["flags", "--db", str(db), "--since", later], capsys)
    assert code == 0 and out == "No flags.\n"
    code, _out, err = run_cli(["flags", "--db", str(db), "--course", str(tmp_path)], capsys)
    assert code == 1 and "is not a course folder" in err and "Traceback" not in err


def test_export_and_import_carry_the_flags_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    practice, _exam = flagged_store(db)
    code, out, _ = run_cli(["scores", "--db", str(db), "--format", "json"], capsys)
    assert code == 0
    attempts = json.loads(out)
    exported = {a["id"]: a for a in attempts}
    assert [f["note"] for f in exported[practice]["flags"]] == [
        NOTE,
        "second, on the same question",
    ]
    assert all("flags" not in a for a in attempts if a["id"] != practice)  # none, or hidden
    with ScoreStore.open(db) as store:  # the streaming export and the detail agree
        detail = store.get_attempt(practice)
        assert detail is not None and detail.to_export_dict() == exported[practice]
    file = tmp_path / "export.json"
    file.write_text(out, encoding="utf-8")
    target = tmp_path / "other.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0, err
    assert "2 learners' flags added" in out
    code, out, _ = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0 and "flags added" not in out  # the same flags: not added again
    with ScoreStore.open(target) as store:
        assert [f.note for f in store.shown_flags()] == [NOTE, "second, on the same question"]


def test_an_import_refuses_a_note_of_two_lines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "scores.sqlite3"
    flagged_store(db)
    _code, out, _ = run_cli(["scores", "--db", str(db), "--format", "json"], capsys)
    attempts = json.loads(out)
    for attempt in attempts:
        for item in attempt.get("flags", []):
            item["note"] = "two\nlines"
    file = tmp_path / "export.json"
    file.write_text(json.dumps(attempts), encoding="utf-8")
    target = tmp_path / "other.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 1
    assert "flag 0" in err and "'note': a note is one line" in err
    assert "Traceback" not in err
