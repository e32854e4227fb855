"""The score store takes any registered question kind (issue 12).

Version 4 of the schema rebuilt asked_question without the CHECK that allowed only the
four built-in types: the kind registry checks a type when a question version is
written. An upgrade from version 3 keeps every row, and `quiz scores` and the report
say the same after it. With the test-only `number` kind (tests/support/number_kind.py)
registered, an attempt of it is started, answered, finished, listed, exported, imported
and reported through the real ScoreStore and commands; a type no kind is registered
for is refused when written or imported, and a store holding one still opens.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from dataclasses import asdict, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.loader import load_course
from quiz.domain.model import Course
from quiz.domain.records import AttemptStatus, Mode
from quiz.domain.selection import Selection
from quiz.domain.session import QuizSession
from quiz.storage import db, report_from_attempts, report_from_summaries, reports
from quiz.storage.errors import StoreError
from quiz.storage.report_model import Report, ReportFilter
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.courses import write_course
from tests.support.fakes import FixedClock
from tests.support.number_kind import NUMBER_COURSE, number_kind_registered
from tests.support.report_store import GIVEN, save
from tests.support.store_records import make_start
from tests.support.summaries import SUMMARY_TABLES, assert_summaries_are_rebuilt_ones
from tests.unit.test_report_summaries import same

BUILT_IN = "single, multiple, true_false, short"


LATER_COLUMNS = frozenset({"clinic", "utc_offset", "identified", "verify_code"})
"""Columns added in place by versions 7 and 8 (NULL, or 'typed', on every older row;
checked apart)."""


def every_row(
    connection: sqlite3.Connection, *, with_summaries: bool = False
) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the store, in order (without LATER_COLUMNS); the
    report summaries only `with_summaries`: derived, not kept in a store older than
    summaries.TABLES_VERSION, and made again when it is upgraded
    (assert_summaries_are_rebuilt_ones checks them)."""
    tables = [
        row[0]
        for row in connection.execute(
            "SELECT name FROM sqlite_schema WHERE type = 'table' ORDER BY name"
        )
        if with_summaries or row[0] not in SUMMARY_TABLES
    ]
    rows = {}
    for table in tables:
        columns = ", ".join(
            f'"{c[1]}"'
            for c in connection.execute(f'PRAGMA table_info("{table}")')
            if c[1] not in LATER_COLUMNS
        )
        rows[table] = sorted(connection.execute(f"SELECT {columns} FROM {table}").fetchall())
    return rows


def asked_question_sql(connection: sqlite3.Connection) -> str:
    row = connection.execute(
        "SELECT sql FROM sqlite_schema WHERE type = 'table' AND name = 'asked_question'"
    ).fetchone()
    return str(row[0])


def both_reports(store: ScoreStore) -> tuple[Report, Report]:
    """The whole store's report from the summaries, and straight from the attempts."""
    connection = store._connection
    with reports.snapshot(connection):
        names = reports.Names(connection)
        return (
            report_from_summaries.report_from_summaries(connection, ReportFilter(), names),
            report_from_attempts.report_from_attempts(connection, ReportFilter(), names),
        )


def version_three_store(path: Path) -> ScoreStore:
    """A store of schema version 3, written by today's ScoreStore."""
    return ScoreStore(path, db.connect(path, upto=3))


# --- the upgrade from version 3 ---------------------------------------------------------


