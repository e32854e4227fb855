"""What the command line hands to the app: checked options, nothing Textual."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class AppOptions:
    """Options for opening the app, already checked by the CLI.

    With `mode` and `exam` both None and `resume` false, the app opens on its home
    screen.
    """

    questions_dir: Path
    db_path: Path
    mode: str | None = None  # "practice" | "exam" | "drill"
    exam: str | None = None  # preset id; implies exam mode
    course: str | None = None  # course id: needed with --mode/--exam when there are several
    learner: str | None = None
    sections: tuple[str, ...] | None = None
    count: int | None = None
    time_limit_seconds: int | None = None
    seed: int | None = None
    resume: bool = False  # straight into the learner's paused attempt (`quiz --resume`)

    @property
    def opens_a_quiz(self) -> bool:
        """Whether the app goes straight into a new quiz (rather than its home screen)."""
        return self.mode is not None or self.exam is not None
