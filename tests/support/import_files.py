"""Export files for the import's tests: many attempts of every kind (`many_attempts_file`)."""

from __future__ import annotations

import json
import uuid
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from quiz.domain.records import AttemptStatus
from quiz.storage.codec import format_utc
from quiz.storage.scores import ScoreStore
from tests.support.cli import run_cli
from tests.support.report_store import build_store
from tests.support.store_records import T0, answer, completed, fill_store, make_start


def export(path: Path, capsys: pytest.CaptureFixture[str]) -> list[dict[str, Any]]:
    code, out, err = run_cli(["scores", "--db", str(path), "--format", "json"], capsys)
    assert code == 0, err
    exported: list[dict[str, Any]] = json.loads(out)
    return exported


def shifted(entry: dict[str, Any], days: int) -> dict[str, Any]:
    """The attempt `days` later (every time in it), so the file spans several months."""

    def later(text: str | None) -> str | None:
        if text is None:
            return None
        return format_utc(datetime.fromisoformat(text) + timedelta(days=days))

    moved: dict[str, Any] = json.loads(json.dumps(entry))
    for name in ("started_at", "finished_at", "deadline_at"):
        moved[name] = later(moved[name])
    for item in moved["answers"]:
        item["answered_at"] = later(item["answered_at"])
        for earlier in item.get("history", []):
            earlier["answered_at"] = later(earlier["answered_at"])
    return moved


def many_attempts_file(tmp_path: Path, capsys: pytest.CaptureFixture[str], count: int) -> Path:
    """An export of `count` attempts of every kind of question, with changed answers,
    unanswered questions, timed out, abandoned and unfinished ones, and learners under
    several spellings (one in another script): a small store's, again and again under
    new ids, names and days."""
    source = tmp_path / "source.sqlite3"
    build_store(source)
    fill_store(source)
    with ScoreStore.open(source) as store:
        at = T0 + timedelta(days=3)
        attempt_id = store.start_attempt(make_start('李小龍 "Bruce"', started_at=at))
        store.record_answer(attempt_id, answer(0, right=False, at=at + timedelta(seconds=3)))
        store.record_answer(attempt_id, answer(0, at=at + timedelta(seconds=9)))
        store.finish_attempt(attempt_id, completed(1, passed=False))
        unfinished = store.start_attempt(make_start("Ana Ruiz", started_at=at))
        store.record_answer(unfinished, answer(1, at=at + timedelta(seconds=5)))
    entries = export(source, capsys)
    assert any(e["status"] == AttemptStatus.IN_PROGRESS for e in entries)
    attempts = []
    for index in range(count):
        attempt = shifted(entries[index % len(entries)], days=(index // 40) % 400)
        attempt["id"] = uuid.UUID(int=index + 1).hex
        attempt["verify_code"] = None  # a copy under another id: the code is not its own
        if attempt["learner"] != '李小龍 "Bruce"':
            attempt["learner"] = ("Trainee", "trainee", "TRAINEE")[index % 3] + f" {index % 37}"
        attempts.append(attempt)
    path = tmp_path / "many.json"
    path.write_text(json.dumps(attempts, ensure_ascii=False, indent=2), encoding="utf-8")
    return path