def test_a_store_of_the_third_version_is_upgraded_keeping_every_row_and_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    store = version_three_store(path)
    try:
        for given in GIVEN:  # versions shuffled, answers changed, timed out, abandoned
            save(store, given)
        store.start_attempt(make_start("Eve Sato", started_at=datetime.now(UTC)))  # alive
        connection = store._connection
        assert connection.execute("PRAGMA user_version").fetchone()[0] == 3
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute(
                "INSERT INTO asked_question SELECT 99, x'99', question, section, 'number', "
                "critical, prompt, choices, answer FROM asked_question LIMIT 1"
            )
        rows = every_row(connection)
        exported = [d.to_export_dict() for d in store.iter_details(store.list_attempts())]
        report = asdict(store.report(ReportFilter()))
        ana = asdict(store.report(ReportFilter(learner="Ana Ruiz")))
    finally:
        store.close()
    assert len(rows["asked_question"]) == 5 and len(rows["answer"]) > 20

    code, out, err = run_cli(["scores", "--db", str(path), "--format", "json"], capsys)
    assert (code, err) == (0, "")
    assert json.loads(out) == json.loads(json.dumps(exported))

    (backup,) = tmp_path.glob("scores.sqlite3.v3-*.bak")  # made before upgrading
    with sqlite3.connect(backup) as old:
        assert old.execute("PRAGMA user_version").fetchone()[0] == 3
        assert every_row(old) == rows
    old.close()

    with ScoreStore.open(path) as store:
        connection = store._connection
        assert connection.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        kept = every_row(connection)
        assert {table: kept[table] for table in rows} == rows  # the same ids too
        sql = asked_question_sql(connection)
        assert "type TEXT NOT NULL," in sql and "CHECK (type" not in sql
        assert "CHECK (critical IN (0, 1))" in sql
        (index,) = connection.execute("PRAGMA index_list(asked_question)").fetchall()
        assert index[2] == 1  # unique
        (column,) = connection.execute(f"PRAGMA index_info({index[1]})").fetchall()
        assert column[2] == "digest"
        assert [
            (fk[2], fk[3], fk[4])
            for fk in connection.execute("PRAGMA foreign_key_list(version_stats)")
        ] == [("asked_question", "asked_question", "id")]
        assert {fk[2] for fk in connection.execute("PRAGMA foreign_key_list(asked_question)")} == {
            "question",
            "section",
        }
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1  # on again
        assert connection.execute("PRAGMA foreign_key_check").fetchall() == []
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # Before, from the attempts (an older store's summaries are not kept); now from
        # the summaries: the same, floats to rounding.
        same(asdict(store.report(ReportFilter())), report)
        assert asdict(store.report(ReportFilter(learner="Ana Ruiz"))) == ana
        assert_summaries_are_rebuilt_ones(connection)
        with pytest.raises(sqlite3.IntegrityError, match="FOREIGN KEY"):
            connection.execute("INSERT INTO version_stats VALUES (999, 202611, 1)")
    assert [p.name for p in tmp_path.glob("*.bak")] == [backup.name]  # upgraded once


def test_a_failed_upgrade_leaves_the_store_of_the_third_version_as_it_was(
    tmp_path: Path,
) -> None:
    path = tmp_path / "scores.sqlite3"
    store = version_three_store(path)
    save(store, GIVEN[0])
    store.close()
    raw = sqlite3.connect(path)  # foreign keys off: a row no store would write
    raw.execute("INSERT INTO version_stats VALUES (999, 202611, 1)")
    raw.commit()
    before = every_row(raw, with_summaries=True)
    raw.close()

    refused = "rebuilding asked_question: a row of version_stats refers to a missing row"
    with pytest.raises(StoreError, match=refused):
        ScoreStore.open(path)

    raw = sqlite3.connect(path)
    assert raw.execute("PRAGMA user_version").fetchone()[0] == 3
    assert "CHECK (type IN" in asked_question_sql(raw)
    assert every_row(raw, with_summaries=True) == before
    raw.close()


def test_a_new_store_is_made_at_version_five(tmp_path: Path) -> None:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as store:
        connection = store._connection
        assert connection.execute("PRAGMA user_version").fetchone()[0] == db.SCHEMA_VERSION
        assert "CHECK (type" not in asked_question_sql(connection)
        assert connection.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    assert not list(tmp_path.glob("*.bak"))


# --- a registered kind, through the store -----------------------------------------------


