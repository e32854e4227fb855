"""A first look at a course before it loads: its title, read without YAML.

Loading a course (YAML, checks) runs in a thread after the first frame. So that the
first frame can already name the course, its `title:` line is read here with a plain
pattern. Only a simple one-line title is taken; anything else gives None and the
screen says "Loading the course…" until the loader has the real title.
"""

from __future__ import annotations

import re
from pathlib import Path

from quiz.domain.folders import COURSE_FILE, find_course_folders
from quiz.domain.text import strip_control

_TITLE = re.compile(
    r"""^title:[ \t]+(?:"([^"\\]*)"|'([^']*)'|([^"'#\[\]{}&*!|>%@`\s][^#]*?))[ \t]*$"""
)
_MAX_BYTES = 64 * 1024


def peek_title(questions_dir: Path) -> str | None:
    """The title of the one course in `questions_dir`, if it is simply written."""
    folders = find_course_folders(questions_dir)
    if len(folders) != 1:
        return None
    try:
        with open(folders[0] / COURSE_FILE, "rb") as handle:
            text = handle.read(_MAX_BYTES).decode("utf-8")
    except (OSError, UnicodeDecodeError):
        return None
    for line in text.splitlines():
        match = _TITLE.match(line)
        if match:
            title = next(group for group in match.groups() if group is not None)
            return strip_control(title).strip() or None
    return None
