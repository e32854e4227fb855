"""Placeholder until the command is built; replaced by its owner."""

from __future__ import annotations

import argparse
import sys


def configure(parser: argparse.ArgumentParser) -> None:
    pass


def run(args: argparse.Namespace) -> int:
    print("quiz: this command is not built yet", file=sys.stderr)
    return 1
