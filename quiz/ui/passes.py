"""A learner's own passes on the home screen: for each exam preset of the course whose
pass stays valid for a time (`valid_for`), the learner's last pass and until when it
holds ("Staff knowledge check: passed 3 Mar 2026, valid until 3 Mar 2027"), or the day
it expired. Nothing for a preset never passed. The store is asked on its thread, once
the name is known (like the questions due): never before the first frame. No Textual.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from quiz.tables.formats import day_text

if TYPE_CHECKING:
    from quiz.domain.model import Course
    from quiz.storage.report_model import PassValidity, ValidPreset


def valid_presets(course: Course) -> tuple[ValidPreset, ...]:
    """The presets of `course` with a validity."""
    from quiz.storage.report_model import ValidPreset

    return tuple(
        ValidPreset(course.id, preset.id, preset.title, preset.valid_for)
        for preset in course.exams.values()
        if preset.valid_for is not None
    )


def pass_line(found: PassValidity) -> str:
    """One pass as the home screen says it."""
    until = day_text(found.valid_until)
    state = f"expired on {until}" if found.expired else f"valid until {until}"
    return f"{found.preset.title}: passed {day_text(found.passed_on)}, {state}"


def recertification_line(found: PassValidity) -> str:
    """A pass as My scores says when it falls due: the date of the next recertification."""
    until = day_text(found.valid_until)
    if found.expired:
        return f"{found.preset.title}: expired on {until}, due for recertification"
    return f"{found.preset.title}: next recertification by {until}"