def take_exam(store: ScoreStore, course: Course, learner: str = "Ana Ruiz") -> str:
    """An exam of the number course, saved as the app saves it: n-days right ("3.0"),
    n-hours wrong ("24"), s-days wrong (the wrong choice); returns the attempt id."""
    session = QuizSession(
        course,
        Selection(questions=course.questions, sections=("healing",)),
        mode=Mode.EXAM,
        seed=1,
        clock=FixedClock(),
        exam="check",
    )
    attempt_id = store.start_attempt(session.attempt_start(learner))
    position = {q.question_id: q.position for q in session.asked}
    statements: list[str] = []
    store._connection.set_trace_callback(statements.append)
    store.record_answer(attempt_id, session.answer(position["n-days"], "3.0"))
    store._connection.set_trace_callback(None)
    assert statements == [statements[0], statements[1], "COMMIT"]  # as any answer
    assert statements[0] == "BEGIN IMMEDIATE" and statements[1].startswith("INSERT")
    store.record_answer(attempt_id, session.answer(position["n-hours"], "24"))
    store.record_answer(attempt_id, session.answer(position["s-days"], "About three weeks"))
    store.finish_attempt(attempt_id, session.finish())
    return attempt_id


def test_an_attempt_of_a_registered_kind_is_saved_listed_exported_imported_and_reported(
    tmp_path: Path, number_course: Course, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "clinic-a.sqlite3"
    with ScoreStore.open(source) as store:
        attempt_id = take_exam(store, number_course)
        stored = dict(
            store._connection.execute(
                """SELECT q.code, a.response FROM answer a
                   JOIN attempt t ON t.id = a.attempt
                   JOIN asked_question v ON v.id = asked_at(t.items, a.item)
                   JOIN question q ON q.id = v.question"""
            ).fetchall()
        )
        types = dict(
            store._connection.execute(
                "SELECT q.code, v.type FROM asked_question v JOIN question q ON q.id = v.question"
            ).fetchall()
        )
    assert stored["n-days"] == 3000 and stored["n-hours"] == 24000  # the kind's own form
    assert types == {"n-days": "number", "n-hours": "number", "s-days": "single"}

    code, out, err = run_cli(["scores", "--db", str(source), "--format", "json"], capsys)
    assert (code, err) == (0, "")
    (exported,) = json.loads(out)
    assert exported["id"] == attempt_id and exported["status"] == "completed"
    assert (exported["correct"], exported["total"], exported["passed"]) == (1, 3, False)
    answers = {a["question_id"]: a for a in exported["answers"]}
    assert (answers["n-days"]["type"], answers["n-days"]["response"]) == ("number", "3")
    assert answers["n-days"]["right_answer"] == ["3"] and answers["n-days"]["correct"] is True
    assert (answers["n-hours"]["response"], answers["n-hours"]["correct"]) == ("24", False)
    assert answers["s-days"]["response"] == "About three weeks"
    export_file = tmp_path / "clinic-a.json"
    export_file.write_text(out, encoding="utf-8")

    target = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(export_file)], capsys)
    assert code == 0 and "1 imported" in out, (out, err)
    code, out, _ = run_cli(["import", "--db", str(target), str(export_file)], capsys)
    assert code == 0 and "0 imported" in out  # matched by id: nothing changes

    with ScoreStore.open(source) as store:
        original = store.get_attempt(attempt_id)
    with ScoreStore.open(target) as store:
        imported = store.get_attempt(attempt_id)
        from_summaries, from_attempts = both_reports(store)
        assert_summaries_are_rebuilt_ones(store._connection)
    assert original is not None and imported is not None
    assert imported.to_export_dict() == original.to_export_dict()
    assert asdict(from_summaries) == asdict(from_attempts)

    assert (from_summaries.attempts, from_summaries.exams) == (1, 1)
    questions = {q.question: q for q in from_summaries.questions}
    days, hours, single = questions["n-days"], questions["n-hours"], questions["s-days"]
    assert (days.type, days.asked, days.answered, days.right) == ("number", 1, 1, 1)
    assert (hours.type, hours.asked, hours.answered, hours.right) == ("number", 1, 1, 0)
    assert hours.wrong_choices == () and not hours.counts_choices  # 24000 is no pick
    assert single.counts_choices
    assert [(c.choice, c.picks) for c in single.wrong_choices] == [("About three weeks", 1)]
    (ana,) = from_summaries.learners
    assert ana.latest_exam is not None and ana.latest_exam.percent == 33.33

    code, out, err = run_cli(["report", "--db", str(target), "--format", "json"], capsys)
    # The imported learner's drill cards are made by this first command that needs them.
    assert code == 0 and err.startswith("quiz report: making the drill's cards of 1 learner")
    assert '"number"' in out
    code, out, err = run_cli(["report", "--db", str(target), "--format", "json"], capsys)
    assert (code, err) == (0, "")


