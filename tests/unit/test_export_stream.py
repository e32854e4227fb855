"""`quiz scores --format json` streamed from the rows, and `quiz import` of many attempts.

The export is written as it is read; it must stay byte for byte what it was when each
attempt was read back whole and dumped (`json_text(detail.to_export_dict())`), which
`reference_export` below still does. A large import (more attempts than one import
transaction holds) stays idempotent and reports a conflict.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest

from quiz.domain.records import AttemptStatus
from quiz.storage import importing, summaries
from quiz.storage.exchange import spill
from quiz.storage.scores import ScoreStore
from quiz.tables.render import json_text
from tests.support.cli import run_cli
from tests.support.report_store import build_store
from tests.support.store_records import T0, answer, completed, fill_store, make_start

SUMMARY_TABLES = (*summaries.SHARED_TABLES, *summaries.LEARNER_TABLES)


def reference_export(path: Path, *, learner: str | None = None, since: date | None = None) -> str:
    """The export as `quiz scores --format json` wrote it before it was streamed: every
    listed attempt read back whole, then dumped."""
    with ScoreStore.open(path, create=False) as store:
        attempts = store.list_attempts(learner=learner, since=since)
        if not attempts:
            return "[]\n"
        texts = [json_text(d.to_export_dict()) for d in store.iter_details(attempts)]
    return "[\n" + ",\n".join(texts) + "\n]\n"


def export(path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> str:
    code, out, err = run_cli(["scores", "--db", str(path), "--format", "json", *options], capsys)
    assert code == 0, err
    return out


@pytest.fixture
def varied_store(tmp_path: Path) -> Path:
    """The report store, with attempts of every kind of question, changed answers
    (history), unanswered questions, one still in progress, and names with controls
    and other scripts."""
    path = tmp_path / "varied.sqlite3"
    build_store(path)
    fill_store(path)
    with ScoreStore.open(path) as store:
        for offset, name in enumerate(("Eve \x1b[31mred\x07 \x9b2J \x7f", '李小龍 "Bruce"\\')):
            at = T0 + timedelta(days=2 + offset)
            attempt_id = store.start_attempt(make_start(name, started_at=at))
            store.record_answer(attempt_id, answer(0, right=False, at=at + timedelta(seconds=3)))
            store.record_answer(attempt_id, answer(0, at=at + timedelta(seconds=9)))
            store.record_answer(attempt_id, answer(1, right=False, at=at + timedelta(seconds=20)))
            store.record_answer(attempt_id, answer(1, at=at + timedelta(seconds=21.25)))
            store.record_answer(attempt_id, answer(1, right=False, at=at + timedelta(seconds=40)))
            if offset == 0:
                store.finish_attempt(attempt_id, completed(1, passed=False))
    return path


def test_the_streamed_export_is_byte_identical_to_the_whole_attempt_export(
    varied_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = export(varied_store, capsys)
    assert out == reference_export(varied_store)
    exported = json.loads(out)
    assert len(exported) > 10
    assert any("history" in a for e in exported for a in e["answers"])
    assert any(a["seconds"] is None for e in exported for a in e["answers"])
    assert {e["status"] for e in exported} >= {"completed", "in_progress"}
    assert "\x9b" not in out and "\\u009b" in out and "\\u007f" in out


def test_the_streamed_export_keeps_the_filters(
    varied_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert export(varied_store, capsys, "--learner", "ana ruiz") == reference_export(
        varied_store, learner="ana ruiz"
    )
    since = (T0 + timedelta(days=2)).date()
    out = export(varied_store, capsys, "--since", since.isoformat())
    assert out == reference_export(varied_store, since=since)
    assert out != "[]\n"
    assert export(varied_store, capsys, "--learner", "nobody") == "[]\n"


@pytest.mark.slow
@pytest.mark.parametrize("encoding", ["utf-8", "ascii:backslashreplace"])
def test_the_export_on_a_real_stdout_is_encoded_as_the_stdout_encodes(
    varied_store: Path, tmp_path: Path, encoding: str
) -> None:
    """The export writes its texts to stdout's binary file (faster than the text
    layer): the bytes are still those the text layer would write, in its encoding."""
    env = {**os.environ, "PYTHONIOENCODING": encoding, "HOME": str(tmp_path)}
    result = subprocess.run(
        [sys.executable, "-m", "quiz", "scores", "--db", str(varied_store), "--format", "json"],
        capture_output=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    name, _, errors = encoding.partition(":")
    expected = reference_export(varied_store).encode(name, errors or "strict")
    assert result.stdout == expected
    assert ("李小龍".encode() in result.stdout) == (name == "utf-8")


def many_attempts(
    source: Path, target: Path, count: int, capsys: pytest.CaptureFixture[str]
) -> Path:
    """An export file of `count` finished attempts: the source's, again and again under
    new ids and several learners' names."""
    finished = [
        e for e in json.loads(export(source, capsys)) if e["status"] != AttemptStatus.IN_PROGRESS
    ]
    attempts = []
    for index in range(count):
        attempt = dict(finished[index % len(finished)])
        attempt["id"] = uuid.UUID(int=index + 1).hex
        attempt["learner"] = f"Trainee {index % 37}"
        attempts.append(attempt)
    target.write_text(json.dumps(attempts, ensure_ascii=False, indent=2), encoding="utf-8")
    return target


