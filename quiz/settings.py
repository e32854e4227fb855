"""Small per-account settings: the last learner name, kept as JSON at `paths.settings_path()`.

Reading never fails (a missing or damaged file gives the defaults); writing replaces
the file atomically, so a crash mid-write leaves the old settings, not half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

from quiz import paths
from quiz.domain.text import strip_control

MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class Settings:
    last_learner: str | None = None


def clean_name(name: str) -> str:
    """A learner name as typed, without control characters, trimmed and not too long."""
    return strip_control(name).strip()[:MAX_NAME_LENGTH]


def load_settings(path: Path | None = None) -> Settings:
    """The saved settings, or the defaults if there are none or they cannot be read."""
    path = path or paths.settings_path()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return Settings()
    if not isinstance(data, dict):
        return Settings()
    learner = data.get("last_learner")
    learner = clean_name(learner) if isinstance(learner, str) else None
    return Settings(last_learner=learner or None)


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (a temporary file beside it, then a rename).

    Raises OSError if the folder cannot be created or written.
    """
    import tempfile

    path = path or paths.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    data = json.dumps({"last_learner": settings.last_learner}, ensure_ascii=False, indent=2)
    handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as file:
            file.write(data + "\n")
            file.flush()
            os.fsync(file.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise


def remember_learner(name: str, path: Path | None = None) -> None:
    """Save `name` as the last learner (errors ignored: it is only a convenience)."""
    with contextlib.suppress(OSError):
        save_settings(Settings(last_learner=clean_name(name) or None), path)
