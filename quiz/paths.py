"""Where things live. Resolved when asked, never at import, so tests and flags can redirect them."""

from __future__ import annotations

import os
from pathlib import Path

APP_NAME = "quiz"


def bundled_questions_dir() -> Path:
    """The course folders shipped with the program.

    In an installed wheel they sit inside the package (`quiz/_bundled_questions`);
    in a source checkout they are the `questions/` folder beside the package.
    """
    package_dir = Path(__file__).resolve().parent
    installed = package_dir / "_bundled_questions"
    if installed.is_dir():
        return installed
    return package_dir.parent / "questions"


def questions_dir(flag: str | None) -> Path:
    """The folder of courses in use: `--questions`, then `QUIZ_QUESTIONS`, then the bundled one."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get("QUIZ_QUESTIONS")
    if env:
        return Path(env).expanduser()
    return bundled_questions_dir()


def data_dir() -> Path:
    """The per-user data folder (platformdirs), e.g. ~/.local/share/quiz."""
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def db_path(flag: str | None) -> Path:
    """The score store: `--db`, then `QUIZ_DB`, then `scores.sqlite3` in the data folder."""
    if flag:
        return Path(flag).expanduser()
    env = os.environ.get("QUIZ_DB")
    if env:
        return Path(env).expanduser()
    return data_dir() / "scores.sqlite3"


def settings_path() -> Path:
    """Small per-account settings (the last learner name)."""
    env = os.environ.get("QUIZ_SETTINGS")
    if env:
        return Path(env).expanduser()
    return data_dir() / "settings.json"


def cache_dir() -> Path:
    """The per-user cache folder (platformdirs), e.g. ~/.cache/quiz: loaded courses kept
    between openings (quiz.domain.course_cache), parsed stylesheets (quiz.ui.textual_seams.
    keep_parsed_css). Deleting it loses nothing."""
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def certificates_dir() -> Path:
    """Where the Results screen writes certificates: QUIZ_CERTIFICATES, else a
    `quiz-certificates` folder in the user's documents folder (platformdirs)."""
    env = os.environ.get("QUIZ_CERTIFICATES")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_documents_dir

    return Path(user_documents_dir()) / "quiz-certificates"


def log_path() -> Path:
    """Where an internal error's details go."""
    env = os.environ.get("QUIZ_LOG")
    if env:
        return Path(env).expanduser()
    from platformdirs import user_log_dir

    return Path(user_log_dir(APP_NAME, appauthor=False)) / "quiz.log"