def summary_rows(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """The summary tables' rows (sums of floats to 9 digits: added in another order)."""
    connection = sqlite3.connect(path)
    try:
        return {
            table: sorted(
                tuple(float(f"{v:.9g}") if isinstance(v, float) else v for v in row)
                for row in connection.execute(f"SELECT * FROM {table}")
            )
            for table in SUMMARY_TABLES
        }
    finally:
        connection.close()


def test_a_large_import_is_idempotent_counts_in_the_summaries_and_reports_a_conflict(
    varied_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    count = 2000
    monkeypatch.setattr(importing, "IMPORT_BATCH", 900)  # more than one transaction
    monkeypatch.setattr(spill, "SPILL_BATCH", 400)
    file = many_attempts(varied_store, tmp_path / "many.json", count, capsys)
    target = tmp_path / "manager.sqlite3"

    code, out, err = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0, err
    assert out.splitlines()[0] == f"{file}: {count} imported, 0 already present, 0 conflicting"
    assert {a["id"] for a in json.loads(export(target, capsys))} == {
        a["id"] for a in json.loads(file.read_text())
    }

    # The summaries, added a batch at a time, are what they are made from scratch.
    rebuilt = tmp_path / "rebuilt.sqlite3"
    shutil.copy(target, rebuilt)
    connection = sqlite3.connect(rebuilt, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    summaries.rebuild(connection)
    connection.execute("COMMIT")
    connection.close()
    assert summary_rows(target) == summary_rows(rebuilt)

    code, out, err = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0, err
    assert out == f"{file}: 0 imported, {count} already present, 0 conflicting\n"

    attempts = json.loads(file.read_text())
    changed = attempts[1234]
    changed["answers"][0]["seconds"] = 99.5
    attempts.append({**attempts[0], "id": uuid.UUID(int=count + 1).hex, "learner": "Newcomer"})
    file.write_text(json.dumps(attempts, indent=2), encoding="utf-8")
    code, out, err = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 1
    assert out.splitlines()[0] == f"{file}: 1 imported, {count - 1} already present, 1 conflicting"
    assert changed["id"] in err and "not imported" in err
    with ScoreStore.open(target) as store:
        kept = store.get_attempt(changed["id"])
        assert kept is not None
        assert kept.to_export_dict()["answers"][0]["seconds"] != 99.5
        assert len(store.list_attempts()) == count + 1


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("correct", 1, "'correct' must be true or false, not a number"),
        ("critical", 1, "'critical' must be true or false, not a number"),
        ("answered_at", "2026-11-23T10:00:00", "'answered_at' has no timezone"),
        ("response", "Not a choice", "'response' does not fit the question"),
    ],
)
def test_a_bad_answer_after_many_good_ones_is_named_and_nothing_is_imported(
    varied_store: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    field: str,
    value: object,
    message: str,
) -> None:
    """The checks are the same for an answer like many before it in the file."""
    file = many_attempts(varied_store, tmp_path / "many.json", 60, capsys)
    attempts = json.loads(file.read_text())
    bad = attempts[50]
    answered = next(a for a in bad["answers"] if a["seconds"] is not None and a["choices"])
    answered[field] = value
    file.write_text(json.dumps(attempts, indent=2), encoding="utf-8")
    target = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 1 and out == ""
    position = bad["answers"].index(answered) + 1
    assert f"attempt 51 (id {bad['id']}): answer {position}: {message}" in err
    assert "Nothing was imported" in err and not target.exists()
