"""Shared test set-up: no test touches the real user data folder."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture(autouse=True)
def _isolated_user_data(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Point every per-user path (data, settings, log, XDG dirs) at a fresh temporary folder."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_STATE_HOME", str(home / ".local" / "state"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("QUIZ_DB", str(home / "scores.sqlite3"))
    monkeypatch.setenv("QUIZ_SETTINGS", str(home / "settings.json"))
    monkeypatch.setenv("QUIZ_LOG", str(home / "quiz.log"))
    monkeypatch.delenv("QUIZ_QUESTIONS", raising=False)
    monkeypatch.delenv("QUIZ_CENTRAL", raising=False)
    monkeypatch.delenv("QUIZ_CLINIC", raising=False)


@pytest.fixture
def fixtures_dir() -> Path:
    return Path(__file__).resolve().parent / "fixtures"
