"""The remembered learner name: JSON at the settings path, written atomically."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from quiz.settings import Settings, clean_name, load_settings, remember_learner, save_settings


def test_a_saved_name_is_read_back(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "settings.json"
    save_settings(Settings(last_learner="Zoë"), path)
    assert load_settings(path) == Settings(last_learner="Zoë")
    assert json.loads(path.read_text(encoding="utf-8")) == {"last_learner": "Zoë"}
    assert [p.name for p in path.parent.iterdir()] == ["settings.json"], "no temporary left"


def test_the_default_path_comes_from_quiz_settings(tmp_path: Path) -> None:
    remember_learner("  Ann  ")
    assert load_settings() == Settings(last_learner="Ann")
    assert Path(os.environ["QUIZ_SETTINGS"]).is_file()


@pytest.mark.parametrize(
    "content", ["", "not json", "[1, 2]", '{"last_learner": 5}', '{"last_learner": "  "}']
)
def test_missing_or_damaged_settings_give_the_defaults(tmp_path: Path, content: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(content, encoding="utf-8")
    assert load_settings(path) == Settings()
    assert load_settings(tmp_path / "missing.json") == Settings()


def test_names_lose_control_characters_and_are_trimmed() -> None:
    assert clean_name("  Ann\x1b[31m\x07 ") == "Ann[31m"
    assert len(clean_name("x" * 500)) == 100


def test_a_failed_write_leaves_the_old_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "settings.json"
    save_settings(Settings(last_learner="Old"), path)

    def broken_replace(source: str, target: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OSError):
        save_settings(Settings(last_learner="New"), path)
    remember_learner("New", path)  # a convenience: its failure is ignored
    assert load_settings(path).last_learner == "Old"
    assert [p.name for p in tmp_path.iterdir()] == ["settings.json"]
