"""What Start on the home screen asks for: the form read (the learner's name, what to
take, the sections, the number of questions, the time limit) and checked, into the
request the screen posts to the app: a paused round taken up again, a drill, or a new
session drawn here. A problem is told on the form, at the field to fix, and nothing is
asked for.

Imported when Start is first pressed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.message import Message
from textual.widgets import Input, SelectionList

from quiz.domain.durations import DurationError, parse_duration
from quiz.domain.records import Mode
from quiz.errors import SelectionError
from quiz.settings import clean_name
from quiz.ui.attempt import new_session

if TYPE_CHECKING:
    from quiz.domain.model import Course
    from quiz.ui.screens.home import HomeScreen
    from quiz.ui.screens.home_choice import KindChoice


def start_request(screen: HomeScreen, course: Course, choice: KindChoice) -> Message | None:
    """What Start asks the app for, from the form `screen` built from `course`; None
    once the problem is told on the form."""
    learner = clean_name(screen.query_one("#learner", Input).value)
    if not learner:
        screen.say("Type your name first: scores are kept under it.", "#learner")
        return None
    paused = choice.chosen_paused()
    if paused is not None:
        screen.say("")
        return screen.ResumeRequested(learner, paused.attempt_id)
    seen = choice.seen
    sections = screen.query_one("#sections", SelectionList).selected
    if not sections:
        screen.say("Choose at least one section.", "#sections")
        return None
    count_text = screen.query_one("#count", Input).value.strip()
    count = int(count_text) if count_text.lstrip("-").isdigit() else None
    if count_text and (count is None or count < 1):
        screen.say("The number of questions must be a whole number from 1.", "#count")
        return None
    limit_text = screen.query_one("#time-limit", Input).value.strip()
    try:
        limit = parse_duration(limit_text) if limit_text else None
    except DurationError as error:
        screen.say(f"Time limit: {error}", "#time-limit")
        return None
    preset = choice.preset()
    all_sections = [s.id for s in course.source.sections if course.questions_in(s.id)]
    if choice.mode() is Mode.DRILL:
        if limit is not None:
            screen.say("A drill is untimed: leave the time limit empty.", "#time-limit")
            return None
        screen.say("")
        drilled = None if sections == all_sections else tuple(sections)
        return screen.DrillRequested(learner, drilled, count, seen)
    chosen = None if preset is not None and sections == all_sections else sections
    try:
        session = new_session(
            course,
            screen.quiz_app.clock,
            mode=choice.mode(),
            sections=chosen,
            count=count,
            time_limit_seconds=limit,
            preset=preset,
        )
    except SelectionError as error:
        screen.say(error.message[0].upper() + error.message[1:] + ".")
        return None
    screen.say("")
    return screen.StartRequested(session, learner, preset, seen)
