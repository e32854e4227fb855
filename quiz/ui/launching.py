"""What the command line asked the app to open, checked once the courses have loaded:
the course (`--course`, else the one the last learner chose, else the first), and the
quiz to go straight into (`--mode`, `--exam`). No Textual here.

A request the courses cannot meet raises `QuizError`: the app closes with its message
and exit code 2 (a usage error).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from quiz.errors import QuizError
from quiz.launch import AppOptions

if TYPE_CHECKING:
    from quiz.domain.clock import Clock
    from quiz.domain.model import Course, ExamPreset
    from quiz.domain.session import QuizSession


def chosen_course(
    options: AppOptions, courses: Sequence[Course], remembered: str | None = None
) -> Course:
    """The course to open: `--course`; else, among several, the one `remembered` (the
    last learner's choice) or the first. A quiz asked for among several courses needs
    `--course`."""
    ids = ", ".join(course.id for course in courses)
    if options.course is not None:
        found = next((course for course in courses if course.id == options.course), None)
        if found is None:
            raise QuizError(f"no course {options.course!r}; the courses: {ids}")
        return found
    if len(courses) > 1 and options.opens_a_quiz:
        raise QuizError(
            f"{options.questions_dir} holds several courses; choose one with --course ID: {ids}"
        )
    return next((course for course in courses if course.id == remembered), courses[0])


@dataclass(frozen=True)
class QuizRequest:
    """The quiz the command line asked for, on `course`."""

    course: Course
    options: AppOptions
    preset: ExamPreset | None
    seed: int

    @property
    def is_drill(self) -> bool:
        """A drill: its questions are the learner's due ones, asked of the store
        (`QuizApp.start_drill`), not drawn here."""
        return self.options.mode == "drill"

    def session(self, clock: Clock) -> QuizSession:
        """A new session of it (the same questions each time: the seed is fixed); not
        for a drill (`is_drill`)."""
        from quiz.domain.records import Mode
        from quiz.ui.attempt import new_session

        options = self.options
        assert not self.is_drill
        exam = options.exam is not None or options.mode == "exam"
        return new_session(
            self.course,
            clock,
            mode=Mode.EXAM if exam else Mode.PRACTICE,
            sections=options.sections,
            count=options.count,
            time_limit_seconds=options.time_limit_seconds,
            seed=self.seed,
            preset=self.preset,
        )


def requested_quiz(options: AppOptions, course: Course) -> QuizRequest | None:
    """The quiz to go straight into, or None for the home screen. An unknown preset
    raises QuizError; so does a draw the course cannot give (`SelectionError`), on the
    first `session()`."""
    if not options.opens_a_quiz:
        return None
    preset = None
    if options.exam is not None:
        preset = course.exams.get(options.exam)
        if preset is None:
            known = ", ".join(course.exams) or "none"
            raise QuizError(f"no exam preset {options.exam!r}; this course's presets: {known}")
    from quiz.domain.selection import new_seed

    seed = options.seed if options.seed is not None else new_seed()
    return QuizRequest(course, options, preset, seed)
