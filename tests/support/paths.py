"""Where the tests find the repository, their fixture courses and the bundled course."""

from __future__ import annotations

from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
"""The repository's root: the working directory of the processes the tests start."""

FIXTURES = REPO / "tests" / "fixtures"
MINI = FIXTURES / "mini"
BUNDLED = REPO / "questions" / "laser-skin-tightening"
