"""The loader and validator: one test per class of problem, each with a bad bank under
tests/fixtures/bad/ whose first line says the expected line and message."""

from __future__ import annotations

import os
import re
import shutil
import threading
from pathlib import Path

import pytest

from quiz.domain.loader import load_course, load_courses
from quiz.domain.model import CourseLoad, QuestionType
from tests.support.paths import FIXTURES, MINI

BAD = sorted((FIXTURES / "bad").glob("*.yaml"))
EXPECT = re.compile(rb"# expect: (\d+): (.*)")


@pytest.fixture
def course_dir(tmp_path: Path) -> Path:
    target = tmp_path / "mini"
    shutil.copytree(MINI, target)
    return target


def test_the_mini_fixture_loads_clean(course_dir: Path) -> None:
    loaded = load_course(course_dir)
    assert loaded.problems == ()
    assert loaded.course is not None
    assert [q.id for q in loaded.course.questions] == ["med-01", "sw-01", "sw-02", "sw-03", "sw-04"]
    sw04 = loaded.course.question("sw-04")
    assert sw04 is not None
    assert sw04.type is QuestionType.MULTIPLE
    assert sw04.answer == ("It eases in days", "It may be tender")
    assert sw04.difficulty == 2 and sw04.tags == ("aftercare",)
    assert loaded.course.exams["check"].time_limit_seconds == 90


@pytest.mark.parametrize("bad", BAD, ids=[p.stem for p in BAD])
def test_each_bad_bank_gets_its_message_and_line(course_dir: Path, bad: Path) -> None:
    match = EXPECT.match(bad.read_bytes().splitlines()[0])
    assert match, f"{bad.name} must start with '# expect: LINE: message'"
    line, message = int(match[1]), match[2].decode()
    target = course_dir / bad.name
    shutil.copy(bad, target)
    loaded = load_course(course_dir)
    mine = [p for p in loaded.problems if p.path == target]
    assert mine, f"no problem reported for {bad.name}: {loaded.problems}"
    assert any(p.line == line and message in p.message for p in mine), [str(p) for p in mine]
    assert all(str(p).startswith(f"{target}:{p.line}:{p.column}: ") for p in mine)


def test_every_problem_in_every_file_is_reported_in_one_run(course_dir: Path) -> None:
    for name in ("unknown-field.yaml", "answer-not-choice.yaml", "tab.yaml"):
        shutil.copy(FIXTURES / "bad" / name, course_dir / name)
    loaded = load_course(course_dir)
    files = {p.path.name for p in loaded.problems}
    assert files == {"unknown-field.yaml", "answer-not-choice.yaml", "tab.yaml"}


def test_scalars_stay_as_the_author_wrote_them(course_dir: Path) -> None:
    (course_dir / "yaml11.yaml").write_text(
        "format: 1\nsection: swelling\ntitle: Swelling\nquestions:\n"
        "  - id: y-01\n    type: single\n    prompt: no\n"
        "    choices: [no, 1.10, '010', on]\n    answer: 1.10\n"
        "    explanation: off\n    source: tender to the touch\n"
    )
    loaded = load_course(course_dir)
    assert loaded.problems == ()
    assert loaded.course is not None
    question = loaded.course.question("y-01")
    assert question is not None
    assert question.prompt == "no"
    assert question.choices == ("no", "1.10", "010", "on")
    assert question.answer == ("1.10",)
    assert question.explanation == "off"


def test_a_bom_is_fine(course_dir: Path) -> None:
    bank = course_dir / "swelling.yaml"
    bank.write_bytes(b"\xef\xbb\xbf" + bank.read_bytes())
    assert load_course(course_dir).problems == ()


