"""The command line. Imports the UI only when it opens the app.

Every command takes `--questions DIR` and `--db PATH`, before or after its name.
Exit codes (quiz.errors.ExitCode): 0 success, 1 a problem with a course or the score
store (the message says which and what to do), 2 a usage error.
"""

from __future__ import annotations

import gc
import importlib
import signal
import sys
from collections.abc import Callable, Sequence
from functools import cache
from types import ModuleType, SimpleNamespace
from typing import TYPE_CHECKING, Any, NoReturn

from quiz import __version__
from quiz.errors import ExitCode

if TYPE_CHECKING:
    import argparse

    from quiz.domain.clock import Clock

# name -> module under quiz.commands; each has configure(parser) and run(args) -> int
COMMANDS: dict[str, tuple[str, str]] = {
    "check": ("check", "check course folders and bank files for problems"),
    "scores": ("scores", "list saved attempts (table, csv or json)"),
    "import": ("import_", "merge attempts exported from other computers"),
    "report": ("report", "staff, question and section reports for a manager"),
    "learners": ("learners", "list, rename (merge) or forget learners, or set a learner's PIN"),
    "managers": ("managers", "add, list or remove the managers who witness exams"),
    "flags": ("flags", "learners' flags on questions, with their notes, for authors"),
    "due": ("due", "questions due for a drill, and leeches, per learner (table, csv or json)"),
    "scheduler": ("scheduler", "show or change the drill's scheduler settings"),
    "central": ("central", "set up the central PostgreSQL store, or connect this terminal to it"),
    "sync": ("sync", "send this terminal's attempts to the central store now, or show --status"),
    "settings": ("settings", "show or change the score store's settings (the pause limit)"),
    "export-questions": ("export_questions", "write a course's questions as GIFT or Aiken"),
    "import-questions": ("import_questions", "read GIFT or Aiken questions into a course"),
    "verify": ("verify", "check a finished exam's verification code (or --store: every one)"),
    "certificate": ("certificate", "write a finished exam's certificate as a one-page PDF"),
}


def _command_module(name: str) -> ModuleType:
    return importlib.import_module(f"quiz.commands.{COMMANDS[name][0]}")


