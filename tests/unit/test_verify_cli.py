"""`quiz verify CODE` and `quiz verify --store` as a manager runs them: a code accepted,
then refused after the score or an answer is edited with the sqlite3 shell (the
edited attempt named by --store), an unknown code, a signed code without its key, and
a key file that cannot be used (a message and exit 1, never a traceback)."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
from pathlib import Path

import pytest

from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.store_records import fill_store

KEY = b"a manager's signing key, long enough\n"


@pytest.fixture
def store(tmp_path: Path) -> tuple[Path, str, str]:
    """A store of one passed exam and one practice round; the path, exam id and code."""
    path = tmp_path / "scores.sqlite3"
    exam, _practice = fill_store(path)
    with sqlite3.connect(path) as connection:
        (code,) = connection.execute(
            "SELECT verify_code FROM attempt WHERE uuid = ?", (exam,)
        ).fetchone()
    return path, exam, str(code)


def sqlite3_shell(path: Path, statement: str) -> None:
    """`statement` run as a person would: with the sqlite3 shell when there is one."""
    shell = shutil.which("sqlite3")
    if shell is not None:
        subprocess.run([shell, str(path), statement], check=True, timeout=30)
        return
    with sqlite3.connect(path) as connection:
        connection.execute(statement)


def test_a_code_is_accepted_and_the_record_printed(
    store: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, exam, code = store
    typed = code.lower().replace("-", "")  # as someone might type it from the page
    status, out, err = run_cli(["verify", typed, "--db", str(path)], capsys)
    assert status == 0, err
    assert out.startswith(f"{code}: verified.")
    assert "Learner:             Ana Ruiz" in out
    assert "Score:               4/4 (100.00%)" in out
    assert "Result:              passed" in out
    assert f"Attempt id:          {exam}" in out
    assert "4. drugs-pregnancy-03 (right, critical): accutane" in out


def test_an_edited_score_is_refused_by_the_code_and_by_the_store_check(
    store: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, exam, code = store
    sqlite3_shell(path, f"UPDATE attempt SET correct = 3 WHERE uuid = '{exam}'")
    status, out, _err = run_cli(["verify", code, "--db", str(path)], capsys)
    assert status == 1
    assert f"{code}: NOT verified. The stored record of attempt {exam} no longer gives" in out
    assert f"stored code:             {code}" in out
    assert "the score is 3/4, but the answers stored as right are 4" in out
    assert "Score:               3/4" in out
    status, out, _err = run_cli(["verify", "--store", "--db", str(path)], capsys)
    assert status == 1
    assert out.startswith(f"changed: attempt {exam} (Ana Ruiz, 2026-11-23T10:05:00Z)")
    assert "1 finished exam checked" in out and "1 changed" in out


def test_an_edited_answer_is_refused(
    store: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, exam, code = store
    # The typed answer to the critical question changed, still marked right: only the
    # code can tell.
    sqlite3_shell(
        path,
        "UPDATE answer SET response = 'Retin-A' WHERE item = 3 AND attempt = "
        f"(SELECT id FROM attempt WHERE uuid = '{exam}')",
    )
    status, out, _err = run_cli(["verify", code, "--db", str(path)], capsys)
    assert status == 1 and "NOT verified" in out
    assert "which field was changed cannot be told" in out
    status, out, _err = run_cli(["verify", "--store", "--db", str(path)], capsys)
    assert status == 1 and f"changed: attempt {exam}" in out


def test_an_unknown_code_and_text_that_is_no_code(
    store: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _exam, code = store
    other = "QZ-0000-0000-0000" if code != "QZ-0000-0000-0000" else "QZ-1111-1111-1111"
    status, out, err = run_cli(["verify", other, "--db", str(path)], capsys)
    assert status == 1 and out == ""
    assert f"no attempt in {path} has the code {other}" in err
    status, _out, err = run_cli(["verify", "QZ-12", "--db", str(path)], capsys)
    assert status == 2 and "is not a verification code" in err
    status, _out, err = run_cli(["verify", "--db", str(path)], capsys)
    assert status == 2 and "give a code" in err


def test_the_store_check_passes_an_untouched_store(
    store: tuple[Path, str, str], capsys: pytest.CaptureFixture[str]
) -> None:
    path, _exam, _code = store
    status, out, _err = run_cli(["verify", "--store", "--db", str(path)], capsys)
    assert status == 0
    assert out == f"1 finished exam checked in {path}: 1 matches its code, 0 changed\n"


def test_a_signed_code_is_checked_with_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    key = tmp_path / "signing.key"
    key.write_bytes(KEY)
    path = tmp_path / "scores.sqlite3"
    monkeypatch.setenv("QUIZ_SIGNING_KEY", str(key))
    [exam, _] = fill_store(path)
    with ScoreStore.open(path) as opened:
        [summary] = [s for s in opened.list_attempts() if s.id == exam]
    code = str(summary.verify_code)
    assert code.startswith("QK-")
    assert run_cli(["verify", code, "--db", str(path)], capsys)[0] == 0
    monkeypatch.delenv("QUIZ_SIGNING_KEY")
    status, _out, err = run_cli(["verify", code, "--db", str(path)], capsys)
    assert status == 1 and "set QUIZ_SIGNING_KEY to the key file to check it" in err
    status, out, _err = run_cli(["verify", "--store", "--db", str(path)], capsys)
    assert status == 1 and "1 signed code not checked" in out
    other = tmp_path / "other.key"
    other.write_bytes(b"some other key of enough bytes")
    monkeypatch.setenv("QUIZ_SIGNING_KEY", str(other))
    status, out, _err = run_cli(["verify", "--store", "--db", str(path)], capsys)
    assert status == 1 and "No signed code matches: is QUIZ_SIGNING_KEY the key" in out


@pytest.mark.parametrize("command", [["verify", "--store"], ["scores"], ["report"]])
def test_a_key_file_that_cannot_be_used_stops_every_command_with_a_message(
    store: tuple[Path, str, str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    command: list[str],
) -> None:
    path, _exam, _code = store
    monkeypatch.setenv("QUIZ_SIGNING_KEY", str(tmp_path / "missing.key"))
    status, _out, err = run_cli([*command, "--db", str(path)], capsys)
    assert status == 1
    assert "missing.key (named by QUIZ_SIGNING_KEY) does not exist" in err
    assert "Traceback" not in err and "internal error" not in err
