"""Question kinds: one class a question type, found here by the type's name.

The validator, the session, grading, the store's codec and the question widget look a
question's kind up with `kind_of(question.type)` and ask it, instead of branching on
the type. Adding a type means one module with a `QuestionKind` subclass (see
quiz.domain.kinds.base), registered with `register_kind`, one answer widget registered
with `quiz.ui.widgets.question.register_answer_widget`, and the tests.

The built-in kinds (single, multiple, true_false, short) are imported on the first
look-up, not with this module: the score store imports it, and the app's first screen
needs none of them.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from quiz.domain.kinds.base import QuestionKind

_kinds: dict[str, QuestionKind] = {}
_builtins_loaded = False


class UnknownKind(ValueError):
    """No kind of that name is registered."""


def _load_builtins() -> None:
    global _builtins_loaded, _kinds
    if _builtins_loaded:
        return
    from quiz.domain.kinds.multiple import MultipleKind
    from quiz.domain.kinds.short import ShortKind
    from quiz.domain.kinds.single import SingleKind
    from quiz.domain.kinds.true_false import TrueFalseKind

    builtins = (SingleKind(), MultipleKind(), TrueFalseKind(), ShortKind())
    # The built-in kinds first, in the order the README lists them, then any others.
    _kinds = {**{kind.name: kind for kind in builtins}, **_kinds}
    _builtins_loaded = True


def kind_of(name: str) -> QuestionKind:
    """The kind of a question type (`Question.type`, `AskedQuestion.type`).

    Raises UnknownKind (a ValueError) for a type no kind is registered for."""
    try:
        return _kinds[name]
    except KeyError:
        pass
    _load_builtins()
    try:
        return _kinds[name]
    except KeyError:
        raise UnknownKind(f"unknown question type {name!r}") from None


def all_kinds() -> tuple[QuestionKind, ...]:
    """Every registered kind: the built-in ones first, then in the order registered."""
    _load_builtins()
    return tuple(_kinds.values())


def kind_names() -> tuple[str, ...]:
    """The `type:` values a bank may use."""
    return tuple(kind.name for kind in all_kinds())


def register_kind(kind: QuestionKind) -> QuestionKind:
    """Make `kind` the kind of questions of type `kind.name`; returns it.

    A built-in type cannot be replaced, nor a registered one registered again (take it
    back first with `unregister_kind`)."""
    _load_builtins()
    if kind.name in _kinds:
        raise ValueError(f"question type {kind.name!r} is already registered")
    _kinds[kind.name] = kind
    return kind


def unregister_kind(name: str) -> None:
    """Take back a kind registered with `register_kind` (tests do, when they end)."""
    from quiz.domain.model import QuestionType

    if name in set(QuestionType):
        raise ValueError(f"{name!r} is a built-in question type")
    _kinds.pop(name, None)
