"""Text helpers shared by the loader, the validator and grading.

`fold()` is the one rule used wherever text is matched: source quotes against the
course text, typed short answers against the accepted ones.
"""

from __future__ import annotations

import re
import unicodedata

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
