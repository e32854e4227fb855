"""`quiz check [PATH ...]`: check courses and bank files, list their sections and problems.

Problems are errors (exit 1) or warnings (exit 0, or 1 with --strict), each printed as
`path:line:col: message` (`warning: ` before a warning's message). Draft banks
(`NAME.draft.yaml`, which the app skips) are checked as banks of their course. With a
lock file (`course.lock`, quiz.domain.drift), a question whose cited paragraph changed
since its review is a warning, shown with a word diff; `--accept ID…` / `--accept-all`
record reviews in the lock, the only file this command ever writes.
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from quiz import paths
from quiz.domain.text import plural, strip_control
from quiz.errors import ExitCode

if TYPE_CHECKING:  # the loader (PyYAML, validation) is imported when the command runs,
    # so that building the command line costs nothing when the app opens
    from quiz.domain.model import Course, CourseLoad, Problem


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
        help="also list, for each section, the paragraphs that no question cites, and each "
        "fact with the questions that ask it",
    )
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 on warnings too",
    )
    parser.add_argument(
        "--accept",
        nargs="+",
        metavar="ID",
        help="record in course.lock that these questions were reviewed against the text as "
        "it is now",
    )
    parser.add_argument(
        "--accept-all",
        action="store_true",
        help="record the review of every question of the courses checked",
    )


def run(args: argparse.Namespace) -> int:
    from quiz.domain.folders import find_course_folders, is_course_folder
    from quiz.domain.loader import load_course

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
    if args.accept and args.accept_all:
        usage_errors.append("--accept ID and --accept-all: give one of them")
        targets = []
    for message in usage_errors:
        print(f"quiz check: {message}", file=sys.stderr)
    if usage_errors and not targets:
        return ExitCode.USAGE

    loads = {folder: load_course(folder) for folder, _only in targets}
    accept_failed = False
    if args.accept or args.accept_all:
        result = _accept(loads, args.accept or [], bool(args.accept_all))
        if result is None:
            return ExitCode.USAGE
        accept_failed = not result

    problem_count = warning_count = 0
    out = sys.stdout
    for index, (folder, only) in enumerate(targets):
        loaded = loads[folder]
        problems = list(loaded.problems)
        warnings = list(loaded.warnings)
        details = _drift(loaded, problems, warnings)
        problems += _drafts(loaded, only)
        if only is not None:
            problems = [p for p in problems if _belongs(p, only, folder)]
            warnings = [p for p in warnings if _belongs(p, only, folder)]
        if index:
            out.write("\n")
        _print_course(loaded, only, args.coverage)
        problem_count += len(problems)
        warning_count += len(warnings)
        counts = [plural(len(problems), "problem")] if problems else []
        counts += [plural(len(warnings), "warning")] if warnings else []
        if counts:
            out.write(f"  {', '.join(counts)}:\n")
            for problem in problems + warnings:
                out.write(strip_control(str(problem)) + "\n")
                for line in details.get(problem, []):
                    out.write("    " + strip_control(line) + "\n")
        else:
            out.write("  no problems\n")
    if problem_count or usage_errors or accept_failed or (args.strict and warning_count):
        return ExitCode.PROBLEM
    return ExitCode.OK


def _accept(loads: dict[Path, CourseLoad], ids: list[str], every: bool) -> bool | None:
    """Record reviews in each course's lock: True when all were recorded, False when a
    course could not take them (said why), None for a usage error (nothing written)."""
    from quiz.domain.drift import accept, lock_path, read_lock, write_lock

    known = {q.id for load in loads.values() if load.course for q in load.course.questions}
    unknown = [question_id for question_id in ids if question_id not in known]
    if unknown:
        print(
            f"quiz check: --accept: no question {', '.join(unknown)} in the courses checked; "
            "nothing recorded",
            file=sys.stderr,
        )
        return None
    ok = True
    for folder, load in loads.items():
        course = load.course
        if course is None or not load.ok:
            print(
                f"quiz check: {folder}: reviews not recorded: fix the problems listed first",
                file=sys.stderr,
            )
            ok = False
            continue
        chosen = (
            [q.id for q in course.questions] if every else [i for i in ids if course.question(i)]
        )
        if not chosen:
            continue
        path = lock_path(folder)
        reviews, lock_problems = read_lock(path)
        if lock_problems and not every:
            print(
                f"quiz check: {path}: cannot be read, reviews not recorded: "
                "review every question and run `quiz check --accept-all`",
                file=sys.stderr,
            )
            ok = False
            continue
        try:
            write_lock(path, accept(course, reviews or {}, chosen, date.today()))
        except OSError as error:
            print(f"quiz check: cannot write {path}: {error.strerror}", file=sys.stderr)
            ok = False
            continue
        print(f"{path}: recorded the review of {plural(len(chosen), 'question')}")
    return ok


def _drift(
    loaded: CourseLoad, problems: list[Problem], warnings: list[Problem]
) -> dict[Problem, list[str]]:
    """Add the lock's problems and the drift warnings; the lines shown under each."""
    from quiz.domain.drift import (
        cited_paragraph,
        find_drift,
        lock_path,
        read_lock,
        unreviewed_warning,
        word_diff,
    )
    from quiz.domain.kinds import kind_of

    course = loaded.course
    if course is None or not loaded.ok:
        return {}
    reviews, lock_problems = read_lock(lock_path(loaded.path))
    problems.extend(lock_problems)
    if reviews is None:
        return {}
    drifted, unreviewed = find_drift(course, reviews)
    details: dict[Problem, list[str]] = {}
    for drift in drifted:
        question = drift.question
        _text, line = cited_paragraph(course, question)
        warning = drift.warning(course.source.path.name, line)
        warnings.append(warning)
        asked = [f"question: {question.prompt}"]
        if question.choices:
            asked.append(f"choices: {' | '.join(question.choices)}")
        asked.append(f"answer: {', '.join(question.answer)} ({kind_of(question.type).label})")
        details[warning] = [
            f"paragraph, reviewed {drift.review.reviewed} -> now: "
            + word_diff(drift.review.text, drift.now),
            *asked,
        ]
    warnings.extend(unreviewed_warning(question) for question in unreviewed)
    return details


