"""The export's JSON written a piece at a time (a value, a fragment at some depth, an
answer's seconds, an attempt's flags), each as `json.dumps(indent=2)` writes it, with
C1 controls and DEL escaped as quiz.tables.render.json_text escapes them (a layer above
storage), so the pieces quiz.storage.attempt_rows.export joins are json_text's whole
document, byte for byte.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import Any

from quiz.storage.attempts import AttemptFlag

encode_text = json.encoder.encode_basestring  # the C encoder of json.dumps(ensure_ascii=False)
_C1 = re.compile("[\x7f-\x9f]")
FRACTIONS = tuple(f".{n:03d}".rstrip("0") if n else ".0" for n in range(1000))
EXACT_MS = 10**12
"""Below this many milliseconds (31 years), repr(ms / 1000) is the whole seconds and
`FRACTIONS[ms % 1000]`: the double nearest a number of milliseconds is closer to it
than to any shorter decimal (checked for every ms below 3 million and at random up to
here). Formatting the integers skips the float's shortest-repr search."""


def seconds_text(ms: int) -> str:
    """repr(ms / 1000): the seconds of an answer as json.dumps writes them."""
    if 0 <= ms < EXACT_MS:
        return f"{ms // 1000}{FRACTIONS[ms % 1000]}"
    return float.__repr__(ms / 1000)


def _c1_escape(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def harmless(text: str) -> str:
    """`text` (JSON) with C1 controls and DEL escaped, as json_text does."""
    if text.isascii() and "\x7f" not in text:
        return text
    return _C1.sub(_c1_escape, text)


def scalar(value: Any) -> str:
    """A scalar as json.dumps writes it (where no C1 escaping differs)."""
    if value is None:
        return "null"
    if value is True:
        return "true"
    if value is False:
        return "false"
    if isinstance(value, str):
        return harmless(encode_text(value))
    if isinstance(value, int):
        return int.__repr__(value)
    return fragment(value, 0)


def fragment(value: Any, level: int) -> str:
    """`value` as json.dumps(indent=2) writes it `level` deep in a bigger document."""
    text = json.dumps(value, ensure_ascii=False, indent=2)
    return harmless(text.replace("\n", "\n" + "  " * level))


def with_flags(text: str, flags: Sequence[AttemptFlag]) -> str:
    """An attempt's JSON text with its learners' flags, as `to_export_dict` puts them
    (last, and only when it has some)."""
    listed = fragment([flag.to_export_dict() for flag in flags], 1)
    return f'{text[:-2]},\n  "flags": {listed}\n}}'
