"""A learner's flag on a question that looks wrong: what it holds, and who may see it.

In practice, a drill, a review or an exam the learner can flag the question in front
of them, with an optional one-line note for the course's authors ("the answer
contradicts the text"). The store keeps every flag with the question as it was asked
(quiz.storage.flags); `quiz flags` and `quiz report` show them.

The exam rule's one home is `flag_shown`: a flag raised during an exam is kept, but
shown to nobody until that exam is over (completed, timed out or abandoned), so a
flag cannot carry hints between learners while an exam is running. A flag never
changes a score: nothing that grades reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from quiz.domain.records import OPEN_STATUSES, Mode

NOTE_MAX_LENGTH = 200
"""The longest note, in characters (one line: a few words for the author)."""

_CONTROL_OR_BREAK = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


@dataclass(frozen=True)
class FlagRecord:
    """A flag as the learner raised it on one question of one attempt."""

    question_id: str
    position: int  # of the question in its attempt (0-based)
    note: str  # one line, `clean_note`; may be empty
    flagged_at: datetime  # timezone-aware UTC, from the injected clock


def clean_note(text: str) -> str:
    """A note as typed made one clean line: control characters and line breaks become
    spaces, runs of spaces one, trimmed, at most NOTE_MAX_LENGTH characters."""
    one_line = " ".join(_CONTROL_OR_BREAK.sub(" ", text).split())
    return one_line[:NOTE_MAX_LENGTH].rstrip()


def note_problem(note: str) -> str | None:
    """Why `note` cannot be stored as it is (None: it can). A stored note is what
    `clean_note` gives, so a note from a file is refused rather than changed."""
    if len(note) > NOTE_MAX_LENGTH:
        return f"a note is at most {NOTE_MAX_LENGTH} characters (this one has {len(note)})"
    if _CONTROL_OR_BREAK.search(note):
        return "a note is one line, without control characters or line breaks"
    if note != note.strip():
        return "a note has no spaces at its start or end"
    return None


def flag_shown(mode: str, status: str) -> bool:
    """Whether a flag raised in an attempt of `mode`, now at `status`, may be shown
    (to authors, managers, reports, exports): always, except during an exam."""
    return mode != Mode.EXAM or status not in OPEN_STATUSES


HIDDEN_MODE = Mode.EXAM
"""The mode whose flags are hidden while the attempt is open (for SQL: `flag_shown`)."""
HIDDEN_STATUSES = tuple(sorted(str(status) for status in OPEN_STATUSES))
"""The statuses during which an exam's flags are hidden (for SQL: `flag_shown`)."""
