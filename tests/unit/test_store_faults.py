"""Files the store cannot use: a clear message naming the file, exit 1 for the commands,
and the file's bytes exactly as they were."""

from __future__ import annotations

import hashlib
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from quiz.domain.records import AttemptStatus
from quiz.storage import db
from quiz.storage.scores import ScoreStore, StoreError, backup, set_aside
from tests.support.cli import run_cli
from tests.support.store_records import answer, fill_store, make_start

IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _scores(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    return run_cli(["scores", "--db", str(path)], capsys)


def _assert_refused(
    path: Path, kind: str, capsys: pytest.CaptureFixture[str], *, words: str = ""
) -> None:
    """Opening fails with `kind`, `quiz scores` exits 1 naming the file, bytes unchanged."""
    before = _digest(path)
    for create in (True, False):
        with pytest.raises(StoreError) as caught:
            ScoreStore.open(path, create=create)
        assert caught.value.kind == kind
        assert str(path) in caught.value.message
        assert words in caught.value.message
    code, out, err = _scores(path, capsys)
    assert code == 1
    assert out == ""
    assert str(path) in err and "Traceback" not in err
    assert _digest(path) == before


def test_a_text_file_is_not_a_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "scores.sqlite3"
    path.write_text("name,score\nAna,17\n")
    _assert_refused(path, "not_a_database", capsys, words="not a quiz score store")


def test_a_zero_length_file_is_not_taken_for_a_new_store(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    path.touch()
    _assert_refused(path, "not_a_database", capsys, words="empty")
    assert path.stat().st_size == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["scores.sqlite3"]


def test_a_database_of_another_program_is_left_alone(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    other = sqlite3.connect(path)
    other.execute("CREATE TABLE contacts (name TEXT)")
    other.commit()
    other.close()
    _assert_refused(path, "not_a_database", capsys, words="another program")


def _damage(path: Path, start_page: int) -> None:
    """Overwrite every page from `start_page` (1-based) with a pattern."""
    data = bytearray(path.read_bytes())
    page_size = int.from_bytes(data[16:18], "big")
    for offset in range((start_page - 1) * page_size, len(data), page_size):
        data[offset + 8 : offset + page_size] = b"\xa5" * (page_size - 8)
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("start_page", [2, 3], ids=["from-the-schema-on", "data-pages"])
def test_a_damaged_store_is_reported_and_not_touched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], start_page: int
) -> None:
    path = tmp_path / "scores.sqlite3"
    fill_store(path)
    _damage(path, start_page)
    before = _digest(path)
    with pytest.raises(StoreError) as caught:
        ScoreStore.open(path)
    assert caught.value.kind == "corrupt"
    assert str(path) in caught.value.message and "damaged" in caught.value.message
    code, _out, err = _scores(path, capsys)
    assert code == 1 and "damaged" in err
    assert _digest(path) == before


def test_a_corrupt_header_is_reported(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "scores.sqlite3"
    fill_store(path)
    data = bytearray(path.read_bytes())
    data[100:4096] = b"\x00" * (4096 - 100)  # the schema's root page, after the header
    path.write_bytes(bytes(data))
    before = _digest(path)
    with pytest.raises(StoreError) as caught:
        ScoreStore.open(path)
    assert caught.value.kind in ("corrupt", "not_a_database")
    assert _digest(path) == before


def test_a_store_from_a_newer_quiz_is_not_changed(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    fill_store(path)
    connection = sqlite3.connect(path)
    connection.execute(f"PRAGMA user_version = {db.SCHEMA_VERSION + 1}")
    connection.close()
    _assert_refused(path, "other", capsys, words="newer version of quiz")


# --- permissions ------------------------------------------------------------------------


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make `path` (a file or a folder) really read-only, even for root (chattr +i)."""
    if IS_ROOT:
        if shutil.which("chattr") is None:
            pytest.skip("running as root, where only chattr +i makes a file read-only")
        made = subprocess.run(["chattr", "+i", str(path)], capture_output=True)
        if made.returncode != 0:
            pytest.skip(f"running as root and chattr +i failed: {made.stderr.decode().strip()}")
        try:
            yield
        finally:
            subprocess.run(["chattr", "-i", str(path)], check=True)
    else:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)


def test_a_read_only_store_can_be_listed_but_the_app_is_told(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "scores.sqlite3"
    fill_store(path)
    before = _digest(path)
    with _read_only(path):
        with pytest.raises(StoreError) as caught:
            ScoreStore.open(path)
        assert caught.value.kind == "readonly"
        assert str(path) in caught.value.message and "Make it writable" in caught.value.message
        code, out, _err = _scores(path, capsys)
        assert code == 0 and "Ana Ruiz" in out
    assert _digest(path) == before


def test_a_store_in_a_read_only_folder_is_reported(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "scores.sqlite3"
    fill_store(path)
    before = _digest(path)
    with _read_only(folder):
        with pytest.raises(StoreError) as caught:
            ScoreStore.open(path)
        assert caught.value.kind == "readonly"
        assert str(path) in caught.value.message
        with pytest.raises(StoreError) as new:
            ScoreStore.open(folder / "new.sqlite3")
        assert new.value.kind == "readonly"
        assert str(folder) in new.value.message
        code, _out, err = _scores(path, capsys)
        assert code in (0, 1)  # readable where SQLite can read a WAL store in place
        assert "Traceback" not in err
    assert _digest(path) == before
    assert sorted(p.name for p in folder.iterdir()) == ["scores.sqlite3"]


def test_a_folder_that_cannot_be_made_is_reported(tmp_path: Path) -> None:
    # Works as root too: nobody can make a folder inside a regular file.
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the data folder should be")
    path = blocker / "quiz" / "scores.sqlite3"
    with pytest.raises(StoreError) as caught:
        ScoreStore.open(path)
    assert str(blocker) in caught.value.message
    assert blocker.read_text() == "a file where the data folder should be"


def test_a_missing_folder_is_made_owner_only(tmp_path: Path) -> None:
    path = tmp_path / "new" / "deeper" / "scores.sqlite3"
    ScoreStore.open(path).close()
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700
    assert sorted(p.name for p in path.parent.iterdir()) == ["scores.sqlite3"]


# --- busy and full ----------------------------------------------------------------------


def test_a_store_held_by_another_program_says_so_and_the_answer_can_be_retried(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "scores.sqlite3"
    monkeypatch.setattr(db, "BUSY_TIMEOUT_SECONDS", 0.2)
    store = ScoreStore.open(path)
    attempt_id = store.start_attempt(make_start())
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StoreError) as caught:
            store.record_answer(attempt_id, answer(0))
        assert caught.value.kind == "locked"
        assert str(path) in caught.value.message
    finally:
        other.execute("ROLLBACK")
        other.close()
    store.record_answer(attempt_id, answer(0))  # the app's retry
    detail = store.get_attempt(attempt_id)
    store.close()
    assert detail is not None and len(detail.history) == 1


@pytest.fixture
def small_tmpfs(tmp_path: Path) -> Iterator[Path]:
    """A real 1 MiB file system (root only): a disk that fills up."""
    mount = shutil.which("mount")
    if not IS_ROOT or mount is None:
        pytest.skip("mounting a small tmpfs needs root; the RLIMIT_FSIZE test covers a full disk")
    folder = tmp_path / "small"
    folder.mkdir()
    made = subprocess.run(
        [mount, "-t", "tmpfs", "-o", "size=1m", "tmpfs", str(folder)], capture_output=True
    )
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.decode().strip()}")
    try:
        yield folder
    finally:
        subprocess.run(["umount", str(folder)], check=True)


def test_a_full_file_system_refuses_answers_and_keeps_every_one_saved(small_tmpfs: Path) -> None:
    path = small_tmpfs / "scores.sqlite3"
    store = ScoreStore.open(path)
    attempt_id = store.start_attempt(make_start(time_limit_seconds=None))
    ballast = small_tmpfs / "ballast"
    free = shutil.disk_usage(small_tmpfs).free
    ballast.write_bytes(b"\0" * max(0, free - 48 * 1024))
    saved = 0
    with pytest.raises(StoreError) as caught:
        for _ in range(10_000):
            store.record_answer(attempt_id, answer(3, seconds=1.0))
            saved += 1
    assert caught.value.kind == "full"
    assert str(path) in caught.value.message and "disk is full" in caught.value.message
    assert saved > 0
    ballast.unlink()  # space again: every answer saved before is there
    store.record_answer(attempt_id, answer(3, seconds=1.0))
    store.close()
    with ScoreStore.open(path) as reopened:
        detail = reopened.get_attempt(attempt_id)
    assert detail is not None and len(detail.history) == saved + 1


# --- setting aside and backups ----------------------------------------------------------


def test_set_aside_renames_the_store_and_its_siblings_and_deletes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    path.write_bytes(b"damaged store")
    Path(f"{path}-wal").write_bytes(b"its wal")
    Path(f"{path}-journal").write_bytes(b"its journal")
    moved = set_aside(path)
    assert not path.exists()
    assert [p.read_bytes() for p in moved] == [b"damaged store", b"its wal", b"its journal"]
    assert moved[0].name.startswith("scores.sqlite3.set-aside-")
    assert moved[1] == Path(f"{moved[0]}-wal") and moved[2] == Path(f"{moved[0]}-journal")
    # A new store starts where the old one was, and a second set-aside keeps both.
    ScoreStore.open(path).close()
    again = set_aside(path)
    assert again[0] != moved[0] and moved[0].read_bytes() == b"damaged store"
    assert len(list(tmp_path.iterdir())) == 4


def test_backup_copies_with_the_backup_api_and_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "scores.sqlite3"
    ids = fill_store(path)
    copy = tmp_path / "backup.sqlite3"
    backup(path, copy)
    with ScoreStore.open(copy, create=False) as store:
        assert [a.id for a in store.list_attempts()] == ids[::-1]
        detail = store.get_attempt(ids[0])
        assert detail is not None and detail.summary.status is AttemptStatus.COMPLETED
    before = _digest(copy)
    with pytest.raises(StoreError) as caught:
        backup(path, copy)
    assert "already exists" in caught.value.message
    assert _digest(copy) == before
