"""Source drift: the bundled course's lock is clean; editing one paragraph names
exactly the questions that cite it, with a word diff; --accept records the review."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.domain.drift import LOCK_FILE, read_lock, word_diff
from quiz.domain.loader import load_course, load_course_and_inputs
from tests.support.paths import BUNDLED

OLD = "The treated area may also be tender to the touch."
NEW = OLD + " Swelling lasting longer than a week needs a doctor."


@pytest.fixture
def course(tmp_path: Path) -> Path:
    return Path(shutil.copytree(BUNDLED, tmp_path / "course"))


def _edit(course: Path) -> list[str]:
    """Add a sentence to one paragraph; the ids of the questions that cite it."""
    source = course / "source.md"
    text = source.read_text(encoding="utf-8")
    assert text.count(OLD) == 1
    source.write_text(text.replace(OLD, NEW), encoding="utf-8")
    loaded = load_course(course).course
    assert loaded is not None
    swelling = loaded.source.section("swelling")
    assert swelling is not None
    index = next(p.index for p in swelling.paragraphs if NEW in p.text)
    return [
        q.id
        for q in loaded.questions
        if (q.source_ref.section_id, q.source_ref.paragraph_index) == ("swelling", index)
    ]


def test_the_bundled_course_has_a_lock_and_is_clean(capsys: pytest.CaptureFixture[str]) -> None:
    reviews, problems = read_lock(BUNDLED / LOCK_FILE)
    assert problems == [] and reviews is not None
    course = load_course(BUNDLED).course
    assert course is not None
    assert set(reviews) == {q.id for q in course.questions}
    assert main(["check", "--strict", str(BUNDLED)]) == 0
    assert "no problems" in capsys.readouterr().out


def test_editing_a_paragraph_names_exactly_its_questions_with_a_diff(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    citing = _edit(course)
    assert len(citing) >= 2
    assert main(["check", str(course)]) == 0
    out = capsys.readouterr().out
    named = [
        line.split("question ")[1].split(":")[0]
        for line in out.splitlines()
        if ": warning: question " in line
    ]
    assert sorted(named) == sorted(citing)
    assert "{+Swelling lasting longer than a week needs a doctor.+}" in out
    assert "    question: " in out
    assert main(["check", "--strict", str(course)]) == 1
    capsys.readouterr()

    first, *rest = citing
    assert main(["check", str(course), "--accept", first]) == 0
    out = capsys.readouterr().out
    assert "recorded the review of 1 question" in out
    assert f"question {first}:" not in out
    assert all(f"question {other}:" in out for other in rest)
    assert main(["check", str(course), "--accept-all"]) == 0
    assert main(["check", "--strict", str(course)]) == 0
    assert not [p for p in course.iterdir() if p.name.startswith(".course-lock-")]


def test_unknown_ids_change_nothing(course: Path, capsys: pytest.CaptureFixture[str]) -> None:
    before = (course / LOCK_FILE).read_bytes()
    assert main(["check", str(course), "--accept", "swelling-01", "nope"]) == 2
    assert "no question nope" in capsys.readouterr().err
    assert (course / LOCK_FILE).read_bytes() == before
    assert main(["check", str(course), "--accept", "swelling-01", "--accept-all"]) == 2


def test_a_new_question_is_listed_until_reviewed(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (course / LOCK_FILE).unlink()
    assert main(["check", "--strict", str(course)]) == 0  # no lock: no drift checked
    assert main(["check", str(course), "--accept", "swelling-01"]) == 0
    out = capsys.readouterr().out
    assert "question swelling-02 has no review in course.lock" in out
    assert "question swelling-01 has no review" not in out


def test_a_broken_lock_is_a_problem_with_its_place(
    course: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (course / LOCK_FILE).write_text("format: 1\nquestions:\n  swelling-01: {paragraph: x}\n")
    assert main(["check", str(course)]) == 1
    assert f"{course / LOCK_FILE}:3:3: the review of 'swelling-01'" in capsys.readouterr().out


def test_the_loader_and_its_cache_never_read_the_lock(course: Path) -> None:
    load, inputs = load_course_and_inputs(course)
    assert load.ok
    assert not any(path.endswith(LOCK_FILE) for path, _signature in inputs)


def test_word_diff() -> None:
    assert word_diff("a b c d", "a x c d e") == "a [-b-] {+x+} c d {+e+}"
    assert word_diff("same", "same") == "same"
