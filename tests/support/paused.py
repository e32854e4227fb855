"""A paused attempt as the store hands it back, made from a session the test ran (for
the domain's and the app's tests that need one without a store)."""

from __future__ import annotations

from datetime import datetime

from quiz.domain.pausing import PausedAttempt
from quiz.domain.session import QuizSession


def paused_from(
    session: QuizSession,
    *,
    attempt_id: str = "paused-1",
    learner: str = "Ann",
    paused_at: datetime | None = None,
    started_here: bool = True,
    course_version: str | None = None,
) -> PausedAttempt:
    """What the store keeps of `session` once paused (at `paused_at`: its clock's now)."""
    start = session.attempt_start(learner)
    positions = {asked.question_id: asked.position for asked in session.asked}
    return PausedAttempt(
        attempt_id=attempt_id,
        learner=learner,
        course_id=start.course_id,
        course_version=course_version or start.course_version,
        mode=start.mode,
        exam=start.exam,
        sections=start.sections,
        seed=start.seed,
        started_at=start.started_at,
        paused_at=paused_at or session.clock.now(),
        time_limit_seconds=start.time_limit_seconds,
        deadline_at=start.deadline_at,
        pass_mark=start.pass_mark,
        started_here=started_here,
        questions=session.asked,
        answers=tuple((positions[record.question_id], record) for record in session.history),
    )
