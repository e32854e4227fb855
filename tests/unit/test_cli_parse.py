"""Opening the app reads its options with a parser that leaves out the commands' own
parsers; whatever it cannot read is read by the full parser, so every message is the
full parser's."""

from __future__ import annotations

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
    assert isinstance(parser, cli._QuickParser)
    assert vars(args) == vars(cli.build_parser(None).parse_args(argv))
    # and its own errors after reading (the app's option checks) exit as usual
    with pytest.raises(SystemExit) as stop:
        parser.error("--course: give a course id")
    assert stop.value.code == 2


def test_its_usage_line_is_the_full_parsers() -> None:
    quick = cli.build_parser((), commands=False, parser_class=cli._QuickParser)
    assert quick.format_usage() == cli.build_parser(None).format_usage()


def test_a_named_command_or_help_gets_the_full_parser() -> None:
    parser, args = cli._parse(["scores", "--format", "json"])
    assert not isinstance(parser, cli._QuickParser) and args.command == "scores"
