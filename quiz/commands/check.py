"""`quiz check [PATH ...]`: check courses and bank files, list their sections and problems."""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING

from quiz import paths
from quiz.domain.text import strip_control

if TYPE_CHECKING:  # the loader (PyYAML, validation) is imported when the command runs,
    # so that building the command line costs nothing when the app opens
    from quiz.domain.loader import CourseLoad
    from quiz.domain.model import Course, Problem


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="a course folder, a folder of courses, or a bank file inside a course "
        "(default: the courses in use)",
    )
    parser.add_argument(
        "--coverage",
        action="store_true",
        help="also list, for each section, the paragraphs that no question cites",
    )


def run(args: argparse.Namespace) -> int:
    from quiz.domain.loader import find_course_folders, is_course_folder, load_course

    targets: list[tuple[Path, Path | None]] = []  # (course folder, only this bank file)
    usage_errors: list[str] = []
    given = [Path(p) for p in args.paths] or [paths.questions_dir(args.questions)]
    for path in given:
        if path.is_file() and path.suffix in (".yaml", ".yml"):
            folder = path.parent
            if not is_course_folder(folder):
                usage_errors.append(
                    f"{path}: not inside a course folder (no course.yaml beside it)"
                )
                continue
            targets.append((folder, path if path.name != "course.yaml" else None))
            continue
        folders = find_course_folders(path) if path.is_dir() else []
        if not folders:
            what = "does not exist" if not path.exists() else "holds no course (no course.yaml)"
            usage_errors.append(f"{path}: {what}")
            continue
        targets.extend((folder, None) for folder in folders)
    for message in usage_errors:
        print(f"quiz check: {message}", file=sys.stderr)
    if usage_errors and not targets:
        return 2

    problem_count = 0
    out = sys.stdout
    for index, (folder, only) in enumerate(targets):
        loaded = load_course(folder)
        problems = list(loaded.problems)
        if only is not None:
            problems = [p for p in problems if _belongs(p, only, folder)]
        if index:
            out.write("\n")
        _print_course(loaded, only, args.coverage)
        problem_count += len(problems)
        if problems:
            out.write(f"  {len(problems)} problem{'s' if len(problems) != 1 else ''}:\n")
            for problem in problems:
                out.write(strip_control(str(problem)) + "\n")
        else:
            out.write("  no problems\n")
    if problem_count or usage_errors:
        return 1
    return 0


def _belongs(problem: Problem, only: Path, folder: Path) -> bool:
    """A problem of the bank file asked for, or of the files every bank depends on."""
    path = problem.path.resolve()
    return (
        path == only.resolve()
        or path.parent != folder.resolve()
        or path.suffix == ".md"
        or (path.name == "course.yaml")
    )


def _print_course(loaded: CourseLoad, only: Path | None, coverage: bool) -> None:
    from quiz.domain.durations import format_duration
    from quiz.domain.model import QuestionType

    course = loaded.course
    out = sys.stdout
    if course is None:
        out.write(f"{loaded.path}: cannot be used\n")
        return
    out.write(f"{course.id}: {strip_control(course.title)} ({loaded.path})\n")
    banks = [b for b in course.banks if only is None or b.path.resolve() == only.resolve()]
    header = f"  {'section':<20} {'questions':>9} {'single':>7} {'multiple':>8} "
    header += f"{'true/false':>10} {'short':>6} {'critical':>8}"
    out.write(header + "\n")
    totals: Counter[str] = Counter()
    for section in course.source.sections:
        questions = [q for b in banks if b.section == section.id for q in b.questions]
        if only is not None and not questions:
            continue
        kinds = Counter(q.type for q in questions)
        critical = sum(q.critical for q in questions)
        row = [
            len(questions),
            kinds[QuestionType.SINGLE],
            kinds[QuestionType.MULTIPLE],
            kinds[QuestionType.TRUE_FALSE],
            kinds[QuestionType.SHORT],
            critical,
        ]
        for key, value in zip(("all", "s", "m", "tf", "sh", "c"), row, strict=True):
            totals[key] += value
        out.write(
            f"  {section.id:<20} {row[0]:>9} {row[1]:>7} {row[2]:>8} {row[3]:>10} "
            f"{row[4]:>6} {row[5]:>8}\n"
        )
    out.write(
        f"  {'total':<20} {totals['all']:>9} {totals['s']:>7} {totals['m']:>8} "
        f"{totals['tf']:>10} {totals['sh']:>6} {totals['c']:>8}\n"
    )
    for preset in course.exams.values():
        every_critical = ", every critical question in" if preset.include_critical else ""
        out.write(
            f"  exam {preset.id}: {strip_control(preset.title)}\n"
            f"    {preset.questions} questions, {format_duration(preset.time_limit_seconds)}, "
            f"pass mark {preset.pass_mark}%{every_critical}\n"
        )
    if coverage:
        _print_coverage(course)


def _print_coverage(course: Course) -> None:
    out = sys.stdout
    cited = {(q.source_ref.section_id, q.source_ref.paragraph_index) for q in course.questions}
    out.write("  paragraphs no question cites:\n")
    missing = 0
    for section in course.source.sections:
        for paragraph in section.paragraphs:
            if (section.id, paragraph.index) in cited:
                continue
            missing += 1
            opening = strip_control(paragraph.text)
            if len(opening) > 50:
                opening = opening[:47].rstrip() + "..."
            out.write(
                f"    {section.id} paragraph {paragraph.index + 1} "
                f"({course.source.path.name} line {paragraph.line}): {opening}\n"
            )
    if not missing:
        out.write("    none: every paragraph is cited by at least one question\n")
