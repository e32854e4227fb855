"""The export's quick path (quiz.storage.attempt_rows.export, AttemptEncoder.plain_answers:
attempts with one answer to each item) writes what the general path writes, byte for
byte, and both paths are taken on the fixture store (as are the free-text answers it
keeps)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from quiz.storage.attempt_rows.export import AttemptEncoder
from tests.unit.test_export_stream import export, reference_export
from tests.unit.test_export_stream import varied_store as varied_store  # the fixture


def test_attempts_answered_once_each_take_the_quick_path_and_write_the_same_bytes(
    varied_store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    calls = {"plain": 0, "attempts": 0}
    plain = AttemptEncoder.plain_answers
    whole = AttemptEncoder.attempt

    def counted_plain(self: AttemptEncoder, *args: Any) -> int:
        calls["plain"] += 1
        return plain(self, *args)

    def counted_attempt(self: AttemptEncoder, *args: Any) -> str:
        calls["attempts"] += 1
        return whole(self, *args)

    monkeypatch.setattr(AttemptEncoder, "plain_answers", counted_plain)
    monkeypatch.setattr(AttemptEncoder, "attempt", counted_attempt)
    out = export(varied_store, capsys)
    assert out == reference_export(varied_store)
    assert 0 < calls["plain"] < calls["attempts"]  # both paths taken


def test_without_the_quick_path_the_export_is_the_same(
    varied_store: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    quick = export(varied_store, capsys)
    monkeypatch.setattr(AttemptEncoder, "items_in_order", lambda self, count: None)
    assert export(varied_store, capsys) == quick