def test_an_alias_bomb_is_refused_at_once(course_dir: Path) -> None:
    lines = ['a0: &a0 ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
    (course_dir / "bomb.yaml").write_text("\n".join(lines) + "\n")
    loaded = load_course(course_dir)
    # Refused at its first anchor, before any alias is expanded (expanding it would
    # build 10**10 strings): the problem names line 1, not the line of a later alias.
    assert any("anchors" in p.message and p.line == 1 for p in loaded.problems)


def test_very_deep_nesting_is_refused_without_crashing(course_dir: Path) -> None:
    (course_dir / "deep.yaml").write_text("[" * 100_000 + "]" * 100_000 + "\n")
    loaded = load_course(course_dir)
    assert any("nested more than" in p.message for p in loaded.problems)


def test_a_file_over_4_mib_is_refused_before_parsing(course_dir: Path) -> None:
    (course_dir / "huge.yaml").write_bytes(b"# x\n" * (1024 * 1024 + 10))
    loaded = load_course(course_dir)
    assert any("4 MiB" in p.message for p in loaded.problems)


def test_a_source_outside_the_course_folder_is_refused(course_dir: Path) -> None:
    course_yaml = course_dir / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("source.md", "../../etc/passwd"))
    loaded = load_course(course_dir)
    problem = next(p for p in loaded.problems if "outside the course folder" in p.message)
    assert problem.path == course_yaml and problem.line == 5
    assert loaded.course is None


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_source_does_not_hang(course_dir: Path) -> None:
    os.remove(course_dir / "source.md")
    os.mkfifo(course_dir / "source.md")
    # Opening a FIFO for reading blocks until a writer comes, so a loader that opened
    # it would never return: load in a thread, and fail (not hang) if it does not end.
    result: list[CourseLoad] = []
    worker = threading.Thread(target=lambda: result.append(load_course(course_dir)), daemon=True)
    worker.start()
    worker.join(timeout=60)
    assert result, "load_course blocked on the FIFO"
    assert any("not a regular file" in p.message for p in result[0].problems)


def test_a_newer_course_file_says_so(course_dir: Path) -> None:
    course_yaml = course_dir / "course.yaml"
    course_yaml.write_text(course_yaml.read_text().replace("format: 1", "format: 3"))
    loaded = load_course(course_dir)
    assert any(
        p.path == course_yaml and p.line == 1 and "newer version" in p.message
        for p in loaded.problems
    )


def test_source_heading_problems_are_line_numbered(course_dir: Path) -> None:
    source = course_dir / "source.md"
    source.write_text(
        source.read_text() + "\n### Not a section\n\n## Medicines {#medicines}\n\nx\n"
    )
    loaded = load_course(course_dir)
    messages = {(p.line, p.message.split(":")[0]) for p in loaded.problems}
    assert (13, "a heading that is not a section") in messages
    assert any("already used on line 9" in p.message for p in loaded.problems)


def test_a_broken_course_does_not_stop_the_others(tmp_path: Path) -> None:
    shutil.copytree(MINI, tmp_path / "a-good")
    shutil.copytree(MINI, tmp_path / "b-bad")
    (tmp_path / "b-bad" / "swelling.yaml").write_text("format: 1\nsection: [\n")
    results = load_courses(tmp_path)
    assert [r.path.name for r in results] == ["a-good", "b-bad"]
    assert results[0].ok
    assert results[1].problems


def test_a_folder_without_courses_says_what_to_do(tmp_path: Path) -> None:
    (result,) = load_courses(tmp_path)
    assert result.course is None
    assert "no course here" in result.problems[0].message


def test_the_version_hash_changes_with_the_content(course_dir: Path) -> None:
    first = load_course(course_dir).course
    (course_dir / "source.md").write_text((course_dir / "source.md").read_text() + "\nMore.\n")
    second = load_course(course_dir).course
    assert first is not None and second is not None
    assert first.version.startswith("sha256:") and first.version != second.version


def test_quotes_are_located_exactly(course_dir: Path) -> None:
    course = load_course(course_dir).course
    assert course is not None
    for question in course.questions:
        ref = question.source_ref
        section = course.source.section(ref.section_id)
        assert section is not None
        quoted = section.paragraphs[ref.paragraph_index].text[ref.start : ref.end]
        assert quoted.casefold() == question.source.casefold()


def test_without_libyaml_the_pure_parser_gives_the_same_results(
    course_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import yaml

    from quiz.domain import yamlsafe

    with_c = load_course(course_dir)
    monkeypatch.setattr(yamlsafe, "_Parser", yaml.SafeLoader)
    pure = load_course(course_dir)
    assert pure.problems == () and pure.course == with_c.course
    for name in ("duplicate-key.yaml", "alias.yaml", "tab.yaml", "deep.yaml"):
        shutil.copy(FIXTURES / "bad" / name, course_dir / name)
    problems = load_course(course_dir).problems
    assert {p.path.name for p in problems} == {
        "duplicate-key.yaml",
        "alias.yaml",
        "tab.yaml",
        "deep.yaml",
    }
