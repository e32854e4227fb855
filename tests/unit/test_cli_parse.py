"""Opening the app reads its options with a parser that leaves out the commands' own
parsers; whatever it cannot read is read by the full parser, so every message is the
full parser's. Plain options (`--questions`, `--db`) are read without argparse, as
argparse reads them."""

from __future__ import annotations

import subprocess
import sys

import pytest

from quiz import cli


def _full_parser_outcome(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    with pytest.raises(SystemExit) as stop:
        cli.build_parser(None).parse_args(argv)
    return int(stop.value.code or 0), capsys.readouterr().err


@pytest.mark.parametrize(
    "argv",
    [
        ["--count", "x"],
        ["--count", "0"],
        ["scorse"],
        ["--bogus"],
        ["--mode", "quiz"],
        ["--learner"],
        ["--db"],
        ["--seed", "1.5"],
        ["--learner", "Ann", "extra"],
    ],
)
def test_what_the_quick_parser_cannot_read_gets_the_full_parsers_message(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = _full_parser_outcome(argv, capsys)
    with pytest.raises(SystemExit) as stop:
        cli.main(argv)
    assert (int(stop.value.code or 0), capsys.readouterr().err) == expected
    assert expected[0] == 2 and "quiz: error:" in expected[1]


def test_the_quick_parser_reads_the_options_as_the_full_one_does() -> None:
    argv = ["--db", "s.sqlite3", "--mode", "exam", "--learner", "Ann", "--seed", "3"]
    parser, args = cli._parse(argv)
    assert isinstance(parser, cli.quick_parser_class())
    assert vars(args) == vars(cli.build_parser(None).parse_args(argv))
    # and its own errors after reading (the app's option checks) exit as usual
    with pytest.raises(SystemExit) as stop:
        parser.error("--course: give a course id")
    assert stop.value.code == 2


def test_its_usage_line_is_the_full_parsers() -> None:
    quick = cli.build_parser((), commands=False, parser_class=cli.quick_parser_class())
    assert quick.format_usage() == cli.build_parser(None).format_usage()


def test_a_named_command_or_help_gets_the_full_parser() -> None:
    parser, args = cli._parse(["scores", "--format", "json"])
    assert not isinstance(parser, cli.quick_parser_class()) and args.command == "scores"


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["--db", "s.sqlite3"],
        ["--db=s.sqlite3"],
        ["--questions", "courses", "--db", "s.sqlite3"],
        ["--db", "my scores.sqlite3", "--questions=courses"],
        ["--db", "a=b"],
    ],
)
def test_plain_options_are_read_as_argparse_reads_them(argv: list[str]) -> None:
    plain = cli._plain_app_options(argv)
    assert plain is not None
    assert vars(plain) == vars(cli.build_parser(None).parse_args(argv))


@pytest.mark.parametrize(
    "argv",
    [
        ["--db"],
        ["--db="],
        ["--db", "-x"],
        ["--db", "a", "--db", "b"],
        ["--d", "s.sqlite3"],
        ["--learner", "Ann"],
        ["--db", "s.sqlite3", "--mode", "exam"],
        ["scores"],
        ["--db", "s.sqlite3", "extra"],
        ["-h"],
        ["--"],
    ],
)
def test_anything_else_is_left_to_argparse(argv: list[str]) -> None:
    assert cli._plain_app_options(argv) is None


def test_opening_the_app_with_plain_options_imports_no_argparse(tmp_path: object) -> None:
    # Run as the app is opened (no terminal here: it says so and exits 2, after reading
    # its options and checking them).
    code = (
        "import sys; from quiz import cli; "
        f"code = cli.main(['--db', {str(tmp_path)!r} + '/s.sqlite3']); "
        "print(code, 'argparse' in sys.modules)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.split() == ["2", "False"]
