"""`quiz import` of many attempts: the file read in one pass, a chunk of text at a time
(quiz.storage.exchange), the attempts written set by set, a batch per transaction
(quiz.storage.importing).

Importing twice adds nothing and changes no row, whatever the batches; a conflict in a
later batch is reported and the store's own attempt kept; a bad attempt anywhere means
nothing of the file is imported; the reading is the same whatever the chunks; the
attempts read back are the file's; and the rows and summaries are those the path that
takes AttemptDetails one by one writes, and a rebuild makes.
"""

from __future__ import annotations

import codecs
import json
import sqlite3
import uuid
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.records import AttemptStatus
from quiz.storage import exchange, importing
from quiz.storage.exchange import halves, json_file, spill
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.import_files import export, many_attempts_file
from tests.support.summaries import assert_summaries_are_rebuilt_ones

COUNT = 1600


@pytest.fixture
def small_batches(monkeypatch: pytest.MonkeyPatch) -> None:
    """Several transactions, and batches kept in the temporary file that are not theirs."""
    monkeypatch.setattr(importing, "IMPORT_BATCH", 700)
    monkeypatch.setattr(spill, "SPILL_BATCH", 300)


@pytest.fixture(params=["one way", "in two"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """The file read the one way, or checked in two parts at once (quiz.storage.exchange.
    halves: any file of at least SPLIT_BYTES)."""
    monkeypatch.setattr(halves, "SPLIT_BYTES", 1 << 62 if request.param == "one way" else 0)
    # (threads earlier tests left waiting in this process are not counted: see
    # test_import_halves.py)
    monkeypatch.setattr(halves, "_other_threads", lambda: False)
    return str(request.param)


@pytest.fixture
def many(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    return many_attempts_file(tmp_path, capsys, COUNT)


def every_row(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table of the store (but its hosts and schema)."""
    connection = sqlite3.connect(path)
    try:
        tables = [
            name
            for (name,) in connection.execute(
                "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite%'"
            )
        ]
        return {t: sorted(connection.execute(f"SELECT * FROM {t}"), key=repr) for t in tables}
    finally:
        connection.close()


def summaries_of(path: Path) -> None:
    with ScoreStore.open(path) as store:
        assert_summaries_are_rebuilt_ones(store._connection)


def outcome_line(file: Path, imported: int, present: int, conflicting: int) -> str:
    return f"{file}: {imported} imported, {present} already present, {conflicting} conflicting"


def test_a_large_import_in_many_batches_is_idempotent_and_its_summaries_a_rebuilds(
    many: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    small_batches: None,
    reading: str,
) -> None:
    entries = json.loads(many.read_text(encoding="utf-8"))
    finished = [e for e in entries if e["status"] != AttemptStatus.IN_PROGRESS]
    target = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(many)], capsys)
    assert code == 0, err
    first = out.splitlines()[0]
    assert first.startswith(outcome_line(many, len(finished), 0, 0) + ", ")
    assert f"{len(entries) - len(finished)} skipped (still in progress" in first
    summaries_of(target)
    # Every attempt is the file's (its verdict recomputed: `passed` left out).
    imported = {e["id"]: e for e in export(target, capsys)}
    assert imported.keys() == {e["id"] for e in finished}
    for entry in finished:
        mine, theirs = dict(imported[entry["id"]]), dict(entry)
        del mine["passed"], theirs["passed"]
        assert mine == theirs
    before = every_row(target)

    code, out, err = run_cli(["import", "--db", str(target), str(many)], capsys)
    assert code == 0, err
    assert out.splitlines()[0].startswith(outcome_line(many, 0, len(finished), 0) + ", ")
    assert every_row(target) == before
    summaries_of(target)


def test_a_conflict_in_a_later_batch_is_reported_and_the_stores_attempt_kept(
    many: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    small_batches: None,
    reading: str,
) -> None:
    target = tmp_path / "manager.sqlite3"
    assert run_cli(["import", "--db", str(target), str(many)], capsys)[0] == 0
    before = every_row(target)
    entries = json.loads(many.read_text(encoding="utf-8"))
    finished = [e for e in entries if e["status"] != AttemptStatus.IN_PROGRESS]
    changed = finished[-3]
    changed["answers"][0]["seconds"] = 99.5
    newcomer = {**finished[0], "id": uuid.uuid4().hex, "learner": "Newcomer"}
    entries.append(newcomer)
    many.write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")

    code, out, err = run_cli(["import", "--db", str(target), str(many)], capsys)
    assert code == 1
    assert out.splitlines()[0].startswith(outcome_line(many, 1, len(finished) - 1, 1))
    assert changed["id"] in err and "not imported" in err
    with ScoreStore.open(target) as store:
        kept = store.get_attempt(changed["id"])
        assert kept is not None and kept.to_export_dict()["answers"][0]["seconds"] != 99.5
        assert store.get_attempt(newcomer["id"]) is not None
    after = every_row(target)
    assert len(after["attempt"]) == len(before["attempt"]) + 1
    summaries_of(target)


def test_the_file_writes_the_rows_that_attempt_details_one_by_one_write(
    many: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    small_batches: None,
    reading: str,
) -> None:
    """The attempts of the file, as the file's reading gives them, and the same as plain
    AttemptDetails (put in the form the store writes one by one: exchange.prepare): the
    same rows, ids and all, and the same summaries."""
    from_file = tmp_path / "from-file.sqlite3"
    assert run_cli(["import", "--db", str(from_file), str(many)], capsys)[0] == 0
    with exchange.read_export_file(many) as read:
        details = [read[index] for index in range(len(read))]
    from_details = tmp_path / "from-details.sqlite3"
    with ScoreStore.open(from_details) as store:
        outcome = store.import_attempts(details)
        # The learners brought in wait for their drill cards (in both stores: the first
        # command that needs them makes them).
        assert store.cards_to_rebuild() > 0
    finished = [d for d in details if d.summary.status is not AttemptStatus.IN_PROGRESS]
    assert len(outcome.imported) == len(finished) and outcome.conflicting == ()
    assert every_row(from_file) == every_row(from_details)


def test_each_attempt_read_back_is_the_files(many: Path, small_batches: None) -> None:
    entries = json.loads(many.read_text(encoding="utf-8"))
    with exchange.read_export_file(many) as read:
        assert len(read) == len(entries)
        for index in (0, 1, 299, 300, 301, 1234, len(entries) - 1):
            assert read[index].to_export_dict() == entries[index]
        batch = read[250:950]  # across batches kept apart
        assert [d.id for d in batch] == [e["id"] for e in entries[250:950]]
        assert [d.id for d in read[-3:]] == [e["id"] for e in entries[-3:]]


def test_the_reading_is_the_same_whatever_the_chunks(
    many: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Attempts, values and characters (one of three bytes) cut by the end of a chunk."""
    with exchange.read_export_file(many) as read:
        whole = [read[index].to_export_dict() for index in range(0, len(read), 7)]
    monkeypatch.setattr(json_file, "CHUNK_BYTES", 5)
    monkeypatch.setattr(json_file, "AHEAD", 3)
    with exchange.read_export_file(many) as read:
        assert [read[index].to_export_dict() for index in range(0, len(read), 7)] == whole


def test_a_byte_that_is_not_utf8_is_named_by_its_place(
    many: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(json_file, "CHUNK_BYTES", 1000)
    data = bytearray(many.read_bytes())
    place = data.rindex(b'"seed"') + 2  # the e, far past the first chunk
    data[place] = 0xFF
    bad = tmp_path / "bad.json"
    bad.write_bytes(codecs.BOM_UTF8 + bytes(data))  # the place is told after the mark
    with pytest.raises(exchange.ImportFileError, match=f"is not UTF-8 text \\(byte {place}\\)"):
        exchange.read_export_file(bad)


def test_a_file_with_a_byte_order_mark_is_read(
    many: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    marked = tmp_path / "marked.json"
    marked.write_bytes(codecs.BOM_UTF8 + many.read_bytes())
    code, out, err = run_cli(["import", "--db", str(tmp_path / "m.sqlite3"), str(marked)], capsys)
    assert code == 0 and " imported, 0 already present" in out, err


def test_json_that_breaks_after_a_bad_attempt_is_said_as_for_the_whole_document(
    many: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], small_batches: None
) -> None:
    """The file's JSON is told first (as when a file was read whole), then its attempts."""
    entries = json.loads(many.read_text(encoding="utf-8"))
    del entries[1]["learner"]
    text = json.dumps(entries, ensure_ascii=False, indent=2)
    broken = tmp_path / "broken.json"
    cut = text.rindex('"seed": ')  # in the last attempt: its colon left out
    broken.write_text(text[:cut] + '"seed" ' + text[cut + 8 :], encoding="utf-8")
    with pytest.raises(json.JSONDecodeError) as expected:
        json.loads(broken.read_text(encoding="utf-8"))
    where = f"{broken}:{expected.value.lineno}:{expected.value.colno}: not valid JSON"

    target = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(broken)], capsys)
    assert code == 1 and out == "" and where in err and not target.exists()

    broken.write_text(text, encoding="utf-8")  # the JSON mended: the attempt is named
    code, out, err = run_cli(["import", "--db", str(target), str(broken)], capsys)
    assert code == 1 and out == ""
    assert f"attempt 2 (id {entries[1]['id']}): 'learner' is missing" in err
    assert not target.exists()


def test_a_bad_attempt_in_the_last_batch_imports_nothing(
    many: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    small_batches: None,
    reading: str,
) -> None:
    entries = json.loads(many.read_text(encoding="utf-8"))
    last = entries[-1]
    answered = next(a for a in last["answers"] if a["seconds"] is not None and a["choices"])
    answered["response"] = "Not a choice"
    many.write_text(json.dumps(entries, ensure_ascii=False, indent=2), encoding="utf-8")
    target = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(many)], capsys)
    assert code == 1 and out == ""
    position = last["answers"].index(answered) + 1
    assert f"attempt {len(entries)} (id {last['id']}): answer {position}: 'response'" in err
    assert "Nothing was imported" in err and not target.exists()


def test_seconds_that_are_no_number_of_seconds_are_refused(
    many: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entries = json.loads(many.read_text(encoding="utf-8"))[:5]
    answered = next(a for a in entries[3]["answers"] if a["seconds"] is not None)
    answered["seconds"] = 1e300
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(entries), encoding="utf-8")
    code, out, err = run_cli(["import", "--db", str(tmp_path / "m.sqlite3"), str(bad)], capsys)
    assert code == 1 and out == "" and "'seconds' must be a number of seconds" in err
    assert "Traceback" not in err
