"""Which folders hold a course: the one rule, used by the loader, its cache and the app's
first look at a course (cheap: no YAML is read)."""

from __future__ import annotations

from pathlib import Path

COURSE_FILE = "course.yaml"
DRAFT_SUFFIX = ".draft.yaml"
"""A bank the app and the course loader skip (`quiz import-questions` writes one when
its questions lack what a bank needs); `quiz check` checks it."""


def is_course_folder(path: Path) -> bool:
    return (path / COURSE_FILE).is_file()


def find_course_folders(questions_dir: Path) -> list[Path]:
    """The course folders in `questions_dir`: itself if it is one, else its subfolders that are."""
    if is_course_folder(questions_dir):
        return [questions_dir]
    try:
        children = sorted(p for p in questions_dir.iterdir() if p.is_dir())
    except OSError:
        return []
    return [child for child in children if is_course_folder(child)]


def is_draft(path: Path) -> bool:
    """A draft bank file (`NAME.draft.yaml`): never loaded with its course."""
    return path.name.endswith(DRAFT_SUFFIX)
