"""A demo score store: several learners' practice rounds and exams of the bundled course.

    python docs/demo_store.py OUT.sqlite3

Each round is a real `QuizSession` (the app's own draw, grading and verdict) whose
answers are saved through `ScoreStore` as the app saves them; only the learner is made
up: each answers rightly with their own chance, a little better every month. One name
is `Ana <b>Ruiz</b>`, to show that the HTML report prints names literally.
Deterministic; used by docs/screenshot_report.py for the README's screenshot.
"""

from __future__ import annotations

import random
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.domain.records import AskedQuestion, Response

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

LEARNERS = {  # name: chance of a right answer in the first month
    "Ana <b>Ruiz</b>": 0.80,
    "Ben Ode": 0.55,
    "Chloé Martin": 0.90,
    "Dee Park": 0.65,
    "Eli Novak": 0.45,
    "Fay Wong": 0.75,
}
MONTHS = (8, 9, 10, 11)  # 2026


class _Clock:
    """Wall time set per round; monotonic time moves with the answers."""

    def __init__(self, start: datetime) -> None:
        self.start = start
        self.seconds = 0.0

    def monotonic(self) -> float:
        return self.seconds

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.seconds)


def _response(asked: AskedQuestion, right: bool, rng: random.Random) -> Response:
    from quiz.domain.answers import response_for, right_indexes, shown_choices

    if asked.type == "short":
        return asked.answer[0] if right else "not sure"
    shown = range(len(shown_choices(asked)))
    good = right_indexes(asked)
    if right:
        return response_for(asked, good)
    wrong = [i for i in shown if i not in good]
    return response_for(asked, [rng.choice(wrong)])


def build(out: Path, seed: int = 19) -> None:
    from quiz.domain.loader import load_course
    from quiz.domain.records import Mode
    from quiz.domain.selection import pick_questions
    from quiz.domain.session import QuizSession
    from quiz.storage.scores import ScoreStore

    course = load_course(ROOT / "questions" / "laser-skin-tightening").course
    assert course is not None
    preset_id, preset = next(iter(course.exams.items()))
    rng = random.Random(seed)
    with ScoreStore.open(out) as store:
        for month_index, month in enumerate(MONTHS):
            for day, (name, chance) in enumerate(LEARNERS.items(), start=3):
                skill = min(0.97, chance + 0.05 * month_index)
                rounds = [Mode.PRACTICE, Mode.PRACTICE, Mode.EXAM]
                for hour, mode in enumerate(rounds, start=9):
                    clock = _Clock(datetime(2026, month, day + hour - 9, hour, 0, tzinfo=UTC))
                    exam = mode is Mode.EXAM
                    round_seed = rng.randrange(1 << 30)
                    selection = pick_questions(
                        course,
                        seed=round_seed,
                        count=None if exam else 8,
                        preset=preset if exam else None,
                        mode=mode,
                    )
                    session = QuizSession(
                        course,
                        selection,
                        mode=mode,
                        seed=round_seed,
                        clock=clock,
                        time_limit_seconds=preset.time_limit_seconds if exam else None,
                        pass_mark=preset.pass_mark if exam else None,
                        exam=preset_id if exam else None,
                    )
                    attempt_id = store.start_attempt(session.attempt_start(name))
                    for position, asked in enumerate(session.asked):
                        session.visit(position)
                        clock.seconds += rng.uniform(8, 30)
                        right = rng.random() < skill
                        record = session.answer(position, _response(asked, right, rng))
                        store.record_answer(attempt_id, record)
                    store.finish_attempt(attempt_id, session.finish())


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python docs/demo_store.py OUT.sqlite3")
    target = Path(sys.argv[1])
    if target.exists():
        sys.exit(f"{target} already exists: give a new file")
    build(target)
    print(f"demo store written to {target}")