def test_a_type_no_kind_is_registered_for_is_not_saved(tmp_path: Path) -> None:
    start = make_start()
    abacus = replace(start.questions[0], type="abacus")
    with ScoreStore.open(tmp_path / "scores.sqlite3") as store:
        with pytest.raises(ValueError, match=f"type 'abacus', which is not one of {BUILT_IN}"):
            store.start_attempt(replace(start, questions=(abacus, *start.questions[1:])))
        assert store.list_attempts() == []
        count = store._connection.execute("SELECT count(*) FROM asked_question").fetchone()
        assert count == (0,)
        store.start_attempt(start)  # the store is fine afterwards
        assert len(store.list_attempts()) == 1


def test_an_import_file_of_an_unknown_type_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.sqlite3"
    with number_kind_registered():
        course = load_course(write_course(tmp_path / "numbers", NUMBER_COURSE)).course
        assert course is not None
        with ScoreStore.open(source) as store:
            take_exam(store, course)
        code, out, _ = run_cli(["scores", "--db", str(source), "--format", "json"], capsys)
        assert code == 0
    export_file = tmp_path / "a.json"
    export_file.write_text(out, encoding="utf-8")
    position = [a["type"] for a in json.loads(out)[0]["answers"]].index("number") + 1

    target = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(export_file)], capsys)
    assert code == 1 and out == "" and "Traceback" not in err
    assert f"answer {position}: 'type' 'number' is not one of {BUILT_IN}" in err
    assert not target.exists()

    attempts = json.loads(export_file.read_text())
    attempts[0]["answers"][position - 1]["type"] = "abacus"
    export_file.write_text(json.dumps(attempts), encoding="utf-8")
    with number_kind_registered():
        code, _out, err = run_cli(["import", "--db", str(target), str(export_file)], capsys)
    assert code == 1
    assert f"'type' 'abacus' is not one of {BUILT_IN}, number" in err


def test_a_store_holding_a_kind_this_program_does_not_know_still_opens(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    with number_kind_registered():
        course = load_course(write_course(tmp_path / "numbers", NUMBER_COURSE)).course
        assert course is not None
        with ScoreStore.open(path) as store:
            take_exam(store, course)
            left = store.start_attempt(
                replace(
                    make_start("Ben Ode", started_at=datetime.now(UTC) - timedelta(hours=1)),
                    questions=QuizSession(
                        course,
                        Selection(questions=course.questions, sections=("healing",)),
                        mode=Mode.PRACTICE,
                        seed=2,
                        clock=FixedClock(),
                    ).asked,
                )
            )
    ended = subprocess.Popen([sys.executable, "-c", "pass"])
    ended.wait()
    with sqlite3.connect(path) as raw:  # its process is gone: recovery closes it
        raw.execute("UPDATE attempt SET pid = ? WHERE uuid = ?", (ended.pid, left))
    raw.close()

    with ScoreStore.open(path) as store:  # recovery reads the questions of kind number
        status = {a.id: a.status for a in store.list_attempts()}
        report = store.report(ReportFilter())
    assert status[left] is AttemptStatus.TIMED_OUT
    assert {q.question: q.type for q in report.questions}["n-days"] == "number"

    code, out, err = run_cli(["report", "--db", str(path)], capsys)
    assert code == 0 and "n-days" in out
    code, out, err = run_cli(["scores", "--db", str(path), "--format", "json"], capsys)
    assert code == 1 and "Traceback" not in err
    assert "type 'number', which this program does not know" in err
    assert f"(it knows {BUILT_IN})" in err
