"""Small per-account settings, kept as JSON at `paths.settings_path()`: the last learner
name, and the course each learner last chose (when `--questions` holds several).

Reading never fails (a missing or damaged file gives the defaults); writing replaces
the file atomically, so a crash mid-write leaves the old settings, not half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from quiz import paths
from quiz.domain.text import learner_key, strip_control

MAX_NAME_LENGTH = 100


@dataclass(frozen=True)
class Settings:
    last_learner: str | None = None
    courses: Mapping[str, str] = field(default_factory=dict)
    """The course id each learner last chose, by the `learner_key` of their name (the
    score store matches names the same way)."""

    def course_for(self, learner: str | None) -> str | None:
        """The course `learner` chose last time, if they ever chose one."""
        return self.courses.get(learner_key(clean_name(learner))) if learner else None

    def remembering(self, learner: str, course_id: str | None = None) -> Settings:
        """These settings with `learner` the last learner, who chose `course_id` (if given)."""
        name = clean_name(learner)
        courses = dict(self.courses)
        if name and course_id:
            courses[learner_key(name)] = course_id
        return replace(self, last_learner=name or None, courses=courses)


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
    return Settings(last_learner=learner or None, courses=_courses(data.get("courses")))


def _courses(data: Any) -> dict[str, str]:
    if not isinstance(data, dict):
        return {}
    return {
        learner_key(clean_name(name)): course
        for name, course in data.items()
        if isinstance(name, str) and isinstance(course, str) and clean_name(name) and course
    }


def save_settings(settings: Settings, path: Path | None = None) -> None:
    """Write the settings atomically (a temporary file beside it, then a rename).

    Raises OSError if the folder cannot be created or written.
    """
    import tempfile

    path = path or paths.settings_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    content: dict[str, Any] = {"last_learner": settings.last_learner}
    if settings.courses:
        content["courses"] = dict(settings.courses)
    data = json.dumps(content, ensure_ascii=False, indent=2)
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


def remember_learner(name: str, path: Path | None = None, course_id: str | None = None) -> None:
    """Save `name` as the last learner, and `course_id` (if given) as the course they
    chose. Errors are ignored: it is only a convenience."""
    with contextlib.suppress(OSError):
        save_settings(load_settings(path).remembering(name, course_id), path)
