"""Running a `quiz` command in the test process, as a user would from a shell."""

from __future__ import annotations

import pytest

from quiz.cli import main


def run_cli(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    """`quiz ARGS`: its exit code, what it printed and what it wrote to stderr.

    argparse's usage errors raise SystemExit; they count as the exit code they carry.
    """
    try:
        code = main(args)
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return code, captured.out, captured.err
