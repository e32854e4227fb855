"""Courses for the tests: loaded once and cached, or written from text into a folder."""

from __future__ import annotations

from pathlib import Path

from quiz.domain.loader import load_course
from quiz.domain.model import CourseLoad

_loaded: dict[Path, CourseLoad] = {}


def course_load(folder: Path) -> CourseLoad:
    """A loaded course folder (cached: courses are immutable)."""
    if folder not in _loaded:
        _loaded[folder] = load_course(folder)
    return _loaded[folder]


def write_course(folder: Path, files: dict[str, str]) -> Path:
    """A course folder holding `files` (name -> text); returns the folder."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_text(text, encoding="utf-8")
    return folder


MARKUP = "[bold]not bold[/] [@click=app.quit]quit[/] [/]"
"""Text that Rich would read as markup (and `[/]` that would crash it): shown literally."""

MARKUP_COURSE = {
    "course.yaml": """\
format: 1
id: markup
title: "Markup [b]course[/b]"
description: "Brackets [/] stay as they are"
source: source.md
exams:
  check:
    title: "Check [red]now[/]"
    questions: 1
    include_critical: true
    time_limit: 10m
    pass_mark: 80
""",
    "source.md": """\
# Markup

## Brackets [bold]here[/] {#brackets}

The text says [bold]not bold[/] [@click=app.quit]quit[/] [/] and carries on.
""",
    "brackets.yaml": """\
format: 1
section: brackets
title: Brackets
questions:
  - id: br-01
    type: single
    prompt: "Which is right? [bold]not bold[/] [@click=app.quit]quit[/] [/]"
    choices: ["[bold]not bold[/] [@click=app.quit]quit[/] [/]", "[/] wrong [i]"]
    answer: "[bold]not bold[/] [@click=app.quit]quit[/] [/]"
    explanation: "Because [bold]not bold[/] [@click=app.quit]quit[/] [/]."
    source: "[bold]not bold[/] [@click=app.quit]quit[/] [/]"
    feedback:
      "[/] wrong [i]": "Feedback [bold]x[/] [@click=app.quit]quit[/] [/]"
    critical: true
""",
}
"""A course whose every text is MARKUP-like, as `write_course` takes it."""
