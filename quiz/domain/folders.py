"""Which folders hold a course: the one rule, used by the loader, its cache and the app's
first look at a course (cheap: no YAML is read)."""

from __future__ import annotations

from pathlib import Path

COURSE_FILE = "course.yaml"


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
