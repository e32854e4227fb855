"""Generated courses, made once in benchmarks/.work and remade when the generator changes."""

from __future__ import annotations

import hashlib
from pathlib import Path

from benchmarks.common import WORK
from benchmarks.gen_course import generate

_GENERATOR = Path(__file__).with_name("gen_course.py")


def course_folder(questions: int) -> Path:
    """A generated course of `questions` questions (500 a bank), reused between runs."""
    stamp = hashlib.sha256(_GENERATOR.read_bytes()).hexdigest()[:16]
    folder = WORK / "courses" / f"generated-{questions}"
    marker = folder / ".generator"
    if not marker.is_file() or marker.read_text() != stamp:
        generate(folder, questions)
        marker.write_text(stamp)
    return folder
