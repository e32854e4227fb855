"""GIFT read and written by Moodle's rules: the bundled course goes there and back
unchanged, every escape survives, Moodle's own files read as Moodle reads them, and
hostile input gets messages, not hangs."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest

from quiz.domain.bank_import import plan_import, write_banks
from quiz.domain.gift.reading import read_gift
from quiz.domain.gift.writing import write_gift, write_question
from quiz.domain.loader import load_course
from quiz.domain.model import Course, Question, SourceRef
from quiz.domain.question_io import Carried
from tests.support.paths import BUNDLED, FIXTURES

SAMPLE = FIXTURES / "gift" / "moodle-sample.gift"
FIELDS = (
    "id",
    "section",
    "type",
    "prompt",
    "choices",
    "answer",
    "explanation",
    "source",
    "source_ref",
    "critical",
    "difficulty",
    "tags",
    "fact",
)


def _bundled() -> Course:
    load = load_course(BUNDLED)
    assert load.ok and load.course is not None
    return load.course


def test_the_bundled_course_goes_to_gift_and_back_unchanged(tmp_path: Path) -> None:
    course = _bundled()
    text, left = write_gift(course)
    assert left == []
    empty = tmp_path / "course"
    empty.mkdir()
    for name in ("course.yaml", "source.md"):
        shutil.copy(BUNDLED / name, empty / name)
    target = Course(**{**course.__dict__, "path": empty, "banks": ()})
    read = read_gift(tmp_path / "x.gift", text)
    assert read.problems == [] and read.skipped == []
    plan = plan_import(tmp_path / "x.gift", read, target, None)
    assert plan.problems == [] and plan.notes == []
    assert all(not bank.draft for bank in plan.banks)
    assert write_banks(plan) == []
    again = load_course(empty)
    assert again.ok and again.course is not None, again.problems
    before = {q.id: q for q in course.questions}
    after = {q.id: q for q in again.course.questions}
    assert list(before) == list(after)
    for question_id, question in before.items():
        for name in FIELDS:
            assert getattr(after[question_id], name) == getattr(question, name), (question_id, name)
        assert dict(after[question_id].feedback) == dict(question.feedback)


def _question(**changes: object) -> Question:
    base: dict[str, object] = {
        "id": "q-1",
        "section": "s",
        "type": "single",
        "prompt": "p",
        "choices": ("a", "b"),
        "answer": ("a",),
        "explanation": "e",
        "source": "q",
        "source_ref": SourceRef("s", 0, 0, 1),
    }
    base.update(changes)
    return Question(**base)  # type: ignore[arg-type]


NASTY = "back\\slash: colon # hash = eq {brace} ~tilde\nnew line \\n %50% [x] \\:"


def _round(question: Question) -> Carried:
    text = write_question(question)
    assert isinstance(text, str)
    read = read_gift(Path("t.gift"), text)
    assert read.problems == [] and read.skipped == [], (read.problems, read.skipped)
    (carried,) = read.questions
    return carried


@pytest.mark.parametrize(
    "question",
    [
        _question(
            prompt="[html] " + NASTY,
            choices=(NASTY, "%5% off", "[plain] b", "= eq ~ t"),
            answer=(NASTY,),
            explanation=NASTY,
            source='a "quote" ' + NASTY,
            feedback={NASTY: NASTY, "%5% off": "[b] " + NASTY},
            critical=True,
            difficulty=3,
            tags=("a]b", "x:y"),
        ),
        _question(
            type="multiple",
            choices=("a", "b", "c", "d"),
            answer=("a", "b", "c"),
            feedback={"d": "no # way"},
            fact="f-1",
        ),
        _question(type="true_false", choices=(), answer=("true",), feedback={"true": "yes"}),
        _question(type="true_false", choices=(), answer=("false",), feedback={"true": "no"}),
        _question(
            type="true_false",
            choices=(),
            answer=("false",),
            feedback={"true": "wrong: " + NASTY, "false": "right"},
        ),
        _question(type="short", choices=(), answer=("5*3", "a\\*b", NASTY, "{x}")),
    ],
    ids=["single", "multiple", "true-right-only", "false-wrong-only", "false-both", "short"],
)
def test_every_field_and_escape_survives(question: Question) -> None:
    carried = _round(question)
    assert carried.id == question.id
    assert carried.type == question.type
    assert carried.prompt == question.prompt
    assert carried.choices == question.choices
    assert carried.answer == question.answer
    assert carried.explanation == question.explanation
    assert carried.source == question.source
    assert carried.feedback == dict(question.feedback)
    assert carried.critical == question.critical
    assert carried.difficulty == question.difficulty
    assert carried.tags == question.tags
    assert carried.fact == question.fact


def test_the_source_line_carries_the_quote_when_moodle_drops_comments() -> None:
    text = write_question(_question(source="one to three"))
    assert isinstance(text, str)
    without_comments = "\n".join(line for line in text.splitlines() if not line.startswith("//"))
    (carried,) = read_gift(Path("t.gift"), without_comments).questions
    assert carried.source == "one to three"
    assert carried.explanation == "e"
    assert carried.id == "q-1"  # from ::id::


def test_weights_come_from_moodles_list_and_too_many_right_choices_are_left_out() -> None:
    three = write_question(
        _question(type="multiple", choices=("a", "b", "c", "d"), answer=("a", "b", "c"))
    )
    assert isinstance(three, str)
    assert "~%33.33333%a" in three and "~%-100%d" in three
    choices = tuple(f"c{i}" for i in range(12))
    eleven = write_question(_question(type="multiple", choices=choices, answer=choices[:11]))
    assert isinstance(eleven, tuple) and "11 right choices" in eleven[0]


def test_a_moodle_file_reads_as_moodle_reads_it() -> None:
    read = read_gift(SAMPLE, SAMPLE.read_text(encoding="utf-8"))
    assert read.problems == []
    by_line = {q.line: q for q in read.questions}
    single = by_line[9]
    assert (single.id, single.section, single.type) == ("swell-days", "swelling", "single")
    assert single.prompt == "How long does swelling usually last after treatment?"  # [html] gone
    assert single.answer == ("One to three days",)
    assert single.feedback["One to three days"].startswith("Right: it usually")
    assert single.explanation == "Swelling usually eases within one to three days."
    assert single.tags == ("aftercare",) and single.source is None
    true_false = by_line[17]
    assert true_false.answer == ("true",)
    assert true_false.feedback == {
        "true": "Yes, it may be tender.",
        "false": "Wrong: it may be tender.",
    }
    escapes = by_line[20]
    assert escapes.prompt == "Which sign is written = in a formula, and what is { }?"
    assert escapes.choices == (
        "An equals sign = and braces { }",
        "A colon :",
        "A tilde ~ and a hash #",
    )
    assert escapes.feedback["An equals sign = and braces { }"] == "Escaped: # ~ \\ stay as written."
    several = by_line[27]
    assert several.type == "multiple" and len(several.answer) == 3
    assert "It lasts for months" not in several.answer
    short = by_line[36]
    assert (short.type, short.answer) == ("short", ("three", "3"))
    reasons = {s.line: s.reason for s in read.skipped}
    assert "partial credit" in reasons[45]
    assert "wildcard" in reasons[53]
    assert "essay" in reasons[56]
    assert "numerical" in reasons[59]
    assert "matching" in reasons[62]
    assert "description" in reasons[65]


@pytest.mark.parametrize(
    ("answers", "kind", "reason"),
    [
        ("{=a ~%50%b ~c}", None, "partial credit"),
        ("{=a =b ~c}", None, "several `=`"),
        ("{~%100%a ~b}", "multiple", None),
        ("{~%50%a ~%25%b ~c}", None, "partial credit"),
        ("{~%50%a ~%50%b ~%10%c}", None, "partial credit"),
        ("{=a ~%-100%b}", "single", None),
        ("{=%50%half =full}", None, "partial credit"),
        ("{T}", "true_false", None),
        ("{F#wrong}", "true_false", None),
    ],
)
def test_what_is_carried_and_what_is_skipped(
    answers: str, kind: str | None, reason: str | None
) -> None:
    read = read_gift(Path("t.gift"), "::q::Question" + answers)
    assert read.problems == []
    if kind is not None:
        assert [q.type for q in read.questions] == [kind]
    else:
        assert read.questions == []
        assert reason is not None and reason in read.skipped[0].reason


def test_blank_lines_and_comments_separate_questions_and_categories_switch() -> None:
    text = (
        "$CATEGORY: $course$/top/a//b/swelling\n\n"
        "// [id:one]\n::x::Q1{T}\n\n0\n"
        "::two::Q\ntwo lines{F}\n"
    )
    read = read_gift(Path("t.gift"), text)
    assert [(q.id, q.section, q.prompt) for q in read.questions] == [
        ("one", "swelling", "Q1"),
        ("two", "swelling", "Q\ntwo lines"),
    ]


def test_an_unterminated_brace_is_a_problem_at_its_line_and_column() -> None:
    read = read_gift(Path("t.gift"), "::a::Fine{T}\n\n// c\n  ::b::Broken {=a ~b\n")
    (problem,) = read.problems
    assert (problem.line, problem.column) == (4, 15)
    assert "`{` without its `}`" in problem.message


def test_a_noncharacter_is_refused_with_its_place() -> None:
    read = read_gift(Path("t.gift"), "::a::Q{T}\n\nab\ufdd0{T}\n")
    assert [(p.line, p.column) for p in read.problems] == [(3, 3)]


def test_hostile_input_is_read_in_linear_time() -> None:
    line = ("{\\}\\\\{{}}\\{~=#%-" * 70_000)[:1_000_000]
    started = time.perf_counter()
    read = read_gift(Path("t.gift"), line + "\n\n{" + "\\" * 500_000 + "\n")
    assert time.perf_counter() - started < 5
    assert read.problems or read.skipped or read.questions
    bad = read_gift(Path("t.gift"), "%" + "-" * 1_000_000 + "{~%" + "-" * 500_000 + "x ~b}")
    assert bad.questions or bad.skipped or bad.problems
