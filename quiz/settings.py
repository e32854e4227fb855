"""Small per-account settings, kept as JSON at `paths.settings_path()`: the last learner
name, the course each learner last chose (when `--questions` holds several), and the
central store with this terminal's clinic (`quiz central connect`; QUIZ_CENTRAL and
QUIZ_CLINIC override them: `central_config`). No password is ever kept here.

Reading never fails (a missing or damaged file gives the defaults); writing replaces
the file atomically, so a crash mid-write leaves the old settings, not half a file.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Any, NamedTuple

from quiz import paths
from quiz.domain.text import learner_key, strip_control

MAX_NAME_LENGTH = 100
CLINIC_RULE = re.compile(r"^[a-z0-9][a-z0-9_]{0,29}$")
"""A clinic id: lower-case letters, digits and _ (at most 30, not starting with _); the
central store's quiz.add_clinic checks the same."""
CENTRAL_ENV = "QUIZ_CENTRAL"
CLINIC_ENV = "QUIZ_CLINIC"


class Settings(NamedTuple):
    """What is remembered on this computer account (a NamedTuple: read before the first
    frame, see quiz.launch.AppOptions)."""

    last_learner: str | None = None
    courses: Mapping[str, str] = MappingProxyType({})
    """The course id each learner last chose, by the `learner_key` of their name (the
    score store matches names the same way)."""
    central: str | None = None
    """The central store's URL (`quiz central connect`), never holding a password."""
    clinic: str | None = None
    """This terminal's clinic id."""

    def course_for(self, learner: str | None) -> str | None:
        """The course `learner` chose last time, if they ever chose one."""
        return self.courses.get(learner_key(clean_name(learner))) if learner else None

    def remembering(self, learner: str, course_id: str | None = None) -> Settings:
        """These settings with `learner` the last learner, who chose `course_id` (if given)."""
        name = clean_name(learner)
        courses = dict(self.courses)
        if name and course_id:
            courses[learner_key(name)] = course_id
        return self._replace(last_learner=name or None, courses=courses)


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
    central = data.get("central")
    clinic = data.get("clinic")
    return Settings(
        last_learner=learner or None,
        courses=_courses(data.get("courses")),
        central=central if isinstance(central, str) and central else None,
        clinic=clinic if isinstance(clinic, str) and CLINIC_RULE.match(clinic) else None,
    )


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
    if settings.central:
        content["central"] = settings.central
    if settings.clinic:
        content["clinic"] = settings.clinic
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


class CentralConfig(NamedTuple):
    """The central store this terminal sends to, and its clinic (None: none set)."""

    url: str
    clinic: str | None


def central_config(
    settings: Settings | None = None, environ: Mapping[str, str] | None = None
) -> CentralConfig | None:
    """The central store configured for this account: QUIZ_CENTRAL and QUIZ_CLINIC,
    else the settings (`quiz central connect`); None when there is none. A QUIZ_CLINIC
    that is not a clinic id is ignored here (`quiz sync` says so)."""
    env = os.environ if environ is None else environ
    saved = settings if settings is not None else load_settings()
    url = env.get(CENTRAL_ENV) or saved.central
    if not url:
        return None
    clinic = env.get(CLINIC_ENV) or saved.clinic
    return CentralConfig(url, clinic if clinic and CLINIC_RULE.match(clinic) else None)
