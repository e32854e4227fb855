"""Text helpers shared by the loader, the validator and grading.

`fold()` is the one rule used wherever text is matched: source quotes against the
course text, typed short answers against the accepted ones.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

# Curly quotes, primes and the dash family, mapped to their plain ASCII forms.
_PLAIN = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u00b4": "'",
        "`": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u201f": '"',
        "\u2033": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2015": "-",
        "\u2212": "-",
        "\u00ad": None,  # soft hyphen: invisible, never part of a match
    }
)
_WHITESPACE = re.compile(r"\s+")


def plural(count: int, noun: str) -> str:
    """`count` and `noun`, made plural with an s unless the count is one: "1 question",
    "3 questions" (the nouns of the app's messages all take an s)."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def counted(count: int, noun: str, verb_one: str, verb_many: str) -> str:
    """`plural` and its verb agreeing: "1 answer is", "3 answers are"."""
    return f"{plural(count, noun)} {verb_one if count == 1 else verb_many}"


def fold(text: str) -> str:
    """Normalise text for matching.

    Unicode NFKC, case folded, curly quotes and dashes made plain, runs of
    whitespace made one space, and the ends trimmed.
    """
    text = unicodedata.normalize("NFKC", text).casefold().translate(_PLAIN)
    return _WHITESPACE.sub(" ", text).strip()


def fold_with_map(text: str) -> tuple[str, list[int]]:
    """Fold `text` and return, for each folded character, its index in `text`.

    Used to highlight a quote found in folded text at the right place in the
    original paragraph.
    """
    out: list[str] = []
    positions: list[int] = []
    pending_space = False
    for index, char in enumerate(text):
        piece = unicodedata.normalize("NFKC", char).casefold().translate(_PLAIN)
        for folded_char in piece:
            if folded_char.isspace():
                pending_space = bool(out)
                continue
            if pending_space:
                out.append(" ")
                positions.append(index)
                pending_space = False
            out.append(folded_char)
            positions.append(index)
    return "".join(out), positions


# C0 and C1 controls except tab and newline; DEL; and the ESC that starts a
# terminal escape sequence. Text with these could move the cursor or retitle
# the terminal when shown.
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def find_control(text: str) -> int | None:
    """The index of the first control character in `text`, or None."""
    match = _CONTROL.search(text)
    return match.start() if match else None


def strip_control(text: str) -> str:
    """`text` with control characters removed (for text from a store or a name)."""
    return _CONTROL.sub("", text)


def learner_key(name: str) -> str:
    """The key used to match a learner's name: casefold(NFC(trimmed name))."""
    return unicodedata.normalize("NFC", name.strip()).casefold()


# --- typed answers ---------------------------------------------------------------------

_LEADING_ARTICLE = re.compile(r"(?:a|an|the) (?=\S)")
SLIP_MIN_LETTERS = 6
"""A spelling slip is forgiven only in a word of at least this many letters."""


def _strip_end_punctuation(text: str) -> str:
    start, end = 0, len(text)
    while start < end and unicodedata.category(text[start]).startswith("P"):
        start += 1
    while end > start and unicodedata.category(text[end - 1]).startswith("P"):
        end -= 1
    return text[start:end].strip()


def typed_form(text: str) -> str:
    """A typed answer as it is compared with the accepted ones.

    `fold()`, then punctuation at either end dropped, then one leading article ("a",
    "an", "the") dropped: "The capillaries." matches "capillaries". Inner punctuation
    stays ("Retin-A" is not "Retin A" unless both are accepted).
    """
    text = _strip_end_punctuation(fold(text))
    return _strip_end_punctuation(_LEADING_ARTICLE.sub("", text, count=1))


def within_one_edit(first: str, second: str) -> bool:
    """Whether the two texts differ by at most one insertion, deletion, substitution or
    swap of two neighbouring characters (the optimal string alignment distance <= 1)."""
    if first == second:
        return True
    if abs(len(first) - len(second)) > 1:
        return False
    prefix = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        prefix += 1
    rest_first, rest_second = first[prefix:], second[prefix:]
    if len(first) == len(second):
        return (
            rest_first[1:] == rest_second[1:]  # one substitution
            or (
                len(rest_first) >= 2
                and rest_first[0] == rest_second[1]
                and rest_first[1] == rest_second[0]
                and rest_first[2:] == rest_second[2:]  # one swap
            )
        )
    longer, shorter = (
        (rest_first, rest_second) if len(first) > len(second) else (rest_second, rest_first)
    )
    return longer[1:] == shorter  # one insertion or deletion


def is_slip(typed: str, accepted: str) -> bool:
    """Whether `typed` is `accepted` with one slip in one word of six letters or more
    (both already in `typed_form`). Words are not joined or split by a slip."""
    if typed == accepted:
        return False
    typed_words, accepted_words = typed.split(" "), accepted.split(" ")
    if len(typed_words) != len(accepted_words):
        return False
    differing = [(t, a) for t, a in zip(typed_words, accepted_words, strict=True) if t != a]
    if len(differing) != 1:
        return False
    typed_word, accepted_word = differing[0]
    letters = sum(1 for char in accepted_word if char.isalpha())
    return letters >= SLIP_MIN_LETTERS and within_one_edit(typed_word, accepted_word)


def match_typed(
    typed: str, accepted: Iterable[str], confusable: Iterable[str] = ()
) -> tuple[bool, str | None]:
    """Grade a typed answer: (right, the accepted spelling when it was a forgiven slip).

    Right when `typed_form(typed)` equals an accepted answer's, or is one slip away from
    one (see `is_slip`) and not also within one edit of a `confusable` text (another
    question's answer or choice, in `typed_form`): a slip that could be another answer
    is that answer's case, never forgiven.
    """
    wanted = typed_form(typed)
    forms = {typed_form(answer): answer for answer in accepted}
    if wanted in forms:
        return True, None
    for form, answer in forms.items():
        if is_slip(wanted, form):
            if any(within_one_edit(wanted, other) for other in confusable if other not in forms):
                return False, None
            return True, answer
    return False, None
