"""One meaning of a question's "version": what it asks for, not how it is worded or shown.

The store keeps each question as it was asked, choices in the order shown, so every
shuffle looked like a new version. `content_version` is the one definition: a hash of
the type, the right answer(s) and the choices (or the accepted answers), each as a set
with order ignored. A reworded prompt or explanation, a new shuffle, a moved section or
a changed critical flag keep the version; a changed answer, an added, removed or
reworded choice, or another accepted spelling make a new one. Statistics keep versions
apart by it, a drill card resets when it changes, and drift is found by comparing it.

It tells the versions of one question (one id) apart, not questions: two true/false
questions whose answer is true have the same content.

Each kind says what its content is (`QuestionKind.version_content`): a kind where order
is part of the answer keeps the order.
"""

from __future__ import annotations

import hashlib
import json
from typing import Protocol

from quiz.domain.kinds import kind_of


class QuestionContent(Protocol):
    """What a version is made of: a bank's `Question` and an `AskedQuestion` both have it."""

    @property
    def type(self) -> str: ...

    @property
    def choices(self) -> tuple[str, ...]: ...

    @property
    def answer(self) -> tuple[str, ...]: ...


def content_version(question: QuestionContent) -> str:
    """The question's content version: "sha256:" and 64 hex digits."""
    kind = kind_of(question.type)
    content = [str(question.type), kind.version_content(question.choices, question.answer)]
    text = json.dumps(content, ensure_ascii=False, separators=(",", ":"))
    return "sha256:" + hashlib.sha256(text.encode()).hexdigest()