def _drafts(loaded: CourseLoad, only: Path | None) -> list[Problem]:
    """Every problem of the course's draft banks (or of the one draft asked for)."""
    from quiz.domain.folders import is_draft
    from quiz.domain.loader import check_draft, draft_files

    if only is not None:
        drafts = [only] if is_draft(only) else []
    else:
        drafts = draft_files(loaded.path)
    return [problem for draft in drafts for problem in check_draft(loaded, draft)]


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
    from quiz.domain.kinds import all_kinds
    from quiz.domain.model import CriticalMode

    course = loaded.course
    out = sys.stdout
    if course is None:
        out.write(f"{loaded.path}: cannot be used\n")
        return
    out.write(f"{course.id}: {strip_control(course.title)} ({loaded.path})\n")
    banks = [b for b in course.banks if only is None or b.path.resolve() == only.resolve()]
    # One column a registered question kind, labelled as the kind names itself.
    kinds = [(kind.name, kind.label, max(len(kind.label), 5)) for kind in all_kinds()]
    header = f"  {'section':<20} {'questions':>9}"
    header += "".join(f" {label:>{width}}" for _name, label, width in kinds)
    out.write(header + f" {'critical':>8}\n")
    totals: Counter[str] = Counter()

    def row(name: str, counts: Counter[str]) -> str:
        cells = "".join(f" {counts[kind]:>{width}}" for kind, _label, width in kinds)
        return f"  {name:<20} {counts['']:>9}{cells} {counts[' critical']:>8}\n"

    for section in course.source.sections:
        questions = [q for b in banks if b.section == section.id for q in b.questions]
        if only is not None and not questions:
            continue
        counts: Counter[str] = Counter(q.type for q in questions)
        counts[""] = len(questions)  # the keys cannot clash with a kind's name
        counts[" critical"] = sum(q.critical for q in questions)
        totals.update(counts)
        out.write(row(section.id, counts))
    out.write(row("total", totals))
    for preset in course.exams.values():
        in_every_exam = {
            CriticalMode.QUESTIONS: ", every critical question in",
            CriticalMode.FACTS: ", every critical fact in",
            CriticalMode.NONE: "",
        }[preset.critical]
        out.write(
            f"  exam {preset.id}: {strip_control(preset.title)}\n"
            f"    {preset.questions} questions, {format_duration(preset.time_limit_seconds)}, "
            f"pass mark {preset.pass_mark}%{in_every_exam}\n"
        )
        if preset.valid_for is not None:
            out.write(f"    a pass is valid for {preset.valid_for.text()}\n")
        if preset.witness:
            out.write("    witnessed: starts only once a manager has typed a name and PIN\n")
        if preset.sections is not None:
            quotas = [f"{s} {n}" for s, n in preset.sections.items()]
            _write_wrapped("    per section: ", quotas, "      ")
        elif preset.is_blueprint:
            out.write("    spread evenly over the sections\n")
    if coverage:
        _print_coverage(course)
        _print_fact_coverage(course)


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


def _print_fact_coverage(course: Course) -> None:
    """Each fact with the questions that ask it, then the facts no question asks."""
    out = sys.stdout
    if not course.facts:
        out.write("  facts: none listed (each question is its own fact)\n")
        return
    asking: dict[str, list[str]] = {fact_id: [] for fact_id in course.facts}
    own: dict[str, list[str]] = {}  # section -> questions without a fact
    for question in course.questions:
        if question.fact is not None and question.fact in asking:
            asking[question.fact].append(question.id)
        else:
            own.setdefault(question.section, []).append(question.id)
    out.write("  facts and the questions that ask them:\n")
    for section in course.source.sections:
        facts = course.facts_in(section.id)
        if not facts and section.id not in own:
            continue
        out.write(f"    {section.id}\n")
        for fact in facts:
            label = f"{fact.id} (critical)" if fact.critical else fact.id
            _write_wrapped(f"      {strip_control(label)}: ", asking[fact.id] or ["none"], " " * 8)
        if section.id in own:
            _write_wrapped("      without a fact: ", own[section.id], " " * 8)
    unasked = [fact for fact in course.facts.values() if not asking[fact.id]]
    out.write("  facts no question asks:\n")
    for fact in unasked:
        text = strip_control(fact.text)
        if len(text) > 40:
            text = text[:37].rstrip() + "..."
        out.write(f"    {fact.section} {fact.id} (course.yaml line {fact.line}): {text}\n")
    if not unasked:
        out.write("    none: every fact is asked by at least one question\n")


def _write_wrapped(first: str, items: list[str], indent: str, width: int = 80) -> None:
    """`first` then the items, comma-separated, wrapped at `width` under `indent`."""
    out = sys.stdout
    line = first
    for index, item in enumerate(items):
        piece = strip_control(item) + ("," if index < len(items) - 1 else "")
        if line.strip() and line != first and len(line) + 1 + len(piece) > width:
            out.write(line + "\n")
            line = indent + piece
        else:
            line = line + piece if line == first else line + " " + piece
    out.write(line + "\n")
