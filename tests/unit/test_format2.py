"""Course format 2: facts, blueprints and warnings, in the loader and in `quiz check`.

Like tests/fixtures/bad/, each bad fixture starts with `# expect: LINE: message`
(`# expect: LINE: warning: message` for a warning):

- tests/fixtures/bad2/*.yaml are bank files, each dropped into a copy of the format-2
  course tests/fixtures/mini2;
- tests/fixtures/bad-course/*.yaml are course.yaml files, each replacing mini2's.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.domain.loader import load_course
from quiz.domain.model import CriticalMode, Problem, Severity
from tests.support.paths import FIXTURES

MINI2 = FIXTURES / "mini2"
BAD_BANKS = sorted((FIXTURES / "bad2").glob("*.yaml"))
BAD_COURSES = sorted((FIXTURES / "bad-course").glob("*.yaml"))
EXPECT = re.compile(r"# expect: (\d+): (warning: )?(.*)")


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    target = tmp_path / "mini2"
    shutil.copytree(MINI2, target)
    return target


def _expectation(fixture: Path) -> tuple[int, Severity, str]:
    match = EXPECT.match(fixture.read_text(encoding="utf-8").splitlines()[0])
    assert match, f"{fixture.name} must start with '# expect: LINE: message'"
    severity = Severity.WARNING if match[2] else Severity.ERROR
    return int(match[1]), severity, match[3]


def _assert_reported(problems: list[Problem], target: Path, fixture: Path) -> None:
    line, severity, message = _expectation(fixture)
    mine = [p for p in problems if p.path == target]
    assert any(p.line == line and p.severity is severity and message in p.message for p in mine), [
        str(p) for p in problems
    ]
    prefix = "warning: " if severity is Severity.WARNING else ""
    assert any(str(p).startswith(f"{target}:{line}:{p.column}: {prefix}") for p in mine)


def test_the_format_2_fixture_loads_clean(course_dir: Path) -> None:
    loaded = load_course(course_dir)
    assert loaded.problems == () and loaded.warnings == ()
    course = loaded.course
    assert course is not None
    assert list(course.facts) == [
        "swelling-days",
        "swelling-tender",
        "swelling-compress",
        "accutane-discuss",
        "pregnancy-no",
    ]
    assert [f.id for f in course.facts_in("medicines")] == ["accutane-discuss", "pregnancy-no"]
    assert course.facts["pregnancy-no"].critical and course.facts["pregnancy-no"].line == 18
    med = course.question("med-03")
    assert med is not None and med.fact == "pregnancy-no" and med.fact_key == "pregnancy-no"
    assert med.critical  # from its fact
    preset = course.exams["check"]
    assert preset.is_blueprint and preset.critical is CriticalMode.FACTS
    assert preset.sections == {"swelling": 2, "medicines": 2} and preset.questions == 4


def test_a_question_without_a_fact_is_its_own_fact(course_dir: Path) -> None:
    (course_dir / "more.yaml").write_text(
        "format: 1\nsection: swelling\ntitle: More\nquestions:\n"
        "  - id: sw-09\n    type: true_false\n    prompt: It may be tender.\n    answer: true\n"
        "    explanation: e\n    source: tender to the touch\n    critical: true\n"
    )
    loaded = load_course(course_dir)
    assert loaded.problems == ()
    assert loaded.course is not None
    question = loaded.course.question("sw-09")
    assert question is not None and question.fact is None and question.fact_key == "sw-09"
    assert question.critical


@pytest.mark.parametrize("bad", BAD_BANKS, ids=[p.stem for p in BAD_BANKS])
def test_each_bad_format_2_bank_gets_its_message_and_line(course_dir: Path, bad: Path) -> None:
    target = course_dir / bad.name
    shutil.copy(bad, target)
    loaded = load_course(course_dir)
    _assert_reported([*loaded.problems, *loaded.warnings], target, bad)


@pytest.mark.parametrize("bad", BAD_COURSES, ids=[p.stem for p in BAD_COURSES])
def test_each_bad_course_file_gets_its_message_and_line(course_dir: Path, bad: Path) -> None:
    target = course_dir / "course.yaml"
    shutil.copy(bad, target)
    loaded = load_course(course_dir)
    _assert_reported([*loaded.problems, *loaded.warnings], target, bad)


def test_warnings_do_not_stop_a_course_or_count_as_problems(course_dir: Path) -> None:
    shutil.copy(FIXTURES / "bad2" / "critical-short.yaml", course_dir)
    loaded = load_course(course_dir)
    assert loaded.ok and loaded.problems == ()
    assert [p.severity for p in loaded.warnings] == [Severity.WARNING]


def test_a_fact_with_the_id_of_a_question_is_a_warning(course_dir: Path) -> None:
    (course_dir / "more.yaml").write_text(
        "format: 2\nsection: swelling\ntitle: More\nquestions:\n"
        "  - id: swelling-tender\n    type: true_false\n    prompt: It may be tender.\n"
        "    answer: true\n    explanation: e\n    source: tender to the touch\n"
    )
    loaded = load_course(course_dir)
    assert loaded.problems == ()
    assert [(p.path.name, p.line) for p in loaded.warnings] == [("course.yaml", 10)]
    assert "has the id of a question without a fact" in loaded.warnings[0].message


def test_a_refused_even_spread_names_every_section_at_fault(course_dir: Path) -> None:
    course_yaml = course_dir / "course.yaml"
    course_yaml.write_text(
        course_yaml.read_text()
        .replace("      swelling: 2\n      medicines: 2\n", "")
        .replace("    sections:\n", "    questions: 9\n")
    )
    loaded = load_course(course_dir)
    assert [p.line for p in loaded.problems] == [22, 22]  # the preset's line
    assert [p.message.split(",")[0] for p in loaded.problems] == [
        "exam 'check' cannot be drawn: section 'swelling' has 4 questions",
        "exam 'check' cannot be drawn: section 'medicines' has 4 questions",
    ]
    assert "fewer than the 5 places an even spread of 9 questions over 2 sections can give it" in (
        loaded.problems[0].message
    )
    assert loaded.course is not None  # the course still opens; the preset is refused by check


# --- quiz check ------------------------------------------------------------------------------


def test_check_prints_warnings_and_exits_0_or_1_with_strict(
    course_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "bad2" / "critical-short.yaml", course_dir)
    assert main(["check", str(course_dir)]) == 0
    out = capsys.readouterr().out
    bank = course_dir / "critical-short.yaml"
    assert "  1 warning:\n" in out
    assert f"{bank}:8:11: warning: a critical question of type short" in out
    assert main(["check", "--strict", str(course_dir)]) == 1
    assert main(["check", "--strict", str(course_dir / "swelling.yaml")]) == 0


def test_check_refuses_an_impossible_blueprint(
    course_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "bad-course" / "blueprint-enemies.yaml", course_dir / "course.yaml")
    assert main(["check", str(course_dir)]) == 1
    out = capsys.readouterr().out
    assert f"{course_dir / 'course.yaml'}:26:7: exam 'check' cannot be drawn: section " in out
    assert "  1 problem:\n" in out


def test_check_coverage_lists_facts_with_their_questions(
    course_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(FIXTURES / "bad-course" / "fact-not-asked.yaml", course_dir / "course.yaml")
    assert main(["check", "--coverage", str(course_dir)]) == 0
    out = capsys.readouterr().out
    assert "      swelling-days: sw-01, sw-02\n" in out
    assert "      accutane-discuss (critical): med-01, med-02\n" in out
    assert "      pregnancy-ask: none\n" in out
    assert "  facts no question asks:\n    medicines pregnancy-ask (course.yaml line 22)" in out
    assert "exam check: Quick check\n" in out and "every critical fact in" in out


def test_check_of_a_format_1_course_still_describes_its_preset(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["check", "--coverage", str(FIXTURES / "mini")]) == 0
    out = capsys.readouterr().out
    assert "3 questions, 1:30, pass mark 80%, every critical question in" in out
    assert "facts: none listed (each question is its own fact)" in out