def build_parser(
    configure: Sequence[str] | None = None,
    *,
    commands: bool = True,
    parser_class: type[argparse.ArgumentParser] | None = None,
) -> argparse.ArgumentParser:
    """The parser; only the commands in `configure` get their own options (None: all).

    Configuring a command imports its module, so opening the app configures none.
    Without `commands`, the commands' parsers are left out (the usage line is the same):
    for opening the app, when no command is named.
    """
    import argparse

    from quiz.commands import add_common_options

    parser = (parser_class or argparse.ArgumentParser)(
        prog="quiz",
        description="A terminal training quiz for aesthetic clinics. With no command, "
        "opens the app on its home screen.",
    )
    parser.add_argument("--version", action="version", version=f"quiz {__version__}")
    add_common_options(parser, suppress=False)
    app = parser.add_argument_group("opening straight into a quiz")
    app.add_argument(
        "--mode",
        choices=["practice", "exam", "drill"],
        help="practice, exam, or drill (the learner's questions due, weakest first)",
    )
    app.add_argument("--exam", metavar="PRESET", help="an exam preset of the course")
    app.add_argument(
        "--course",
        metavar="ID",
        help="the course, when --questions holds several (with --mode or --exam, needed then)",
    )
    app.add_argument("--learner", metavar="NAME", help="the learner's name")
    app.add_argument("--sections", metavar="ID,...", help="section ids, comma-separated")
    app.add_argument("--count", metavar="N", type=_positive_int, help="number of questions")
    app.add_argument("--time-limit", metavar="90s|10m|1h", help="time limit for the attempt")
    app.add_argument("--seed", metavar="N", type=int, help="seed for question and choice order")
    app.add_argument(
        "--resume",
        action="store_true",
        default=None,
        help="straight into the learner's paused attempt (an unexpired exam first); "
        "exit 1 if there is none",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (_module, help_text) in COMMANDS.items() if commands else ():
        sub = subparsers.add_parser(name, help=help_text, description=help_text)
        add_common_options(sub, suppress=True)
        if configure is None or name in configure:
            _command_module(name).configure(sub)
    return parser


def _positive_int(text: str) -> int:
    import argparse

    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return value


_APP_FLAGS = (
    "mode",
    "exam",
    "course",
    "learner",
    "sections",
    "count",
    "time_limit",
    "seed",
    "resume",
)


def main(argv: Sequence[str] | None = None, *, clock: Clock | None = None) -> int:
    """Run the command line (`argv`: the arguments after `quiz`). `clock`: where the app
    reads the time (the system's unless given: tests give their own)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    plain = _plain_app_options(arguments)
    if plain is not None:
        return _open_app(_app_option_error, plain, clock)
    parser, args = _parse(arguments)
    if args.command is not None:
        given = [f"--{f.replace('_', '-')}" for f in _APP_FLAGS if getattr(args, f) is not None]
        if given:
            parser.error(
                f"{', '.join(given)} opens the app; it cannot be used with '{args.command}'"
            )
        module = _command_module(args.command)
        try:
            return int(module.run(args))
        except KeyboardInterrupt:
            return ExitCode.SIGNAL_BASE + signal.SIGINT
        except BrokenPipeError:
            return ExitCode.OK
        except Exception as error:  # a bug of ours: a short message, the details in the log
            return report_internal_error(error)
    return _open_app(parser.error, args, clock)


_PLAIN_OPTIONS = ("--questions", "--db")
"""The options the app is nearly always opened with, if any (the common ones)."""


def _plain_app_options(arguments: list[str]) -> SimpleNamespace | None:
    """What argparse reads from `arguments` when they are only `--questions DIR` and
    `--db PATH` (or `--db=PATH`), each at most once, with values not starting with
    '-'; None for anything else (argparse reads it). Opening the app this way imports
    no argparse (~2% of the first screen's time)."""
    given: dict[str, str] = {}
    words = iter(arguments)
    for word in words:
        name, equals, value = word.partition("=")
        if name not in _PLAIN_OPTIONS or name in given:
            return None
        if not equals:
            value = next(words, "")
        if not value or value.startswith("-"):
            return None
        given[name] = value
    return SimpleNamespace(
        command=None,
        questions=given.get("--questions"),
        db=given.get("--db"),
        **dict.fromkeys(_APP_FLAGS),
    )


def _app_option_error(message: str) -> NoReturn:
    """A usage error in options read without argparse: reported as the parser reports it."""
    quick = build_parser((), commands=False, parser_class=quick_parser_class())
    quick.error(message)


class _ParseFailed(Exception):
    """The quick parser met something it leaves to the full one."""


@cache
def quick_parser_class() -> type[argparse.ArgumentParser]:
    """The app's parser's class: what it cannot read it leaves to the full parser, while
    it reads (`reading`); after, its errors (the app's option checks) are reported as
    the full parser's are. Made when first needed: argparse is not imported to open
    the app with plain options."""
    import argparse

    class QuickParser(argparse.ArgumentParser):
        reading = False

        def error(self, message: str) -> NoReturn:
            if self.reading:
                raise _ParseFailed(message)
            super().error(message)

    return QuickParser


def _parse(arguments: list[str]) -> tuple[argparse.ArgumentParser, Any]:
    """The parser for `arguments`, and what it read from them (exits on a usage error)."""
    named = [word for word in arguments if word in COMMANDS]
    wants_help = any(word in ("-h", "--help") for word in arguments)
    if not named and not wants_help:
        # Opening the app, as nearly always: its parser without the commands' sixteen
        # (building them was ~7 ms of the first screen). Anything it cannot read (a
        # mistyped command, a bad value) is read again by the full parser, whose
        # message names the commands.
        quick = build_parser((), commands=False, parser_class=quick_parser_class())
        quick.reading = True  # type: ignore[attr-defined]
        try:
            args = quick.parse_args(arguments)
        except _ParseFailed:
            pass
        else:
            quick.reading = False  # type: ignore[attr-defined]
            return quick, args
    parser = build_parser(named if named or not wants_help else None)
    return parser, parser.parse_args(arguments)


def report_internal_error(error: BaseException) -> int:
    """Write the traceback to the log file, print one line naming it, return exit code 1."""
    import traceback

    from quiz import paths

    log = paths.log_path()
    try:
        log.parent.mkdir(parents=True, exist_ok=True)
        with open(log, "a", encoding="utf-8") as handle:
            handle.write("".join(traceback.format_exception(error)))
        where = f"details are in {log}"
    except OSError:
        where = "the details could not be written to a log file"
    print(f"quiz: internal error ({type(error).__name__}): {where}", file=sys.stderr)
    return ExitCode.PROBLEM


def _open_app(fail: Callable[[str], NoReturn], args: Any, clock: Clock | None) -> int:
    """Open the app with the options read (`fail`: reports a usage error and exits)."""
    from quiz import paths
    from quiz.domain.durations import DurationError, parse_duration
    from quiz.launch import AppOptions

    if args.resume:
        starting = [
            flag
            for flag, value in (
                ("--mode", args.mode),
                ("--exam", args.exam),
                ("--sections", args.sections),
                ("--count", args.count),
                ("--time-limit", args.time_limit),
                ("--seed", args.seed),
            )
            if value is not None
        ]
        if starting:
            fail(
                f"--resume takes up a paused attempt as it was: it cannot be used with "
                f"{', '.join(starting)}"
            )
    if args.mode in ("practice", "drill") and args.exam:
        fail(f"--exam PRESET is an exam: it cannot be used with --mode {args.mode}")
    if args.mode == "drill" and args.time_limit is not None:
        fail("a drill is untimed: --time-limit cannot be used with --mode drill")
    time_limit = None
    if args.time_limit is not None:
        try:
            time_limit = parse_duration(args.time_limit)
        except DurationError as error:
            fail(f"--time-limit: {error}")
    quiz_flags = [args.sections, args.count, time_limit, args.seed]
    if args.mode is None and args.exam is None and any(f is not None for f in quiz_flags):
        fail("--sections, --count, --time-limit and --seed need --mode or --exam")
    sections = None
    if args.sections is not None:
        sections = tuple(s.strip() for s in args.sections.split(",") if s.strip())
        if not sections:
            fail("--sections: give at least one section id")
    course = args.course.strip() if args.course is not None else None
    if course == "":
        fail("--course: give a course id")
    learner = args.learner
    if learner is not None:
        learner = learner.strip()
        if not learner:
            fail("--learner: the name is empty")
    options = AppOptions(
        questions_dir=paths.questions_dir(args.questions),
        db_path=paths.db_path(args.db),
        mode="exam" if args.exam else args.mode,
        exam=args.exam,
        course=course,
        learner=learner,
        sections=sections,
        count=args.count,
        time_limit_seconds=time_limit,
        seed=args.seed,
        resume=bool(args.resume),
    )
    if not _is_terminal():
        print(NO_TERMINAL, file=sys.stderr)
        return ExitCode.USAGE
    run_app = _import_app()
    return int(run_app(options, clock=clock))


def _import_app() -> Callable[..., int]:
    """quiz.ui.run.run_app, imported (Textual and the app with it)."""
    # Importing Textual and the app makes ~60,000 objects the collector tracks, all of
    # them kept: its passes over them meanwhile free nothing and were ~5% of the
    # import's instructions (counted with callgrind). They are kept for the process's
    # life, so they are frozen (gc.freeze) before the collector is on again: else its
    # first pass after the import went over all of them (~20 ms before the first
    # frame, freeing a few hundred objects). Once the app runs, it tunes the collector
    # itself (quiz.ui.run.TerminalProcess).
    gc.disable()
    try:
        from quiz.ui.run import run_app
    finally:
        gc.freeze()
        gc.enable()
    return run_app


NO_TERMINAL = """\
quiz: the app needs a terminal: standard input and output must both be one.
Commands that print instead of opening the app:
  quiz scores [--learner NAME] [--format table|csv|json]   every saved attempt
  quiz report [--format table|csv|json]                    staff x sections, questions
  quiz learners                                            who has taken the course
  quiz due [--learner NAME] [--format table|csv|json]      questions due, leeches
  quiz check [PATH]                                        check course files
Run `quiz` itself in a terminal window."""


def _is_terminal() -> bool:
    """Whether the app can take over a terminal (stdin and stdout are both one)."""
    try:
        return (
            sys.stdin is not None
            and sys.stdout is not None
            and (sys.stdin.isatty() and sys.stdout.isatty())
        )
    except (AttributeError, ValueError):  # replaced or closed streams
        return False


if __name__ == "__main__":
    sys.exit(main())
