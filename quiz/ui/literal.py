"""Text from banks, courses and learners as literal `Content`: never parsed as markup."""

from __future__ import annotations

from textual.content import Content

from quiz.domain.text import strip_control


def literal(text: str) -> Content:
    """`text` shown as it is (no markup), without control characters."""
    return Content(strip_control(text), strip_control_codes=False)
