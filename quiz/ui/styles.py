"""The app's stylesheet, quiz.tcss, read in two parts so the first frame comes sooner.

Parsing the whole file before the first frame took about 5 ms of the ~40 ms between
the app starting and its home screen showing. It stays one file: the part above
`REST_MARKER` (the home screen, the small-window notice) is read when the app is
built, the rest (question screens, dialogs, results, source reader, scores) just after
the first frame (`QuizApp.load_rest_of_stylesheet`, which also restyles any screen
shown over the home screen before then).
"""

from __future__ import annotations

from pathlib import Path

STYLESHEET = Path(__file__).with_name("quiz.tcss")
REST_MARKER = "/* === the rest of the app: read after the first frame"
"""Where the rest begins (the start of a comment line in quiz.tcss)."""
FIRST_FRAME = ""
"""The first part's `read_from` label (Textual's own for a whole CSS file)."""
REST = "rest of the app"
"""The second part's `read_from` label."""


def stylesheet_parts(path: Path = STYLESHEET) -> tuple[str, str]:
    """(first frame, rest) of the stylesheet.

    The rest is padded with the first part's line breaks, so that Textual's CSS error
    messages give line numbers of the file. Without a marker, all of it is the first part.
    """
    text = path.read_text(encoding="utf-8")
    first, marker, rest = text.partition(REST_MARKER)
    if not marker:
        return text, ""
    return first, "\n" * first.count("\n") + marker + rest
