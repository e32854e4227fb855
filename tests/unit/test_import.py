"""`quiz import`: results moved between computers, twice, with conflicts and bad files."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.storage.scores import ScoreStore
from tests.support.backends import StoreBackend
from tests.support.cli import run_cli
from tests.support.store_records import T0, answer, completed, fill_store, make_start


def export(db: Path, target: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, object]]:
    code, out, _ = run_cli(["scores", "--db", str(db), "--format", "json"], capsys)
    assert code == 0
    target.write_text(out, encoding="utf-8")
    exported: list[dict[str, object]] = json.loads(out)
    return exported


@pytest.fixture
def exported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """An export of a store with a changed answer, an unanswered question and two learners."""
    source = tmp_path / "clinic-a.sqlite3"
    fill_store(source)
    with ScoreStore.open(source) as store:
        attempt_id = store.start_attempt(make_start("Cleo Dar", started_at=T0 + timedelta(days=1)))
        store.record_answer(
            attempt_id, answer(0, right=False, at=T0 + timedelta(days=1, seconds=9))
        )
        store.record_answer(attempt_id, answer(0, at=T0 + timedelta(days=1, seconds=30)))
        store.record_answer(
            attempt_id, answer(2, right=False, at=T0 + timedelta(days=1, seconds=50))
        )
        store.finish_attempt(attempt_id, completed(1, passed=False))
    path = tmp_path / "clinic-a.json"
    export(source, path, capsys)
    return path


def test_export_import_and_import_again_give_identical_results(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(exported)], capsys)
    assert code == 0, err
    assert out == f"{exported}: 3 imported, 0 already present, 0 conflicting\n"
    again = tmp_path / "manager.json"
    assert export(target, again, capsys) == json.loads(exported.read_text())

    code, out, _ = run_cli(["import", "--db", str(target), str(exported)], capsys)
    assert code == 0
    assert out == f"{exported}: 0 imported, 3 already present, 0 conflicting\n"
    assert export(target, tmp_path / "third.json", capsys) == json.loads(exported.read_text())
    # And back the other way: the manager's export is the same attempts.
    code, out, _ = run_cli(
        ["import", "--db", str(tmp_path / "clinic-a.sqlite3"), str(again)], capsys
    )
    assert code == 0 and "0 imported, 3 already present" in out


def test_imported_attempts_keep_their_history_and_count_in_the_summaries(
    exported: Path, backend: StoreBackend
) -> None:
    """Into a SQLite store, and into the central store through the terminals' ingest
    (read back from the mirror): the same attempts, once, however often imported."""
    assert backend.import_file(exported) == 3
    assert backend.import_file(exported) == 0
    attempts = {a["learner"]: a for a in json.loads(exported.read_text())}
    with backend.reading() as store:
        detail = store.get_attempt(str(attempts["Cleo Dar"]["id"]))
        stats = store._connection.execute("SELECT sum(asked) FROM question_stats").fetchone()[0]
        again = [json.loads(text) for text in store.export_texts()]

    def placeless(attempts: list[dict[str, object]]) -> list[dict[str, object]]:
        """The attempts by id, without their clinic: the central store's is the sending
        terminal role's, by design."""
        return sorted(
            ({k: v for k, v in a.items() if k != "clinic"} for a in attempts),
            key=lambda a: str(a["id"]),
        )

    assert placeless(again) == placeless(json.loads(exported.read_text()))
    assert detail is not None
    assert [(h.question_id, h.correct) for h in detail.history] == [
        ("swelling-01", False),
        ("swelling-01", True),
        ("bruising-02", False),
    ]
    assert detail.items[0].correct and detail.items[1].answer is None
    assert stats == 12  # three finished attempts of four questions


def test_a_conflicting_attempt_is_reported_and_not_overwritten(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "manager.sqlite3"
    assert run_cli(["import", "--db", str(target), str(exported)], capsys)[0] == 0
    attempts = json.loads(exported.read_text())
    attempts[0]["correct"] = 3
    attempts[0]["percent"] = 75.0
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(attempts))
    code, out, err = run_cli(["import", "--db", str(target), str(changed)], capsys)
    assert code == 1
    assert out == f"{changed}: 0 imported, 2 already present, 1 conflicting\n"
    assert attempts[0]["id"] in err and "kept" in err
    assert export(target, tmp_path / "after.json", capsys) == json.loads(exported.read_text())


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ('[{"id": "x",\n  "learner": }]', ":2:14: not valid JSON"),
        ('{"attempts": []}', "expected a list of attempts"),
        ('[{"id": "x"}]', "attempt 1 (id x): 'learner' is missing"),
        ("[42]", "attempt 1: expected an object, found a number"),
    ],
    ids=["syntax", "not-a-list", "missing-field", "not-an-object"],
)
def test_a_bad_file_is_named_with_the_place_and_nothing_is_imported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, expected: str
) -> None:
    target = tmp_path / "manager.sqlite3"
    bad = tmp_path / "bad.json"
    bad.write_text(content)
    code, out, err = run_cli(["import", "--db", str(target), str(bad)], capsys)
    assert code == 1 and out == ""
    assert f"{bad}" in err and expected in err and "Traceback" not in err
    assert not target.exists()


def test_a_wrong_field_names_the_answer(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    attempts = json.loads(exported.read_text())
    attempts[1]["answers"][2]["response"] = "maybe"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(attempts))
    code, _out, err = run_cli(["import", "--db", str(tmp_path / "m.sqlite3"), str(bad)], capsys)
    assert code == 1
    assert f"attempt 2 (id {attempts[1]['id']}): answer 3: 'response' does not fit" in err


def test_good_files_are_imported_beside_a_missing_one(
    exported: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "missing.json"
    target = tmp_path / "manager.sqlite3"
    code, out, err = run_cli(["import", "--db", str(target), str(missing), str(exported)], capsys)
    assert code == 1
    assert f"{missing}: cannot be read" in err
    assert "3 imported" in out


def test_attempts_still_in_progress_are_skipped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "a.sqlite3"
    with ScoreStore.open(source) as store:
        store.start_attempt(make_start())
    path = tmp_path / "a.json"
    export(source, path, capsys)
    code, out, _ = run_cli(["import", "--db", str(tmp_path / "m.sqlite3"), str(path)], capsys)
    assert code == 0
    assert "0 imported" in out and "1 skipped (still in progress" in out


def test_import_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    code, _out, err = run_cli(["import"], capsys)
    assert code == 2 and "FILE" in err
