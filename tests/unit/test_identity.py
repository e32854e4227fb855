"""Who sat it (issue 18 §1): the PIN rules, the hashes in the store, the managers, the
commands that set them, and how each attempt's identification travels (scores, report,
export and import, an upgrade from version 7)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from dataclasses import replace
from datetime import timedelta
from pathlib import Path

import pytest

from quiz.domain.identity import (
    FREE_TRIES,
    Failures,
    Identification,
    PinRefused,
    check_new_pin,
    describe_wait,
    wait_after,
)
from quiz.domain.loader import load_course
from quiz.storage import db
from quiz.storage.report_model import ReportFilter
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.paths import MINI
from tests.support.store_records import T0, answer, completed, make_start

PIN = "2580"


# --- the rules ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("typed", "again", "said"),
    [
        ("", None, "empty"),
        ("12a4", None, "digits only"),
        ("123", None, "has 3 digits"),
        ("1234567890123", None, "has 13 digits"),
        ("1111", None, "one digit repeated"),
        ("2580", "2581", "differ"),
        ("２５８０", None, "digits only"),  # full-width digits are not 0-9
    ],
)
def test_a_pin_that_breaks_the_rules_is_refused_saying_why(
    typed: str, again: str | None, said: str
) -> None:
    with pytest.raises(PinRefused, match=said):
        check_new_pin(typed, again)


def test_a_good_pin_is_kept_without_surrounding_spaces() -> None:
    assert check_new_pin(" 2580 ", "2580") == "2580"


def test_the_wait_starts_at_the_fifth_wrong_pin_and_doubles_up_to_an_hour() -> None:
    assert [wait_after(n).total_seconds() for n in range(1, 10)] == [
        0,
        0,
        0,
        0,
        30,
        60,
        120,
        240,
        480,
    ]
    assert wait_after(40) == timedelta(hours=1)
    assert FREE_TRIES == 5


def test_failures_count_and_say_how_long_is_left() -> None:
    failures = Failures()
    for _ in range(FREE_TRIES):
        failures = failures.after_wrong(T0)
    assert failures.waiting(T0) == timedelta(seconds=30)
    assert failures.waiting(T0 + timedelta(seconds=29)) == timedelta(seconds=1)
    assert failures.waiting(T0 + timedelta(seconds=30)) is None
    assert describe_wait(timedelta(seconds=0.2)) == "1 second"
    assert describe_wait(timedelta(seconds=120)) == "2 minutes"
    assert describe_wait(timedelta(hours=2)) == "2 hours"


# --- the store ----------------------------------------------------------------------------


@pytest.fixture
def store(tmp_path: Path) -> Iterator[ScoreStore]:
    with ScoreStore.open(tmp_path / "scores.sqlite3") as opened:
        yield opened


def test_a_pin_is_kept_as_a_salted_scrypt_hash_never_as_it_was_typed(
    store: ScoreStore,
) -> None:
    store.set_learner_pin("Ann", "73915", by="manager", now=T0)
    store.set_learner_pin("Bea", "73915", by="learner", now=T0)
    store.add_manager("Mia Boss", "48260", now=T0)
    rows = store._connection.execute(
        "SELECT salt, hash, n, r, p FROM learner_pin UNION ALL "
        "SELECT salt, hash, n, r, p FROM manager"
    ).fetchall()
    assert len(rows) == 3
    assert all(len(salt) == 16 and len(digest) == 32 for salt, digest, *_ in rows)
    assert rows[0][0] != rows[1][0] and rows[0][1] != rows[1][1]  # one PIN, two salts
    assert {tuple(row[2:]) for row in rows} == {(2**14, 8, 1)}  # kept with the hash
    store._connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    raw = b"".join(p.read_bytes() for p in store.path.parent.glob("scores.sqlite3*"))
    for pin in ("73915", "48260"):
        assert pin.encode() not in raw
        assert pin.encode("utf-16-le") not in raw


def test_a_learner_pin_is_checked_counted_and_cleared(store: ScoreStore) -> None:
    assert not store.learner_has_pin("Ann")
    assert store.check_learner_pin("Ann", "0000", now=T0).ok  # no PIN: nothing to check
    store.set_learner_pin("Ann", PIN, by="learner", now=T0)
    assert store.learner_has_pin(" ANN ")  # matched as names are
    wrong = store.check_learner_pin("Ann", "0000", now=T0)
    assert not wrong.ok and wrong.tries_left == 4
    assert store.check_learner_pin("ann", PIN, now=T0).ok
    assert store.check_learner_pin("Ann", "0000", now=T0).tries_left == 4  # counted anew
    assert store.clear_learner_pin("Ann")
    assert not store.learner_has_pin("Ann") and not store.clear_learner_pin("Ann")


def test_after_five_wrong_pins_even_the_right_one_waits(store: ScoreStore) -> None:
    store.set_learner_pin("Ann", PIN, by="manager", now=T0)
    for _ in range(4):
        store.check_learner_pin("Ann", "0000", now=T0)
    fifth = store.check_learner_pin("Ann", "0000", now=T0)
    assert fifth.wait == timedelta(seconds=30)
    assert "Wait 30 seconds" in fifth.message("PIN")
    soon = store.check_learner_pin("Ann", PIN, now=T0 + timedelta(seconds=10))
    assert not soon.ok and soon.wait == timedelta(seconds=20)
    sixth = store.check_learner_pin("Ann", "0000", now=T0 + timedelta(seconds=30))
    assert sixth.wait == timedelta(seconds=60)
    assert store.check_learner_pin("Ann", PIN, now=T0 + timedelta(seconds=90)).ok


def test_a_manager_pin_and_an_unknown_manager(store: ScoreStore) -> None:
    assert not store.has_managers()
    assert store.add_manager("Mia Boss", PIN, now=T0)
    assert not store.add_manager("mia boss", "4711", now=T0)  # a new PIN, not a new manager
    assert [m.name for m in store.list_managers()] == ["mia boss"]
    assert store.check_manager_pin("MIA BOSS", "4711", now=T0).ok
    assert not store.check_manager_pin("Mia Boss", PIN, now=T0).ok
    assert not store.check_manager_pin("Nobody", "4711", now=T0).ok
    assert store.remove_manager("Mia Boss") == "mia boss"
    assert not store.has_managers()


def test_forgetting_renaming_and_merging_keep_pins_right(store: ScoreStore) -> None:
    for name in ("Ann", "Anne", "Bea"):
        attempt = store.start_attempt(make_start(name))
        store.finish_attempt(attempt, completed(0, passed=False))
    store.set_learner_pin("Anne", PIN, by="learner", now=T0)
    store.rename_learner("Anne", "Ann Lee")  # renamed: her PIN goes with her
    assert store.learner_has_pin("Ann Lee")
    store.rename_learner("Ann Lee", "Ann")  # merged into Ann, who has none: it moves over
    assert store.learner_has_pin("Ann")
    store.set_learner_pin("Bea", "4711", by="learner", now=T0)
    store.check_learner_pin("Bea", "0000", now=T0)
    store.forget_learner(store.forget_plan("Bea"))
    assert not store.learner_has_pin("Bea")
    assert store._connection.execute("SELECT count(*) FROM pin_failure").fetchone()[0] == 0


# --- attempts record how their learner was known ------------------------------------------


def _finished(store: ScoreStore, name: str, identified: Identification, minutes: int) -> str:
    start = replace(
        make_start(name, started_at=T0 + timedelta(minutes=minutes)), identified=identified
    )
    attempt = store.start_attempt(start)
    for position in range(4):
        store.record_answer(attempt, answer(position, at=start.started_at))
    store.finish_attempt(attempt, completed(4))
    return attempt


@pytest.fixture
def identified_store(tmp_path: Path) -> Path:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        _finished(store, "Ann", Identification.TYPED, 0)
        _finished(store, "Ann", Identification.PIN, 10)  # her latest pass: with her PIN
        _finished(store, "Bea", Identification.WITNESSED, 0)
        _finished(store, "Cleo", Identification.PIN, 0)
        _finished(store, "Cleo", Identification.TYPED, 10)  # her latest: typed
        _finished(store, "Dee", Identification.TYPED, 0)
    return path


def test_scores_show_how_each_attempt_was_identified(
    identified_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["scores", "--db", str(identified_store), "--format", "csv"], capsys)
    assert code == 0
    header, *rows = out.splitlines()
    assert header.endswith(",identified")
    assert sorted(row.rsplit(",", 1)[1] for row in rows) == sorted(
        ["typed", "pin", "witnessed", "pin", "typed", "typed"]
    )
    code, out, _ = run_cli(["scores", "--db", str(identified_store)], capsys)
    assert out.splitlines()[0].endswith(" ident.")
    assert sum(line.endswith(" witness") for line in out.splitlines()) == 1
    assert max(len(line) for line in out.splitlines()) <= 80


def test_the_report_lists_the_passes_on_a_typed_name_only(
    identified_store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ScoreStore.open(identified_store) as store:
        report = store.report(ReportFilter())
    # Ann's typed pass was followed by one with her PIN; Cleo's latest is typed.
    assert [u.learner for u in report.unverified_passes] == ["Cleo", "Dee"]
    latest = {learner.name: learner.latest_exam for learner in report.learners}
    assert {name: str(e.identified) for name, e in latest.items() if e} == {
        "Ann": "pin",
        "Bea": "witnessed",
        "Cleo": "typed",
        "Dee": "typed",
    }

    code, out, _ = run_cli(["report", "--db", str(identified_store), "--format", "json"], capsys)
    assert code == 0
    found = json.loads(out)
    assert [u["learner"] for u in found["unverified_passes"]] == ["Cleo", "Dee"]
    assert {s["learner"]: s["latest_exam"]["identified"] for s in found["staff"]}["Bea"] == (
        "witnessed"
    )
    code, out, _ = run_cli(["report", "--db", str(identified_store)], capsys)
    assert "2 learner's exam passes rest on a typed name only" in " ".join(out.split())
    code, out, _ = run_cli(["report", "--db", str(identified_store), "--unverified"], capsys)
    assert code == 0
    assert "EXAM PASSES ON A TYPED NAME ONLY" in out
    assert "Cleo" in out and "Dee" in out and "Bea" not in out and "Ann " not in out
    code, out, _ = run_cli(
        ["report", "--db", str(identified_store), "--unverified", "--format", "csv"], capsys
    )
    assert out.splitlines()[0] == "attempt_id,learner,course,exam,started_at,percent"


def test_export_and_import_carry_identified_and_the_verify_code(
    identified_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with ScoreStore.open(identified_store) as store:
        store._connection.execute(
            "UPDATE attempt SET verify_code = 'QZ-TEST-CODE-0001' "
            "WHERE learner = (SELECT id FROM learner WHERE key = 'bea')"
        )
    code, out, _ = run_cli(["scores", "--db", str(identified_store), "--format", "json"], capsys)
    exported = json.loads(out)
    assert {a["learner"]: a["identified"] for a in exported}["Bea"] == "witnessed"
    assert {a["learner"]: a["verify_code"] for a in exported}["Bea"] == "QZ-TEST-CODE-0001"
    file = tmp_path / "export.json"
    file.write_text(out, encoding="utf-8")
    target = tmp_path / "manager.sqlite3"
    code, _, err = run_cli(["import", "--db", str(target), str(file)], capsys)
    assert code == 0, err
    code, again, _ = run_cli(["scores", "--db", str(target), "--format", "json"], capsys)
    by_id = {a["id"]: a for a in exported}
    assert {a["id"]: a for a in json.loads(again)} == by_id

    # An export of before identification: every attempt was a typed name.
    old = [{k: v for k, v in a.items() if k not in ("identified", "verify_code")} for a in exported]
    file.write_text(json.dumps(old), encoding="utf-8")
    code, _, err = run_cli(["import", "--db", str(tmp_path / "old.sqlite3"), str(file)], capsys)
    assert code == 0, err
    with ScoreStore.open(tmp_path / "old.sqlite3") as store:
        assert {str(a.identified) for a in store.list_attempts()} == {"typed"}


def test_an_import_with_a_made_up_identification_is_refused_saying_where(
    identified_store: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run_cli(["scores", "--db", str(identified_store), "--format", "json"], capsys)
    exported = json.loads(out)
    exported[1]["identified"] = "fingerprint"
    file = tmp_path / "bad.json"
    file.write_text(json.dumps(exported), encoding="utf-8")
    code, _, err = run_cli(["import", "--db", str(tmp_path / "t.sqlite3"), str(file)], capsys)
    assert code == 1
    assert "attempt 2 (id" in err and "'identified' is 'fingerprint'" in err
    assert "typed, pin, witnessed, central" in err


def test_a_version_7_store_is_upgraded_every_old_attempt_typed(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    old = ScoreStore(path, db.connect(path, upto=db.CLINIC_VERSION))
    try:
        attempt = old.start_attempt(make_start("Ann"))
        old.finish_attempt(attempt, completed(0, passed=False))
        columns = {r[1] for r in old._connection.execute("PRAGMA table_info(attempt)")}
        assert "identified" not in columns
    finally:
        old.close()
    with ScoreStore.open(path) as store:
        connection = store._connection
        assert connection.execute("PRAGMA user_version").fetchone()[0] >= db.IDENTITY_VERSION
        (summary,) = store.list_attempts()
        assert summary.identified is Identification.TYPED and summary.verify_code is None
        with pytest.raises(sqlite3.IntegrityError, match="CHECK"):
            connection.execute("UPDATE attempt SET identified = 'guessed'")
        connection.execute("UPDATE attempt SET verify_code = 'QZ-1'")
        second = store.start_attempt(make_start("Bea"))
        with pytest.raises(sqlite3.IntegrityError, match="UNIQUE"):
            connection.execute("UPDATE attempt SET verify_code = 'QZ-1' WHERE uuid = ?", (second,))
        tables = {r[0] for r in connection.execute("SELECT name FROM sqlite_schema")}
        assert {"learner_pin", "manager", "pin_failure", "attempt_verify_code"} <= tables
    assert list(tmp_path.glob("scores.sqlite3.v7-*.bak"))  # the backup before upgrading


# --- the commands -------------------------------------------------------------------------


def _typing(monkeypatch: pytest.MonkeyPatch, *typed: str) -> list[str]:
    """getpass answers `typed`, one a call; returns the prompts it was given."""
    prompts: list[str] = []
    answers = iter(typed)

    def getpass(prompt: str = "") -> str:
        prompts.append(prompt)
        return next(answers)

    monkeypatch.setattr("getpass.getpass", getpass)
    return prompts


def test_managers_add_list_and_remove(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(tmp_path / "scores.sqlite3")
    code, out, _ = run_cli(["managers", "list", "--db", path], capsys)
    assert code == 0 and "no managers yet" in out
    prompts = _typing(monkeypatch, PIN, "2581")
    code, _, err = run_cli(["managers", "add", "Mia Boss", "--db", path], capsys)
    assert code == 1 and "differ" in err
    assert len(prompts) == 2 and all("not shown" in p or "again" in p for p in prompts)
    _typing(monkeypatch, PIN, PIN)
    code, out, _ = run_cli(["managers", "add", "Mia Boss", "--db", path], capsys)
    assert (code, out) == (0, "Added manager Mia Boss.\n")
    code, out, _ = run_cli(["managers", "list", "--db", path], capsys)
    assert out.startswith("Mia Boss  (added ")
    with ScoreStore.open(Path(path)) as store:
        assert store.check_manager_pin("mia boss", PIN, now=T0).ok
    code, _, err = run_cli(["managers", "remove", "Nobody", "--db", path, "--yes"], capsys)
    assert code == 1 and "no manager called 'Nobody'" in err
    code, out, _ = run_cli(["managers", "remove", "Mia Boss", "--db", path, "--yes"], capsys)
    assert code == 0 and "Removed manager Mia Boss." in out and "no managers now" in out


def test_managers_remove_asks_first_without_yes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scores.sqlite3"
    with ScoreStore.open(path) as store:
        store.add_manager("Mia Boss", PIN, now=T0)
    code, out, err = run_cli(["managers", "remove", "Mia Boss", "--db", str(path)], capsys)
    assert code == 1 and "pass --yes" in err and "Nothing was removed" in out
    with ScoreStore.open(path) as store:
        assert store.has_managers()


def test_learners_pin_sets_and_clears_a_pin(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scores.sqlite3"
    _typing(monkeypatch, "12", "12")
    code, _, err = run_cli(["learners", "pin", "Ann", "--db", str(path)], capsys)
    assert code == 1 and "has 2 digits" in err
    _typing(monkeypatch, PIN, PIN)
    code, out, _ = run_cli(["learners", "pin", "Ann", "--db", str(path)], capsys)
    assert code == 0 and "Set Ann's PIN" in out
    with ScoreStore.open(path) as store:
        assert store.check_learner_pin("Ann", PIN, now=T0).ok
        for _ in range(5):
            store.check_learner_pin("Ann", "0000", now=T0)
    code, out, _ = run_cli(["learners", "pin", "ann", "--reset", "--db", str(path)], capsys)
    assert code == 0 and "Cleared ann's PIN" in out
    with ScoreStore.open(path) as store:
        assert not store.learner_has_pin("Ann")
        assert store._connection.execute("SELECT count(*) FROM pin_failure").fetchone()[0] == 0


# --- the course format ----------------------------------------------------------------------


def test_witness_in_a_preset_is_read_and_a_bad_value_named_with_its_line(
    tmp_path: Path,
) -> None:
    import shutil

    folder = tmp_path / "course"
    shutil.copytree(MINI, folder)
    course = folder / "course.yaml"
    text = course.read_text(encoding="utf-8")
    course.write_text(text.replace("    pass_mark: 80\n", "    pass_mark: 80\n    witness: true\n"))
    loaded = load_course(folder)
    assert loaded.course is not None and loaded.course.exams["check"].witness
    course.write_text(
        text.replace("    pass_mark: 80\n", "    pass_mark: 80\n    witness: maybe\n")
    )
    line = text.splitlines().index("    pass_mark: 80") + 2
    problems = [str(p) for p in load_course(folder).problems]
    assert any(
        f"course.yaml:{line}:" in p and "'witness' must be true or false" in p for p in problems
    )
