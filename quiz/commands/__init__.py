"""One module per command of the CLI; each has configure(parser) and run(args) -> int.

The options every command shares live here, so the commands never import quiz.cli
(the command line sits above them: see the layers in pyproject.toml).
"""

from __future__ import annotations

import argparse


def add_common_options(parser: argparse.ArgumentParser, *, suppress: bool) -> None:
    """`--questions DIR` and `--db PATH`; `suppress` keeps a value given before the
    command's name when the option is not repeated after it."""
    default = argparse.SUPPRESS if suppress else None
    parser.add_argument(
        "--questions",
        metavar="DIR",
        default=default,
        help="a folder of course folders, or one course folder (default: $QUIZ_QUESTIONS, "
        "else the bundled course)",
    )
    parser.add_argument(
        "--db",
        metavar="PATH",
        default=default,
        help="the score store file (default: $QUIZ_DB, else the user data folder)",
    )
